"""Worker processes for ``-j``: streaming conversion and validate's source scan.

Work reaches a worker only as pickled arguments (a block and its reader's
plan, a picklable writer target, a text to scan), never through module
globals, so every start method works: ``fork`` (the default on Linux, the
cheapest to start), ``spawn`` (macOS, Windows) and ``forkserver``.  The
environment variable ``BIBCONV_START_METHOD`` (or the ``start_method``
argument) chooses one; by default it is the platform's.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["START_METHOD_VARIABLE", "LazyPool", "pool", "process_pool", "start_method", "worker_init"]

#: Names the start method for worker processes (``fork``, ``spawn``, ``forkserver``).
START_METHOD_VARIABLE = "BIBCONV_START_METHOD"


def start_method(method: str | None = None) -> str:
    """The start method to use: ``method``, else ``$BIBCONV_START_METHOD``, else the platform's."""
    import multiprocessing

    chosen = method or os.environ.get(START_METHOD_VARIABLE) or multiprocessing.get_start_method()
    if chosen not in multiprocessing.get_all_start_methods():
        raise ValueError(
            f"start method {chosen!r} is not available here; "
            f"choose one of {', '.join(multiprocessing.get_all_start_methods())}"
        )
    return chosen


def pool(jobs: int, method: str | None = None) -> Any:
    """A ``multiprocessing`` pool of ``jobs`` workers, started by :func:`start_method`."""
    import gc
    import multiprocessing

    context = multiprocessing.get_context(start_method(method))
    return context.Pool(jobs, initializer=worker_init, initargs=(not gc.isenabled(),))


class LazyPool:
    """A :func:`pool` started when first needed (if at all) and stopped on leaving the block.

    One conversion of many files uses one pool: starting ``spawn`` workers
    costs an interpreter and bibconv's imports each, too much to pay per file.
    """

    def __init__(self, jobs: int, method: str | None = None) -> None:
        self.jobs, self.method = jobs, method
        self._pool: Any = None

    def get(self) -> Any:
        """The running pool, started now if it was not yet."""
        if self._pool is None:
            self._pool = pool(self.jobs, self.method)
        return self._pool

    def close(self) -> None:
        """Stop the workers (unfinished work is dropped: results are taken before this)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> LazyPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def process_pool(jobs: int, method: str | None = None) -> Any:
    """A ``concurrent.futures`` process pool, started as :func:`pool` is."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context(start_method(method))
    return ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=worker_init, initargs=(not gc.isenabled(),)
    )


def worker_init(collector_paused: bool = False) -> None:
    """Pool initializer: quiet signals, and the caller's choice about the garbage collector.

    Forked workers inherit the CLI's SIGTERM handler (an exception that lets
    the parent clean up); in a worker that would print a traceback when the
    pool is torn down, so the default action comes back.  SIGINT reaches the
    whole process group; the parent handles it and terminates the pool.
    A worker does the caller's bulk work, so it pauses the collector when the
    caller had it paused (:func:`bibconv.bulk_allocation`); a forked worker
    inherits that anyway, a spawned one learns it here.
    """
    import gc
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if collector_paused:
        gc.disable()
