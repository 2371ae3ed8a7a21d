"""EndNote XML export (``<xml><records><record>``, styled text runs)."""

from __future__ import annotations

from bibconv.registry import FormatInfo

__all__ = ["ENDNOTE_XML_INFO", "FORMATS"]

ENDNOTE_XML_INFO = FormatInfo(
    name="endnote-xml",
    description="EndNote XML export (<xml><records><record>, styled text)",
    aliases=("endnotexml", "enx"),
    reader="bibconv.formats.endnote_xml.reader:EndnoteXmlReader",
    writer="bibconv.formats.endnote_xml.writer:EndnoteXmlWriter",
    sniff="bibconv.formats.endnote_xml.sniff:sniff_endnote_xml",
)

#: What this package adds to the registry (see bibconv.registry.BUILTIN_PACKAGES).
FORMATS = (ENDNOTE_XML_INFO,)
