"""A public chunk plan: files cut into independent, picklable units of work.

Why: :func:`bibconv.convert_stream` already reads a BibTeX file in blocks, with
a pre-scan that finds what every block needs from the others (``@string``
macros, ``crossref``/``xdata`` parents).  Making that plan public lets any
engine that runs Python functions on picklable arguments (a ``spawn`` process
pool, Dask, Spark, a batch queue) run the reading and writing, while bibconv
keeps the rules that make the result equal a single-process conversion:

* :func:`plan` cuts files (paths or glob patterns) into :class:`Chunk` s in
  file order.  A chunk names a byte range and carries the reader's plan for
  its file (for BibTeX: the pre-scanned macros and crossref/xdata parents),
  so a worker needs nothing but the chunk and the file itself;
* :func:`read_chunk` reads one chunk (a pure function of the chunk and the
  file); :func:`write_chunk` writes records as one complete document;
* :func:`fold_chunks` takes the per-chunk results in plan order and adds the
  checks that span chunks (a key used twice, one summary per unmapped field,
  an empty file), exactly as streaming does.

A file is one whole chunk when it cannot be split: readers without block
support (listings and the formats other than BibTeX, CSL-JSON and RIS) and
files whose encoding is decided on the whole file (UTF-16, the Windows-1252
fallback).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bibconv.diagnostics import Diagnostic
from bibconv.ir import Record
from bibconv.keys import KeyAllocator, unique_ids
from bibconv.pipeline import Folder, Part, load_text, plan_source, read_job, read_source, reader_name
from bibconv.registry import ChunkResult, Registry, StreamPlan, WriteResult, default_registry

__all__ = ["Chunk", "expand_paths", "fold_chunks", "plan", "read_chunk", "write_chunk"]

_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class Chunk:
    """One unit of reading: a file, a byte range of it, and what reading it needs.

    Everything a worker needs travels in the chunk (no module globals), so it
    works the same under ``fork``, ``spawn`` or on another machine that sees
    the same ``path``.
    """

    #: the file, as given (diagnostics name it so)
    path: str
    #: the reader's name, given or detected from the file's head
    format: str
    #: position in the plan: results are folded and written in this order
    index: int
    #: which file of the plan (0, 1, …) and which chunk of that file
    file_index: int = 0
    part: int = 0
    #: how many chunks the file has (the last one ends the file's checks)
    parts: int = 1
    #: byte range of the file (of the decompressed stream for ``.gz``); ``end`` None: the whole file
    start: int = 0
    end: int | None = None
    #: line number of the range's first line (positions count from the file's start)
    first_line: int = 1
    #: reader options, as for :func:`bibconv.read`
    options: Mapping[str, Any] | None = field(default=None, compare=False)
    #: the reader's block plan for this file (pre-scanned context); None for a whole-file chunk
    reader_plan: StreamPlan | None = field(default=None, compare=False, repr=False)

    @property
    def whole(self) -> bool:
        """True when the chunk is the whole file, read by :func:`bibconv.read`."""
        return self.reader_plan is None


def expand_paths(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[str]:
    """Files named by paths and glob patterns, each pattern's matches sorted.

    A name that exists is taken as it is, even if it contains glob characters;
    a pattern that matches nothing raises :class:`FileNotFoundError` (a typo
    should not give an empty result).
    """
    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    out: list[str] = []
    for item in items:
        name = os.fspath(item)
        if os.path.exists(name) or not _GLOB_CHARS.intersection(name):
            if not os.path.isfile(name):
                raise FileNotFoundError(name)
            out.append(name)
            continue
        matches = sorted(m for m in glob.glob(name, recursive=True) if os.path.isfile(m))
        if not matches:
            raise FileNotFoundError(f"no file matches {name!r}")
        out.extend(matches)
    return out


def plan(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    format: str | None = None,
    *,
    block_bytes: int | None = None,
    options: Mapping[str, Any] | None = None,
    registry: Registry | None = None,
) -> list[Chunk]:
    """Cut files (paths or glob patterns) into chunks, in file order.

    ``format`` None detects each file's format from its head, as streaming
    does.  ``block_bytes`` is the target size of a chunk (default about 1 MiB;
    a chunk is larger when one record is).  Planning reads each splittable
    file twice (the reader's pre-scan, then the block boundaries), never
    holding more than a block; whole-file chunks are not read here unless
    their head cannot be decoded to detect the format.
    """
    reg = registry or default_registry()
    chunks: list[Chunk] = []
    for file_index, path in enumerate(expand_paths(paths)):
        source = plan_source(path, format, registry=reg, options=options, block_bytes=block_bytes)
        reader_plan = source.reader_plan
        cut = getattr(reader_plan, "cut", None)
        pieces = list(source.blocks.ranges(cut)) if cut is not None and source.blocks is not None else []
        name = source.reader_name
        if name is None:  # the head could not be decoded (UTF-16): detect on the decoded file
            text, _, _ = load_text(Path(path))
            name = reader_name(reg, None, text, path)
        if reader_plan is None or not pieces:
            chunks.append(Chunk(path, name, len(chunks), file_index, options=options))
            continue
        for part, (start, end, line) in enumerate(pieces):
            chunks.append(
                Chunk(
                    path,
                    name,
                    len(chunks),
                    file_index,
                    part,
                    len(pieces),
                    start,
                    end,
                    line,
                    options=options,
                    reader_plan=reader_plan,
                )
            )
    return chunks


def read_chunk(chunk: Chunk, *, registry: Registry | None = None) -> ChunkResult:
    """Records, diagnostics and cross-chunk facts of one chunk (a pure function).

    Unpack ``records, diagnostics = result.records, result.diagnostics``; pass
    the results, in plan order, to :func:`fold_chunks` for the checks that span
    chunks.  Line and column numbers count from the start of the file.
    """
    if chunk.reader_plan is None:
        path = Path(chunk.path)
        result = read_source(path, chunk.format, file=chunk.path, registry=registry, options=chunk.options)
        return ChunkResult(result.records, result.diagnostics)
    from bibconv.blocks import BlockSource

    assert chunk.end is not None
    block = BlockSource(chunk.path).block_at(chunk.start, chunk.end, chunk.first_line)
    return read_job(Part(chunk.reader_plan, block))


def fold_chunks(chunks: Sequence[Chunk], results: Iterable[ChunkResult | Any]) -> list[Diagnostic]:
    """Every read diagnostic of a plan, in the order streaming reports them.

    ``results`` are :func:`read_chunk`'s results for ``chunks``, in the same
    order (only ``diagnostics`` and ``facts`` are used, so records may have
    gone elsewhere already).  Each file's chunk diagnostics are followed by
    what the file's reader finds across chunks (a key used twice, BC106) and,
    after its last chunk, the summaries (one BC201 per unmapped field, BC005
    for an empty file).  The chunks' reader plans are not changed (the checks
    run on a copy, :class:`bibconv.pipeline.Folder`), so a plan can be folded again.
    """
    out: list[Diagnostic] = []
    folding: Folder | None = None
    for chunk, result in zip(chunks, results, strict=True):
        out.extend(result.diagnostics)
        if chunk.reader_plan is None:
            continue
        if chunk.part == 0:
            folding = Folder(chunk.reader_plan)
        assert folding is not None, "chunks must be folded in plan order"
        out.extend(folding.fold(result.facts))
        if chunk.part == chunk.parts - 1:
            out.extend(folding.finish())
            folding = None
    return out


def write_chunk(
    records: Sequence[Record],
    format: str,
    *,
    registry: Registry | None = None,
    ids: KeyAllocator | None = None,
    **options: Any,
) -> WriteResult:
    """``records`` as one complete document in ``format``, with the loss report.

    The same as :func:`bibconv.write`: a ``str`` whose ``.diagnostics`` say
    what the format cannot carry (positions from each record's source span).
    Every writer makes ids unique among the records it is given; pass one
    ``ids`` allocator to successive calls, in chunk order, to make them unique
    across chunks the way a streamed conversion does (one BC211 per renamed
    record).  For a streamable writer (CSL-JSON, RIS) the chunks joined are
    then what one write of every record gives.
    """
    from bibconv.api import write

    renames: list[Diagnostic] = []
    if ids is not None:
        ids.reserve(r.id for r in records)
        records, renames = unique_ids(records, ids)
    out = write(records, format, registry=registry, **options)
    if not renames:
        return out
    return WriteResult(str(out), [*renames, *out.diagnostics])
