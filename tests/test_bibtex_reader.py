"""The BibTeX/BibLaTeX reader: diagnostics with positions, mapping, and the real corpora."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bibconv.formats.bibtex.reader import BibLatexReader, BibtexReader, read_bibtex
from bibconv.formats.bibtex.writer import write_bibtex
from bibconv.ir import Date, Name
from bibconv.registry import default_registry
from bibconv.textio import read_path
from tests.conftest import shared_path
from tests.strategies import canonical


def codes(text: str) -> Counter[str]:
    return Counter(d.code for d in read_bibtex(text).diagnostics)


def test_names_split_before_decoding_and_others_truncates() -> None:
    r = read_bibtex(
        "@article{a, author = {{Gemini Team} and van Beethoven, Ludwig and King, Jr, Martin and "
        'M{\\"u}ller, J{\\"o}rg and others}, title = {A {DNA} Study}, year = 2020, month = may}'
    ).records[0]
    assert r.names["author"] == (
        Name(literal="Gemini Team"),
        Name(family="Beethoven", given="Ludwig", non_dropping_particle="van"),
        Name(family="King", given="Martin", suffix="Jr"),
        Name(family="Müller", given="Jörg"),
    )
    assert r.truncated == frozenset({"author"})
    assert r.text["title"] == 'A <span class="nocase">DNA</span> Study'
    assert r.dates["issued"] == Date(start=(2020, 5))


def test_macros_concatenation_and_crossref() -> None:
    text = (
        '@string{acm = "ACM"}\n@string{pub = acm # " Press"}\n'
        "@inproceedings{child, title = {Paper}, crossref = {parent}, pages = {1--2}}\n"
        "@proceedings{parent, title = {Proc. of X}, publisher = pub, year = 1999}\n"
    )
    r = read_bibtex(text).records[0]
    assert r.type == "paper-conference"
    assert r.text["container-title"] == "Proc. of X"
    assert r.text["publisher"] == "ACM Press"
    assert r.text["page"] == "1–2"
    assert r.dates["issued"] == Date(start=(1999,))


def test_arxiv_fields_and_identifiers() -> None:
    r = read_bibtex(
        "@misc{v, title={Attention}, eprint={1706.03762}, archivePrefix={arXiv}, primaryClass={cs.CL},"
        " doi = {10.48550/arXiv.1706.03762}, url={https://arxiv.org/abs/1706.03762}, urldate = {2024-01-02},"
        " isbn = {978-3-16-148410-0}, keywords = {a, b}, file = {x.pdf}}"
    ).records[0]
    assert r.type == "article"
    assert r.text["arxiv"] == "1706.03762"
    assert r.text["arxiv-class"] == "cs.CL"
    assert r.text["DOI"] == "10.48550/arXiv.1706.03762"
    assert r.dates["accessed"] == Date(start=(2024, 1, 2))
    assert r.text["ISBN"] == "978-3-16-148410-0"
    assert r.extra["bibtex:file"] == "x.pdf"


def test_biblatex_date_ranges_and_extended_names() -> None:
    r = read_bibtex(
        "@online{o, author = {family=Doe, given=Jane, prefix=de}, date = {2020-05/2020-07},"
        " journaltitle = {J}}"
    ).records[0]
    assert r.type == "webpage"
    assert r.names["author"] == (Name(family="Doe", given="Jane", non_dropping_particle="de"),)
    assert r.dates["issued"] == Date(start=(2020, 5), end=(2020, 7))


def test_diagnostics_have_positions_and_keys() -> None:
    text = (
        "@Comment this line has no braces\n"
        "@article{a, title = {ok}}\n"
        "@article{a, title = {dup}}\n"
        "@article{, title = {no key}}\n"
        "@article{b, title = {broken {brace}, year = 2000\n"
        "@article{c, title = {$10 million}, note = undefinedmacro, crossref = {nowhere}}\n"
        "@string{x = y}\n@string{y = x}\n@article{d, title = x}\n"
        "@article{e, title = {\\unknowncmd x}}\n"
    )
    diags = read_bibtex(text, file="t.bib").diagnostics
    by_code = {d.code: d for d in diags}
    assert by_code["BC107"].line == 1
    assert (
        by_code["BC106"].line == 3
        and by_code["BC106"].record_id == "a"
        and "line 2" in by_code["BC106"].message
    )
    assert by_code["BC105"].line == 4
    assert by_code["BC104"].line == 5 and by_code["BC104"].record_id == "b"
    assert by_code["BC113"].line == 6 and by_code["BC113"].record_id == "c"
    assert by_code["BC113"].column == text.splitlines()[5].index("$") + 1
    assert by_code["BC109"].line == 6
    assert by_code["BC111"].record_id == "c"
    assert by_code["BC110"].record_id == "d"
    assert by_code["BC114"].line == 10
    keys = [r.id for r in read_bibtex(text).records]
    assert keys.count("a") == 2 and "c" in keys and "e" in keys and len(keys) == 7


def test_crossref_cycle_is_reported() -> None:
    assert codes("@book{a, crossref = {b}}\n@book{b, crossref = {a}}\n")["BC112"] >= 1


def test_sniffing_prefers_bibtex_unless_biblatex_features() -> None:
    plain = "@article{k,\n  title = {T},\n  journal = {J},\n}\n"
    modern = "@online{k,\n  title = {T},\n  date = {2020},\n}\n"
    assert BibtexReader().sniff(plain) - BibLatexReader().sniff(plain) >= 0.15
    assert BibLatexReader().sniff(modern) - BibtexReader().sniff(modern) >= 0.15
    assert default_registry().detect(plain, "x.bib")[0].name == "bibtex"


def test_jgrey_corpus_every_entry_and_every_defect() -> None:
    text, _ = read_path(shared_path("corpus", "jgrey-main.bib.gz"))
    start = time.perf_counter()
    result = read_bibtex(text, file="jgrey-main.bib")
    elapsed = time.perf_counter() - start
    print(f"jgrey-main: {len(result.records)} records in {elapsed:.2f} s")
    counts = Counter(d.code for d in result.diagnostics)
    assert len(result.records) == 16579
    assert counts["BC106"] == 7
    assert counts["BC113"] == 28
    assert counts["BC107"] == 176
    assert not counts["BC117"]


@pytest.mark.parametrize(("name", "entries"), [("cdl.bib", 6315), ("biblatex-examples.bib", 92)])
def test_other_corpora_read(name: str, entries: int) -> None:
    text, _ = read_path(shared_path("corpus", name))
    result = read_bibtex(text, file=name)
    assert len(result.records) == entries
    assert not [d for d in result.diagnostics if d.code in ("BC104", "BC105", "BC108", "BC117")]


_BIBTEXISH = st.lists(
    st.sampled_from(
        [
            "@article",
            "@string",
            "@comment",
            "@preamble",
            "{",
            "}",
            "(",
            ")",
            ",",
            "=",
            "#",
            '"',
            "$",
            "\\",
            "\\'",
            "\\emph",
            "key",
            "title",
            "author",
            " and ",
            "others",
            " ",
            "\n",
            "a",
            "É",
            "%",
            "~",
            "--",
        ]
    ),
    max_size=60,
).map("".join)


@given(_BIBTEXISH)
def test_reader_never_raises_and_positions_are_valid(text: str) -> None:
    result = read_bibtex(text)
    lines = text.count("\n") + 1
    for d in result.diagnostics:
        assert d.line is None or 1 <= d.line <= lines


def test_parenthesised_entries_and_quoted_values() -> None:
    r = read_bibtex('@book(k, title = "A {B} \\"u" # " C", year = "1999")').records[0]
    assert r.text["title"] == 'A <span class="nocase">B</span> ü C'
    assert r.dates["issued"] == Date(start=(1999,))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["jgrey-main.bib.gz", "cdl.bib", "biblatex-examples.bib"])
@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_real_corpora_round_trip(name: str, dialect: str) -> None:
    """Every record of the real files survives write → read; only repeated keys are renamed."""
    text, _ = read_path(shared_path("corpus", name))
    records = read_bibtex(text).records
    written = write_bibtex(records, dialect=dialect, options={"lossless": True})
    again = read_bibtex(str(written)).records
    assert len(again) == len(records)
    renamed = [(a, b) for a, b in zip(records, again) if a.id != b.id]
    assert len(renamed) == sum(1 for d in written.diagnostics if d.code == "BC211")
    # ASCII output writes a decomposed accent as a command, which reads back composed (NFC)
    records, again = canonical(records), canonical(again)
    assert [b for a, b in zip(records, again) if a.id == b.id and a != b] == []
    assert all(a.evolve(id=b.id) == b for a, b in renamed)


_PLAIN_NAME_CHARS = st.sampled_from([*"abcdeXYZ .,'-éÅß", "\u00a0", "van ", "de la ", "Jr", ", "])


@given(st.lists(_PLAIN_NAME_CHARS, max_size=12).map("".join))
def test_plain_name_fast_path_agrees_with_the_general_rules(raw: str) -> None:
    """The fast path for names with nothing to decode splits them exactly as the general rules do."""
    from hypothesis import assume

    from bibconv.formats.bibtex.latex import needs_decoding
    from bibconv.formats.bibtex.names import _parse_general, _parse_plain

    raw = raw.strip()
    assume(not needs_decoding(raw))  # the fast path's precondition in parse_name
    fast = _parse_plain(raw)
    assert fast is None or fast == _parse_general(raw, [])
