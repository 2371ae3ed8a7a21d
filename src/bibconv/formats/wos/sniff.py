"""Detection of Web of Science exports: the ``FN``/``VR`` header, ``PT`` and WoS tags.

Light on purpose (``re`` only): the registry calls these to detect a format
without importing the reader (see bibconv.registry.FormatInfo).
"""

from __future__ import annotations

import re

__all__ = ["sniff_wos"]

_HEADER = re.compile(r"\A\s*FN .{0,80}\n\s*VR \d", re.IGNORECASE)
_PT = re.compile(r"^PT [A-Z]\s*$", re.MULTILINE)
_TAG = re.compile(r"^(?:AU|AF|TI|SO|PY|DT|UT|ER|DI|VL|BP|AB|CR|NR|TC|PD|SN)(?: |\s*$)", re.MULTILINE)


def sniff_wos(head: str) -> float:
    """1.0 for the ``FN``/``VR`` header; high for ``PT`` plus WoS tags."""
    if _HEADER.match(head):
        return 1.0
    m = _PT.search(head)
    if m is None:
        return 0.0
    tags = len(_TAG.findall(head, m.end(), m.end() + 4000))
    return 0.9 if tags >= 3 else 0.6 if tags else 0.3
