"""Records → citeproc-py's bibliography source.

The IR already speaks CSL, so the mapping is mostly spelling (``container-title``
→ ``container_title``).  Three things need care:

* **ids.**  citeproc-py lowercases every item key, so ``Smith2020`` and
  ``smith2020`` would collide.  The adapter gives each record a private,
  unique lowercase key and keeps the map back to the record; the IR is never
  touched.
* **rich text.**  citeproc-py understands only ``<span class="nocase">``; the
  IR also has italics, bold, super/subscript and small caps.  Those become
  private-use marker characters (see :mod:`bibconv.citation.markup`) that
  survive case changes and are turned into each output format's own markup at
  the very end.  Nocase spans become citeproc-py's ``NoCase`` strings.
* **unknown variables.**  citeproc-py warns (slowly) about variables it does
  not know; those are left out here, since no style it can run refers to them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bibconv.citation.markup import MARK_CLOSE, MARK_OPEN
from bibconv.ir import Date, Name, Record
from bibconv.richtext import tokens

__all__ = ["SourceMap", "build_source", "rich_to_citeproc"]

_NAME_KEYS = (
    ("family", "family"),
    ("given", "given"),
    ("dropping_particle", "dropping-particle"),
    ("non_dropping_particle", "non-dropping-particle"),
    ("suffix", "suffix"),
)


def _citeproc() -> Any:
    import citeproc
    import citeproc.source as source
    import citeproc.string as cstring

    return citeproc, source, cstring


# A straight apostrophe inside or before a number becomes a typographic one, as
# citeproc-js prints it ("NEVIS’22", "FAccT ’25", "Goethe’s").
_APOSTROPHE = re.compile(r"(?<=\w)'|'(?=\d)")


_PROTECTING = frozenset({"sc", "sup", "sub"})


def rich_to_citeproc(text: str) -> Any:
    """IR rich text → a citeproc-py ``MixedString`` of ``String``/``NoCase`` runs.

    Formatting tags become marker characters inside the runs; a nocase span
    (and small caps, which must not change case either) becomes ``NoCase``.
    """
    _, _, cs = _citeproc()
    if "'" in text:
        text = _APOSTROPHE.sub("\u2019", text)
    if "<" not in text:
        return cs.MixedString([cs.String(text)])
    parts: list[Any] = []
    protect = 0
    for tok in tokens(text):
        if tok.kind == "text":
            parts.append(cs.NoCase(tok.value) if protect else cs.String(tok.value))
        elif tok.value == "nocase":
            protect += 1 if tok.kind == "open" else -1
        else:
            mark = MARK_OPEN[tok.value] if tok.kind == "open" else MARK_CLOSE[tok.value]
            # citeproc-js never changes case inside small caps, super- or subscript
            if tok.value in _PROTECTING and tok.kind == "close":
                protect -= 1
            parts.append(cs.NoCase(mark) if protect else cs.String(mark))
            if tok.value in _PROTECTING and tok.kind == "open":
                protect += 1
    return cs.MixedString(parts)


def _name(name: Name) -> Any:
    _, source, _ = _citeproc()
    if name.literal is not None:
        return source.Name(literal=_APOSTROPHE.sub("\u2019", name.literal))
    args = {
        key: _APOSTROPHE.sub("\u2019", getattr(name, attr)) for attr, key in _NAME_KEYS if getattr(name, attr)
    }
    if not args:
        return source.Name(literal="")
    return source.Name(**args)


def _single(parts: tuple[int, ...], season: int | None) -> dict[str, int]:
    args: dict[str, int] = {"year": parts[0]}
    if len(parts) > 1:
        args["month"] = parts[1]
    if len(parts) > 2:
        args["day"] = parts[2]
    if season is not None and len(parts) == 1:
        args["season"] = season
    return args


def _date(date: Date) -> Any:
    _, source, _ = _citeproc()
    if date.start is None:
        if date.literal is None:
            return None
        return source.LiteralDate(date.literal, circa=date.circa)
    if date.end is not None:
        return source.DateRange(
            begin=source.Date(**_single(date.start, None)),
            end=source.Date(**_single(date.end, None)),
            circa=date.circa,
        )
    return source.Date(circa=date.circa, **_single(date.start, date.season))


@dataclass(slots=True)
class SourceMap:
    """The citeproc-py source plus the way back from its keys to the records."""

    source: Any
    keys: list[str] = field(default_factory=list)  # citeproc key per record, in input order
    records: dict[str, Record] = field(default_factory=dict)  # citeproc key → record


def _unique_key(record_id: str, taken: set[str]) -> str:
    base = record_id.lower() or "item"
    key = base
    n = 1
    while key in taken:
        n += 1
        key = f"{base}\u2060{n}"  # an invisible joiner can never come from a reader
    taken.add(key)
    return key


def build_source(records: Sequence[Record]) -> SourceMap:
    """A citeproc-py ``BibliographySource`` holding ``records`` (never mutates them)."""
    _, source, _ = _citeproc()
    bib = source.BibliographySource()
    out = SourceMap(bib)
    taken: set[str] = set()
    for record in records:
        key = _unique_key(record.id, taken)
        data: dict[str, Any] = {}
        for var, value in record.text.items():
            pkey = var.replace("-", "_")
            data[pkey] = value if pkey == "language" else rich_to_citeproc(value)
        if "event-title" in record.text and "event" not in data:
            data["event"] = data["event_title"]  # CSL 1.0.1 styles call it "event"
        for var, names in record.names.items():
            if names:
                data[var.replace("-", "_")] = converted_names = [_name(n) for n in names]
                if "-" in var:  # cs:names looks roles up as spelled in the style
                    data[var] = converted_names
        for var, date in record.dates.items():
            converted = _date(date)
            if converted is not None:
                data[var.replace("-", "_")] = converted
        # Reference() warns about every CSL 1.0.2 variable citeproc-py does not
        # list, slowly; the styles may still use them, so build it directly.
        ref = source.Reference.__new__(source.Reference)
        dict.__init__(ref, data)
        ref["key"] = key
        ref["type"] = record.type
        bib.add(ref)
        out.keys.append(key)
        out.records[key] = record
    return out
