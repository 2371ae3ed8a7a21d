"""The BibTeX/BibLaTeX writer: keys, escaping, options, field order."""

from __future__ import annotations

import re

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from bibconv.formats.bibtex.latex import balanced, encode
from bibconv.formats.bibtex.reader import read_bibtex
from bibconv.formats.bibtex.writer import BibLatexWriter, BibtexWriter, _balanced, _encode, write_bibtex
from bibconv.ir import Date, Name, Record
from bibconv.registry import default_registry


def rec(id_: str, title: str = "A Title", **kw: object) -> Record:
    return Record(
        id=id_,
        type="article-journal",
        text={"title": title, "container-title": "J"},
        names={"author": (Name(family="Doe", given="Jane"),)},
        dates={"issued": Date(start=(2020,))},
        **kw,  # type: ignore[arg-type]
    )


def test_keys_kept_generated_and_unique_ignoring_case() -> None:
    out = write_bibtex([rec("Key"), rec("key"), rec("bad key, with comma", title="Deep Learning")])
    keys = [r.id for r in read_bibtex(out).records]
    assert keys == ["Key", "keya", "doe2020deep"]
    assert {d.code for d in out.diagnostics} == {"BC210", "BC211"}


def test_key_pattern_option() -> None:
    out = write_bibtex([rec("", title="Deep Learning")], options={"key_pattern": "{author}_{year}"})
    assert out.startswith("@article{doe_2020,")


def test_unicode_option_keeps_utf8() -> None:
    r = rec("k", title="Gödel — Über Ærø")
    ascii_out = write_bibtex([r])
    assert '{\\"o}' in ascii_out and "{\\AE}" in ascii_out and "---" in ascii_out
    utf8_out = write_bibtex([r], dialect="biblatex", options={"unicode": True})
    assert "Gödel — Über Ærø" in utf8_out
    assert read_bibtex(ascii_out).records == read_bibtex(utf8_out).records == [r]


def test_stable_field_order_one_field_a_line() -> None:
    out = write_bibtex([rec("k")])
    assert out.splitlines() == [
        "@article{k,",
        "  author  = {Doe, Jane},",
        "  title   = {A Title},",
        "  journal = {J},",
        "  year    = {2020},",
        "}",
    ]


def test_arxiv_preprint_written_as_arxiv_exports_it() -> None:
    r = Record(
        id="v",
        type="article",
        text={
            "title": "Attention",
            "arxiv": "1706.03762",
            "arxiv-class": "cs.CL",
            "DOI": "10.48550/arXiv.1706.03762",
            "URL": "https://arxiv.org/abs/1706.03762",
        },
    )
    out = write_bibtex([r])
    assert out.startswith("@misc{v,")
    for line in ("eprint", "archivePrefix = {arXiv}", "primaryClass  = {cs.CL}", "doi", "url"):
        assert line in out
    assert "csl-type" not in out


def test_writers_are_registered_and_honest() -> None:
    reg = default_registry()
    assert isinstance(reg.writer("bib"), BibtexWriter)
    assert isinstance(reg.writer("biblatex"), BibLatexWriter)
    assert reg.choose_reader("@online{k,\n  date = {2020},\n}\n", "x.bib") == "biblatex"
    assert reg.choose_reader("@article{k,\n  year = {2020},\n}\n", "x.bib") == "bibtex"
    assert BibLatexWriter.catch_all and "truncated" in BibLatexWriter.carries


_LATEXY = st.text(
    st.one_of(
        st.sampled_from(list("\\~^`{}%&$#_-'!?<>/ aZ09.,é\u00a0—\u2028")),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=30,
)


@settings(max_examples=500)
@example("a--b", False)
@example("it''s", False)
@example("Hi!`", False)
@example("x_y", True)
@example("café", False)
@example("<i>x</i>", False)
@example("$x$", False)
@example("a{b", False)
@example("50% & #1 ~ ^", False)
@given(_LATEXY, st.booleans())
def test_the_writers_encode_shortcut_is_encode(text: str, unicode: bool) -> None:
    """formats/bibtex/writer.py skips latex.encode for text it would leave alone; it must agree."""
    assert _encode(text, unicode) == encode(text, unicode=unicode)


@given(_LATEXY)
def test_the_writers_brace_check_is_balanced(text: str) -> None:
    assert _balanced(text) == balanced(text)


@example("Anderson", "Alexander")
@example("And", "J")
@example("Doe", "and")
@example("Doe", "J and K")
@example("Doe", "AND")
@given(
    st.text(st.sampled_from("ABCab-.' dnAND"), min_size=1, max_size=10),
    st.text(st.sampled_from("ABCab-.' dnAND"), min_size=1, max_size=10),
)
def test_plain_name_fast_path_writes_what_the_general_rules_write(family: str, given: str) -> None:
    from bibconv.formats.bibtex.names import _format_general, format_name

    name = Name(family=family, given=given)
    for unicode in (False, True):
        assert format_name(name, unicode=unicode) == _format_general(name, unicode=unicode, extended=False)


def test_langid_is_the_entry_language_and_is_written_back_as_langid() -> None:
    """BibLaTeX's langid gives CSL ``language`` (a BCP 47 tag for babel names, as pandoc
    reads it), so CSL styles stop title-casing German titles; writing puts the langid
    back and adds no ``language`` field."""
    german = read_bibtex("@book{a, title = {Kritik der reinen Vernunft}, langid = {ngerman}}").records[0]
    assert german.text["language"] == "de-DE" and german.extra["bibtex:langid"] == "ngerman"
    out = str(BibLatexWriter().write([german]))
    assert "langid = {ngerman}" in out and "language" not in out
    assert read_bibtex(out).records == [german]
    both = read_bibtex("@book{b, title = {T}, language = {latin}, langid = {german}}").records[0]
    assert both.text["language"] == "latin"
    back = str(BibLatexWriter().write([both]))
    assert "language = {latin}" in back and "langid   = {german}" in back
    unknown = read_bibtex("@book{c, title = {T}, langid = {klingon}}").records[0]
    assert unknown.text["language"] == "klingon"
    assert "language" not in str(BibLatexWriter().write([unknown]))


def test_percent_signs_in_field_names_and_values_are_written_as_they_are() -> None:
    """The entry body is a %-template per field set: a '%' in a name or value must not format."""
    rec = Record(
        id="k",
        type="book",
        text={"title": "Growth of 5%s and %(x)s"},
        extra={"bibtex:a%b": "x{", "bibtex:note%": "50%"},
    )
    out = write_bibtex([rec], options={"lossless": True})
    assert out.splitlines() == [
        "@book{k,",
        "  title        = {Growth of 5\\%s and \\%(x)s},",
        "  bibtex:note% = {50%},",
        "  x-bibtex:a%b = {x\\textbraceleft{}},",
        "}",
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab -–—'!?`\\~^{}%&$#_éüαß漢\u0301\u0308")), max_size=16))
def test_the_quick_escaping_pattern_matches_like_the_full_one_without_combining_marks(text: str) -> None:
    """ASCII output scans text with no combining mark with a pattern lacking the cluster branch."""
    from bibconv.formats.bibtex import latex

    def show(m: re.Match[str]) -> str:
        return f"<{m.lastgroup}:{m.group()}>"

    assume(latex._COMBINING_MARK.search(text) is None)
    assert latex._ENC_ASCII_SIMPLE_RE.sub(show, text) == latex._ENC_ASCII_RE.sub(show, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab -–—'!?`\\~^{}%&$#_<éüαß漢\u2019")), max_size=16))
def test_text_without_escaping_pairs_is_escaped_character_by_character_alike(text: str) -> None:
    """Without two dashes, two apostrophes or ``!``/``?`` before a backquote, one class finds
    the very matches of the pattern with look-aheads, none of them a dash pair."""
    from bibconv.formats.bibtex import latex

    def show(m: re.Match[str]) -> str:
        return f"<{m.lastgroup}:{m.group()}>"

    # whichever way _encode_plain takes, the escaping is the full pattern's
    assert latex._encode_plain(text, False) == latex._ENC_ASCII_SIMPLE_RE.sub(
        lambda m: latex._replacement(m.group(), m.lastgroup == "dash", False), text
    )
    assume(latex._ENC_PAIRS.search(text) is None)
    assert latex._ENC_ONE_RE.sub(show, text) == latex._ENC_ASCII_SIMPLE_RE.sub(show, text)
