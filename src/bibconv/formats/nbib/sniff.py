"""Detection of MEDLINE/PubMed tagged files: ``PMID-`` and MEDLINE's own tags.

Light on purpose (``re`` only): the registry calls these to detect a format
without importing the reader (see bibconv.registry.FormatInfo).
"""

from __future__ import annotations

import re

__all__ = ["sniff_nbib"]

_OWN = re.compile(
    r"^(?:FAU|FED|DP|JT|TA|OWN|STAT|SO|AID|LID|VI|IP|DEP|JID|EDAT|MHDA|CRDT|PHST|BTI|CTI) {0,2}- ",
    re.MULTILINE,
)
_PMID = re.compile(r"^PMID- ?\d", re.MULTILINE)
_RIS_TY = re.compile(r"^\s{0,3}TY {1,3}-", re.MULTILINE)
_SHARED = re.compile(r"^(?:PT|TI|AU|AB|PG|IS|LA|OT|MH|AD|GN|PL|PB) {0,2}- ", re.MULTILINE)


def sniff_nbib(head: str) -> float:
    """1.0 with a ``PMID-`` line; lower on MEDLINE-only tags; 0 when RIS's ``TY`` is there."""
    if _RIS_TY.search(head):
        return 0.0
    if _PMID.search(head):
        return 1.0
    own = len(_OWN.findall(head))
    shared = len(_SHARED.findall(head))
    if own:
        return 0.9 if own + shared >= 3 else 0.7
    return 0.6 if shared else 0.0
