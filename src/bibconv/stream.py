"""Streaming conversion: read a block, write its records, forget them.

Why: :func:`bibconv.convert` returns every record, so its memory grows with
the input (about twenty times the file size).  When the reader can read a
file in blocks (``Reader.plan``) and the writer can write in chunks
(``Writer.stream``), :func:`convert_stream` keeps only one block's records at
a time (``jobs`` blocks with ``-j``), so converting a file ten times larger
costs about the same memory.  The output is identical to :func:`bibconv.convert`.

Everything else falls back to reading whole: stdin and bytes, encodings that
need the whole file (UTF-16, Windows-1252), ``--merge`` (it compares all
records), and writers that need every record at once (formatted
bibliographies sort; BibTeX output makes keys unique over the whole file).

With ``jobs > 1`` blocks are read and written in forked worker processes;
records never cross a process boundary, only text and diagnostics do, and
results are taken in file order, so the output does not depend on ``jobs``.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bibconv.api import Source, loss_report
from bibconv.blocks import BlockSource, NotStreamable
from bibconv.diagnostics import Diagnostic, Severity
from bibconv.errors import ReadError, WriteError
from bibconv.ir import Record
from bibconv.keys import KeyAllocator, with_ids
from bibconv.progress import Progress
from bibconv.registry import (
    SNIFF_BYTES,
    ChunkResult,
    Registry,
    StreamPlan,
    StreamWriter,
    default_registry,
    keeps_all,
    nothing_read,
)
from bibconv.textio import normalise_newlines
from bibconv.workers import can_fork, worker_init

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


@dataclass(slots=True)
class _Written:
    """A chunk's output: text, the reader's and the writer's diagnostics, the reader's facts."""

    text: str
    count: int
    read_diagnostics: list[Diagnostic]
    write_diagnostics: list[Diagnostic]
    facts: Any = None
    #: the chunk's record ids, for ids unique across chunks (see convert_stream)
    ids: list[str] = field(default_factory=list)
    #: the chunk's records, kept only when it was read in this process (no re-read to rename)
    records: list[Record] | None = None


@dataclass(slots=True)
class _Target:
    """The writer side of a stream, shared with forked workers."""

    stream: StreamWriter
    carries: frozenset[str]
    catch_all: bool
    name: str


def _write_chunk(
    records: Sequence[Record], target: _Target, renames: Sequence[Diagnostic] = ()
) -> tuple[str, list[Diagnostic]]:
    """One chunk's text plus its loss report, as :func:`bibconv.write` would report it."""
    body = target.stream.body(records)
    loss = loss_report(records, target.carries, target.catch_all, target.name)
    reported = set(loss)
    return str(body), loss + list(renames) + [d for d in body.diagnostics if d not in reported]


# Set in the parent before forking, so workers inherit it instead of unpickling it.
_WORK: tuple[StreamPlan, _Target] | None = None


def _work(job: Any, keep: bool = False) -> _Written:
    assert _WORK is not None
    plan, target = _WORK
    chunk = plan.process(job)
    text, wdiags = _write_chunk(chunk.records, target)
    keys = getattr(target.stream, "keys", None)  # a writer's own key domain (BibTeX: lower case)
    ids = keys(chunk.records) if keys is not None else [r.id for r in chunk.records]
    kept = chunk.records if keep else None  # in this process: a chunk to rename is not read again
    return _Written(text, len(chunk.records), chunk.diagnostics, wdiags, chunk.facts, ids, kept)


def _run(plan: StreamPlan, target: _Target, jobs: int) -> Iterator[tuple[Any, _Written]]:
    """Each job's output in file order, computed here or in ``jobs`` forked workers."""
    global _WORK
    _WORK = (plan, target)
    try:
        if jobs <= 1 or not can_fork():
            for job in plan.jobs():
                yield job, _work(job, keep=True)
            return
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(jobs, initializer=worker_init) as pool:
            pending: deque[Any] = deque()
            for job in plan.jobs():
                pending.append((job, pool.apply_async(_work, (job,))))
                if len(pending) > jobs:  # bounded: memory stays flat however long the file
                    first, result = pending.popleft()
                    yield first, result.get()
            while pending:
                first, result = pending.popleft()
                yield first, result.get()
    finally:
        _WORK = None


def _as_path(source: Source) -> str | None:
    """The file a source names, when it is one (bytes and inline text are not)."""
    if isinstance(source, os.PathLike):
        return os.fspath(source)
    if isinstance(source, str) and len(source) < 4096 and "\n" not in source and os.path.isfile(source):
        return source
    return None


def _finish(plan: StreamPlan, records: int, path: str | None) -> list[Diagnostic]:
    """The plan's closing diagnostics, plus BC121 when a streamed file gave no record.

    A file read whole went through ``bibconv.read``, which asks the same question.
    """
    diags = plan.finish()
    if not isinstance(plan, _Whole):
        name = str(getattr(plan, "reader_name", "") or "streaming")
        empty = nothing_read(name, records, True, diags, path)
        if empty is not None:
            diags.append(empty)
    return diags


def _plan_for(
    path: str, from_format: str | None, reg: Registry, options: Mapping[str, Any] | None
) -> StreamPlan | None:
    """A block-by-block plan for a file, or None when it must be read whole."""
    source = BlockSource(path)
    try:
        name = from_format
        if name is None:  # detection looks at the head only, as with a whole file
            head = normalise_newlines(source.head(SNIFF_BYTES * 4), [])
            name = reg.choose_reader(head[:SNIFF_BYTES], path)
        make = getattr(reg.reader(name), "plan", None)
        if make is None:
            return None
        plan: StreamPlan = make(source, file=path, options=options)
        source.check()  # free when the plan's pre-scan already read the file
    except NotStreamable:
        return None
    return plan


class _Whole:
    """A plan of one job: the source read whole by ``bibconv.read`` (the fallback)."""

    def __init__(self, source: Source, from_format: str | None, reg: Registry, options: Any) -> None:
        self.source, self.from_format, self.reg, self.options = source, from_format, reg, options

    def jobs(self) -> Iterator[Any]:
        yield self.source

    def process(self, job: Any) -> ChunkResult:
        from bibconv.api import read

        result = read(job, self.from_format, registry=self.reg, options=self.options)
        return ChunkResult(result.records, result.diagnostics)

    def fold(self, result: ChunkResult) -> list[Diagnostic]:
        return []

    def finish(self) -> list[Diagnostic]:
        return []


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
    entries it has rendered.
    """
    if isinstance(sources, (str, bytes, os.PathLike)):
        sources = [sources]
    reg = registry or default_registry()
    writer = reg.writer(to)
    make_stream = getattr(writer, "stream", None)
    stats = StreamStats()
    read_errors = lost = False

    def note(diags: list[Diagnostic], reading: bool) -> None:
        nonlocal read_errors, lost
        for d in diags:
            if d.severity >= Severity.ERROR:
                stats.errors += 1
                read_errors = read_errors or reading
                lost = lost or not reading
            if d.code == "BC204":
                lost = True
            if keep is None or keep(d):
                stats.diagnostics.append(d)

    if make_stream is None:
        from bibconv.api import convert

        if jobs > 1 and getattr(writer, "parallel", False):
            write_options = {**write_options, "jobs": jobs}  # e.g. entries rendered in workers

        conv = convert(
            sources,
            to,
            from_format=from_format,
            registry=reg,
            read_options=read_options,
            progress=progress,
            **write_options,
        )
        stats.records = len(conv.records)
        stats.streamed = [False] * len(sources)
        split = len(conv.diagnostics) - len(conv.write_diagnostics)
        note(conv.diagnostics[:split], True)
        note(conv.diagnostics[split:], False)
        if strict:
            _raise_if(read_errors, lost, stats, to)
        out.write(conv.text)
        return stats
    keep_all = keeps_all(writer, write_options)
    target = _Target(make_stream(options=write_options), writer.carries, keep_all, writer.name)
    # ids unique across the whole output, renamed as bibconv.write renames them (keys.unique_ids)
    ids = KeyAllocator() if getattr(target.stream, "renames_ids", True) is False else None
    started = False
    for source in sources:
        path = _as_path(source)
        plan = _plan_for(path, from_format, reg, read_options) if path is not None else None
        stats.streamed.append(plan is not None)
        if plan is None:
            plan = _Whole(source if path is None else _path_source(source), from_format, reg, read_options)
        count = 0
        for job, done in _run(plan, target, jobs):
            if ids is not None:
                done = _unique_chunk(done, job, plan, target, ids)
            note(done.read_diagnostics, True)
            note(plan.fold(ChunkResult([], [], done.facts)), True)
            note(done.write_diagnostics, False)
            if done.count:
                out.write((target.stream.sep if started else target.stream.head) + done.text)
                started = True
                count += done.count
                if progress is not None:
                    progress("records", stats.records + count, None)
        stats.records += count
        note(_finish(plan, count, path), True)
    out.write(target.stream.tail if started else target.stream.empty)
    if strict:
        _raise_if(read_errors, lost, stats, to)
    return stats


def _unique_chunk(done: _Written, job: Any, plan: StreamPlan, target: _Target, ids: KeyAllocator) -> _Written:
    """``done`` with ids unique across chunks; a chunk with a repeated id is written again here.

    Repeats are rare, so the common chunk costs a set lookup per record and
    only a chunk that has one is read and written a second time.
    """
    ids.reserve(done.ids)
    keys = [ids.take(key) for key in done.ids]
    if keys == done.ids:
        return done
    rekey = getattr(target.stream, "rekey", None)  # the writer puts its keys on the records
    records = done.records if done.records is not None else plan.process(job).records
    fixed, renames = (rekey or with_ids)(records, keys)
    text, wdiags = _write_chunk(fixed, target, renames)
    return _Written(text, done.count, done.read_diagnostics, wdiags, done.facts, keys)


def _path_source(source: Source) -> Source:
    from pathlib import Path

    return Path(os.fspath(source)) if isinstance(source, str) else source


def _raise_if(read_errors: bool, lost: bool, stats: StreamStats, to: str) -> None:
    if read_errors:
        raise ReadError("errors while reading the input", stats.diagnostics)
    if lost:
        raise WriteError(f"writing {to} would lose data", stats.diagnostics)


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
    reg = registry or default_registry()
    sink = diagnostics if diagnostics is not None else []
    path = _as_path(source)
    plan = _plan_for(path, format, reg, options) if path is not None else None
    if plan is None:
        plan = _Whole(source if path is None else _path_source(source), format, reg, options)
    count = 0
    for job in plan.jobs():
        chunk = plan.process(job)
        sink.extend(chunk.diagnostics)
        sink.extend(plan.fold(chunk))
        count += len(chunk.records)
        yield from chunk.records
    sink.extend(_finish(plan, count, path))
