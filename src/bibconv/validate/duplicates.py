"""Duplicate records across all the files validated together.

Two records are the same work when they share a DOI, an arXiv id, or a
normalised title (case, accents, markup and punctuation removed, via
:func:`bibconv.identifiers.normalise_title` — the same keys merging uses)
*and* do not disagree on the year or the first author's family name: "Exercise
and mental health" by two teams in two years is two papers, and a reprint
with a new year is a record of its own.
Each finding names both places, so the user can pick which one to keep.
Very short titles ("Introduction", "Preface") are not compared: they match
by accident far more often than by identity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from bibconv.diagnostics import Diagnostic
from bibconv.identifiers import normalise_arxiv, normalise_doi, normalise_title
from bibconv.ir import Record
from bibconv.validate.rule import Context, collection_rule

#: Normalised titles shorter than this are not used to match records.
MIN_TITLE_CHARS = 16


def _where(record: Record) -> str:
    span = record.span
    if span is None:
        return repr(record.id)
    place = span.file or "<input>"
    if span.line is not None:
        place += f":{span.line}"
    return f"{record.id!r} at {place}"


def _at(record: Record) -> dict[str, Any]:
    """file/line/column/record_id keyword arguments for a finding about ``record``."""
    span = record.span
    return {
        "file": span.file if span else None,
        "line": span.line if span else None,
        "column": span.column if span else None,
        "record_id": record.id,
    }


def _doi(r: Record) -> str | None:
    value = r.get("DOI")
    return normalise_doi(value) if value else None


def _arxiv(r: Record) -> str | None:
    value = r.get("arxiv")
    return normalise_arxiv(value) if value else None


def _title(r: Record) -> str | None:
    value = r.get("title")
    if not value:
        return None
    key = normalise_title(value)
    return key if len(key) >= MIN_TITLE_CHARS else None


_KEYS: tuple[tuple[str, Callable[[Record], str | None]], ...] = (
    ("DOI", _doi),
    ("arXiv id", _arxiv),
    ("title", _title),
)


def _same_place(a: Record, b: Record) -> bool:
    fa = a.span.file if a.span else None
    fb = b.span.file if b.span else None
    return a.id == b.id and fa == fb


def _first_family(r: Record) -> str | None:
    for var in ("author", "editor"):
        names = r.names.get(var)
        if names:
            first = names[0]
            return normalise_title(first.family or first.literal or "") or None
    return None


#: What tells apart the volumes (and parts) of one multi-volume work that share its title.
_DISTINGUISHING = ("volume", "volume-title", "part-number", "part-title")


def _same_volume(a: Record, b: Record) -> bool:
    """Equal volume, part and own title (or none of them): separate volumes are not duplicates.

    A biblatex volume is read with the work's ``maintitle`` as its title, so
    every volume of "Computers & Typesetting" has that title; volume ``A``,
    volume ``B`` and the whole work (no volume) are three different books.
    """
    if any(a.text.get(var) != b.text.get(var) for var in _DISTINGUISHING):
        return False
    return a.extra.get("bibtex:part") == b.extra.get("bibtex:part")


def _compatible(a: Record, b: Record) -> bool:
    """Same year and same first author, where both records say (a title match needs more)."""
    if not _same_volume(a, b):
        return False
    ya, yb = a.dates.get("issued"), b.dates.get("issued")
    if (
        ya is not None
        and yb is not None
        and ya.year is not None
        and yb.year is not None
        and ya.year != yb.year
    ):
        return False
    fa, fb = _first_family(a), _first_family(b)
    return fa is None or fb is None or fa == fb


_PARTS = frozenset({"chapter", "paper-conference", "entry", "entry-dictionary", "entry-encyclopedia"})


def _part_of_same_volume(a: Record, b: Record) -> bool:
    """Chapters often carry their book's DOI: differently titled parts are not duplicates."""
    ta, tb = a.get("title"), b.get("title")
    if not ta or not tb or normalise_title(ta) == normalise_title(tb):
        return False
    return a.type in _PARTS or b.type in _PARTS


@collection_rule("BC301")
def duplicate_records(records: Sequence[Record], ctx: Context) -> Iterator[Diagnostic]:
    """The same work must not be listed twice (same DOI, arXiv id, or title with year and author)."""
    seen: dict[tuple[str, str], list[Record]] = {}
    for record in records:
        for label, keyfunc in _KEYS:
            value = keyfunc(record)
            if value is None:
                continue
            group = seen.setdefault((label, value), [])
            earlier = next(
                (
                    e
                    for e in group
                    if (_compatible(e, record) if label == "title" else not _part_of_same_volume(e, record))
                ),
                None,
            )
            group.append(record)
            if earlier is None:
                continue
            if _same_place(earlier, record):
                break  # same key twice in one file: BC300 reports it
            shown = value if label != "title" else record.get("title")
            yield Diagnostic.make(
                "BC301",
                f"duplicate of {_where(earlier)} (same {label}: {shown!r:.80})",
                **_at(record),
            )
            break


@collection_rule("BC300")
def duplicate_ids(records: Sequence[Record], ctx: Context) -> Iterator[Diagnostic]:
    """Within one file, a record id (citation key) must be unique (non-BibTeX formats)."""
    skip = set(ctx.options.get("key_checked_files", ()))
    first: dict[tuple[str | None, str], Record] = {}
    for record in records:
        file = record.span.file if record.span else None
        if file in skip:
            continue
        earlier = first.setdefault((file, record.id), record)
        if earlier is not record:
            yield Diagnostic.make(
                "BC300", f"duplicate id {record.id!r}; first used by {_where(earlier)}", **_at(record)
            )
