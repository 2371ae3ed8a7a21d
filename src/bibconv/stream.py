"""Streaming conversion: read a block, write its records, forget them.

Why: :func:`bibconv.convert` returns every record, so its memory grows with
the input (about twenty times the file size).  When the reader can read a
file in blocks (a :class:`~bibconv.registry.StreamingReader`) and the writer
can write in chunks (a :class:`~bibconv.registry.StreamingWriter`),
:func:`convert_stream` keeps only one block's records at a time (``jobs``
blocks with ``-j``), so converting a file ten times larger costs about the
same memory.  The output is identical to :func:`bibconv.convert`.

Everything else falls back to reading whole: stdin and bytes, encodings that
need the whole file (UTF-16, Windows-1252), ``--merge`` (it compares all
records), and writers that need every record at once (formatted
bibliographies sort; BibTeX output makes keys unique over the whole file).

With ``jobs > 1`` blocks are read and written in worker processes (any start
method: see :mod:`bibconv.workers`); records never cross a process boundary,
only text and diagnostics do, and results are taken in file order, so the
output does not depend on ``jobs``.  Both functions here are views of
:mod:`bibconv.pipeline`, which decides detection, decoding, positions, BC121,
the loss report and strictness for every way of reading.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from bibconv.blocks import NotStreamable
from bibconv.diagnostics import Diagnostic, Severity
from bibconv.errors import ReadError, WriteError
from bibconv.ir import Record
from bibconv.keys import KeyAllocator, with_ids
from bibconv.pipeline import (
    Folder,
    Job,
    Source,
    Target,
    Written,
    plan_source,
    read_and_write,
    read_job,
    run_jobs,
)
from bibconv.progress import Progress
from bibconv.registry import KeyedStreamWriter, Registry, StreamingWriter, declares, default_registry
from bibconv.workers import LazyPool

__all__ = ["StreamStats", "convert_stream", "iter_read"]


class _Sink(Protocol):
    def write(self, text: str, /) -> Any: ...


@dataclass(slots=True)
class StreamStats:
    """What a streaming conversion did: counts, and the diagnostics the caller kept."""

    records: int = 0
    errors: int = 0
    #: the diagnostics ``keep`` accepted (all of them by default)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: per input: True when it was read block by block
    streamed: list[bool] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no error was reported."""
        return self.errors == 0


def convert_stream(
    sources: Source | Sequence[Source],
    to: str,
    out: _Sink,
    *,
    from_format: str | None = None,
    registry: Registry | None = None,
    strict: bool = False,
    read_options: Mapping[str, Any] | None = None,
    keep: Callable[[Diagnostic], bool] | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    start_method: str | None = None,
    lossless: bool = False,
    **write_options: Any,
) -> StreamStats:
    """Convert ``sources`` to ``to``, writing pieces to ``out`` as they are ready.

    The text written equals ``bibconv.convert(...).text``.  Diagnostics go
    through ``keep`` (default: keep all) into the returned stats, so a caller
    printing only errors holds only errors.  With ``strict``, errors or lost
    data raise :class:`ReadError`/:class:`WriteError` at the end: write to a
    temporary file (``textio.atomic_writer``) or a buffer, and discard it then.

    ``progress`` (see :mod:`bibconv.progress`) is called here, in the calling
    process, with the records written so far after each block (whichever
    worker read it), or, when the writer needs every record, with the
    entries it has rendered.  ``start_method`` chooses how worker processes
    start (see :mod:`bibconv.workers`; default: the platform's).  ``lossless``
    is :func:`bibconv.write`'s: passed on to writers that declare it.

    Into an ``out`` that can seek (a file, a buffer) with ``jobs`` 1, a
    CSL-JSON file is checked in the pass that reads it; if it proves unfit
    midway, what was written is truncated and the conversion runs again, so
    ``keep`` should be a plain filter: it may see the early diagnostics twice.
    """
    if isinstance(sources, (str, bytes, os.PathLike)):
        sources = [sources]
    reg = registry or default_registry()
    writer = reg.writer(to)
    if lossless and declares(type(writer), "lossless"):
        write_options["lossless"] = True  # as bibconv.write: writers that keep everything ignore it
    if not isinstance(writer, StreamingWriter):
        from bibconv.pipeline import read_sources, write_records

        if jobs > 1 and getattr(writer, "parallel", False):
            write_options = {**write_options, "jobs": jobs}  # e.g. entries rendered in workers
        records, read_diags = read_sources(
            sources, from_format, registry=reg, options=read_options, progress=progress
        )
        notes = _Notes(keep)
        notes.stats.records = len(records)
        notes.stats.streamed = [False] * len(sources)
        written = write_records(records, writer, write_options, progress=progress)
        notes.note(read_diags, True)
        notes.note(written.diagnostics, False)
        if strict:
            notes.raise_if(to)
        out.write(str(written))
        return notes.stats
    target = Target.of(writer, write_options)
    blocks = partial(
        _write_blocks,
        sources,
        target,
        out,
        from_format,
        reg,
        read_options,
        keep,
        jobs,
        progress,
        start_method,
    )
    rewind = _rewinder(out) if jobs <= 1 else None
    if rewind is not None:
        # one pass over each file, checking it as it goes; a file that proves unfit
        # midway is read again from the start, its partial output taken back
        try:
            notes = blocks(single_pass=True)
        except NotStreamable:
            rewind()
            notes = blocks(single_pass=False)
    else:
        notes = blocks(single_pass=False)
    if strict:
        notes.raise_if(to)
    return notes.stats


class _Notes:
    """A conversion's diagnostics as they come: counted, kept through ``keep``, and judged."""

    def __init__(self, keep: Callable[[Diagnostic], bool] | None) -> None:
        self.stats = StreamStats()
        self.keep = keep
        self.read_errors = False
        self.lost = False

    def note(self, diags: list[Diagnostic], reading: bool) -> None:
        stats, keep = self.stats, self.keep
        for d in diags:
            if d.severity >= Severity.ERROR:
                stats.errors += 1
                self.read_errors = self.read_errors or reading
                self.lost = self.lost or not reading
            if d.code == "BC204":
                self.lost = True
            if keep is None or keep(d):
                stats.diagnostics.append(d)

    def raise_if(self, to: str) -> None:
        """Strict: errors while reading, or data lost in writing, raise at the end."""
        if self.read_errors:
            raise ReadError("errors while reading the input", self.stats.diagnostics)
        if self.lost:
            raise WriteError(f"writing {to} would lose data", self.stats.diagnostics)


def _rewinder(out: _Sink) -> Callable[[], None] | None:
    """A way to take back everything written to ``out`` from now on, when it can seek."""
    seekable = getattr(out, "seekable", None)
    try:
        if seekable is None or not seekable():
            return None
        start = out.tell()  # type: ignore[attr-defined]
    except (OSError, ValueError):
        return None

    def rewind() -> None:
        out.seek(start)  # type: ignore[attr-defined]
        out.truncate()  # type: ignore[attr-defined]

    return rewind


def _write_blocks(
    sources: Sequence[Source],
    target: Target,
    out: _Sink,
    from_format: str | None,
    reg: Registry,
    read_options: Mapping[str, Any] | None,
    keep: Callable[[Diagnostic], bool] | None,
    jobs: int,
    progress: Progress | None,
    start_method: str | None,
    *,
    single_pass: bool,
) -> _Notes:
    """Every source's blocks read and written in order (see :func:`convert_stream`)."""
    notes = _Notes(keep)
    stats, note = notes.stats, notes.note
    stream = target.stream
    # ids unique across the whole output, renamed as bibconv.write renames them (keys.unique_ids)
    ids = KeyAllocator() if getattr(stream, "renames_ids", True) is False else None
    work = partial(read_and_write, target=target)
    # a chunk read here keeps its records, so renaming its ids needs no second read
    local = partial(read_and_write, target=target, keep=True)
    started = False
    workers = LazyPool(jobs, start_method) if jobs > 1 else None
    try:
        for source in sources:
            plan = plan_source(
                source, from_format, registry=reg, options=read_options, single_pass=single_pass
            )
            stats.streamed.append(plan.streamed)
            folder = Folder(plan)
            count = 0
            items = ((plan.streamed, job) for job in plan.jobs())
            for job, done in run_jobs(work, items, workers, local=local):
                if ids is not None:
                    done = _unique_chunk(done, job, target, ids)
                note(done.read_diagnostics, True)
                note(folder.fold(done.facts, done.read_diagnostics), True)
                note(done.write_diagnostics, False)
                if done.count:
                    out.write(stream.sep if started else stream.head)
                    out.write(done.text)  # (not joined to the separator first: a copy less)
                    started = True
                    count += done.count
                    if progress is not None:
                        progress("records", stats.records + count, None)
            stats.records += count
            note(folder.finish(count), True)
    finally:
        if workers is not None:
            workers.close()
    out.write(stream.tail if started else stream.empty)
    return notes


def _unique_chunk(done: Written, job: Job, target: Target, ids: KeyAllocator) -> Written:
    """``done`` with ids unique across chunks; a chunk with a repeated id is written again here.

    Repeats are rare, so the common chunk costs a set lookup per record and
    only a chunk that has one is written a second time (read again too when a
    worker read it).  A writer with its own key domain (BibTeX compares keys
    ignoring case and generates missing ones) gives its keys through the
    stream's ``keys`` and puts the allocated ones back with ``rekey``.
    """
    ids.reserve(done.ids)
    keys = [ids.take(key) for key in done.ids]
    if keys == done.ids:
        return done
    records = done.records if done.records is not None else read_job(job).records
    stream = target.stream
    # a writer with its own key domain puts its keys on the records itself
    fixed, renames = (stream.rekey if isinstance(stream, KeyedStreamWriter) else with_ids)(records, keys)
    text, wdiags = target.body(fixed, renames)
    return Written(text, done.count, done.read_diagnostics, wdiags, done.facts, keys)


def iter_read(
    source: Source,
    format: str | None = None,
    *,
    diagnostics: list[Diagnostic] | None = None,
    registry: Registry | None = None,
    options: Mapping[str, Any] | None = None,
) -> Iterator[Record]:
    """Records of ``source`` one at a time, a block at a time in memory when the reader streams.

    Diagnostics are appended to ``diagnostics`` as they are found.
    """
    sink = diagnostics if diagnostics is not None else []
    plan = plan_source(source, format, registry=registry, options=options)
    folder = Folder(plan)
    count = 0
    for job in plan.jobs():
        chunk = read_job(job)
        sink.extend(chunk.diagnostics)
        sink.extend(folder.fold(chunk.facts, chunk.diagnostics))
        count += len(chunk.records)
        yield from chunk.records
    sink.extend(folder.finish(count))
