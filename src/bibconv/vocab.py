"""The CSL 1.0.2 vocabulary: item types and variables, sorted by kind.

Readers and writers check every key against these tables once, so that an
unknown type string (a classic bug in peers, e.g. ``motion-picture`` instead of
``motion_picture``) is caught by a test rather than by a user's citeproc.
"""

from __future__ import annotations

ITEM_TYPES: frozenset[str] = frozenset(
    [
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "bill",
        "book",
        "broadcast",
        "chapter",
        "classic",
        "collection",
        "dataset",
        "document",
        "entry",
        "entry-dictionary",
        "entry-encyclopedia",
        "event",
        "figure",
        "graphic",
        "hearing",
        "interview",
        "legal_case",
        "legislation",
        "manuscript",
        "map",
        "motion_picture",
        "musical_score",
        "pamphlet",
        "paper-conference",
        "patent",
        "performance",
        "periodical",
        "personal_communication",
        "post",
        "post-weblog",
        "regulation",
        "report",
        "review",
        "review-book",
        "software",
        "song",
        "speech",
        "standard",
        "thesis",
        "treaty",
        "webpage",
    ]
)

NAME_VARS: frozenset[str] = frozenset(
    [
        "author",
        "chair",
        "collection-editor",
        "compiler",
        "composer",
        "container-author",
        "contributor",
        "curator",
        "director",
        "editor",
        "editorial-director",
        "executive-producer",
        "guest",
        "host",
        "interviewer",
        "illustrator",
        "narrator",
        "organizer",
        "original-author",
        "performer",
        "producer",
        "recipient",
        "reviewed-author",
        "script-writer",
        "series-creator",
        "translator",
    ]
)

DATE_VARS: frozenset[str] = frozenset(
    ["accessed", "available-date", "event-date", "issued", "original-date", "submitted"]
)

NUMBER_VARS: frozenset[str] = frozenset(
    [
        "chapter-number",
        "citation-number",
        "collection-number",
        "edition",
        "first-reference-note-number",
        "issue",
        "locator",
        "number",
        "number-of-pages",
        "number-of-volumes",
        "page",
        "page-first",
        "part",
        "printing",
        "section",
        "supplement",
        "version",
        "volume",
    ]
)

STRING_VARS: frozenset[str] = frozenset(
    [
        "abstract",
        "annote",
        "archive",
        "archive_collection",
        "archive_location",
        "archive-place",
        "authority",
        "call-number",
        "citation-key",
        "citation-label",
        "collection-title",
        "container-title",
        "container-title-short",
        "dimensions",
        "division",
        "DOI",
        "event",
        "event-title",
        "event-place",
        "genre",
        "ISBN",
        "ISSN",
        "jurisdiction",
        "keyword",
        "language",
        "medium",
        "note",
        "original-publisher",
        "original-publisher-place",
        "original-title",
        "part-title",
        "PMCID",
        "PMID",
        "publisher",
        "publisher-place",
        "references",
        "reviewed-genre",
        "reviewed-title",
        "scale",
        "source",
        "status",
        "title",
        "title-short",
        "URL",
        "volume-title",
        "volume-title-short",
        "year-suffix",
    ]
)

#: Identifier keys that CSL lacks but every bibliography in this field carries.
#: They live in the text map and travel in CSL-JSON's ``custom`` object.
EXTENSION_VARS: frozenset[str] = frozenset({"arxiv", "arxiv-class"})

TEXT_VARS: frozenset[str] = NUMBER_VARS | STRING_VARS | EXTENSION_VARS

#: Identifier variables: what merging and validation match on.
IDENTIFIER_VARS: tuple[str, ...] = ("DOI", "arxiv", "ISBN", "ISSN", "PMID", "PMCID", "URL")

#: Variables that CSL processors treat as rich text (the markup subset is kept);
#: everything else is plain.
RICH_TEXT_VARS: frozenset[str] = frozenset(
    [
        "title",
        "title-short",
        "container-title",
        "collection-title",
        "original-title",
        "reviewed-title",
        "volume-title",
        "part-title",
        "event-title",
        "abstract",
        "note",
        "annote",
        "publisher",
    ]
)

_LOWER_ALIASES: dict[str, str] = {v.lower(): v for v in (NAME_VARS | DATE_VARS | TEXT_VARS | {"type", "id"})}
_LOWER_ALIASES.update(
    {
        "container-title-short": "container-title-short",
        "journal-abbreviation": "container-title-short",
        "journalabbreviation": "container-title-short",
        "shorttitle": "title-short",
        "short-title": "title-short",
    }
)


def canonical(key: str) -> str | None:
    """Return the CSL spelling of ``key`` (``doi`` -> ``DOI``), or None if unknown.

    Peers write ``doi``, ``Doi`` and ``shortTitle``; the IR holds one spelling so
    that equality and lookups never depend on the source's habits.
    """
    return _LOWER_ALIASES.get(key.lower().replace("_", "-"), _LOWER_ALIASES.get(key.lower()))
