"""The one two-way table of EndNote XML elements ↔ CSL (reader and writer both use it).

Reference types are EndNote's, the same names as the tagged format's ``%0``
(shared with :mod:`bibconv.formats.endnote.mapping`); the numbers are
EndNote's reference type numbers, written beside the name.
"""

from __future__ import annotations

from bibconv.formats.endnote.mapping import JOURNAL_TYPES, PAGES_COUNT_TYPES, TYPES

__all__ = [
    "CATCH_ALL_PREFIX",
    "CONTRIBUTORS",
    "JOURNAL_TYPES",
    "PAGES_COUNT_TYPES",
    "TEXT",
    "TITLES",
    "TYPES",
    "TYPE_NUMBERS",
]

#: ``contributors/<group>/author`` → CSL name variable.
CONTRIBUTORS: dict[str, str] = {
    "authors": "author",
    "secondary-authors": "editor",
    "tertiary-authors": "collection-editor",
    "subsidiary-authors": "translator",
}
#: ``titles/<element>`` → CSL variable.
TITLES: dict[str, str] = {
    "title": "title",
    "secondary-title": "container-title",
    "tertiary-title": "collection-title",
    "short-title": "title-short",
}
#: Record-level elements holding one text value → CSL variable (``pages``, ``number``
#: and ``isbn`` are read by type).
TEXT: dict[str, str] = {
    "pages": "page",
    "volume": "volume",
    "number": "number",
    "issue": "issue",
    "edition": "edition",
    "section": "section",
    "num-vols": "number-of-volumes",
    "pub-location": "publisher-place",
    "publisher": "publisher",
    "isbn": "ISBN",
    "electronic-resource-num": "DOI",
    "abstract": "abstract",
    "notes": "note",
    "language": "language",
    "work-type": "genre",
    "call-num": "call-number",
    "remote-database-name": "archive",
}
#: EndNote's reference type numbers.
TYPE_NUMBERS: dict[str, int] = {
    "Artwork": 2,
    "Audiovisual Material": 3,
    "Bill": 4,
    "Book Section": 5,
    "Book": 6,
    "Case": 7,
    "Computer Program": 9,
    "Conference Proceedings": 10,
    "Web Page": 12,
    "Generic": 13,
    "Hearing": 14,
    "Journal Article": 17,
    "Magazine Article": 19,
    "Map": 20,
    "Film or Broadcast": 21,
    "Newspaper Article": 23,
    "Patent": 25,
    "Personal Communication": 26,
    "Report": 27,
    "Edited Book": 28,
    "Statute": 31,
    "Thesis": 32,
    "Unpublished Work": 34,
    "Manuscript": 36,
    "Electronic Article": 43,
    "Conference Paper": 47,
    "Dictionary": 52,
    "Encyclopedia": 53,
    "Standard": 58,
    "Dataset": 59,
}
#: A ``research-notes`` value starting with this holds the exact CSL values the elements lose.
CATCH_ALL_PREFIX = "bibconv-csl: "
