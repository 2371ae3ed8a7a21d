"""The library API: read, write, convert, detect.

These are views of :mod:`bibconv.pipeline`, where input is decoded once (see
:mod:`bibconv.textio`), so readers are pure functions on ``str``.  Library
code never prints: everything it notices comes back as diagnostics, and
exceptions are raised only when work cannot go on (or the caller asked for
``strict``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bibconv.diagnostics import Diagnostic, Severity
from bibconv.ir import Record
from bibconv.pipeline import (
    Source,
    load_text,
    loss_report,
    read_source,
    read_sources,
    write_records,
)
from bibconv.progress import Progress
from bibconv.registry import Candidate, ReadResult, Registry, WriteResult, declares, default_registry

#: ``load_text`` and ``loss_report`` live in :mod:`bibconv.pipeline`; they are re-exported here
__all__ = ["Conversion", "Source", "convert", "detect", "load_text", "loss_report", "read", "write"]


def detect(
    source: Source, filename: str | None = None, *, registry: Registry | None = None
) -> list[Candidate]:
    """Every reader's score for ``source``, best first (never raises)."""
    text, file, _ = load_text(source, filename)
    return (registry or default_registry()).detect(text, file)


def read(
    source: Source,
    format: str | None = None,
    *,
    file: str | None = None,
    registry: Registry | None = None,
    strict: bool = False,
    options: Mapping[str, Any] | None = None,
) -> ReadResult:
    """Read records from a path, bytes or text; ``format`` None detects it.

    With ``strict=True`` any error diagnostic raises :class:`ReadError`
    (which carries the diagnostics); otherwise problems are only reported.
    """
    return read_source(source, format, file=file, registry=registry, options=options, strict=strict)


def write(
    records: Sequence[Record],
    format: str,
    *,
    registry: Registry | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    lossless: bool = False,
    **options: Any,
) -> WriteResult:
    """Write records in ``format``; the result is a ``str`` with ``.diagnostics``.

    With ``strict=True``, a variable the format would drop raises :class:`WriteError`.
    ``progress`` (see :mod:`bibconv.progress`) is told of entries written by
    writers slow enough to report it (``reports_progress``: the formatted
    bibliographies); others finish too fast to need it.
    ``lossless=True`` keeps, in BibTeX and RIS, what the format has no place
    for in fields only bibconv reads (``csl-<var>``, ``N1 - bibconv-csl:``); by
    default the output is what reference managers import, and the loss is
    reported (BC204); a writer without that option (CSL-JSON keeps everything)
    ignores it.  Other options: the writer's ``Options`` (``bibconv formats NAME``);
    a name it does not declare raises :class:`bibconv.registry.UnknownOptionError`.
    """
    writer = (registry or default_registry()).writer(format)
    if lossless and declares(type(writer), "lossless"):
        options["lossless"] = True  # CSL-JSON and the formats with a catch-all keep everything anyway
    return write_records(list(records), writer, options, strict=strict, progress=progress)


@dataclass(slots=True)
class Conversion:
    """The outcome of :func:`convert`: output text, the records, every diagnostic."""

    text: str
    records: list[Record] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: the writer's part of ``diagnostics`` (its tail), for callers that tell reading from writing apart
    write_diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no error was reported."""
        return all(d.severity < Severity.ERROR for d in self.diagnostics)


def convert(
    sources: Source | Sequence[Source],
    to: str,
    *,
    from_format: str | None = None,
    merge: bool = False,
    registry: Registry | None = None,
    strict: bool = False,
    read_options: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    lossless: bool = False,
    **write_options: Any,
) -> Conversion:
    """Read one or more sources (concatenated), optionally merge, and write ``to``.

    ``progress`` hears of the records read (per source) and of the entries a
    formatted bibliography renders; see :mod:`bibconv.progress`.
    """
    if isinstance(sources, (str, bytes, os.PathLike)):
        sources = [sources]
    records, diags = read_sources(
        sources, from_format, registry=registry, strict=strict, options=read_options, progress=progress
    )
    if merge:
        from bibconv.merging import merge as merge_records

        merged = merge_records(records)
        records = merged.records
        diags.extend(merged.diagnostics)
    out = write(
        records, to, registry=registry, strict=strict, progress=progress, lossless=lossless, **write_options
    )
    diags.extend(out.diagnostics)
    return Conversion(str(out), records, diags, list(out.diagnostics))
