"""MEDLINE (.nbib) against PubMed XML of the same records (issue 16's check for nbib).

Debian's bibutils has no MEDLINE tagged tools, so the independent reading of an
nbib record is NLM's own XML of it: the same three PubMed records in both forms
(tests/data/formats/nbib-pubmed-xml/SOURCES.md), read by bibconv's nbib and
PubMed XML readers and compared field by field.  Each disagreement is listed
with its reason in the folder's ``disagreements.json``; an unlisted one, or a
listed one that no longer happens, fails the test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import bibconv
from bibconv.ir import Record

DATA = Path(__file__).parent / "data" / "formats" / "nbib-pubmed-xml"
#: Every variable both formats carry for a journal article.
FIELDS = (
    "type",
    "title",
    "author",
    "container-title",
    "container-title-short",
    "volume",
    "issue",
    "page",
    "issued",
    "DOI",
    "ISSN",
    "PMID",
    "PMCID",
    "language",
    "abstract",
    "keyword",
    "publisher-place",
)


def _value(record: Record, var: str) -> Any:
    """The comparable form: names and dates whole; white space runs as one space
    (MEDLINE wraps lines; the XML reader puts a structured abstract's parts on lines)."""
    if var == "type":
        return record.type
    if var == "author":
        names = record.names.get(var)
        return [[n.family, n.given, n.literal] for n in names] if names else None
    if var == "issued":
        date = record.dates.get(var)
        return [date.start, date.end, date.literal] if date else None
    value = record.text.get(var)
    return " ".join(value.split()) if value is not None else None


def test_nbib_agrees_with_pubmed_xml_of_the_same_records() -> None:
    nbib = bibconv.read(DATA / "easypubmed.nbib", "nbib").records
    xml = bibconv.read(DATA / "easypubmed.xml", "pubmed-xml").records
    assert (
        [r.text["PMID"] for r in nbib]
        == [r.text["PMID"] for r in xml]
        == ["31572460", "31511849", "31411974"]
    )
    total, found = 0, {}
    for a, b in zip(nbib, xml, strict=True):
        for var in FIELDS:
            va, vb = _value(a, var), _value(b, var)
            if va is None and vb is None:
                continue
            total += 1
            if va != vb:
                found[f"{a.text['PMID']}:{var}"] = [va, vb]
    listed: dict[str, str] = json.loads((DATA / "disagreements.json").read_text(encoding="utf-8"))
    assert sorted(found) == sorted(listed), {k: found.get(k) for k in set(found) ^ set(listed)}
    assert all(reason.strip() for reason in listed.values())
    assert total >= 45
    assert 1 - len(found) / total >= 0.9, (total, found)
