"""Detection of EndNote tagged / refer files: ``%0`` and the refer tags.

Light on purpose (``re`` only): the registry calls these to detect a format
without importing the reader (see bibconv.registry.FormatInfo).
"""

from __future__ import annotations

import re

__all__ = ["sniff_endnote"]

_TAGS = re.compile(r"^%[ABCDEIJKNPRTUVX@8] \S", re.MULTILINE)
_TYPE = re.compile(r"^%0 \S", re.MULTILINE)


def sniff_endnote(head: str) -> float:
    """1.0 when a ``%0`` line starts the first record; lower on refer tags alone."""
    tags = len(_TAGS.findall(head))
    m = _TYPE.search(head)
    if m is not None:
        before = head[: m.start()].strip()
        return 1.0 if not before else 0.9 if tags >= 2 else 0.6
    return 0.7 if tags >= 3 else 0.0
