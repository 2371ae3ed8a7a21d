"""RIS support shared by the reader and the writer: the mapping tables and value syntax."""

from __future__ import annotations

from bibconv.registry import FormatInfo

__all__ = ["FORMATS", "RIS_INFO"]

RIS_INFO = FormatInfo(
    name="ris",
    description="RIS tagged format (Zotero, EndNote, Mendeley, PubMed, Scopus, WoS)",
    aliases=("refman",),
    extensions=(".ris",),
    reader="bibconv.formats.ris.reader:RisReader",
    writer="bibconv.formats.ris.writer:RisWriter",
    sniff="bibconv.formats.ris.sniff:sniff_ris",
)

#: What this package adds to the registry (see bibconv.registry.BUILTIN_PACKAGES).
FORMATS = (RIS_INFO,)
