"""Dask bags of records: read a chunk plan on a cluster, write one file per partition.

Needs the ``dask`` extra (``pip install "bibconv[dask]"``: ``dask[bag]`` and
``distributed``).  Why here and not in the CLI: a cluster is something the
caller already runs (a laptop ``LocalCluster``, a batch-system deployment);
bibconv only supplies the plan (:mod:`bibconv.chunks`), so the same rules as
a single-process conversion hold on any number of workers:

>>> from bibconv.dask import read_bag, write_bag            # doctest: +SKIP
>>> done = write_bag(read_bag("dumps/*.bib"), "out", "csljson")  # doctest: +SKIP
>>> Path(done.files[0]).name, len(done.diagnostics)          # doctest: +SKIP
('part-00000.json', 12)

:func:`read_bag` makes one partition per chunk (about a MiB of input), so
records, not text, are what the bag holds: map, filter or deduplicate them
with Dask before writing.  :func:`write_bag` writes each partition as one
complete document (``part-00000.json`` is a CSL-JSON array, ``part-00000.ris``
a RIS file), and returns every diagnostic with its file and line.  Only
writers that can write in pieces are accepted (CSL-JSON, RIS): BibTeX and
BibLaTeX output make citation keys unique over the whole file and formatted
bibliographies sort every entry, which one partition cannot do; for those,
collect the records (``bag.compute()``) and call :func:`bibconv.write`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from bibconv.chunks import Chunk, fold_chunks, plan, read_chunk, write_chunk
from bibconv.diagnostics import Diagnostic
from bibconv.errors import MissingDependencyError
from bibconv.ir import Record
from bibconv.keys import KeyAllocator, with_ids
from bibconv.registry import ChunkResult, KeyedStreamWriter, StreamingWriter, default_registry

try:
    import dask.bag as db
    from dask import config as dask_config
    from dask.base import compute as dask_compute
    from dask.delayed import delayed
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise MissingDependencyError('bibconv.dask needs Dask: pip install "bibconv[dask]"') from exc

if TYPE_CHECKING:
    from dask.delayed import Delayed

__all__ = ["BagRead", "BagWrite", "read_bag", "write_bag"]


class BagRead(NamedTuple):
    """What :func:`read_bag` gives: the records, and the read diagnostics (lazy).

    Unpack it (``records, diagnostics = read_bag(...)``) or pass it whole to
    :func:`write_bag`, which then reports the read diagnostics too, computed
    in the same pass as the writing (each chunk is read once).
    """

    #: one partition per chunk, records in file order
    records: db.Bag
    #: a Dask ``Delayed`` list of every read diagnostic, in streaming's order
    diagnostics: Delayed


@dataclass(frozen=True, slots=True)
class BagWrite:
    """What :func:`write_bag` did: the files (one per partition, in order) and every diagnostic."""

    files: list[str] = field(default_factory=list)
    #: read diagnostics (when a :class:`BagRead` was written), then each partition's write diagnostics
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _records_of(results: Iterable[ChunkResult]) -> list[Record]:
    return [record for result in results for record in result.records]


def _notes_of(results: Iterable[ChunkResult]) -> list[ChunkResult]:
    """A result without its records: what :func:`fold_chunks` needs, and small to send."""
    return [ChunkResult([], result.diagnostics, result.facts) for result in results]


def _fold(chunks: Sequence[Chunk], notes: Sequence[Sequence[ChunkResult]]) -> list[Diagnostic]:
    return fold_chunks(chunks, [note for part in notes for note in part])


def read_bag(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    format: str | None = None,
    *,
    block_bytes: int | None = None,
    options: Mapping[str, Any] | None = None,
) -> BagRead:
    """Read files or glob patterns into a bag of records, one partition per chunk.

    The plan (:func:`bibconv.plan`) is made here, in the calling process:
    it reads each splittable file twice at disk speed, then workers read the
    chunks.  ``format`` None detects each file's format.  Worker processes
    must see the files at the same paths (a local cluster or a shared file
    system); they open them as given, so give absolute paths to a cluster
    whose workers run in another directory.
    """
    chunks = plan(paths, format, block_bytes=block_bytes, options=options)
    if not chunks:
        raise ValueError("no input files")
    results = db.from_sequence(chunks, partition_size=1).map(read_chunk)  # type: ignore[no-untyped-call]
    records = results.map_partitions(_records_of)
    notes = results.map_partitions(_notes_of).to_delayed()
    return BagRead(records, delayed(_fold)(chunks, notes))


def _write_part(
    records: Iterable[Record],
    path: str,
    format: str,
    options: Mapping[str, Any],
    keys: Sequence[str] | None = None,
) -> tuple[list[Diagnostic], list[str]]:
    """Write one partition; return its diagnostics and its records' own ids, in order.

    ``keys``: the ids to write the records under, unique across partitions
    (decided by :func:`write_bag` in the calling process), one BC211 each.
    """
    records = list(records)
    ids = [r.id for r in records]
    renames: list[Diagnostic] = []
    if keys is not None:
        records, renames = with_ids(records, keys)
    out = write_chunk(records, format, **options)
    Path(path).write_text(str(out), encoding="utf-8", newline="")
    return [*renames, *out.diagnostics], ids


def write_bag(
    bag: db.Bag | BagRead,
    outdir: str | os.PathLike[str],
    format: str,
    *,
    name: str = "part-{:05d}",
    scheduler: str | None = None,
    **options: Any,
) -> BagWrite:
    """Write each partition of ``bag`` as one file ``outdir/part-00000.<ext>`` in ``format``.

    ``outdir`` is made absolute and created here; ``files`` in the result are absolute.

    ``format`` must be a writer that writes in pieces (CSL-JSON, RIS);
    anything else raises :class:`ValueError` before any work starts (see the
    module docstring).  ``options`` are the writer's, as for
    :func:`bibconv.write`.  Files of an earlier run with more partitions are
    not removed.

    Ids are unique across all files, renamed as a streamed conversion renames
    them (the first record keeps its id, later copies get ``a``, ``b`` …):
    each partition reports its ids as it is written, the calling process
    allocates them in partition order, and the rare partition that holds a
    repeat is written once more with its new ids.

    ``scheduler`` is Dask's: by default a ``distributed`` client when one is
    active, otherwise worker processes, as for any Dask bag (threads would
    hold Python's lock and convert on one core).
    """
    writer = default_registry().writer(format)
    # a stream with its own key domain (BibTeX: case-folded, generated keys) needs the stream
    # driver's allocation (bibconv.stream), which partitions written apart do not have yet
    if not isinstance(writer, StreamingWriter) or isinstance(
        writer.stream(options=dict(options)), KeyedStreamWriter
    ):
        raise ValueError(
            f"{writer.name} output cannot be written one partition at a time "
            "(it needs every record at once: unique citation keys or sorting); "
            "collect the records and use bibconv.write instead"
        )
    read_diagnostics: Delayed | list[Diagnostic] = []
    records: db.Bag
    if isinstance(bag, BagRead):
        records, read_diagnostics = bag.records, bag.diagnostics
    else:
        records = bag
    outdir = os.path.abspath(outdir)  # made here; workers need not share the caller's directory
    os.makedirs(outdir, exist_ok=True)
    ext = writer.extensions[0] if writer.extensions else ".txt"
    parts = records.to_delayed()  # type: ignore[no-untyped-call]
    files = [os.path.join(outdir, name.format(i) + ext) for i in range(len(parts))]
    chosen = scheduler or dask_config.get("scheduler", None) or "processes"
    written = [
        delayed(_write_part)(part, path, writer.name, dict(options))
        for part, path in zip(parts, files, strict=True)
    ]
    read, results = dask_compute(read_diagnostics, written, scheduler=chosen)  # type: ignore[no-untyped-call]
    results = list(results)
    ids = KeyAllocator()
    again: dict[int, list[str]] = {}
    for i, (_, own) in enumerate(results):
        ids.reserve(own)
        keys = [ids.take(key) for key in own]
        if keys != own:
            again[i] = keys
    if again:
        redo = [
            delayed(_write_part)(parts[i], files[i], writer.name, dict(options), keys)
            for i, keys in again.items()
        ]
        (rewritten,) = dask_compute(redo, scheduler=chosen)  # type: ignore[no-untyped-call]
        for i, result in zip(again, rewritten, strict=True):
            results[i] = result
    return BagWrite(files, [*read, *(d for diags, _ in results for d in diags)])
