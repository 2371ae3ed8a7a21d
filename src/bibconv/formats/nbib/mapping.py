"""The one two-way table of MEDLINE tags ↔ CSL (reader and writer both use it).

Tags follow the NLM "MEDLINE/PubMed Data Element (Field) Descriptions";
what bibutils and metaknowledge read was checked on tests/data/formats/nbib/.
"""

from __future__ import annotations

#: (tag, CSL name variable); ``AU``/``ED`` are the abbreviated forms of ``FAU``/``FED``.
NAME_TAGS: tuple[tuple[str, str], ...] = (
    ("FAU", "author"),
    ("AU", "author"),
    ("CN", "author"),
    ("FED", "editor"),
    ("ED", "editor"),
)

#: (tag, CSL text variable).
TEXT_TAGS: tuple[tuple[str, str], ...] = (
    ("TI", "title"),
    ("BTI", "title"),
    ("JT", "container-title"),
    ("TA", "container-title-short"),
    ("CTI", "collection-title"),
    ("VI", "volume"),
    ("IP", "issue"),
    ("PG", "page"),
    ("EN", "edition"),
    ("PB", "publisher"),
    ("PL", "publisher-place"),
    ("AID", "DOI"),
    ("LID", "DOI"),
    ("IS", "ISSN"),
    ("ISBN", "ISBN"),
    ("PMID", "PMID"),
    ("PMC", "PMCID"),
    ("LA", "language"),
    ("OT", "keyword"),
    ("AB", "abstract"),
    ("GN", "note"),
)

#: Repeating tags joined into one CSL value, with the separator.
JOINS: dict[str, str] = {"OT": ", ", "GN": "\n"}

#: Publication types (``PT``, case-insensitive, matched as a prefix so ERIC's plural
#: "Journal Articles" and "Reports - Research" count) → CSL type, in priority order.
#: A record with none of these is a journal article when it names a journal.
PT_TO_CSL: tuple[tuple[str, str], ...] = (
    ("preprint", "article"),
    ("congress", "paper-conference"),
    ("book chapter", "chapter"),
    ("dissertations/theses", "thesis"),
    ("book", "book"),
    ("dataset", "dataset"),
    ("newspaper article", "article-newspaper"),
    ("journal article", "article-journal"),
    ("reports", "report"),
)

#: CSL type → the ``PT`` written; other types are written as a journal article
#: and keep their exact type in the catch-all.
CSL_TO_PT: dict[str, str] = {
    "article": "Preprint",
    "paper-conference": "Congress",
    "chapter": "Book Chapter",
    "book": "Book",
    "dataset": "Dataset",
    "article-newspaper": "Newspaper Article",
    "article-journal": "Journal Article",
}
DEFAULT_PT = "Journal Article"

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SEASONS: dict[str, int] = {"spring": 1, "summer": 2, "fall": 3, "autumn": 3, "winter": 4}
SEASON_NAMES = ("Spring", "Summer", "Fall", "Winter")
