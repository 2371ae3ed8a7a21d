"""Forked worker processes, as streaming conversion, rendering and validate use them.

Each of those sets its work in a module global before forking, so the
workers inherit it (records, a parsed style, a 10 MB text) instead of
receiving it pickled; only small results cross back.  That needs ``fork``:
where the platform lacks it, the callers do the work in one process.
"""

from __future__ import annotations

__all__ = ["can_fork"]


def can_fork() -> bool:
    """True where worker processes can be forked (and so inherit the parent's state)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()
