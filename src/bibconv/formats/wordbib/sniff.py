"""Detection of Word bibliography XML: ``<b:Sources>`` in Word's namespace.

Light on purpose (``re`` only): the registry calls these to detect a format
without importing the reader (see bibconv.registry.FormatInfo).
"""

from __future__ import annotations

import re

__all__ = ["sniff_wordbib"]

_NS = "schemas.openxmlformats.org/officeDocument/2006/bibliography"
_SNIFF = re.compile(r"<(?:\w+:)?Sources[\s>]")


def sniff_wordbib(head: str) -> float:
    """1.0 for ``<b:Sources>`` with Word's bibliography namespace."""
    if _SNIFF.search(head) is None:
        return 0.0
    return 1.0 if _NS in head else 0.5
