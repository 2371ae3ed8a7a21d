"""Field-by-field agreement between bibconv and bibutils on the formats/ samples.

bibutils reads a sample into MODS (``isi2xml``, ``end2xml``, …) and writes
that as RIS (``xml2ris``); bibconv's RIS reader turns the RIS into records.
That is an independent parse of the sample (bibutils' own tag tables), so
comparing it with bibconv's reading of the same file shows where the two
disagree.  Each known disagreement is listed, with its reason, in the
sample folder's ``disagreements.json``; the test fails on an unlisted one
and on a listed one that no longer happens.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest

import bibconv
from bibconv.ir import Record

#: Fields compared: what every format of the family carries and bibutils maps.
FIELDS = (
    "title",
    "author",
    "editor",
    "container-title",
    "volume",
    "issue",
    "page",
    "issued",
    "DOI",
    "ISSN",
    "ISBN",
    "publisher",
    "language",
    "abstract",
)


def bibutils(tool: str, data: bytes) -> str:
    """``tool | xml2ris`` on ``data``; skips the test when bibutils is absent."""
    if shutil.which(tool) is None or shutil.which("xml2ris") is None:
        pytest.skip(f"bibutils ({tool}, xml2ris) is not installed")
    mods = subprocess.run([tool], input=data, capture_output=True, check=True, timeout=60).stdout
    ris = subprocess.run(["xml2ris"], input=mods, capture_output=True, check=True, timeout=60).stdout
    return ris.decode("utf-8")


def bibutils_records(tool: str, data: bytes) -> list[Record]:
    """The records bibutils reads from ``data`` (through MODS and RIS)."""
    return bibconv.read(bibutils(tool, data), "ris").records


def _norm(text: str) -> str:
    folded = unicodedata.normalize("NFC", text).replace("\u2013", "-")
    return " ".join(folded.split()).casefold().rstrip(".")


def field_value(record: Record, var: str) -> Any:
    """A comparable form of one variable (None when absent)."""
    if var in ("author", "editor"):
        names = record.names.get(var)
        if not names:
            return None
        return [_norm(n.literal or n.family or "") for n in names]
    if var == "container-title":
        # Which title of the journal a tool calls the container and which the short
        # one differs (bibutils' RIS puts an abbreviation in T2): the pair is compared.
        pair = {record.text.get("container-title"), record.text.get("container-title-short")}
        return sorted({_norm(t) for t in pair if t}) or None
    if var == "issued":
        date = record.dates.get(var)
        return date.year if date is not None else None
    value = record.text.get(var)
    return _norm(value) if value is not None else None


def compare(ours: list[Record], theirs: list[Record]) -> tuple[int, dict[str, list[Any]]]:
    """(fields compared, {"<index>:<field>": [ours, theirs]} for each disagreement).

    A field counts when either side has it; records are matched by position.
    """
    assert len(ours) == len(theirs), (len(ours), len(theirs))
    total = 0
    differ: dict[str, list[Any]] = {}
    for n, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        for var in FIELDS:
            va, vb = field_value(a, var), field_value(b, var)
            if va is None and vb is None:
                continue
            total += 1
            if va != vb:
                differ[f"{n}:{var}"] = [va, vb]
    return total, differ


def check_agreement(folder: Path, label: str, ours: list[Record], theirs: list[Record]) -> tuple[int, int]:
    """(fields compared, fields that differ); asserts the differences are exactly the listed ones.

    The ≥ 90 % threshold applies to a format's samples together (see
    :func:`format_agreement`): one small sample with one listed difference
    may fall below it on its own.
    """
    total, differ = compare(ours, theirs)
    listed: dict[str, str] = json.loads((folder / "disagreements.json").read_text(encoding="utf-8")).get(
        label, {}
    )
    assert total > 0
    assert sorted(differ) == sorted(listed), {k: differ.get(k) for k in set(differ) ^ set(listed)}
    assert all(reason.strip() for reason in listed.values())
    return total, len(differ)


def format_agreement(results: list[tuple[int, int]]) -> float:
    """The share of compared fields that agree over all of a format's samples; asserts ≥ 90 %."""
    total = sum(t for t, _ in results)
    differ = sum(d for _, d in results)
    agreement = 1 - differ / total
    assert agreement >= 0.9, (agreement, total, differ)
    return agreement
