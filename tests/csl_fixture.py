"""Compare bibconv's BibTeX → CSL reading with ../shared/fixtures/bibtex-to-csl, entry by entry.

Four things are compared: type, title, authors and issued.  Titles are
compared as plain text (markup removed, whitespace collapsed, NFC); for
pandoc also ignoring case and apostrophe style, because pandoc sentence-cases
English titles and curls apostrophes by design.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from bibconv.formats.bibtex.reader import read_bibtex
from bibconv.formats.csljson.writer import record_to_item
from bibconv.richtext import to_plain
from bibconv.textio import decode

ASPECTS = ("type", "title", "author", "issued")
#: Cases whose input is not BibTeX at all (pandoc-7894 reads RIS).
NOT_BIBTEX = frozenset({"pandoc-7894"})


def _title(value: Any, loose: bool) -> str | None:
    if not value:
        return None
    text = unicodedata.normalize("NFC", " ".join(to_plain(str(value)).split()))
    if loose:
        text = text.replace("’", "'").replace("‘", "'").casefold()
    return text


def _authors(value: Any) -> list[tuple[str | None, str | None]] | None:
    if not value:
        return None
    out = []
    for n in value:
        family = " ".join(
            p for p in (n.get("non-dropping-particle"), n.get("dropping-particle"), n.get("family")) if p
        )
        family = family or n.get("literal")
        out.append(
            (
                unicodedata.normalize("NFC", family) if family else None,
                unicodedata.normalize("NFC", n["given"]) if n.get("given") else None,
            )
        )
    return out


def _issued(value: Any, csl_years: bool) -> list[list[int]] | None:
    """Date parts; seasons-as-months (13–24) dropped, BCE years in EDTF numbering.

    CSL has two encodings of a season (``season`` or a pseudo-month) and
    CSL years have no year 0 (pandoc writes 877 BC as -877) while the IR keeps
    EDTF years (-0876); both are representation differences, not disagreements.
    """
    if not value or "date-parts" not in value:
        return None
    rows = []
    for row in value["date-parts"]:
        nums = [int(x) for x in row]
        if len(nums) >= 2 and nums[1] > 12:
            nums = nums[:1]
        if csl_years and nums and nums[0] < 0:
            nums[0] += 1
        rows.append(nums)
    return rows


def compare_item(got: dict[str, Any] | None, exp: dict[str, Any], loose: bool) -> list[str]:
    """The aspects on which ``got`` differs from ``exp`` (empty: they agree)."""
    if got is None:
        return ["missing"]
    bad = []
    if got.get("type") != exp.get("type"):
        bad.append("type")
    if _title(got.get("title"), loose) != _title(exp.get("title"), loose):
        bad.append("title")
    if _authors(got.get("author")) != _authors(exp.get("author")):
        bad.append("author")
    if _issued(got.get("issued"), False) != _issued(exp.get("issued"), loose):
        bad.append("issued")
    return bad


def run(folder: Path) -> dict[str, dict[str, list[str]]]:
    """{source: {case/entry: [differing aspects]}} for every expected entry."""
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    out: dict[str, dict[str, list[str]]] = {}
    for case in index:
        if case["name"] in NOT_BIBTEX:
            continue
        source = "pandoc" if case["name"].startswith("pandoc") else "citation-js"
        text, _ = decode((folder / case["input"]).read_bytes())
        expected = json.loads((folder / case["expected"]).read_text(encoding="utf-8"))
        result = read_bibtex(text)  # one reader for both dialects
        items = {r.id: record_to_item(r) for r in result.records}
        for exp in expected:
            got = items.get(str(exp.get("id")))
            out.setdefault(source, {})[f"{case['name']}/{exp.get('id')}"] = compare_item(
                got, exp, loose=source == "pandoc"
            )
    return out
