"""Detection of BibTeX and BibLaTeX: ``@type{key,`` entries and BibLaTeX-only types and fields.

Light on purpose (``re`` only): the registry calls these to detect a format
without importing the reader (see bibconv.registry.FormatInfo).
"""

from __future__ import annotations

import re

__all__ = ["sniff_biblatex", "sniff_bibtex"]

_SNIFF_BIBLATEX = re.compile(
    r"@(?:online|mvbook|bookinbook|mvcollection|inreference|dataset|software|xdata|report|thesis)"
    r"[ \t]{0,8}[{(]|\b(?:date|journaltitle|location|urldate|eprinttype|langid)[ \t]{0,8}=",
    re.IGNORECASE,
)
# ``@type{key,`` with the key optional (``@article{,``), any type name (``@a{b,``) and the
# comma on the next line (comma-first files): the reader reads all of these.
_SNIFF_ENTRY = re.compile(
    r"@[ \t]{0,8}[A-Za-z][\w-]{0,30}[ \t]{0,8}[{(][ \t\n]{0,8}[^\s,={}()]{0,200}\s{0,8},"
)
_SNIFF_OTHER = re.compile(r"^@(?:string|preamble|comment)[ \t]{0,8}[{(]", re.MULTILINE | re.IGNORECASE)


def sniff_bibtex(head: str) -> float:
    """0.8 for ``@type{key,`` (0.6 when BibLaTeX-only features appear).

    Both BibTeX readers claim ``.bib``; the scores keep a 0.2 lead for one of
    them even after the extension bonus, so detection never calls it ambiguous.
    """
    if not _SNIFF_ENTRY.search(head):
        return 0.55 if _SNIFF_OTHER.search(head) else 0.0
    modern = _SNIFF_BIBLATEX.search(head) is not None
    return 0.6 if modern else 0.8


def sniff_biblatex(head: str) -> float:
    """Above the BibTeX reader only when BibLaTeX-only types or fields appear."""
    if not _SNIFF_ENTRY.search(head):
        return 0.3 if _SNIFF_OTHER.search(head) else 0.0
    return 0.8 if _SNIFF_BIBLATEX.search(head) else 0.6
