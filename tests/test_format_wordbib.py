"""Word bibliography XML: JabRef's MSBib test files, bibutils comparison, round trips, safety."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import bibconv
from bibconv.formats.xml import elements_named, local, parse
from bibconv.ir import Date, Name, Record
from bibconv.registry import default_registry

from .formats_compare import bibutils_records, field_value

DATA = Path(__file__).parent / "data" / "formats" / "wordbib"
SAMPLES = sorted(DATA.glob("*.xml"))


def _bibutils_fields(source: Any, table: dict[str, str]) -> list[str]:
    """The CSL variables of ``source`` (a ``b:Source``) that bibutils reads: its elements in ``table``."""
    return sorted({table[local(el)] for el in source if local(el) in table})


def _agreement(
    xml: bytes, ours: list[Record], table: dict[str, str], ignored: dict[str, str]
) -> tuple[int, dict[str, Any]]:
    """(fields both read, {"<index>:<var>": [ours, bibutils]}) for one Word file."""
    root, problems = parse(xml.decode("utf-8"), None, "BC141")
    assert not problems
    sources = list(elements_named(root, "Source"))
    theirs = bibutils_records("wordbib2xml", xml)
    assert len(sources) == len(ours) == len(theirs)
    total, differ = 0, {}
    for n, (source, a, b) in enumerate(zip(sources, ours, theirs, strict=True)):
        unknown = {local(el) for el in source} - set(table) - set(ignored)
        assert not unknown, f"elements neither compared nor listed as ignored by bibutils: {unknown}"
        for var in _bibutils_fields(source, table):
            total += 1
            va = a.id if var == "id" else field_value(a, var)
            vb = b.id if var == "id" else field_value(b, var)
            if va != vb:
                differ[f"{n}:{var}"] = [va, vb]
    return total, differ


def test_agreement_with_bibutils_over_the_fields_it_reads() -> None:
    """bibutils' wordbib2xml on the samples, and on bibconv's Word XML of them.

    bibutils reads eight Word elements (disagreements.json ``bibutils_reads``, from its
    wordin.c); every other element in the files must be listed in ``bibutils_ignores``
    with the source line that shows it is not read.  Over the fields both read, at least
    90 % agree and each disagreement is listed with its reason.
    """
    listed = json.loads((DATA / "disagreements.json").read_text(encoding="utf-8"))
    table, ignored = listed["bibutils_reads"], listed["bibutils_ignores"]
    assert all(reason.strip() for reason in ignored.values())
    total, found = 0, {}
    for sample in SAMPLES:
        records = bibconv.read(sample).records
        t, d = _agreement(sample.read_bytes(), records, table, ignored)
        written = str(bibconv.write(records, "wordbib")).encode()
        tw, dw = _agreement(written, records, table, ignored)
        total += t + tw
        found.update({f"read:{sample.name}:{k}": v for k, v in d.items()})
        found.update({f"write:{sample.name}:{k}": v for k, v in dw.items()})
    assert total >= 15
    assert sorted(found) == sorted(listed["disagree"]), found
    assert all(reason.strip() for reason in listed["disagree"].values())
    assert 1 - len(found) / total >= 0.9


def test_bibutils_reads_word_persons_only_with_text_in_author() -> None:
    """The reason given for persons: the same source with text inside <b:Author> gets its author read."""
    source = (DATA / "MsBibPatent.xml").read_text(encoding="utf-8")
    (plain,) = bibutils_records("wordbib2xml", source.encode())
    (texted,) = bibutils_records(
        "wordbib2xml", source.replace("<b:Author>\n<b:Author>", "<b:Author>x\n<b:Author>", 1).encode()
    )
    assert "author" not in plain.names
    assert [n.family for n in texted.names["author"]] == ["Lincoln"]


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
