"""Readers for the three scraped listing dialects: ``abstracts``, ``feed`` and ``arxiv``.

The parsing lives in :mod:`bibconv.formats.listing`; these classes give each dialect
the reader interface and a ``sniff`` that scores the share of lines (or
paragraphs) matching the dialect's patterns, so detection tells the dialects
apart from each other and from BibTeX, RIS and CSL-JSON without an extension
(listings are usually ``.txt``, which no reader claims).  Options: ``feed``
takes ``reference_date`` (``YYYY-MM-DD``, default today) to complete dates
printed without a year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar

from bibconv.formats.listing import ABSTRACTS_INFO, ARXIV_INFO, FEED_INFO
from bibconv.formats.listing.abstracts import read_abstracts
from bibconv.formats.listing.arxiv import read_arxiv
from bibconv.formats.listing.feed import read_feed
from bibconv.registry import DeclaredReader, FormatInfo, Options, OptionsArg, ReadResult, make_options


@dataclass(frozen=True, slots=True, kw_only=True)
class ListingOptions(Options):
    """The listing readers' options (one set for the family, since detection may choose any dialect)."""

    reference_date: str | dt.date | None = field(
        default=None,
        metadata={
            "help": "YYYY-MM-DD (default today): completes the year-less dates of a paper feed; "
            "abstracts and arXiv listings print full dates and need none"
        },
    )


__all__ = ["AbstractsReader", "ArxivReader", "FeedReader", "ListingOptions"]


class AbstractsReader(DeclaredReader):
    """One ``Abstract:`` line per paper (abstract text only)."""

    info: ClassVar[FormatInfo] = ABSTRACTS_INFO

    Options: ClassVar[type[ListingOptions]] = ListingOptions

    def read(self, text: str, *, file: str | None = None, options: OptionsArg = None) -> ReadResult:
        """See :func:`bibconv.formats.listing.abstracts.read_abstracts`."""
        make_options(type(self), options)  # reference_date is accepted (see ListingOptions)
        return read_abstracts(text, file=file)


class FeedReader(DeclaredReader):
    """A paper-feed listing: header, run-on title and authors, abstract."""

    info: ClassVar[FormatInfo] = FEED_INFO

    Options: ClassVar[type[ListingOptions]] = ListingOptions

    def read(self, text: str, *, file: str | None = None, options: OptionsArg = None) -> ReadResult:
        """See :func:`bibconv.formats.listing.feed.read_feed`."""
        opts: ListingOptions = make_options(type(self), options)
        return read_feed(text, file=file, reference=opts.reference_date)


class ArxivReader(DeclaredReader):
    """An arXiv author listing: blocks ending in ``arXiv:ID`` and ``Created:`` lines."""

    info: ClassVar[FormatInfo] = ARXIV_INFO

    Options: ClassVar[type[ListingOptions]] = ListingOptions

    def read(self, text: str, *, file: str | None = None, options: OptionsArg = None) -> ReadResult:
        """See :func:`bibconv.formats.listing.arxiv.read_arxiv`."""
        make_options(type(self), options)  # reference_date is accepted (see ListingOptions)
        return read_arxiv(text, file=file)
