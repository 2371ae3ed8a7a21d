"""PubMed XML elements → CSL (read only: PubMed XML is what NCBI writes, nobody else).

Publication types are MEDLINE's, shared with the tagged format's ``PT``
(:mod:`bibconv.formats.nbib.mapping`).
"""

from __future__ import annotations

from bibconv.formats.nbib.mapping import PT_TO_CSL

__all__ = ["ARTICLE_IDS", "PT_TO_CSL"]

#: ``ArticleId/@IdType`` → CSL variable.
ARTICLE_IDS: dict[str, str] = {"doi": "DOI", "pmc": "PMCID", "pubmed": "PMID"}
