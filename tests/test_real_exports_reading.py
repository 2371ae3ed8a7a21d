"""Issue 14, reading: what real exports (and hostile copies of them) made bibconv do wrong.

Each test is a minimal input written for the defect it guards against.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import bibconv
from bibconv.formats.bibtex import macros
from bibconv.formats.bibtex import reader as bibtex_reader
from bibconv.registry import Registry
from bibconv.stream import iter_read


def codes(diags: list[bibconv.Diagnostic]) -> Counter[str]:
    return Counter(d.code for d in diags)


# -- 1. detection: one plausible reader decides --------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.ris", "TY  - Journal Article\nTI  - Foo\nER  - \n", "ris"),
        ("b.bib", "@article{,\n title={T}, year={2000}}\n", "bibtex"),
        ("c.bib", "@article{key1\n, title = {T}\n, year = {2000}\n}\n", "bibtex"),
        ("d.bib", "@a{b, date={2016/2017}}\n", "bibtex"),
        ("e.bib", "% a comment and nothing else\n", "bibtex"),
    ],
)
def test_detection_takes_the_only_plausible_reader(name: str, text: str, expected: str) -> None:
    reg = Registry(use_entry_points=False)
    assert reg._family(reg.choose_reader(text, name)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "TY  - Journal Article\nTI  - Foo\nER  - \n",
        "@article{,\n title={T}}\n",
        "@article{key1\n, title = {T}\n}\n",
        "@a{b, date={2016/2017}}\n",
    ],
)
def test_detection_recognises_the_content_without_an_extension(text: str) -> None:
    reg = Registry(use_entry_points=False)
    assert reg.choose_reader(text) in ("ris", "bibtex", "biblatex")


def test_unclaimed_text_without_extension_is_still_refused() -> None:
    with pytest.raises(bibconv.errors.UnknownFormatError):
        Registry(use_entry_points=False).choose_reader("hello world")


# -- 2. zero records from a non-empty input ----------------------------------------------

WOS = "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, J\nTI A title\nER\n\nEF\n"


@pytest.mark.parametrize("fmt", ["ris", "bibtex", "csljson"])
def test_no_records_from_non_empty_input_is_a_warning(fmt: str) -> None:
    result = bibconv.read(WOS if fmt != "csljson" else "[]\n", fmt)
    assert result.records == []
    found = [d for d in result.diagnostics if d.code == "BC121"]
    assert len(found) == 1 and found[0].severity == bibconv.Severity.WARNING


def test_no_records_warning_when_streamed_and_in_validate(tmp_path: Path) -> None:
    path = tmp_path / "only-comments.bib"
    path.write_text("% nothing here but a comment\n", encoding="utf-8")
    diags: list[bibconv.Diagnostic] = []
    assert list(iter_read(path, diagnostics=diags)) == []
    assert codes(diags)["BC121"] == 1
    from bibconv.validate import validate

    report = validate([path])
    assert codes(report.diagnostics)["BC121"] == 1


def test_empty_input_says_empty_not_no_records() -> None:
    result = bibconv.read("  \n", "ris")
    assert "BC005" in codes(result.diagnostics) and "BC121" not in codes(result.diagnostics)


# -- 5. @string expansion is bounded ------------------------------------------------------


def _doubling(levels: int) -> str:
    lines = ['@string{m0 = "xy"}'] + [f"@string{{m{i} = m{i - 1} # m{i - 1}}}" for i in range(1, levels + 1)]
    return "\n".join([*lines, f"@misc{{k, title = m{levels}}}", "@misc{after, title = {Still read}}"]) + "\n"


def test_string_doubling_is_cut_at_the_bound_and_reading_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(macros, "MAX_VALUE_CHARS", 1000)
    result = bibconv.read(_doubling(30), "bibtex")
    by_id = {r.id: r for r in result.records}
    assert len(by_id["k"].text["title"]) == 1000
    assert by_id["after"].text["title"] == "Still read"
    (cut,) = [d for d in result.diagnostics if d.code == "BC122"]
    assert cut.record_id == "k" and cut.line == 32


def test_string_expansion_total_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(macros, "MAX_TOTAL_CHARS", 50)
    text = '@string{big = "' + "x" * 20 + '"}\n' + "".join(f"@misc{{k{i}, title = big}}\n" for i in range(5))
    result = bibconv.read(text, "bibtex")
    total = sum(len(r.text.get("title", "")) for r in result.records)
    assert total <= 50 and codes(result.diagnostics)["BC122"] >= 1


def test_string_chain_deeper_than_the_bound_is_reported() -> None:
    n = macros.MAX_DEPTH + 50
    lines = ['@string{m0 = "a"}'] + [f'@string{{m{i} = m{i - 1} # "a"}}' for i in range(1, n + 1)]
    result = bibconv.read("\n".join([*lines, f"@misc{{k, title = m{n}}}"]) + "\n", "bibtex")
    assert result.records[0].id == "k"
    assert "BC120" in codes(result.diagnostics)


# -- 6. crossref chains: iterative and bounded --------------------------------------------


def _chain(n: int) -> str:
    lines = [f"@inbook{{e{i}, crossref = {{e{i + 1}}}, pages = {{{i}}}}}" for i in range(n)]
    return "\n".join([*lines, f"@book{{e{n}, title = {{Top}}, publisher = {{Pub}}}}"]) + "\n"


def test_long_crossref_chain_does_not_recurse_and_is_bounded() -> None:
    n = 1000
    result = bibconv.read(_chain(n), "bibtex")
    assert len(result.records) == n + 1
    cut = [d for d in result.diagnostics if d.code == "BC123"]
    assert cut and all(d.record_id for d in cut)
    by_id = {r.id: r for r in result.records}
    # an entry near the top inherits; the chain is cut every MAX_CROSSREF_DEPTH entries
    assert by_id[f"e{n - 1}"].text.get("publisher") == "Pub"
    assert len(cut) == pytest.approx(n / bibtex_reader.MAX_CROSSREF_DEPTH, abs=2)


def test_short_chain_inherits_through_every_level() -> None:
    result = bibconv.read(_chain(5), "bibtex")
    assert all(r.text.get("publisher") == "Pub" for r in result.records)
    assert "BC123" not in codes(result.diagnostics)


def test_huge_crossref_cycle_is_reported_not_a_recursion_error(tmp_path: Path) -> None:
    n = 20_000
    text = "".join(f"@book{{c{i}, crossref = {{c{(i + 1) % n}}}, title = {{T{i}}}}}\n" for i in range(n))
    result = bibconv.read(text, "bibtex")
    assert len(result.records) == n and "BC123" in codes(result.diagnostics)
    path = tmp_path / "cycle.bib"
    path.write_text(text, encoding="utf-8")
    diags: list[bibconv.Diagnostic] = []
    assert sum(1 for _ in iter_read(path, diagnostics=diags)) == n
    assert codes(diags)["BC123"] == codes(result.diagnostics)["BC123"]


def test_small_crossref_cycle_still_says_cycle() -> None:
    text = "@book{a, crossref={b}, title={A}}\n@book{b, crossref={a}, title={B}}\n"
    assert "BC112" in codes(bibconv.read(text, "bibtex").diagnostics)


# -- 7. lone surrogates never reach a writer ----------------------------------------------

SURROGATE_JSON = '[{"id": "s", "type": "book", "title": "x\\ud800y", "author": [{"family": "\\udc00"}],\n'
SURROGATE_JSON += ' "note": "pair \\ud83d\\ude00 kept"}]'


@pytest.mark.parametrize("to", ["csljson", "ris", "bibtex", "biblatex"])
def test_lone_surrogate_in_csljson_is_replaced_and_reported(to: str) -> None:
    result = bibconv.read(SURROGATE_JSON, "csljson")
    (rec,) = result.records
    assert rec.text["title"] == "x\ufffdy" and rec.text["note"] == "pair \U0001f600 kept"
    (found,) = [d for d in result.diagnostics if d.code == "BC124"]
    assert found.record_id == "s" and found.line == 1
    bibconv.write(result.records, to).encode("utf-8")  # would raise on a surrogate


def test_lone_surrogate_in_a_text_given_to_any_reader_is_replaced() -> None:
    result = bibconv.read("@misc{k,\n title = {a\ud800b}}\n", "bibtex")
    assert result.records[0].text["title"] == "a\ufffdb"
    assert [d.line for d in result.diagnostics if d.code == "BC124"] == [2]


def test_validate_reports_a_lone_surrogate(tmp_path: Path) -> None:
    from bibconv.validate import validate

    path = tmp_path / "s.json"
    path.write_text(SURROGATE_JSON, encoding="utf-8")
    assert "BC124" in codes(validate([path]).diagnostics)


# -- 8. CSL-JSON: every coercion or drop is reported -------------------------------------

TYPED = """[{"id": "a", "type": "book",
  "note": true,
  "language": false,
  "custom": [1, 2],
  "title": ["a", "b"],
  "author": [{"family": "F", "given": "G", "dropping-particle": ["x"]}],
  "issued": {"date-parts": [[2020, 13, 45]]},
  "accessed": {"date-parts": [[2020, 19, 3]]}
}]"""


def test_wrongly_typed_csljson_values_are_reported_with_key_and_position() -> None:
    result = bibconv.read(TYPED, "csljson")
    (rec,) = result.records
    found = {(d.code, d.line) for d in result.diagnostics}
    # one finding per oddity, each on the line of its key
    assert {("BC118", 2), ("BC118", 3), ("BC118", 4), ("BC118", 5), ("BC118", 6)} <= found
    assert {("BC202", 7), ("BC202", 8)} <= found
    assert all(d.record_id == "a" for d in result.diagnostics)
    assert rec.names["author"][0].dropping_particle == "x"  # never "['x']"
    assert rec.extra["csljson:custom"] == "[1, 2]"
    assert rec.dates["accessed"].literal is not None  # month 19 is not silently dropped


def test_no_csljson_value_is_dropped_without_a_word() -> None:
    quiet = bibconv.read('[{"id": "q", "type": "book", "title": "T", "volume": 3}]', "csljson")
    assert quiet.diagnostics == []
    for item in (
        '"note": false',
        '"title": ["a"]',
        '"custom": 5',
        '"issued": {"date-parts": 2020}',
        '"issued": {"season": 2}',
        '"issued": {"date-parts": [[]]}',
        '"issued": true',
    ):
        result = bibconv.read('[{"id": "q", "type": "book", ' + item + "}]", "csljson")
        assert result.diagnostics, item


# -- 12. empty names and implausible years --------------------------------------------------


@pytest.mark.parametrize(
    ("authors", "families"),
    [
        ("A. McDermott and and Gerald J. Sussman", ["McDermott", "Sussman"]),
        ("A. Doe and  and\nand B. Roe", ["Doe", "Roe"]),
    ],
)
def test_empty_name_between_ands_is_dropped_and_reported(authors: str, families: list[str]) -> None:
    result = bibconv.read(f"@misc{{k,\n  author = {{{authors}}}}}\n", "bibtex")
    names = result.records[0].names["author"]
    assert [n.family for n in names] == families
    assert all(n.non_dropping_particle is None and n.dropping_particle is None for n in names)
    (found,) = [d for d in result.diagnostics if d.code == "BC125"]
    assert (found.line, found.record_id) == (2, "k")


def test_leading_and_trailing_and_stay_part_of_a_name_as_in_bibtex() -> None:
    from bibconv.formats.bibtex.names import split_names

    assert split_names("and John Smith and Phil Holden and") == ["and John Smith", "Phil Holden and"]


def test_names_containing_and_are_not_split_wrongly() -> None:
    result = bibconv.read("@misc{k, author = {Andrew Anderson and Sandy Land and others}}", "bibtex")
    rec = result.records[0]
    assert [n.family for n in rec.names["author"]] == ["Anderson", "Land"] and "author" in rec.truncated
    assert "BC125" not in codes(result.diagnostics)


def _validate_text(tmp_path: Path, text: str) -> list[bibconv.Diagnostic]:
    from bibconv.validate import validate

    path = tmp_path / "v.bib"
    path.write_text(text, encoding="utf-8")
    return validate([path]).diagnostics


@pytest.mark.parametrize("year", ["20x0", "MMXX", "99999", "2020a"])
def test_validate_reports_a_year_that_is_no_year(tmp_path: Path, year: str) -> None:
    found = _validate_text(tmp_path, f"@misc{{k, title = {{T}},\n  year = {{{year}}}}}\n")
    (bad,) = [d for d in found if d.code == "BC308"]
    assert bad.line == 2 and year in bad.message


@pytest.mark.parametrize(
    "year", ["2020", "-44", "535 BCE", "2016/2017", "1723~", "2020?", "forthcoming", "jan"]
)
def test_validate_accepts_plausible_years_and_words(tmp_path: Path, year: str) -> None:
    value = year if year == "jan" else "{" + year + "}"
    found = _validate_text(tmp_path, f"@misc{{k, title = {{T}}, year = {value}}}\n")
    assert "BC308" not in codes(found)


def test_validate_reports_the_empty_name(tmp_path: Path) -> None:
    found = _validate_text(tmp_path, "@misc{k, title = {T}, year = 2000, author = {A and and B}}\n")
    assert "BC125" in codes(found)


# -- 4. a missing comma between fields ------------------------------------------------------

MISSING_COMMA = "@article{k,\n  title = {T}\n  journal = {J},\n  year = 2000\n  volume = 3\n}\n"
TIDY = "@article{ok, title={T}, journal = {J}, year = 2000}\n"


def test_missing_comma_is_reported_at_the_field_that_lacks_it() -> None:
    result = bibconv.read(MISSING_COMMA + TIDY, "bibtex")
    found = [(d.line, d.column, d.record_id) for d in result.diagnostics if d.code == "BC126"]
    assert found == [(3, 3, "k"), (5, 3, "k")]
    assert {"title", "container-title", "volume"} <= set(result.records[0].text)  # still read
    assert "BC126" not in codes([d for d in result.diagnostics if d.record_id == "ok"])


def test_validate_reports_the_missing_comma(tmp_path: Path) -> None:
    assert codes(_validate_text(tmp_path, MISSING_COMMA))["BC126"] == 2


def test_format_copies_an_entry_with_a_missing_comma_unchanged() -> None:
    from bibconv.validate.fmt import format_bibtex

    out = format_bibtex(MISSING_COMMA + TIDY)
    assert out.startswith(MISSING_COMMA)
    assert out != MISSING_COMMA + TIDY  # the tidy entry was formatted


# -- 3. a line starting with "@word" inside a braced value ------------------------------------

AT_LINES = """@article{musk,
  title = {Tweets},
  abstract = {We study posts by
@elonmusk and others, and
@article{fake, inside} the text.},
  journal = {J},
  year = {2020}
}
@article{next, title = {Next}, year = 2021}
@article{broken, title = {Unclosed
@article{after, title = {After}, year = 2022}
"""


def test_at_line_inside_a_value_does_not_end_the_entry() -> None:
    result = bibconv.read(AT_LINES, "bibtex")
    by_id = {r.id: r for r in result.records}
    assert sorted(by_id) == ["after", "broken", "musk", "next"]  # no "fake" entry
    musk = by_id["musk"]
    assert "@elonmusk" in musk.text["abstract"] and "@articlefake, inside" in musk.text["abstract"]
    assert musk.text["container-title"] == "J" and musk.dates["issued"].start == (2020,)
    # a really unclosed brace still costs one entry only
    assert {d.record_id for d in result.diagnostics if d.code == "BC104"} == {"broken"}
    assert by_id["after"].text["title"] == "After"


def test_validate_agrees_on_at_lines_inside_values(tmp_path: Path) -> None:
    found = _validate_text(tmp_path, AT_LINES)
    assert {d.record_id for d in found if d.code == "BC104"} == {"broken"}
    from bibconv.formats.bibtex.lexer import scan

    assert [e.key for e in scan(AT_LINES).entries] == ["musk", "next", "broken", "after"]


def test_streamed_blocks_never_cut_inside_a_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bibconv import blocks

    one = "@article{{a{n},\n  abstract = {{text\n@user{n} said\n@misc{{x{n}, y}} more}},\n  year = 2000\n}}\n"
    text = "".join(one.format(n=n) for n in range(60)) + AT_LINES
    path = tmp_path / "at.bib"
    path.write_text(text, encoding="utf-8")
    whole = bibconv.read(path, "bibtex")
    for size in (64, 200, 1000):
        monkeypatch.setattr(blocks, "BLOCK_BYTES", size)
        diags: list[bibconv.Diagnostic] = []
        streamed = list(iter_read(path, "bibtex", diagnostics=diags))
        assert [r.id for r in streamed] == [r.id for r in whole.records]
        assert [r.text for r in streamed] == [r.text for r in whole.records]
        assert sorted(map(str, diags)) == sorted(map(str, whole.diagnostics))


# -- 9 (reading part). EDTF qualifiers in date and year ------------------------------------------


@pytest.mark.parametrize(
    ("field", "start", "end"),
    [
        ("date = {1723~}", (1723,), None),
        ("year = {1723~}", (1723,), None),
        ("date = {1723~/1730}", (1723,), (1730,)),
    ],
)
def test_edtf_circa_is_read_not_decoded_as_a_tie(field: str, start: tuple[int, ...], end: object) -> None:
    result = bibconv.read(f"@misc{{k, title = {{T}}, {field}}}\n", "biblatex")
    date = result.records[0].dates["issued"]
    assert (date.start, date.end, date.circa, date.literal) == (start, end, True, None)


def test_circa_survives_a_biblatex_round_trip() -> None:
    first = bibconv.read("@misc{k, title = {T}, date = {1723~}}\n", "biblatex").records
    again = bibconv.read(bibconv.write(first, "biblatex"), "biblatex").records
    assert again[0].dates["issued"].circa and again[0].dates["issued"].start == (1723,)


def test_a_tie_in_a_non_date_value_is_still_a_tie() -> None:
    rec = bibconv.read("@misc{k, title = {A~B}, year = 2020}\n", "bibtex").records[0]
    assert rec.text["title"] == "A\u00a0B" and not rec.dates["issued"].circa


# -- 11. @set is a grouping, not a work ------------------------------------------------------------

SETS = """@set{s1, entryset = {a, b}, annotation = {x}}
@article{a, title = {Alpha}, author = {Xu, Yi}, journal = {J}, year = 2000}
@article{b, title = {Beta}, author = {Xu, Yi}, journal = {J}, year = 2001}
@set{s2, entryset = {a,zz}}
"""


def test_formatted_output_lists_set_members_once() -> None:
    records = bibconv.read(SETS, "biblatex").records
    out = bibconv.write(records, "text")
    assert out.count("Alpha") == 1 and out.count("Beta") == 1
    assert len(out.strip().splitlines()) == 2
    notes = {d.record_id: d for d in out.diagnostics if d.code == "BC127"}
    assert set(notes) == {"s1", "s2"}
    assert notes["s2"].severity == bibconv.Severity.WARNING and "zz" in notes["s2"].message


def test_set_membership_stays_in_the_ir_and_round_trips() -> None:
    from bibconv.ir import set_members

    records = bibconv.read(SETS, "biblatex").records
    by_id = {r.id: r for r in records}
    assert set_members(by_id["s1"]) == ("a", "b") and set_members(by_id["a"]) is None
    again = bibconv.read(bibconv.write(records, "csljson"), "csljson").records
    assert set_members({r.id: r for r in again}["s1"]) == ("a", "b")
    assert "entryset" in bibconv.write(records, "biblatex")


# -- 10. LaTeX math with a text form -----------------------------------------------------------

MATH = (
    "@article{m,\n  title = {$\\alpha$-synuclein in H$_2$O, $^{13}$C and $e=mc^2$ at $\\leq$ 5 $\\mu$m,"
    " $\\frac{a}{b}$ and $a\n   b$},\n  journal = {J},\n  year = 2020\n}\n"
)


def test_math_with_a_text_form_is_decoded_and_the_rest_kept() -> None:
    title = bibconv.read(MATH, "bibtex").records[0].text["title"]
    assert title.startswith("α-synuclein in H₂O, ¹³C and $e=mc^2$ at ≤ 5 μm")
    assert "$\\frac{a}{b}$" in title and "$a b$" in title and "\n" not in title


def test_bibtex_to_bibtex_keeps_math_byte_for_byte() -> None:
    out = bibconv.write(bibconv.read(MATH, "bibtex").records, "bibtex")
    for span in (
        "$\\alpha$-synuclein",
        "H$_2$O",
        "$^{13}$C",
        "$e=mc^2$",
        "$\\leq$ 5",
        "$\\mu$m",
        "$\\frac{a}{b}$",
    ):
        assert span in out


@pytest.mark.parametrize("to", ["ris", "csljson"])
def test_math_never_splits_an_output_line(to: str) -> None:
    out = bibconv.write(bibconv.read(MATH, "bibtex").records, to)
    (line,) = [ln for ln in out.splitlines() if "synuclein" in ln]
    assert "$a b$" in line and "α-synuclein" in line


def test_math_spellings_without_an_exact_text_form_stay_source() -> None:
    from bibconv.formats.bibtex.latex import decode

    for src in ("$_{2}$", "$\\alpha \\beta$", "$10^{-3}$", "$x$", "$\\mathcal{O}(n)$"):
        assert decode(src).text == src


def test_unicode_math_characters_are_written_as_math_in_ascii_bibtex() -> None:
    rec = bibconv.read('[{"id": "u", "type": "book", "title": "α-helix, H₂O and Δ ≤ 3"}]', "csljson").records
    out = bibconv.write(rec, "bibtex")
    assert "$\\alpha$-helix, H$_2$O and $\\Delta$ $\\leq$ 3" in out
    assert bibconv.read(out, "bibtex").records[0].text["title"] == "α-helix, H₂O and Δ ≤ 3"


def test_greek_commands_decode_to_the_right_letters() -> None:
    from bibconv.formats.bibtex.latex import decode

    assert decode("{\\pi} {\\rho} {\\sigma} {\\omega} {\\Sigma}").text == "π ρ σ ω Σ"


def test_a_file_that_keeps_cutting_gets_a_bounded_number_of_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(macros, "MAX_TOTAL_CHARS", 10)
    monkeypatch.setattr(macros, "MAX_CUT_REPORTS", 3)
    text = '@string{big = "' + "x" * 20 + '"}\n' + "".join(f"@misc{{k{i}, title = big}}\n" for i in range(20))
    found = [d for d in bibconv.read(text, "bibtex").diagnostics if d.code == "BC122"]
    assert len(found) == 3 and "not reported one by one" in found[-1].message


def test_citing_a_set_cites_its_members(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bibconv.cli import main

    path = tmp_path / "sets.bib"
    path.write_text(SETS, encoding="utf-8")
    assert main(["cite", str(path), "s1", "--style", "apa", "--bibliography"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "2000" in out[0] and "2001" in out[0] and "n.d." not in out[0]
    assert sum("Alpha" in line for line in out) == 1 and sum("Beta" in line for line in out) == 1


def test_uncertain_is_read_as_circa_and_said_so() -> None:
    result = bibconv.read("@misc{k, title = {T},\n  date = {2020?}}\n", "biblatex")
    assert result.records[0].dates["issued"].circa
    (note,) = [d for d in result.diagnostics if d.code == "BC128"]
    assert note.line == 2 and note.record_id == "k"
