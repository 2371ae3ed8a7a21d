"""Shared machinery for the scraped listing dialects (``abstracts``, ``feed``, ``arxiv``).

Listings are text copied from web pages: no field names, no quoting, and in
the ``feed`` dialect not even a separator between a title and its author list.
This package holds what the three dialect parsers share: a parser for plain
"Given Family" names (:mod:`.names`), the scorer that splits a run-on
"TitleFirst Author, ..." line (:mod:`.split`), a small TeX decoder for
abstract text (:mod:`.tex`) and record assembly helpers (:mod:`.common`).
The reader classes that the registry loads live in
:mod:`bibconv.formats.listing.reader`; merging records of the same paper across
listings lives in :mod:`bibconv.merging`.
"""
