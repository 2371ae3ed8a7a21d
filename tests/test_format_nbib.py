"""MEDLINE / PubMed tagged format: real exports, Zotero agreement, round trips, diagnostics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bibconv
from bibconv.registry import default_registry

from .ris_compare import compare, expected_items, ours

DATA = Path(__file__).parent / "data" / "formats" / "nbib"
SAMPLES = sorted(DATA.glob("*.nbib"))
ZOTERO = sorted(DATA.glob("zotero-*.nbib"))


def test_agreement_with_zoteros_medline_importer() -> None:
    """≥ 90 % of fields agree with Zotero; every difference is listed with its reason."""
    listed: dict[str, str] = json.loads((DATA / "disagreements.json").read_text(encoding="utf-8"))
    total, found = 0, {}
    for sample in ZOTERO:
        want = expected_items(DATA, sample.stem)
        assert want is not None
        got = [ours(r) for r in bibconv.read(sample).records]
        n, diffs = compare(got, want)
        total += n
        found.update({f"{sample.stem}:{d['record']}:{d['field']}": d for d in diffs})
    assert total >= 60
    assert 1 - len(found) / total >= 0.9
    assert sorted(found) == sorted(listed), {k: found.get(k) for k in set(found) ^ set(listed)}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_round_trips_exactly(sample: Path) -> None:
    records = bibconv.read(sample).records
    assert records
    written = bibconv.write(records, "nbib")
    assert bibconv.read(str(written), "nbib").records == records


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_is_detected_as_nbib(sample: Path) -> None:
    assert default_registry().choose_reader(sample.read_text(encoding="utf-8")) == "nbib"


def test_medline_fields() -> None:
    first = bibconv.read(DATA / "medline_test.nbib").records[0]
    assert first.type == "article-journal"
    assert first.text["PMID"] == "26524502"
    assert first.text["DOI"] == "10.1016/j.gene.2015.10.064"
    assert first.text["ISSN"] == "1879-0038"
    assert first.text["page"] == "466-475"  # MEDLINE's 466-75 in full
    assert first.text["container-title"] == "Gene"
    assert first.dates["issued"].start == (2016, 1, 15)
    assert [n.family for n in first.names["author"]] == ["Gadzalski", "Ciesielska", "Staczek"]
    assert first.extra["nbib:AID"] == "S0378-1119(15)01297-4 [pii]"
    assert first.text["keyword"] == "ABC transporters, Dermatophytes, Drug resistance, Phylogenetics"


def test_initials_get_points_and_au_is_used_without_fau() -> None:
    text = "PMID- 1\nTI  - T\nAU  - Fry MJ\nAU  - van Dyke B\nDP  - 2001 Spring\n"
    (rec,) = bibconv.read(text, "nbib").records
    assert [(n.family, n.given) for n in rec.names["author"]] == [("Fry", "M. J."), ("Dyke", "B.")]
    assert rec.dates["issued"].season == 1
    full = bibconv.read("PMID- 1\nFAU - Hiles, I D\nAU  - Hiles ID\n", "nbib").records[0]
    assert [(n.family, n.given) for n in full.names["author"]] == [("Hiles", "I. D.")]


def test_bad_lines_and_dates_are_reported_with_lines() -> None:
    text = "PMID- 1\nTI  - One\nnot a tag line\nDP  - sometime\n\nPMID- 2\nTI  - Two\n"
    result = bibconv.read(text, "nbib", file="x.nbib")
    assert [r.text["title"] for r in result.records] == ["One", "Two"]
    found = {(d.code, d.line) for d in result.diagnostics}
    assert ("BC116", 3) in found
    assert ("BC202", 4) in found
    assert result.records[0].dates["issued"].literal == "sometime"


def test_what_nbib_cannot_carry_goes_to_the_gn_catch_all() -> None:
    rec = bibconv.Record(
        id="key1",
        type="thesis",
        text={"title": "T", "URL": "https://example.org"},
        dates={"issued": bibconv.Date(start=(2020, 1), end=(2020, 3))},
    )
    out = bibconv.write([rec], "nbib")
    assert "GN  - bibconv-csl: " in out
    assert bibconv.read(str(out), "nbib").records == [rec]


def test_ris_is_not_taken_for_nbib() -> None:
    ris = "TY  - JOUR\nTI  - T\nAU  - Smith, J\nER  - \n"
    assert default_registry().choose_reader(ris) == "ris"


def test_docs_table_lists_every_mapped_tag() -> None:
    from bibconv.formats.nbib.mapping import NAME_TAGS, TEXT_TAGS

    doc = (Path(__file__).parent.parent / "docs" / "tagged-formats.md").read_text(encoding="utf-8")
    section = doc.split("## MEDLINE", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|") for line in section.splitlines() if line.startswith("|")]
    for tag, var in NAME_TAGS + TEXT_TAGS:
        row = next((r for r in rows if f"`{tag}`" in r[1]), None)
        assert row is not None and f"`{var}`" in row[2], (tag, var)
