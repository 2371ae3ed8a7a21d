"""EndNote tagged (refer): real samples, bibutils agreement, round trips, diagnostics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bibconv
from bibconv.registry import default_registry

from .formats_compare import bibutils_records, check_agreement, format_agreement

DATA = Path(__file__).parent / "data" / "formats" / "endnote"
SAMPLES = sorted(DATA.glob("*.enw"))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_reads_like_bibutils(sample: Path) -> None:
    result = bibconv.read(sample)
    assert result.records
    assert not [d for d in result.diagnostics if d.severity.name == "ERROR"]
    theirs = bibutils_records("end2xml", sample.read_bytes())
    check_agreement(DATA, f"read:{sample.name}", result.records, theirs)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_written_endnote_reads_back_in_bibutils(sample: Path) -> None:
    """bibutils reads bibconv's EndNote output as it reads the original export."""
    records = bibconv.read(sample).records
    written = str(bibconv.write(records, "endnote"))
    theirs_original = bibutils_records("end2xml", sample.read_bytes())
    theirs_ours = bibutils_records("end2xml", written.encode())
    check_agreement(DATA, f"write:{sample.name}", theirs_ours, theirs_original)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_round_trips_exactly(sample: Path) -> None:
    records = bibconv.read(sample).records
    again = bibconv.read(str(bibconv.write(records, "endnote")), "endnote").records
    assert again == records


def test_agreement_with_bibutils_over_all_samples() -> None:
    """≥ 90 % of the compared fields agree, reading and writing, over every sample."""
    results = []
    for sample in SAMPLES:
        records = bibconv.read(sample).records
        theirs = bibutils_records("end2xml", sample.read_bytes())
        results.append(check_agreement(DATA, f"read:{sample.name}", records, theirs))
        written = str(bibconv.write(records, "endnote")).encode()
        results.append(
            check_agreement(DATA, f"write:{sample.name}", bibutils_records("end2xml", written), theirs)
        )
    format_agreement(results)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_is_detected_as_endnote(sample: Path) -> None:
    assert default_registry().choose_reader(sample.read_text(encoding="utf-8")) == "endnote"


def test_fields_of_a_real_book() -> None:
    (rec,) = bibconv.read(DATA / "jabref-book.enw").records
    assert rec.type == "book"
    assert rec.text["ISBN"] == "978-3-86490-311-3"
    assert rec.text["edition"] == "3., aktualisierte und erweiterte Auflage"
    assert rec.text["call-number"] == "6H 1249(3)"
    assert [n.family for n in rec.names["author"]] == ["Preißel", "Stachmann"]
    assert rec.extra["endnote:%["] == "20151028"  # access date, not mapped: kept


def test_keywords_one_a_line_and_notes_keep_lines() -> None:
    text = "%0 Generic\n%T T\n%K alpha\nbeta\n%K gamma\n%Z first line\nsecond line\n"
    (rec,) = bibconv.read(text, "endnote").records
    assert rec.text["keyword"] == "alpha, beta, gamma"
    assert rec.text["note"] == "first line\nsecond line"
    assert rec.type == "document"


def test_problems_are_reported_with_lines() -> None:
    text = "stray text\n\n%0 Nonsense Type\n%T One\n%D someday\n\n%T Two\n%D 2020\n%8 Feb 30\n"
    result = bibconv.read(text, "endnote", file="x.enw")
    assert [r.text["title"] for r in result.records] == ["One", "Two"]
    found = {(d.code, d.line) for d in result.diagnostics}
    assert ("BC116", 1) in found  # text before any record
    assert ("BC200", 3) in found  # unknown %0
    assert ("BC202", 5) in found  # %D not a date
    assert ("BC136", 7) in found  # record without %0
    two = result.records[1]
    assert two.dates["issued"].start == (2020,) and two.extra["endnote:%8"] == "Feb 30"


def test_key_is_kept_in_f_and_the_rest_in_the_z_catch_all() -> None:
    rec = bibconv.Record(
        id="key1",
        type="chapter",
        text={"title": "T", "container-title": "Book", "references": "r"},
        dates={"issued": bibconv.Date(start=(2020,), circa=True)},
    )
    out = bibconv.write([rec], "endnote")
    assert "%F key1" in out and "%B Book" in out and "%Z bibconv-csl: " in out
    assert bibconv.read(str(out), "endnote").records == [rec]


def test_agreement_with_zoteros_refer_importer() -> None:
    """Zotero's Refer/BibIX importer on its own test cases: every difference is listed."""
    from .ris_compare import compare, expected_items, ours

    listed = json.loads((DATA / "disagreements.json").read_text(encoding="utf-8"))["zotero"]
    found = {}
    total = 0
    for sample in sorted(DATA.glob("zotero-*.enw")):
        want = expected_items(DATA, sample.stem)
        assert want is not None
        n, diffs = compare([ours(r) for r in bibconv.read(sample).records], want)
        total += n
        found.update({f"{sample.stem}:{d['record']}:{d['field']}": d for d in diffs})
    assert total >= 15
    assert sorted(found) == sorted(listed), {k: found.get(k) for k in set(found) ^ set(listed)}


def test_refer_without_type_line_gets_its_type_from_fields() -> None:
    records = bibconv.read("%T A\n%J J\n\n%T B\n%I Pub\n\n%T C\n", "endnote").records
    assert [r.type for r in records] == ["article-journal", "book", "document"]


def test_docs_table_lists_every_mapped_tag() -> None:
    from bibconv.formats.endnote.mapping import NAME_TAGS, TEXT_TAGS

    doc = (Path(__file__).parent.parent / "docs" / "tagged-formats.md").read_text(encoding="utf-8")
    section = doc.split("## EndNote", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|") for line in section.splitlines() if line.startswith("|")]
    for tag, var in NAME_TAGS + TEXT_TAGS:
        row = next((r for r in rows if f"`{tag}`" in r[1]), None)
        assert row is not None and f"`{var}`" in row[2], (tag, var)
