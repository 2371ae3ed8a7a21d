"""Word bibliography XML: JabRef's MSBib test files, bibutils comparison, round trips, safety."""

from __future__ import annotations

from pathlib import Path

import pytest

import bibconv
from bibconv.ir import Date, Name, Record
from bibconv.registry import default_registry

from .formats_compare import bibutils_records, check_agreement

DATA = Path(__file__).parent / "data" / "formats" / "wordbib"
SAMPLES = sorted(DATA.glob("*.xml"))


def test_differences_from_bibutils_are_the_listed_ones() -> None:
    """bibutils' wordbib2xml reads few Word elements (no Year, Issue, StandardNumber or
    persons in these files), so no share is asserted; every difference is listed with
    its reason, both for the samples and for bibconv's Word XML of them."""
    for sample in SAMPLES:
        records = bibconv.read(sample).records
        theirs = bibutils_records("wordbib2xml", sample.read_bytes())
        check_agreement(DATA, f"read:{sample.name}", records, theirs)
        written = str(bibconv.write(records, "wordbib")).encode()
        check_agreement(DATA, f"write:{sample.name}", bibutils_records("wordbib2xml", written), theirs)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_round_trips_natively_and_is_detected(sample: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    records = bibconv.read(text, "wordbib").records
    assert records
    written = str(bibconv.write(records, "wordbib"))
    assert "BibconvCsl" not in written  # Word's own elements (LCID, Guid, …) are written back as such
    assert bibconv.read(written, "wordbib").records == records
    assert default_registry().choose_reader(text) == "wordbib"


def test_fields_of_the_samples() -> None:
    (section,) = bibconv.read(DATA / "MsBibImporterTest4.xml").records
    assert (section.id, section.type) == ("raey", "chapter")
    assert section.text["ISSN"] == "0937-6429"  # ":ISSN:" prefix as JabRef writes it
    assert section.dates["issued"].start == (2002,)
    (misc,) = bibconv.read(DATA / "MsBibImporterTestTranslator.xml").records
    assert misc.dates["issued"].start == (2016, 7, 1) and misc.dates["accessed"].start == (2018, 7, 1)
    assert misc.names["translator"][0].family == "TestÜbersetzer"
    assert misc.names["author"][0].literal is not None  # <b:Corporate>
    (patent,) = bibconv.read(DATA / "MsBibPatent.xml").records
    assert (patent.type, patent.text["number"]) == ("patent", "12345677")


def test_written_source_shape() -> None:
    rec = Record(
        id="Doe20",
        type="article-journal",
        text={"title": "T", "container-title": "J", "volume": "3", "page": "5-9"},
        names={"author": (Name(family="Doe", given="Jane"),), "editor": (Name(literal="ACME Group"),)},
        dates={"issued": Date(start=(2020, 5))},
    )
    out = str(bibconv.write([rec], "wordbib"))
    assert "<b:Sources " in out and "<b:SourceType>JournalArticle</b:SourceType>" in out
    assert "<b:JournalName>J</b:JournalName>" in out and "<b:Corporate>ACME Group</b:Corporate>" in out
    assert "BibconvCsl" not in out
    assert bibconv.read(out, "wordbib").records == [rec]


def test_unknown_source_type_and_broken_xml() -> None:
    text = (
        '<b:Sources xmlns:b="http://schemas.openxmlformats.org/officeDocument/2006/bibliography">\n'
        "<b:Source><b:Tag>a</b:Tag><b:SourceType>Hologram</b:SourceType><b:Title>A</b:Title></b:Source>\n"
        "<b:Source><b:Tag>b</b:Tag><b:Title>B &bad;</b:Title></b:Source>\n"
        "</b:Sources>\n"
    )
    result = bibconv.read(text, "wordbib", file="s.xml")
    assert [r.id for r in result.records] == ["a", "b"]
    codes = {(d.code, d.line) for d in result.diagnostics}
    assert ("BC200", 2) in codes
    assert any(code == "BC141" and line == 3 for code, line in codes)
