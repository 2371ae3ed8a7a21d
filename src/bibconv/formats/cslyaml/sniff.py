"""Detection of CSL-YAML: a top-level ``references:`` key over CSL item keys.

Light on purpose (``re`` only): the registry calls these to detect a format
without importing the reader (see bibconv.registry.FormatInfo).
"""

from __future__ import annotations

import re

__all__ = ["sniff_cslyaml"]

_ITEM = re.compile(r"^[ \t]*-?[ \t]*(?:id|type|title|author|issued):", re.MULTILINE)
_SNIFF = re.compile(r"^references:[ \t]*(?:#.*)?$", re.MULTILINE)


def sniff_cslyaml(head: str) -> float:
    """High for a top-level ``references:`` key followed by CSL item keys."""
    m = _SNIFF.search(head)
    if m is None:
        return 0.0
    before = head[: m.start()].strip()
    items = _ITEM.search(head, m.end()) is not None
    if before and before != "---" and not before.startswith("---\n"):
        return 0.6 if items else 0.3
    return 1.0 if items else 0.7
