"""The library API: read, write, convert, detect.

Input is decoded once here (see :mod:`bibconv.textio`), so readers are pure
functions on ``str``.  Library code never prints: everything it notices comes
back as diagnostics, and exceptions are raised only when work cannot go on
(or the caller asked for ``strict``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bibconv.diagnostics import Diagnostic, Severity
from bibconv.errors import ReadError, WriteError
from bibconv.ir import Record
from bibconv.progress import Progress
from bibconv.registry import (
    Candidate,
    ReadResult,
    Registry,
    WriteResult,
    declares,
    default_registry,
    keeps_all,
    make_options,
    nothing_read,
)
from bibconv.textio import decode, read_path

__all__ = ["Conversion", "convert", "detect", "load_text", "loss_report", "read", "write"]

Source = str | bytes | os.PathLike[str]


def load_text(source: Source, file: str | None = None) -> tuple[str, str | None, list[Diagnostic]]:
    """Resolve ``source`` to (text, file name, decoding diagnostics).

    A ``Path``, or a ``str`` naming an existing file (one line, no braces), is
    read from disk; ``bytes`` are decoded; any other ``str`` is the text itself.
    """
    if isinstance(source, bytes):
        file = file or getattr(source, "name", None)  # a pipe's bytes keep its name (textio.NamedBytes)
        text, diags = decode(source, file)
        return text, file, diags
    if isinstance(source, os.PathLike):
        text, diags = read_path(source)
        return text, file or str(source), diags
    if (
        len(source) < 4096
        and "\n" not in source
        and not source.lstrip().startswith(("{", "[", "@"))
        and os.path.isfile(source)
    ):
        text, diags = read_path(source)
        return text, file or source, diags
    diags = []
    from bibconv.textio import normalise_newlines

    return normalise_newlines(source, diags, file), file, diags


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
    reg = registry or default_registry()
    text, file, diags = load_text(source, file)
    name = format or reg.choose_reader(text, file)
    reader = reg.reader(name)
    result = reader.read(text, file=file, options=make_options(type(reader), options))
    result.diagnostics[:0] = diags
    empty = nothing_read(name, len(result.records), bool(text.strip()), result.diagnostics, file)
    if empty is not None:
        result.diagnostics.append(empty)
    if file is not None:
        result.diagnostics = [d.located(file) for d in result.diagnostics]
    if strict and any(d.severity >= Severity.ERROR for d in result.diagnostics):
        raise ReadError(f"errors while reading {file or 'input'}", result.diagnostics)
    return result


def variables_of(record: Record) -> set[str]:
    """The variables a record uses, in the vocabulary of ``Writer.carries``."""
    used = set(record.text) | set(record.names) | set(record.dates)
    if record.extra:
        used.add("extra")
    if record.truncated:
        used.add("truncated")
    return used


def loss_report(
    records: Iterable[Record], carries: frozenset[str], catch_all: bool, target: str
) -> list[Diagnostic]:
    """What writing ``records`` to a format that carries ``carries`` would lose.

    Kept in a catch-all field → info (BC205); dropped → warning (BC204).
    """
    out: list[Diagnostic] = []
    code = "BC205" if catch_all else "BC204"
    how = "kept in a catch-all field" if catch_all else "dropped"
    for record in records:
        if (
            carries.issuperset(record.text)
            and carries.issuperset(record.names)
            and carries.issuperset(record.dates)
            and (not record.extra or "extra" in carries)
            and (not record.truncated or "truncated" in carries)
        ):
            continue  # the common case, without building a set per record
        missing = sorted(variables_of(record) - carries)
        if "extra" in missing:  # name the fields, not the bucket (at most a few)
            keys = sorted(record.extra)
            shown = ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
            missing[missing.index("extra")] = f"extra ({shown})"
        if missing:
            span = record.span
            out.append(
                Diagnostic.make(
                    code,
                    f"{target} cannot carry {', '.join(missing)}; {how}",
                    file=span.file if span else None,
                    line=span.line if span else None,
                    record_id=record.id,
                )
            )
    return out


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
    if (
        progress is not None
        and getattr(writer, "reports_progress", False)
        and declares(type(writer), "progress")
    ):
        options = {**options, "progress": progress}
    records = list(records)
    if lossless and declares(type(writer), "lossless"):
        options["lossless"] = True
    typed = make_options(type(writer), options)
    out = writer.write(records, options=typed)
    loss = loss_report(records, writer.carries, keeps_all(writer, typed), writer.name)
    reported = set(loss)
    diags = loss + [d for d in out.diagnostics if d not in reported]
    if strict and any(d.code == "BC204" or d.severity >= Severity.ERROR for d in diags):
        raise WriteError(f"writing {writer.name} would lose data", diags)
    return WriteResult(str(out), diags)


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
    records: list[Record] = []
    diags: list[Diagnostic] = []
    for src in sources:
        result = read(src, from_format, registry=registry, strict=strict, options=read_options)
        records.extend(result.records)
        diags.extend(result.diagnostics)
        if progress is not None:
            progress("records", len(records), None)
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
