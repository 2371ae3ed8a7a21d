"""Detection of CSL-JSON: an array of objects with CSL keys.

Light on purpose (``re`` only): the registry calls these to detect a format
without importing the reader (see bibconv.registry.FormatInfo).
"""

from __future__ import annotations

import re

__all__ = ["sniff_csljson"]

_SNIFF_ARRAY = re.compile(r"\s{0,64}\[\s{0,64}\{")
_SNIFF_KEY = re.compile(r'"(?:type|id|title|author|issued)"\s{0,8}:')


def sniff_csljson(head: str) -> float:
    """1.0 for an array of objects with CSL keys; less for other JSON."""
    stripped = head.lstrip()
    if not stripped.startswith(("[", "{")):
        return 0.0
    if _SNIFF_ARRAY.match(head) and _SNIFF_KEY.search(head):
        return 1.0
    if stripped.startswith("[") and stripped[1:].lstrip()[:1] in ("]", ""):
        return 0.7
    if _SNIFF_KEY.search(head):
        return 0.7
    return 0.3
