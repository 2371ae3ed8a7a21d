"""How long-running library calls report progress without printing.

The library never prints (see :mod:`bibconv.api`).  Calls that can take
seconds (streaming conversion, rendering a bibliography, validating many
files) accept ``progress``: a callable invoked in the calling process as work
completes, with the unit counted, how many are done, and the total when it is
known::

    def progress(unit: str, done: int, total: int | None) -> None: ...

``unit`` is a plural noun (``"records"``, ``"entries"``, ``"files"``); when a
call moves on to another phase the unit changes and ``done`` starts again.
Work done in forked worker processes is counted here, in the parent, as
their results arrive, so the hook never runs in a worker.  The command line
turns these calls into a progress bar on stderr (``--progress``); anything
else (a GUI, a log line every N records) can be plugged in the same way.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress"]

#: ``progress(unit, done, total)``; see the module docstring.
Progress = Callable[[str, int, "int | None"], None]
