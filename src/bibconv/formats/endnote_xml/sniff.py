"""Detection of EndNote XML: ``<xml><records><record>``.

Light on purpose (``re`` only): the registry calls these to detect a format
without importing the reader (see bibconv.registry.FormatInfo).
"""

from __future__ import annotations

import re

__all__ = ["sniff_endnote_xml"]

_REF = re.compile(r"<ref-type name=")
_SNIFF = re.compile(r"<xml>\s*<records>\s*<record>")


def sniff_endnote_xml(head: str) -> float:
    """1.0 for ``<xml><records><record>``; lower for ``<ref-type name=`` alone."""
    if _SNIFF.search(head):
        return 1.0
    return 0.7 if _REF.search(head) and "<record" in head else 0.0
