"""MEDLINE / PubMed tagged format (``.nbib``: ``PMID-``, ``FAU -``, ``AU  -``, …)."""

from __future__ import annotations

from bibconv.registry import FormatInfo

__all__ = ["FORMATS", "NBIB_INFO"]

NBIB_INFO = FormatInfo(
    name="nbib",
    description="MEDLINE / PubMed tagged format (.nbib)",
    aliases=("medline", "pubmed"),
    extensions=(".nbib", ".medline"),
    reader="bibconv.formats.nbib.reader:NbibReader",
    writer="bibconv.formats.nbib.writer:NbibWriter",
    sniff="bibconv.formats.nbib.sniff:sniff_nbib",
)

#: What this package adds to the registry (see bibconv.registry.BUILTIN_PACKAGES).
FORMATS = (NBIB_INFO,)
