"""bibconv Records → the processor's CSL-JSON items: the data facts, not rendering.

The IR already speaks CSL and :func:`bibconv.formats.csljson.writer.record_to_item`
spells it out (the IR's ``truncated`` name lists travel in ``custom`` and the
processor prints "et al." for them).  What a reader leaves in the source's own
vocabulary, and what a style cannot know, is settled here once, so that every
output path (bibliography, citations, the CLI) sees the same items:

* **biblatex type keys.**  biblatex's ``type`` field holds localisation keys
  (``phdthesis``, ``mathesis``, ``techreport``, ``patentus`` ...) that biblatex
  prints in the document's language; as CSL ``genre`` they would print raw
  (``[Phdthesis]``).  They become the words biblatex and pandoc print
  ("PhD thesis", "Master's thesis"), in the rendering locale's language where
  bibconv knows it, English otherwise.
* **``event``.**  CSL 1.0.2 calls it ``event-title``, the IR too; most styles
  (CSL 1.0.1: APA, IEEE, Chicago, MLA ...) still ask for ``event``, so the item
  carries both names.
* **``@set``** groups other entries (``entryset``); it is not a work of its
  own, so it is not an item: its members are.  A BC127 note says so (a warning when a member is missing).
* **nothing to cite.**  A record with no title, no name, no date, no
  container, no identifier (a listing line that was only an abstract) would
  print as a bare ``(n.d.).``; it gets BC450 and, unless asked otherwise, is
  left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from bibconv.diagnostics import Diagnostic, Severity
from bibconv.ir import Record, set_members

__all__ = ["Items", "genre_text", "has_something_to_cite", "records_to_items"]

#: biblatex localisation keys (the ``type`` field) → the words biblatex's language
#: modules print.  English is the fallback; other languages where known.
_GENRES: dict[str, dict[str, str]] = {
    "en": {
        "phdthesis": "PhD thesis",
        "mathesis": "Master\u2019s thesis",
        "candthesis": "Candidate thesis",
        "techreport": "technical report",
        "resreport": "research report",
        "software": "computer software",
        "datacd": "CD-ROM",
        "audiocd": "audio CD",
        "patentus": "U.S. patent",
        "patenteu": "European patent",
        "patentfr": "French patent",
        "patentde": "German patent",
        "patentuk": "British patent",
        "patreq": "patent request",
        "patrequs": "U.S. patent request",
        "patreqeu": "European patent request",
        "patreqfr": "French patent request",
        "patreqde": "German patent request",
        "patrequk": "British patent request",
    },
    "de": {
        "phdthesis": "Dissertation",
        "mathesis": "Masterarbeit",
        "techreport": "Technischer Bericht",
        "resreport": "Forschungsbericht",
    },
    "fr": {
        "phdthesis": "thèse de doctorat",
        "mathesis": "mémoire de master",
        "techreport": "rapport technique",
        "resreport": "rapport scientifique",
    },
}

#: Text variables any one of which (with a name or a date) makes a record citable.  An
#: identifier alone (URL, DOI) is not: it prints as ``(n.d.). Retrieved https://...``.
_CITABLE_TEXT = frozenset({"title", "title-short", "container-title", "collection-title", "event-title"})


def genre_text(value: str, locale: str | None = None) -> str:
    """The printed words for a biblatex type key (``phdthesis`` → ``PhD thesis``); other values as given."""
    key = value.strip().lower()
    lang = (locale or "en").split("-")[0].lower()
    table = _GENRES.get(lang, {})
    return table.get(key) or _GENRES["en"].get(key) or value


def has_something_to_cite(record: Record) -> bool:
    """True when the record has a title, a name, a date or a container."""
    if any(record.names.values()) or record.dates:
        return True
    return any(record.text.get(v) for v in _CITABLE_TEXT)


@dataclass(frozen=True, slots=True)
class Items:
    """The items for the processor, the records they came from, and what was said about them."""

    items: list[dict[str, Any]]
    records: dict[str, Record]  # item id → record
    diagnostics: list[Diagnostic]
    #: ``@set`` id → the ids of its members (citing a set cites them).
    sets: dict[str, tuple[str, ...]]


def _where(record: Record, code: str, message: str) -> Diagnostic:
    span = record.span
    return Diagnostic.make(
        code,
        message,
        file=span.file if span else None,
        line=span.line if span else None,
        column=span.column if span else None,
        record_id=record.id,
    )


def _set_note(record: Record, members: tuple[str, ...], present: set[str]) -> Diagnostic:
    """BC127: a set is a grouping, not a work; a warning when a member is missing."""
    missing = [m for m in members if m not in present]
    message = (
        f"{record.id!r} is a set (a grouping of {', '.join(members) or 'no entries'}), "
        "not a work: its members are listed, the set itself is not"
    )
    if missing:
        message += f"; members not in the input: {', '.join(missing)}"
    span = record.span
    return Diagnostic.make(
        "BC127",
        message,
        severity=Severity.WARNING if missing else None,
        file=span.file if span else None,
        line=span.line if span else None,
        column=span.column if span else None,
        record_id=record.id,
    )


def records_to_items(
    records: Iterable[Record],
    *,
    locale: str | None = None,
    empty: Literal["omit", "print"] = "omit",
) -> Items:
    """CSL-JSON items for ``records`` with the data facts above settled.

    ``empty`` decides what happens to a record with nothing to cite: ``"omit"``
    (default) leaves it out, ``"print"`` keeps it; BC450 is reported either way.
    A second record with an id already seen is formatted too, under a private
    id (``records`` maps every item id back to its record), and reported as BC452.
    """
    items: list[dict[str, Any]] = []
    by_id: dict[str, Record] = {}
    diags: list[Diagnostic] = []
    sets: dict[str, tuple[str, ...]] = {}
    from bibconv.formats.csljson.writer import record_to_item

    records = list(records)
    present = {r.id for r in records}
    for record in records:
        members = set_members(record)
        if members is not None:
            sets[record.id] = members
            diags.append(_set_note(record, members, present))
            continue
        if not has_something_to_cite(record):
            kept = "printed as asked" if empty == "print" else "left out"
            diags.append(
                _where(
                    record,
                    "BC450",
                    f"{record.id!r} has nothing to cite (no title, name, date or container); {kept}",
                )
            )
            if empty != "print":
                continue
        item = record_to_item(record)
        if record.id in by_id:
            n = 2
            while f"{record.id}\u2060{n}" in by_id:  # an invisible joiner never comes from a reader
                n += 1
            item["id"] = f"{record.id}\u2060{n}"
            diags.append(
                _where(
                    record,
                    "BC452",
                    f"another record has the id {record.id!r}; both are formatted, citations cite the first",
                )
            )
        genre = item.get("genre")
        if isinstance(genre, str):
            item["genre"] = genre_text(genre, locale)
        # CSL 1.0.2 renamed ``event`` to ``event-title``; most styles still say ``event``
        if "event-title" in item and "event" not in item:
            item["event"] = item["event-title"]
        items.append(item)
        by_id[str(item["id"])] = record
    return Items(items, by_id, diags, sets)
