"""Detection of PubMed XML: a ``<PubmedArticleSet>`` (or article) element.

Light on purpose (``re`` only): the registry calls these to detect a format
without importing the reader (see bibconv.registry.FormatInfo).
"""

from __future__ import annotations

import re

__all__ = ["sniff_pubmed_xml"]

_SNIFF = re.compile(r"<(?:PubmedArticleSet|PubmedArticle|PubmedBookArticle)[\s>]")


def sniff_pubmed_xml(head: str) -> float:
    """1.0 for a ``<PubmedArticleSet>`` (or article) element."""
    return 1.0 if _SNIFF.search(head) else 0.0
