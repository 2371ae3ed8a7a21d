"""The one two-way table of EndNote refer tags ↔ CSL (reader and writer both use it).

Tags and reference types follow EndNote's "Tagged import" table (the refer
tags plus EndNote's extensions); what bibutils' ``end2xml`` and Zotero's
Refer/BibIX importer read was checked on tests/data/formats/endnote/.
"""

from __future__ import annotations

#: (tag, CSL name variable).
NAME_TAGS: tuple[tuple[str, str], ...] = (
    ("%A", "author"),
    ("%E", "editor"),
    ("%Y", "collection-editor"),
    ("%?", "translator"),
)

#: (tag, CSL text variable).  ``%J`` (journal) and ``%B`` (book, conference) both
#: hold the container; the writer picks one by type.
TEXT_TAGS: tuple[tuple[str, str], ...] = (
    ("%T", "title"),
    ("%J", "container-title"),
    ("%B", "container-title"),
    ("%S", "collection-title"),
    ("%!", "title-short"),
    ("%V", "volume"),
    ("%N", "issue"),
    ("%P", "page"),
    ("%7", "edition"),
    ("%6", "number-of-volumes"),
    ("%&", "section"),
    ("%I", "publisher"),
    ("%C", "publisher-place"),
    ("%@", "ISBN"),
    ("%R", "DOI"),
    ("%U", "URL"),
    ("%9", "genre"),
    ("%G", "language"),
    ("%L", "call-number"),
    ("%~", "archive"),
    ("%K", "keyword"),
    ("%X", "abstract"),
    ("%Z", "note"),
)

#: Repeating tags joined into one CSL value, with the separator.
JOINS: dict[str, str] = {"%K": ", ", "%Z": "\n"}

#: ``%0`` reference types ↔ CSL types: reading takes every row; writing the first
#: row of a CSL type.
TYPES: tuple[tuple[str, str], ...] = (
    ("Journal Article", "article-journal"),
    ("Book", "book"),
    ("Edited Book", "book"),
    ("Electronic Book", "book"),
    ("Book Section", "chapter"),
    ("Electronic Book Section", "chapter"),
    ("Conference Paper", "paper-conference"),
    ("Conference Proceedings", "paper-conference"),
    ("Thesis", "thesis"),
    ("Report", "report"),
    ("Government Document", "report"),
    ("Web Page", "webpage"),
    ("Newspaper Article", "article-newspaper"),
    ("Magazine Article", "article-magazine"),
    ("Electronic Article", "article"),
    ("Generic", "document"),
    ("Patent", "patent"),
    ("Manuscript", "manuscript"),
    ("Unpublished Work", "manuscript"),
    ("Film or Broadcast", "motion_picture"),
    ("Computer Program", "software"),
    ("Dataset", "dataset"),
    ("Map", "map"),
    ("Statute", "legislation"),
    ("Case", "legal_case"),
    ("Hearing", "hearing"),
    ("Bill", "bill"),
    ("Personal Communication", "personal_communication"),
    ("Encyclopedia", "entry-encyclopedia"),
    ("Dictionary", "entry-dictionary"),
    ("Artwork", "graphic"),
    ("Figure", "figure"),
    ("Chart or Table", "figure"),
    ("Audiovisual Material", "song"),
    ("Standard", "standard"),
    ("Interview", "interview"),
    ("Blog", "post-weblog"),
    ("Serial", "periodical"),
    ("Classical Work", "classic"),
)

#: CSL types whose container is a periodical (``%J``); the others use ``%B``.
JOURNAL_TYPES = frozenset(
    {"article-journal", "article-magazine", "article-newspaper", "article", "periodical"}
)

#: CSL types whose ``%P`` is EndNote's "Number of Pages" (a whole book), not a page range.
PAGES_COUNT_TYPES = frozenset({"book", "thesis"})

#: Classic refer files have no ``%0``: the first of these tags present decides the type.
REFER_TYPES: tuple[tuple[str, str], ...] = (
    ("%J", "article-journal"),
    ("%B", "chapter"),
    ("%R", "report"),
    ("%I", "book"),
)
