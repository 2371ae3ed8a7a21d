"""Detection of MODS XML: its root element and namespace.

Light on purpose (``re`` only): the registry calls these to detect a format
without importing the reader (see bibconv.registry.FormatInfo).
"""

from __future__ import annotations

import re

__all__ = ["sniff_mods"]

_NS = "http://www.loc.gov/mods/v3"
_ROOT = re.compile(r"<(?:\w+:)?(?:modsCollection|mods)[\s>]")


def sniff_mods(head: str) -> float:
    """1.0 for a MODS root in the MODS namespace; lower for the root alone."""
    m = _ROOT.search(head)
    if m is None:
        return 0.0
    return 1.0 if _NS in head else 0.6
