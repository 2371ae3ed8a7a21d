"""Shared machinery for the scraped listing dialects (``abstracts``, ``feed``, ``arxiv``).

Listings are text copied from web pages: no field names, no quoting, and in
the ``feed`` dialect not even a separator between a title and its author list.
This package holds what the three dialect parsers share: a parser for plain
"Given Family" names (:mod:`.names`), the scorer that splits a run-on
"TitleFirst Author, ..." line (:mod:`.split`), a small TeX decoder for
abstract text (:mod:`.tex`) and record assembly helpers (:mod:`.common`).
The reader classes that the registry loads live in
:mod:`bibconv.formats.listing.reader`, their sniffers in :mod:`.sniff`;
merging records of the same paper across listings lives in
:mod:`bibconv.merging`.
"""

from __future__ import annotations

from bibconv.registry import FormatInfo

__all__ = ["ABSTRACTS_INFO", "ARXIV_INFO", "FEED_INFO", "FORMATS"]

ABSTRACTS_INFO = FormatInfo(
    name="abstracts",
    description="pasted listing: one 'Abstract:' line per paper",
    aliases=("abstract-lines",),
    reader="bibconv.formats.listing.reader:AbstractsReader",
    sniff="bibconv.formats.listing.sniff:sniff_abstracts",
)

FEED_INFO = FormatInfo(
    name="feed",
    description="pasted paper feed: 'LGNov 15, 2022' header, title+authors line, abstract",
    aliases=("paper-feed",),
    reader="bibconv.formats.listing.reader:FeedReader",
    sniff="bibconv.formats.listing.sniff:sniff_feed",
)

ARXIV_INFO = FormatInfo(
    name="arxiv",
    description="pasted arXiv listing: abstract, comments, 'arXiv:ID', 'Created:' blocks",
    aliases=("arxiv-listing",),
    reader="bibconv.formats.listing.reader:ArxivReader",
    sniff="bibconv.formats.listing.sniff:sniff_arxiv",
)

#: What this package adds to the registry (see bibconv.registry.BUILTIN_PACKAGES).
FORMATS = (ABSTRACTS_INFO, FEED_INFO, ARXIV_INFO)
