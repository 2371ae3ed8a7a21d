"""PubMed XML (``efetch.fcgi?db=pubmed&retmode=xml``: ``<PubmedArticleSet>``), read only."""

from __future__ import annotations

from bibconv.registry import FormatInfo

__all__ = ["FORMATS", "PUBMED_XML_INFO"]

PUBMED_XML_INFO = FormatInfo(
    name="pubmed-xml",
    description="PubMed XML (efetch PubmedArticleSet), read only",
    aliases=("pubmedxml", "medline-xml"),
    reader="bibconv.formats.pubmed_xml.reader:PubmedXmlReader",
    sniff="bibconv.formats.pubmed_xml.sniff:sniff_pubmed_xml",
)

#: What this package adds to the registry (see bibconv.registry.BUILTIN_PACKAGES).
FORMATS = (PUBMED_XML_INFO,)
