"""The intermediate representation: immutable records in CSL vocabulary.

Every reader produces these and every writer consumes them, so readers and
writers never meet.  The module does no I/O and imports nothing else from
bibconv except the vocabulary tables, which keeps it the stable centre.

Text values are strings in the CSL-JSON rich-text subset (``<i>``, ``<b>``,
``<sup>``, ``<sub>``, ``<span class="nocase">`` and the small-caps span); any
other ``<`` or ``&`` is literal text.  Number variables stay strings
(``"12–14"``, ``"IV"``) because bibliographic numbers are rarely integers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from bibconv.vocab import DATE_VARS, ITEM_TYPES, NAME_VARS, TEXT_VARS

__all__ = ["Date", "Name", "Record", "SourceSpan", "set_members"]


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """Where a record came from: provenance for diagnostics, never part of equality."""

    file: str | None = None
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Name:
    """A CSL name: a person split into parts, or an organisation as ``literal``."""

    family: str | None = None
    given: str | None = None
    dropping_particle: str | None = None
    non_dropping_particle: str | None = None
    suffix: str | None = None
    comma_suffix: bool = False
    static_ordering: bool = False
    literal: str | None = None

    def __post_init__(self) -> None:
        if self.literal is not None and (self.family is not None or self.given is not None):
            raise ValueError("a literal name has no family or given part")

    @property
    def is_literal(self) -> bool:
        """True for organisations and other names that must not be split."""
        return self.literal is not None

    def display(self) -> str:
        """The name as a reader would write it in running text ("Given von Family, Jr")."""
        if self.literal is not None:
            return self.literal
        parts = [
            self.given,
            self.dropping_particle,
            self.non_dropping_particle,
            self.family,
        ]
        out = " ".join(p for p in parts if p)
        if self.suffix:
            out = f"{out}, {self.suffix}" if out else self.suffix
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Date:
    """A CSL date: one ``date-parts`` row, or two for a range, or a literal.

    ``start`` and ``end`` are ``(year,)``, ``(year, month)`` or
    ``(year, month, day)``.  ``literal`` keeps text no parser understood, so a
    date is never lost.  Years may be zero or negative (BCE, as in EDTF).
    """

    start: tuple[int, ...] | None = None
    end: tuple[int, ...] | None = None
    season: int | None = None
    circa: bool = False
    literal: str | None = None

    def __post_init__(self) -> None:
        for parts in (self.start, self.end):
            if parts is None:
                continue
            if not 1 <= len(parts) <= 3:
                raise ValueError(f"date parts must have 1 to 3 numbers, not {parts!r}")
            if len(parts) >= 2 and not 1 <= parts[1] <= 12:
                raise ValueError(f"month out of range in {parts!r}")
            if len(parts) == 3 and not 1 <= parts[2] <= 31:
                raise ValueError(f"day out of range in {parts!r}")
        if self.end is not None and self.start is None:
            raise ValueError("a date range needs a start")
        if self.season is not None and not 1 <= self.season <= 4:
            raise ValueError("season must be 1 (spring) to 4 (winter)")
        if self.start is None and self.literal is None and self.season is None:
            raise ValueError("an empty date; leave the variable out instead")

    @property
    def year(self) -> int | None:
        """The first year, or None for a literal-only date."""
        return self.start[0] if self.start else None


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """One bibliographic item.

    Three typed maps partition CSL's variables (text, names, dates), which
    mypy can check and writers can walk without a kind table.  ``extra`` keeps
    source fields with no CSL home under namespaced keys (``bibtex:tags``,
    ``ris:M3``) so that nothing is dropped silently.  ``truncated`` names the
    name variables whose list ended in "et al." / "and others".
    """

    id: str
    type: str
    text: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, tuple[Name, ...]] = field(default_factory=dict)
    dates: Mapping[str, Date] = field(default_factory=dict)
    extra: Mapping[str, str] = field(default_factory=dict)
    truncated: frozenset[str] = frozenset()
    span: SourceSpan | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # set comparisons first: every record of a large file passes here
        if self.type not in ITEM_TYPES:
            raise ValueError(f"unknown CSL item type {self.type!r}")
        if not TEXT_VARS.issuperset(self.text):
            bad = sorted(set(self.text) - TEXT_VARS)[0]
            raise ValueError(f"{bad!r} is not a CSL text or number variable")
        for key, value in self.text.items():
            if not value or not isinstance(value, str):
                raise ValueError(f"text variable {key!r} must be a non-empty string")
        if not NAME_VARS.issuperset(self.names):
            bad = sorted(set(self.names) - NAME_VARS)[0]
            raise ValueError(f"{bad!r} is not a CSL name variable")
        for key, names in self.names.items():
            if not isinstance(names, tuple):
                raise ValueError(f"name variable {key!r} must be a tuple of Name")
        if not DATE_VARS.issuperset(self.dates):
            bad = sorted(set(self.dates) - DATE_VARS)[0]
            raise ValueError(f"{bad!r} is not a CSL date variable")
        if not NAME_VARS.issuperset(self.truncated):
            bad = sorted(set(self.truncated) - NAME_VARS)[0]
            raise ValueError(f"truncated names a non-name variable {bad!r}")
        object.__setattr__(self, "text", _frozen(self.text))
        object.__setattr__(self, "names", _frozen(self.names))
        object.__setattr__(self, "dates", _frozen(self.dates))
        object.__setattr__(self, "extra", _frozen(self.extra))
        object.__setattr__(self, "truncated", frozenset(self.truncated))

    def __hash__(self) -> int:
        return hash((self.id, self.type, tuple(sorted(self.text.items()))))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle as plain dicts: the read-only views cannot be pickled themselves.

        Why: records cross process boundaries when a chunk plan runs in worker
        processes (``spawn``) or on a cluster (:mod:`bibconv.dask`).  The state
        was validated when the record was made, so unpickling does not check it again.
        """
        return _unpickle_record, (
            self.id,
            self.type,
            dict(self.text),
            dict(self.names),
            dict(self.dates),
            dict(self.extra),
            self.truncated,
            self.span,
        )

    def get(self, key: str) -> str | None:
        """A text variable, or None."""
        return self.text.get(key)

    def evolve(self, **changes: Any) -> Record:
        """A copy with some fields replaced (records never mutate)."""
        return replace(self, **changes)

    def with_text(self, values: Mapping[str, str | None]) -> Record:
        """A copy with text variables set (a None value removes the variable)."""
        text = dict(self.text)
        for key, value in values.items():
            if value is None:
                text.pop(key, None)
            else:
                text[key] = value
        return replace(self, text=text)


def _unpickle_record(
    id: str,
    type: str,
    text: dict[str, str],
    names: dict[str, tuple[Name, ...]],
    dates: dict[str, Date],
    extra: dict[str, str],
    truncated: frozenset[str],
    span: SourceSpan | None,
) -> Record:
    """A record from :meth:`Record.__reduce__` state, without re-validating it."""
    record = object.__new__(Record)
    for attr, value in (
        ("id", id),
        ("type", type),
        ("text", MappingProxyType(text)),
        ("names", MappingProxyType(names)),
        ("dates", MappingProxyType(dates)),
        ("extra", MappingProxyType(extra)),
        ("truncated", truncated),
        ("span", span),
    ):
        object.__setattr__(record, attr, value)
    return record


def names_of(records: Iterable[Record], var: str = "author") -> list[tuple[Name, ...]]:
    """The ``var`` names of each record; a helper for tests and summaries."""
    return [r.names.get(var, ()) for r in records]


def set_members(record: Record) -> tuple[str, ...] | None:
    """The ids a grouping record stands for (a BibLaTeX ``@set``), or None for a work.

    A set is not a work: BibLaTeX prints its members, never the set beside
    them, so formatted output lists the members and skips the set.  The set
    record itself stays in the IR (its ``entryset`` in ``extra``), so BibTeX
    and CSL-JSON output keep the grouping.
    """
    extra = record.extra
    if extra.get("bibtex:entrytype", "").lower() != "set" and not (
        "bibtex:entryset" in extra and record.type == "document"  # a set that came through CSL-JSON
    ):
        return None
    members = extra.get("bibtex:entryset", "")
    return tuple(m.strip() for m in members.split(",") if m.strip())
