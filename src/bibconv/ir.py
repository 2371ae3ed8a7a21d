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

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from bibconv.vocab import DATE_VARS, ITEM_TYPES, NAME_VARS, TEXT_VARS

__all__ = ["Date", "Name", "Record", "SourceSpan", "set_members"]


@dataclass(frozen=True, slots=True, init=False)
class SourceSpan:
    """Where a record came from: provenance for diagnostics, never part of equality."""

    file: str | None = None
    line: int | None = None
    column: int | None = None

    def __init__(self, file: str | None = None, line: int | None = None, column: int | None = None) -> None:
        _S_FILE(self, file)  # one per record: set as Name's fields are (see _setters)
        _S_LINE(self, line)
        _S_COLUMN(self, column)


def _setters(cls: type, names: str) -> list[Callable[[Any, Any], None]]:
    """The slot setters of a frozen class's fields, for its hand-written ``__init__``.

    Why: a frozen dataclass's generated ``__init__`` sets each field through
    ``object.__setattr__`` (a lookup by name per field), and ``__post_init__``
    then sets the converted ones a second time.  Records, names and dates are
    made by the hundred thousand on every large conversion, where that was a
    tenth of the run (measured: a name 1.1 → 0.7 µs).  Setting each slot once
    through its descriptor keeps the same checks and the same objects.
    """
    return [cls.__dict__[name].__set__ for name in names.split()]


_S_FILE, _S_LINE, _S_COLUMN = _setters(SourceSpan, "file line column")


@dataclass(frozen=True, slots=True, kw_only=True, init=False)
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

    def __init__(
        self,
        *,
        family: str | None = None,
        given: str | None = None,
        dropping_particle: str | None = None,
        non_dropping_particle: str | None = None,
        suffix: str | None = None,
        comma_suffix: bool = False,
        static_ordering: bool = False,
        literal: str | None = None,
    ) -> None:
        if literal is not None and (family is not None or given is not None):
            raise ValueError("a literal name has no family or given part")
        _N_FAMILY(self, family)
        _N_GIVEN(self, given)
        _N_DROPPING(self, dropping_particle)
        _N_NON_DROPPING(self, non_dropping_particle)
        _N_SUFFIX(self, suffix)
        _N_COMMA_SUFFIX(self, comma_suffix)
        _N_STATIC(self, static_ordering)
        _N_LITERAL(self, literal)

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


(
    _N_FAMILY,
    _N_GIVEN,
    _N_DROPPING,
    _N_NON_DROPPING,
    _N_SUFFIX,
    _N_COMMA_SUFFIX,
    _N_STATIC,
    _N_LITERAL,
) = _setters(
    Name,
    "family given dropping_particle non_dropping_particle suffix comma_suffix static_ordering literal",
)


@dataclass(frozen=True, slots=True, kw_only=True, init=False)
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

    def __init__(
        self,
        *,
        start: tuple[int, ...] | None = None,
        end: tuple[int, ...] | None = None,
        season: int | None = None,
        circa: bool = False,
        literal: str | None = None,
    ) -> None:
        for parts in (start, end):
            if parts is None:
                continue
            if not 1 <= len(parts) <= 3:
                raise ValueError(f"date parts must have 1 to 3 numbers, not {parts!r}")
            if len(parts) >= 2 and not 1 <= parts[1] <= 12:
                raise ValueError(f"month out of range in {parts!r}")
            if len(parts) == 3 and not 1 <= parts[2] <= 31:
                raise ValueError(f"day out of range in {parts!r}")
        if end is not None and start is None:
            raise ValueError("a date range needs a start")
        if season is not None and not 1 <= season <= 4:
            raise ValueError("season must be 1 (spring) to 4 (winter)")
        if start is None and literal is None and season is None:
            raise ValueError("an empty date; leave the variable out instead")
        _D_START(self, start)
        _D_END(self, end)
        _D_SEASON(self, season)
        _D_CIRCA(self, circa)
        _D_LITERAL(self, literal)

    @property
    def year(self) -> int | None:
        """The first year, or None for a literal-only date."""
        return self.start[0] if self.start else None


_D_START, _D_END, _D_SEASON, _D_CIRCA, _D_LITERAL = _setters(Date, "start end season circa literal")


#: One read-only empty map for every record's empty ones (its dict is never reachable).
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """A read-only copy (the caller keeps its own dict to change as it likes)."""
    return MappingProxyType(dict(mapping)) if mapping else _EMPTY


def _check(
    type: str,
    text: Mapping[str, str],
    names: Mapping[str, tuple[Name, ...]],
    dates: Mapping[str, Date],
    truncated: frozenset[str],
) -> None:
    """A record's invariants; ValueError names the first broken one.

    Set comparisons before loops, as every record of a large file passes here.
    """
    if type not in ITEM_TYPES:
        raise ValueError(f"unknown CSL item type {type!r}")
    if not TEXT_VARS.issuperset(text):
        bad = sorted(set(text) - TEXT_VARS)[0]
        raise ValueError(f"{bad!r} is not a CSL text or number variable")
    for key, value in text.items():
        if not value or not isinstance(value, str):
            raise ValueError(f"text variable {key!r} must be a non-empty string")
    if not NAME_VARS.issuperset(names):
        bad = sorted(set(names) - NAME_VARS)[0]
        raise ValueError(f"{bad!r} is not a CSL name variable")
    for key, value_names in names.items():
        if not isinstance(value_names, tuple):
            raise ValueError(f"name variable {key!r} must be a tuple of Name")
    if not DATE_VARS.issuperset(dates):
        bad = sorted(set(dates) - DATE_VARS)[0]
        raise ValueError(f"{bad!r} is not a CSL date variable")
    if truncated and not NAME_VARS.issuperset(truncated):
        bad = sorted(set(truncated) - NAME_VARS)[0]
        raise ValueError(f"truncated names a non-name variable {bad!r}")


_Proxy = MappingProxyType
_new = object.__new__


@dataclass(frozen=True, slots=True, kw_only=True, init=False)
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

    def __init__(
        self,
        *,
        id: str,
        type: str,
        text: Mapping[str, str] | None = None,
        names: Mapping[str, tuple[Name, ...]] | None = None,
        dates: Mapping[str, Date] | None = None,
        extra: Mapping[str, str] | None = None,
        truncated: Iterable[str] = frozenset(),
        span: SourceSpan | None = None,
    ) -> None:
        # the maps are copied first (the caller keeps its dicts), then checked
        text = _frozen(text)
        names = _frozen(names)
        dates = _frozen(dates)
        truncated = truncated if isinstance(truncated, frozenset) else frozenset(truncated)
        _fill(self, id, type, text, names, dates, _frozen(extra), truncated, span)

    @classmethod
    def adopt(
        cls,
        id: str,
        type: str,
        text: dict[str, str],
        names: dict[str, tuple[Name, ...]],
        dates: dict[str, Date],
        extra: dict[str, str],
        truncated: frozenset[str],
        span: SourceSpan | None,
    ) -> Record:
        """A record made of dicts its caller built for it and hands over: wrapped, not copied.

        Checked as ``Record(...)`` is.  Why: a reader builds four fresh dicts
        for each record and never touches them again, and copying them (as
        ``Record(...)`` must, for a caller that keeps its dicts) with the
        keywords' handling was a third of making a record (measured: 1.9 →
        1.2 µs on a typical one; tens of milliseconds on a large file).
        """
        record = _new(cls)
        _fill(
            record,
            id,
            type,
            _Proxy(text) if text else _EMPTY,
            _Proxy(names) if names else _EMPTY,
            _Proxy(dates) if dates else _EMPTY,
            _Proxy(extra) if extra else _EMPTY,
            truncated,
            span,
        )
        return record

    def __hash__(self) -> int:
        return hash((self.id, self.type, tuple(sorted(self.text.items()))))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle as plain dicts: the read-only views cannot be pickled themselves.

        Why: records cross process boundaries when a chunk plan runs in worker
        processes (``spawn``) or on a cluster (:mod:`bibconv.dask`).  Unpickling
        hands the fresh dicts to :meth:`adopt`: wrapped, not copied (and checked
        again, which costs less than a microsecond a record).
        """
        return _adopt, (
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


_R_ID, _R_TYPE, _R_TEXT, _R_NAMES, _R_DATES, _R_EXTRA, _R_TRUNCATED, _R_SPAN = _setters(
    Record, "id type text names dates extra truncated span"
)


def _fill(
    record: Record,
    id: str,
    type: str,
    text: Mapping[str, str],
    names: Mapping[str, tuple[Name, ...]],
    dates: Mapping[str, Date],
    extra: Mapping[str, str],
    truncated: frozenset[str],
    span: SourceSpan | None,
) -> None:
    """Check read-only maps (see :func:`_check`) and set them on ``record``: the one way
    both ``Record(...)`` (with copies) and :meth:`Record.adopt` (with the dicts) end."""
    _check(type, text, names, dates, truncated)
    _R_ID(record, id)
    _R_TYPE(record, type)
    _R_TEXT(record, text)
    _R_NAMES(record, names)
    _R_DATES(record, dates)
    _R_EXTRA(record, extra)
    _R_TRUNCATED(record, truncated)
    _R_SPAN(record, span)


#: What :meth:`Record.__reduce__` names for unpickling (a module-level name pickles by reference).
_adopt = Record.adopt


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
