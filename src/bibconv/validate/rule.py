"""The rule registry: every check is a small function registered with its codes.

Three kinds, by what a check needs to see:

* ``record`` rules look at one :class:`~bibconv.ir.Record` (malformed DOI,
  impossible date, ...) and work for every input format;
* ``collection`` rules look at all records of all files at once (duplicates);
* ``source`` rules look at the raw text of one file (duplicate keys with both
  lines, duplicate fields, the CSL-JSON schema) because the IR does not keep
  what they need.

Rules yield diagnostics without a file or line when those are the record's
own; the engine fills them in from the record's source span, so rules stay
free of bookkeeping.  The registry is what ``docs/validate.md`` and the
``--select`` help are checked against.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from bibconv.diagnostics import Diagnostic
from bibconv.ir import Record

__all__ = ["RULES", "Context", "Rule", "collection_rule", "record_rule", "source_rule"]

Kind = Literal["record", "collection", "source"]


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule may want to know beyond its input: the format and the options."""

    format: str | None = None
    file: str | None = None
    #: The required-fields data model: "bibtex", "biblatex" or "none".
    model: str = "biblatex"
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered check: its codes, its kind, the function, and why it exists."""

    name: str
    codes: tuple[str, ...]
    kind: Kind
    func: Callable[..., Iterable[Diagnostic]]
    #: For source rules: the reader names whose input the rule understands.
    formats: tuple[str, ...] = ()
    #: Run only when no reader for the format is installed (the reader reports it otherwise).
    fallback: bool = False
    #: For record rules: text variables of which one must be present for the rule to have
    #: anything to check (empty: always run).  The engine skips the call otherwise, which
    #: matters on a large file: rules x records calls.
    needs: frozenset[str] = frozenset()

    @property
    def doc(self) -> str:
        """The first line of the function's docstring."""
        return (self.func.__doc__ or "").strip().splitlines()[0] if self.func.__doc__ else ""


RULES: list[Rule] = []

RecordFunc = Callable[[Record, Context], Iterable[Diagnostic]]
CollectionFunc = Callable[[Sequence[Record], Context], Iterable[Diagnostic]]
SourceFunc = Callable[[Any, Context], Iterable[Diagnostic]]


def record_rule(*codes: str, needs: Iterable[str] = ()) -> Callable[[RecordFunc], RecordFunc]:
    """Register ``func(record, ctx)`` as a rule emitting ``codes``; see ``Rule.needs``."""

    def deco(func: RecordFunc) -> RecordFunc:
        RULES.append(Rule(func.__name__, codes, "record", func, needs=frozenset(needs)))
        return func

    return deco


def collection_rule(*codes: str) -> Callable[[CollectionFunc], CollectionFunc]:
    """Register ``func(records, ctx)`` as a rule over all records."""

    def deco(func: CollectionFunc) -> CollectionFunc:
        RULES.append(Rule(func.__name__, codes, "collection", func))
        return func

    return deco


def source_rule(
    *codes: str, formats: tuple[str, ...], fallback: bool = False
) -> Callable[[SourceFunc], SourceFunc]:
    """Register ``func(source, ctx)`` as a rule over one file's raw text (or scan)."""

    def deco(func: SourceFunc) -> SourceFunc:
        RULES.append(Rule(func.__name__, codes, "source", func, formats, fallback))
        return func

    return deco
