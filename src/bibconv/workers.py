"""Forked worker processes, as streaming conversion, rendering and validate use them.

Each of those sets its work in a module global before forking, so the
workers inherit it (records, a parsed style, a 10 MB text) instead of
receiving it pickled; only small results cross back.  That needs ``fork``:
where the platform lacks it, the callers do the work in one process.
"""

from __future__ import annotations

__all__ = ["can_fork", "worker_init"]


def can_fork() -> bool:
    """True where worker processes can be forked (and so inherit the parent's state)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def worker_init() -> None:
    """Pool initializer: a worker dies quietly on SIGTERM and leaves Ctrl-C to the parent.

    Forked workers inherit the CLI's SIGTERM handler (an exception that lets
    the parent clean up); in a worker that would print a traceback when the
    pool is torn down, so the default action comes back.  SIGINT reaches the
    whole process group; the parent handles it and terminates the pool.
    """
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
