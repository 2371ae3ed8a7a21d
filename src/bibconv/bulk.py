"""A scope for building many small objects at once: :func:`bulk_allocation`.

Why it is the caller's choice: Python's cyclic garbage collector is process
wide.  A library that switches it off, even briefly, changes the behaviour of
every other thread of its caller, so bibconv's readers, writers and
``validate`` never touch it.  The command line enters this scope around each
command; a program that reads large bibliographies may do the same::

    import bibconv

    with bibconv.bulk_allocation():
        result = bibconv.read("[]", "csljson")
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["bulk_allocation"]


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block, if it is running.

    Reading a large file (CSL-JSON, BibTeX, or validating one) builds hundreds
    of thousands of small containers (decoded items or lexed entries, then
    records, names and dates) that stay alive and never form cycles.  With the
    collector on, every few hundred allocations it re-examines them, and on
    jgrey.json (16,579 items) that was about 40% of reading.  Reference
    counting still frees everything at once; the collector is switched back
    on afterwards, and cycles made meanwhile are collected then.  If the
    caller has turned the collector off, it is left off.  Worker processes
    started inside the block (``-j``) pause theirs too (see :mod:`bibconv.workers`).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
