"""Detection of RIS: a ``TY  -`` line starting a record, then more tags.

Light on purpose (``re`` only): the registry calls these to detect a format
without importing the reader (see bibconv.registry.FormatInfo).
"""

from __future__ import annotations

import re

__all__ = ["sniff_ris"]

# The type may be a word or a phrase (``TY  - Journal Article`` from some exporters).
_SNIFF = re.compile(r"^[ \t]{0,3}TY {1,3}- {0,3}[A-Za-z][A-Za-z0-9 ]{0,40}[ \t]*$", re.MULTILINE)
_SNIFF_TAG = re.compile(r"^[A-Z][A-Z0-9]  - ", re.MULTILINE)


def sniff_ris(head: str) -> float:
    """High when a ``TY  - `` line starts a record; linear, bounded regexes."""
    m = _SNIFF.search(head)
    if m is None:
        return 0.0
    before = head[: m.start()]
    tags = len(_SNIFF_TAG.findall(head, m.end(), m.end() + 2000))
    if not before.strip():
        return 1.0 if tags else 0.9
    return 0.9 if tags >= 2 else 0.6
