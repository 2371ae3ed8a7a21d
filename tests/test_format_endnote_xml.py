"""EndNote XML: Zotero's EndNote XML test files, bibutils and Zotero agreement, styled runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bibconv
from bibconv.ir import Date, Name, Record
from bibconv.registry import default_registry

from .formats_compare import bibutils_records, check_agreement, format_agreement

DATA = Path(__file__).parent / "data" / "formats" / "endnote-xml"
SAMPLES = sorted(DATA.glob("*.xml"))


def test_agreement_with_bibutils_over_all_samples() -> None:
    """bibutils (``endx2xml``) reads the samples, and bibconv's EndNote XML of them, as bibconv does."""
    results = []
    for sample in SAMPLES:
        records = bibconv.read(sample).records
        theirs = bibutils_records("endx2xml", sample.read_bytes())
        results.append(check_agreement(DATA, f"read:{sample.name}", records, theirs))
        written = str(bibconv.write(records, "endnote-xml")).encode()
        results.append(
            check_agreement(DATA, f"write:{sample.name}", bibutils_records("endx2xml", written), theirs)
        )
    format_agreement(results)


def test_agreement_with_zoteros_importer() -> None:
    """Zotero's EndNote XML importer on its own test cases: ≥ 90 % of fields agree, the rest listed."""
    from .ris_compare import compare, expected_items, ours

    listed = json.loads((DATA / "disagreements.json").read_text(encoding="utf-8"))["zotero"]
    total, found = 0, {}
    for sample in SAMPLES:
        want = expected_items(DATA, sample.stem)
        assert want is not None
        n, diffs = compare([ours(r) for r in bibconv.read(sample).records], want)
        total += n
        found.update({f"{sample.stem}:{d['record']}:{d['field']}": d for d in diffs})
    assert total >= 40
    assert 1 - len(found) / total >= 0.9
    assert sorted(found) == sorted(listed), {k: found.get(k) for k in set(found) ^ set(listed)}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_round_trips_and_is_detected(sample: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    records = bibconv.read(text, "endnote-xml").records
    assert records
    assert bibconv.read(str(bibconv.write(records, "endnote-xml")), "endnote-xml").records == records
    assert default_registry().choose_reader(text) == "endnote-xml"


def test_styled_runs_become_csl_markup_and_back() -> None:
    (rec,) = bibconv.read(DATA / "zotero-1.xml").records
    title = rec.text["title"]
    assert "<b>Bold</b>" in title and "<sub>Subscript</sub>" in title
    assert "<b><i><sup>TimesNewRoman-Bold-Italics-Underline-Superscript</sup></i></b>" in title
    out = str(bibconv.write([rec], "endnote-xml"))
    assert '<style face="bold italic superscript" font="default" size="100%">' in out
    assert "bibconv-csl" not in out


def test_written_record_shape() -> None:
    rec = Record(
        id="k1",
        type="article-journal",
        text={"title": "T", "container-title": "J", "issue": "2", "page": "5-9", "DOI": "10.1/x"},
        names={"author": (Name(family="Doe", given="Jane"),), "editor": (Name(family="Roe", given="R."),)},
        dates={"issued": Date(start=(2020, 5, 17))},
    )
    out = str(bibconv.write([rec], "endnote-xml"))
    assert '<ref-type name="Journal Article">17</ref-type>' in out
    assert "<label>" in out and "<secondary-authors>" in out and "<pub-dates>" in out
    assert bibconv.read(out, "endnote-xml").records == [rec]


def test_broken_xml_and_unknown_type_are_reported() -> None:
    text = (
        "<xml><records>\n"
        '<record><ref-type name="Nonsense">99</ref-type><titles><title>One</title></titles></record>\n'
        "<record><titles><title>Two <unclosed></title></titles></record>\n"
        "</records></xml>\n"
    )
    result = bibconv.read(text, "endnote-xml", file="x.xml")
    assert [r.text.get("title", "")[:3] for r in result.records][:1] == ["One"]
    codes = {(d.code, d.line) for d in result.diagnostics}
    assert ("BC200", 2) in codes
    assert any(code == "BC141" and line == 3 for code, line in codes)


def test_catch_all_keeps_runs_of_spaces() -> None:
    """Regression: the catch-all's JSON was read as styled text (spaces collapsed, markup made runs)."""
    rec = Record(
        id="k", type="book", text={"title": "T", "annote": "an <i>x</i>"}, extra={"b:s": "a\n      b"}
    )
    assert bibconv.read(str(bibconv.write([rec], "endnote-xml")), "endnote-xml").records == [rec]
