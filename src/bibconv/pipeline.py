"""The one pipeline every read and conversion goes through.

Why one: reading a file whole (:func:`bibconv.read`), converting
(:func:`bibconv.convert`), streaming (:func:`bibconv.convert_stream`,
:func:`bibconv.iter_read`), the public chunk plan (:mod:`bibconv.chunks`,
:mod:`bibconv.dask`) and ``validate`` each used to decide path-or-text,
detection, decoding, positions, the empty-input check (BC121), the loss
report and strictness on their own, and they drifted apart.  Here each of
those is decided once::

    sources ─► plan ─► jobs ─► read ─► fold ─► [merge] ─► write
     path,      one      a       a      checks   needs     whole, or
     bytes,     per      block   reader across   every     chunk by chunk
     text       source   or the  per    blocks   record    (StreamingWriter)
                         whole   job

* a **source** is a path, bytes or text (:func:`as_path`, :func:`load_text`);
* its **plan** (:func:`plan_source`) is one job for the whole source, or, for
  a UTF-8 file whose reader is a :class:`~bibconv.registry.StreamingReader`,
  one job per block of about a MiB;
* each job is **read** by :func:`read_job`, a pure function of picklable
  arguments, so it runs here or in a worker process under any start method;
* a :class:`Folder` adds what spans blocks (a key used twice, summaries, an
  empty file), in file order;
* records are **written** whole (:func:`write_records`) or, for a
  :class:`~bibconv.registry.StreamingWriter`, block by block through a
  picklable :class:`Target`, with the same loss report either way.

The library never switches the garbage collector here; see
:func:`bibconv.bulk_allocation` for a scope the caller chooses.
"""

from __future__ import annotations

import copy
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bibconv.diagnostics import Diagnostic, Severity
from bibconv.errors import ReadError, WriteError
from bibconv.ir import Record
from bibconv.registry import (
    SNIFF_BYTES,
    ChunkResult,
    KeyedStreamWriter,
    Reader,
    ReadResult,
    Registry,
    SinglePassReader,
    StreamingReader,
    StreamingWriter,
    StreamPlan,
    StreamWriter,
    Writer,
    WriteResult,
    declares,
    default_registry,
    keeps_all,
    make_options,
    nothing_read,
)
from bibconv.vocab import DATE_VARS, NAME_VARS, TEXT_VARS

if TYPE_CHECKING:
    from bibconv.blocks import BlockSource
    from bibconv.progress import Progress
    from bibconv.workers import LazyPool

__all__ = [
    "Folder",
    "Part",
    "Source",
    "SourcePlan",
    "Target",
    "Whole",
    "as_path",
    "check_read",
    "check_write",
    "choose_reader",
    "load_text",
    "loss_report",
    "plan_source",
    "read_job",
    "read_source",
    "read_sources",
    "read_text",
    "reader_name",
    "run_jobs",
    "typed_options",
    "write_records",
]

Source = str | bytes | os.PathLike[str]

J = TypeVar("J")
R = TypeVar("R")


# -- sources: path or text, decoding ---------------------------------------------------------


def as_path(source: Source) -> str | None:
    """The file ``source`` names, or None for bytes and inline text.

    A ``str`` names a file when it is one short line that does not start
    like a document (``{``, ``[``, ``@``) and the file exists.
    """
    if isinstance(source, os.PathLike):
        return os.fspath(source)
    if (
        isinstance(source, str)
        and len(source) < 4096
        and "\n" not in source
        and not source.lstrip().startswith(("{", "[", "@"))
        and os.path.isfile(source)
    ):
        return source
    return None


def load_text(source: Source, file: str | None = None) -> tuple[str, str | None, list[Diagnostic]]:
    """Resolve ``source`` to (text, file name, decoding diagnostics): the one decoder call.

    A ``Path``, or a ``str`` naming an existing file (:func:`as_path`), is
    read from disk; ``bytes`` are decoded; any other ``str`` is the text itself.
    """
    from bibconv.textio import decode, normalise_newlines, read_path

    if isinstance(source, bytes):
        file = file or getattr(source, "name", None)  # a pipe's bytes keep its name (textio.NamedBytes)
        text, diags = decode(source, file)
        return text, file, diags
    path = as_path(source)
    if path is not None:
        text, diags = read_path(source)
        return text, file or (str(source) if isinstance(source, os.PathLike) else path), diags
    assert isinstance(source, str)
    diags = []
    return normalise_newlines(source, diags, file), file, diags


# -- plugins: the reader, typed options -------------------------------------------------------


def reader_name(registry: Registry, format: str | None, head: str, file: str | None) -> str:
    """The reader's name for a source: ``format`` when given, else detected from ``head`` and the name.

    Detection looks at the first :data:`~bibconv.registry.SNIFF_BYTES` of
    the decoded text only, so a file read in blocks and the same file read
    whole are given the same reader.
    """
    return format or registry.choose_reader(head[:SNIFF_BYTES], file)


def choose_reader(registry: Registry, format: str | None, head: str, file: str | None) -> tuple[str, Reader]:
    """The reader for a source (:func:`reader_name`) and its name."""
    name = reader_name(registry, format, head, file)
    return name, registry.reader(name)


def typed_options(plugin: Any, given: Any) -> Any:
    """``given`` as ``plugin``'s typed options (:func:`bibconv.registry.make_options`).

    Every call of a plugin's ``read``, ``plan``, ``write`` or ``stream`` goes
    through here, so a misspelled option fails the same way everywhere.
    """
    return make_options(type(plugin), given)


# -- reading ---------------------------------------------------------------------------------


def end_read(
    name: str, records: int, nonblank: bool, diagnostics: list[Diagnostic], file: str | None
) -> list[Diagnostic]:
    """The end of every read: BC121 when nothing was read, and every diagnostic given the file."""
    empty = nothing_read(name, records, nonblank, diagnostics, file)
    if empty is not None:
        diagnostics.append(empty)
    if file is not None:
        return [d.located(file) for d in diagnostics]
    return diagnostics


def read_text(
    text: str,
    name: str,
    reader: Reader,
    *,
    file: str | None,
    options: Any = None,
    decoded: Sequence[Diagnostic] = (),
) -> ReadResult:
    """Read decoded ``text`` with ``reader``; ``decoded`` (the decoder's notes) come first."""
    result = reader.read(text, file=file, options=typed_options(reader, options))
    result.diagnostics[:0] = decoded
    result.diagnostics = end_read(
        name, len(result.records), bool(text) and not text.isspace(), result.diagnostics, file
    )
    return result


def read_source(
    source: Source,
    format: str | None = None,
    *,
    file: str | None = None,
    registry: Registry | None = None,
    options: Any = None,
    strict: bool = False,
) -> ReadResult:
    """A whole source read: decode, choose the reader, read, locate; ``strict`` raises on an error."""
    reg = registry or default_registry()
    text, file, diags = load_text(source, file)
    name, reader = choose_reader(reg, format, text, file)
    result = read_text(text, name, reader, file=file, options=options, decoded=diags)
    if strict:
        check_read(result.diagnostics, file or "input")
    return result


def read_sources(
    sources: Sequence[Source],
    format: str | None = None,
    *,
    registry: Registry | None = None,
    strict: bool = False,
    options: Any = None,
    progress: Progress | None = None,
) -> tuple[list[Record], list[Diagnostic]]:
    """Every record of ``sources`` (each read whole, in turn) and their diagnostics.

    For what needs every record at once: merging, and writers that are not
    :class:`~bibconv.registry.StreamingWriter` s.  ``progress`` hears of the
    records read after each source.
    """
    records: list[Record] = []
    diags: list[Diagnostic] = []
    for src in sources:
        result = read_source(src, format, registry=registry, strict=strict, options=options)
        records.extend(result.records)
        diags.extend(result.diagnostics)
        if progress is not None:
            progress("records", len(records), None)
    return records, diags


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error."""
    return any(d.severity >= Severity.ERROR for d in diagnostics)


def check_read(diagnostics: list[Diagnostic], what: str) -> None:
    """Strict reading: raise :class:`ReadError` when any diagnostic is an error."""
    if has_errors(diagnostics):
        raise ReadError(f"errors while reading {what}", diagnostics)


def check_write(diagnostics: list[Diagnostic], target: str) -> None:
    """Strict writing: raise :class:`WriteError` when data would be lost (BC204) or on an error."""
    if any(d.code == "BC204" or d.severity >= Severity.ERROR for d in diagnostics):
        raise WriteError(f"writing {target} would lose data", diagnostics)


# -- plans and jobs --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Whole:
    """A job: a source read whole (bytes, text, or a file that cannot be read in blocks)."""

    source: Source
    format: str | None
    options: Any
    registry: Registry | None


@dataclass(frozen=True, slots=True)
class Part:
    """A job: one block of a file and the reader's plan for that file (picklable, no globals)."""

    plan: StreamPlan
    block: Any


Job = Whole | Part


def read_job(job: Job) -> ChunkResult:
    """One job's records and diagnostics (a pure function: runs here or in any worker)."""
    if isinstance(job, Part):
        return job.plan.process(job.block)
    result = read_source(job.source, job.format, registry=job.registry, options=job.options)
    return ChunkResult(result.records, result.diagnostics)


@dataclass(slots=True)
class SourcePlan:
    """How one source is read: whole, or block by block by its reader's plan."""

    source: Source
    #: the file it names, None for bytes and text
    path: str | None
    #: the reader named by the caller (None: detected)
    format: str | None
    options: Any
    registry: Registry
    #: the block plan, None when the source is read whole
    reader_plan: StreamPlan | None = None
    #: the file as blocks (for a streamed plan)
    blocks: BlockSource | None = None
    #: the reader's name when known here (given, or detected from a file's head)
    reader_name: str | None = None

    @property
    def streamed(self) -> bool:
        """True when the source is read block by block."""
        return self.reader_plan is not None

    def jobs(self) -> Iterator[Job]:
        """The plan's jobs in file order (blocks are read here, one at a time)."""
        if self.reader_plan is None:
            # a file read whole is given as a Path, so it is never taken for text
            source = Path(self.path) if isinstance(self.source, str) and self.path else self.source
            yield Whole(source, self.format, self.options, self.registry)
            return
        for block in self.reader_plan.jobs():
            yield Part(self.reader_plan, block)


def plan_source(
    source: Source,
    format: str | None = None,
    *,
    registry: Registry | None = None,
    options: Any = None,
    block_bytes: int | None = None,
    single_pass: bool = False,
) -> SourcePlan:
    """The plan for one source: blocks when its reader streams and the file is UTF-8, else whole.

    Detection of a file read in blocks looks at its head only, as
    :meth:`bibconv.registry.Registry.detect` does with a whole text.
    ``single_pass``: the caller reads the jobs here, in order, and can take
    back what it made of them, so a :class:`~bibconv.registry.SinglePassReader`
    may check the file as it reads it (its jobs may then raise
    :class:`~bibconv.blocks.NotStreamable`, after which the caller plans again
    without ``single_pass``).
    """
    reg = registry or default_registry()
    path = as_path(source)
    out = SourcePlan(source, path, format, options, reg, reader_name=format)
    if path is None:
        return out
    from bibconv.blocks import BlockSource, NotStreamable
    from bibconv.textio import normalise_newlines

    blocks = BlockSource(path, block_bytes=block_bytes)
    try:
        name = format
        if name is None:
            head = normalise_newlines(blocks.head(SNIFF_BYTES * 4), [])
            name = out.reader_name = reader_name(reg, None, head, path)
        reader = reg.reader(name)
        if not isinstance(reader, StreamingReader):
            return out
        if single_pass and isinstance(reader, SinglePassReader):
            # its pass proves the file UTF-8 too, so there is no check here
            reader_plan = reader.single_pass(blocks, file=path, options=typed_options(reader, options))
        else:
            reader_plan = reader.plan(blocks, file=path, options=typed_options(reader, options))
            blocks.check()  # free when the plan's pre-scan already read the file
    except NotStreamable:
        return out
    out.reader_plan, out.blocks = reader_plan, blocks
    return out


class Folder:
    """The checks that span one source's blocks, fed in file order.

    Folding runs on a copy of the reader's plan, so the plan shipped to
    workers stays as it was made (small, and the same for every block).
    """

    def __init__(self, plan: SourcePlan | StreamPlan | None) -> None:
        reader_plan = plan.reader_plan if isinstance(plan, SourcePlan) else plan
        self._plan = copy.deepcopy(reader_plan) if reader_plan is not None else None
        self._file = plan.path if isinstance(plan, SourcePlan) else None
        self._blocked = False

    def fold(self, facts: Any, diagnostics: Iterable[Diagnostic] = ()) -> list[Diagnostic]:
        """What a block's ``facts`` add to the blocks before it; ``diagnostics`` are the block's own."""
        if self._plan is None:
            return []
        found = self._plan.fold(ChunkResult([], [], facts))
        self._blocked = self._blocked or _stops_bc121(diagnostics) or _stops_bc121(found)
        return found

    def finish(self, records: int | None = None) -> list[Diagnostic]:
        """The closing checks; with the source's record count, BC121 when a streamed file gave none.

        A source read whole was checked by :func:`read_text`.
        """
        if self._plan is None:
            return []
        diags = self._plan.finish()
        if records is not None and not self._blocked:
            name = str(getattr(self._plan, "reader_name", "") or "streaming")
            empty = nothing_read(name, records, True, diags, self._file)
            if empty is not None:
                diags.append(empty)
        return diags


def _stops_bc121(diagnostics: Iterable[Diagnostic]) -> bool:
    """An error or BC005 already says why nothing was read (see registry.nothing_read)."""
    return any(d.code == "BC005" or d.severity >= Severity.ERROR for d in diagnostics)


def run_jobs(
    work: Callable[[J], R],
    items: Iterable[tuple[bool, J]],
    workers: LazyPool | None = None,
    local: Callable[[J], R] | None = None,
) -> Iterator[tuple[J, R]]:
    """``(job, work(job))`` in the order given; parallel jobs run in ``workers``.

    ``items`` are ``(parallel, job)``: a job marked parallel is sent to a
    worker process when ``workers`` is given (``work`` and the job are
    pickled, so any start method works); others run here, after the results
    before them, through ``local`` when given (it may keep what a worker could
    not send back cheaply).  At most ``workers.jobs + 1`` results wait at a
    time, so memory stays flat however long the input.
    """
    here = local or work
    pending: deque[tuple[J, Any]] = deque()
    for parallel, job in items:
        if workers is None or not parallel:
            while pending:
                first, result = pending.popleft()
                yield first, result.get()
            yield job, here(job)
            continue
        pending.append((job, workers.get().apply_async(work, (job,))))
        if len(pending) > workers.jobs:
            first, result = pending.popleft()
            yield first, result.get()
    while pending:
        first, result = pending.popleft()
        yield first, result.get()


# -- writing ---------------------------------------------------------------------------------


def variables_of(record: Record) -> set[str]:
    """The variables a record uses, in the vocabulary of ``Writer.carries``."""
    used = set(record.text) | set(record.names) | set(record.dates)
    if record.extra:
        used.add("extra")
    if record.truncated:
        used.add("truncated")
    return used


#: Every variable a record can hold, in the vocabulary of ``Writer.carries``.
_EVERY_VARIABLE = TEXT_VARS | NAME_VARS | DATE_VARS | {"extra", "truncated"}


def loss_report(
    records: Iterable[Record], carries: frozenset[str], catch_all: bool, target: str
) -> list[Diagnostic]:
    """What writing ``records`` to a format that carries ``carries`` would lose.

    Kept in a catch-all field → info (BC205); dropped → warning (BC204).
    """
    if carries.issuperset(_EVERY_VARIABLE):
        return []  # a writer that carries every variable (BibTeX, CSL-JSON) loses none
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


def _with_loss(
    records: Sequence[Record],
    carries: frozenset[str],
    catch_all: bool,
    name: str,
    written: Iterable[Diagnostic],
    renames: Sequence[Diagnostic] = (),
) -> list[Diagnostic]:
    """The loss report, then renames, then the writer's own diagnostics (without repeats)."""
    loss = loss_report(records, carries, catch_all, name)
    if not loss:  # the usual case: no test per diagnostic (each would hash all its fields)
        return [*renames, *written]
    reported = set(loss)
    return loss + list(renames) + [d for d in written if d not in reported]


def write_records(
    records: Sequence[Record],
    writer: Writer,
    options: Mapping[str, Any],
    *,
    strict: bool = False,
    progress: Progress | None = None,
) -> WriteResult:
    """Every record written at once, with the loss report; ``strict`` raises on loss."""
    if (
        progress is not None
        and getattr(writer, "reports_progress", False)
        and declares(type(writer), "progress")
    ):
        options = {**options, "progress": progress}
    out = writer.write(records, options=typed_options(writer, options))
    diags = _with_loss(records, writer.carries, keeps_all(writer, options), writer.name, out.diagnostics)
    if strict:
        check_write(diags, writer.name)
    return WriteResult(str(out), diags)


@dataclass(frozen=True, slots=True)
class Target:
    """The writer side of a chunked write, picklable so a worker writes what it reads."""

    stream: StreamWriter
    carries: frozenset[str]
    catch_all: bool
    name: str

    @classmethod
    def of(cls, writer: StreamingWriter, options: Mapping[str, Any]) -> Target:
        """The target for ``writer`` (a :class:`~bibconv.registry.StreamingWriter`) and its options."""
        w: Any = writer
        typed = typed_options(writer, options)
        return cls(writer.stream(options=typed), w.carries, keeps_all(writer, options), w.name)

    def body(
        self, records: Sequence[Record], renames: Sequence[Diagnostic] = ()
    ) -> tuple[str, list[Diagnostic]]:
        """One chunk's text plus its loss report, as :func:`write_records` would report it."""
        out = self.stream.body(records)
        diags = _with_loss(records, self.carries, self.catch_all, self.name, out.diagnostics, renames)
        # the text as it is (a str already): str(out) would copy a chunk of output once more
        out.diagnostics = []
        return out, diags


@dataclass(slots=True)
class Written:
    """A job read and written: text, the reader's and the writer's diagnostics, the reader's facts."""

    text: str
    count: int
    read_diagnostics: list[Diagnostic]
    write_diagnostics: list[Diagnostic]
    facts: Any = None
    #: the chunk's record ids, for ids unique across chunks
    ids: list[str] = field(default_factory=list)
    #: the chunk's records, kept only when it was read in the calling process (renaming
    #: its ids then needs no second read)
    records: list[Record] | None = None


def read_and_write(job: Job, target: Target, keep: bool = False) -> Written:
    """Read one job and write its records; only text and diagnostics come back (picklable).

    The ids are the writer's own when its stream has a ``keys`` hook (BibTeX:
    lower case, generated where missing), else the records' ids.
    """
    chunk = read_job(job)
    text, wdiags = target.body(chunk.records)
    stream = target.stream
    ids = (
        stream.keys(chunk.records) if isinstance(stream, KeyedStreamWriter) else [r.id for r in chunk.records]
    )
    kept = chunk.records if keep else None
    return Written(text, len(chunk.records), chunk.diagnostics, wdiags, chunk.facts, ids, kept)
