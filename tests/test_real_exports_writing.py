"""Writing what reference managers import (issue 14, items 9, 13-16, 21)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import bibconv
from bibconv.ir import Record
from bibconv.keys import MAX_KEY_LENGTH, make_key
from bibconv.stream import convert_stream

DUPLICATES = "".join(f"@book{{x, title = {{T{i}}}}}\n" for i in range(3)) + "@book{y, title = {U}}\n"


# -- item 15: unique ids in every output, renamed the same way -------------------------------


@pytest.mark.parametrize("to", ["csljson", "ris", "bibtex", "biblatex"])
def test_repeated_keys_are_renamed_alike_in_every_output(to: str) -> None:
    records = bibconv.read(DUPLICATES, "bibtex").records
    out = bibconv.write(records, to)
    if to == "csljson":
        ids = [item["id"] for item in json.loads(str(out))]
    elif to == "ris":
        ids = [line[6:] for line in str(out).splitlines() if line.startswith("ID  - ")]
    else:
        ids = [line[line.index("{") + 1 : -1] for line in str(out).splitlines() if line.startswith("@")]
    assert ids == ["x", "xa", "xb", "y"]
    renames = [d for d in out.diagnostics if d.code == "BC211"]
    assert [d.message.rsplit(" ", 1)[-1] for d in renames] == ["'xa'", "'xb'"]


@pytest.mark.parametrize("to", ["csljson", "ris"])
@pytest.mark.parametrize("jobs", [1, 2])
def test_streamed_output_renames_across_blocks_like_write(to: str, jobs: int, tmp_path: Path) -> None:
    src = tmp_path / "dups.bib"
    body = "".join(f"@book{{k{i % 7}, title = {{Title {i}}}}}\n\n" for i in range(3000))
    src.write_text(body)
    sink = io.StringIO()
    stats = convert_stream([src], to, sink, jobs=jobs)
    whole = bibconv.convert([src], to)
    assert sink.getvalue() == whole.text
    renames = sorted(d.message for d in stats.diagnostics if d.code == "BC211")
    assert renames == sorted(d.message for d in whole.diagnostics if d.code == "BC211")
    assert len(renames) == 3000 - 7


# -- item 21: generated keys are capped --------------------------------------------------------


def test_generated_key_from_a_huge_title_is_capped() -> None:
    record = Record(id="", type="book", text={"title": "x" * 2_000_000 + " more"})
    key = make_key(record)
    assert 0 < len(key) <= MAX_KEY_LENGTH
    long_pattern = make_key(record, "{title}{title}{title}")
    assert len(long_pattern) == MAX_KEY_LENGTH
    out = bibconv.write([record], "bibtex")
    assert len(str(out).splitlines()[0]) <= MAX_KEY_LENGTH + len("@book{,")


# -- item 13: BibTeX → BibTeX keeps field names --------------------------------------------------

PAIRS = """\
@misc{m, title = {T}, howpublished = {Online}, year = {2020}}
@manual{man, title = {T}, organization = {ACME}, year = {2020}}
@inproceedings{p, title = {T}, booktitle = {Proc}, publisher = {ACM Press}, organization = {ACM},
  address = {New York, NY, USA}, location = {Seoul, Korea}, year = {2020}}
@article{a, author = {A, B}, title = {T}, booktitle = {B}, journal = {J}, year = {2020}}
"""


def _fields(bib: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for record in bibconv.read(bib, "bibtex").records:
        out[record.id] = {}
    key = ""
    for line in bib.splitlines():
        if line.startswith("@"):
            key = line[line.index("{") + 1 : -1]
        elif "=" in line:
            name, value = (part.strip() for part in line.split("=", 1))
            out[key][name] = value.rstrip(",")
    return out


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_standard_fields_keep_their_names(dialect: str) -> None:
    records = bibconv.read(PAIRS, "bibtex").records
    out = bibconv.write(records, dialect)
    fields = _fields(str(out))
    assert fields["m"]["howpublished"] == "{Online}" and "publisher" not in fields["m"]
    assert fields["man"]["organization"] == "{ACME}"
    assert fields["p"]["organization"] == "{ACM}" and fields["p"]["publisher"] == "{ACM Press}"
    assert fields["p"]["address"] == "{New York, NY, USA}" and fields["p"]["location"] == "{Seoul, Korea}"
    assert fields["a"]["journal" if dialect == "bibtex" else "journaltitle"] == "{J}"
    assert fields["a"]["booktitle"] == "{B}"
    assert not [name for f in fields.values() for name in f if ":" in name or name.startswith("csl-")]
    assert bibconv.read(str(out), "bibtex").records == records  # and nothing moved on the way


def test_the_field_a_style_prints_wins_whatever_the_order() -> None:
    first, second = (
        bibconv.read(f"@article{{a, title = {{T}}, {one}, {two}}}", "bibtex").records[0]
        for one, two in (("journal = {J}", "booktitle = {B}"), ("booktitle = {B}", "journal = {J}"))
    )
    assert first.text["container-title"] == second.text["container-title"] == "J"
    assert first.extra == second.extra == {"bibtex:booktitle": "B"}


def test_a_pair_that_would_swap_on_reading_is_reported_not_renamed() -> None:
    # publisher + institution in a @manual: organization would be read before institution
    bib = "@manual{g, title = {T}, publisher = {P}, institution = {I}, year = {2001}}"
    records = bibconv.read(bib, "bibtex").records
    out = bibconv.write(records, "bibtex")
    fields = _fields(str(out))["g"]
    assert fields["publisher"] == "{P}" and fields["institution"] == "{I}"
    assert bibconv.read(str(out), "bibtex").records == records


# -- item 14: clean default output, --lossless carry-over ---------------------------------------

ODD = Record(
    id="smith2020",
    type="interview",
    text={"title": "Talking", "archive-place": "Paris", "number": "arXiv:2410.15821"},
    names={"interviewer": ()},
    extra={"x:note": "x", "bibtex:tags": "t"},
)


def test_default_outputs_hold_no_private_fields_and_report_the_loss() -> None:
    record = ODD.evolve(names={})
    ris = bibconv.write([record], "ris")
    assert "bibconv-csl" not in ris
    lost = " ".join(d.message for d in ris.diagnostics if d.code == "BC204")
    assert "archive-place" in lost and "x:note" in lost
    for dialect in ("bibtex", "biblatex"):
        bib = bibconv.write([record], dialect)
        assert "csl-" not in bib and "x:note" not in bib and "tags" in bib
        lost = " ".join(d.message for d in bib.diagnostics if d.code == "BC204")
        assert "csl-type" in lost and "'x:note'" in lost


def test_lossless_keeps_everything_for_bibconv() -> None:
    record = ODD.evolve(names={})
    for fmt in ("ris", "bibtex", "biblatex"):
        out = bibconv.write([record], fmt, lossless=True)
        assert not [d for d in out.diagnostics if d.code == "BC204"]
        back = bibconv.read(str(out), "bibtex" if fmt != "ris" else "ris").records
        assert [r.evolve(span=None) for r in back] == [record], fmt


def test_cli_lossless_flag(tmp_path: Path) -> None:
    from bibconv.cli import main

    src = tmp_path / "in.json"
    src.write_text(json.dumps([{"id": "k", "type": "interview", "title": "T", "archive-place": "P"}]))
    plain, full = tmp_path / "plain.ris", tmp_path / "full.ris"
    assert main(["convert", str(src), "-t", "ris", "-o", str(plain)]) == 0
    assert main(["convert", str(src), "-t", "ris", "--lossless", "-o", str(full)]) == 0
    assert "bibconv-csl" not in plain.read_text() and "bibconv-csl" in full.read_text()


# -- item 16: one shared identifier against all other evidence -----------------------------------


def _paper(key: str, title: str, family: str, year: int, journal: str, doi: str) -> Record:
    from bibconv.ir import Date, Name

    return Record(
        id=key,
        type="article-journal",
        text={"title": title, "container-title": journal, "DOI": doi},
        names={"author": (Name(family=family, given="A."),)},
        dates={"issued": Date(start=(year,))},
    )


def test_a_shared_doi_against_everything_else_is_a_conflict_not_a_merge() -> None:
    a = _paper("smith2019", "Deep sea vents and their fauna", "Smith", 2019, "Marine Biology", "10.1000/x1")
    b = _paper("lee2023", "A compiler for quantum circuits", "Lee", 2023, "ACM TOPLAS", "10.1000/X1")
    result = bibconv.merge([a, b])
    assert [r.id for r in result.records] == ["smith2019", "lee2023"]
    (conflict,) = [d for d in result.diagnostics if d.code == "BC213"]
    assert "smith2019" in conflict.message and "lee2023" in conflict.message
    assert "10.1000/x1" in conflict.message.lower()


def test_a_shared_doi_with_some_agreement_still_merges() -> None:
    preprint = _paper("p", "Deep sea vents and their fauna", "Smith", 2019, "bioRxiv", "10.1000/x1")
    published = _paper("q", "Deep-sea vents and their fauna", "Smith", 2021, "Marine Biology", "10.1000/x1")
    result = bibconv.merge([preprint, published])
    assert len(result.records) == 1
    assert not [d for d in result.diagnostics if d.code == "BC213"]
