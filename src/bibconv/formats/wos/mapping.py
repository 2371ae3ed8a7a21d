"""The one two-way table of Web of Science tags ↔ CSL (reader and writer both use it).

Tags and document types follow Clarivate's "Web of Science Core Collection
field tags" list; what bibutils' ``isi2xml`` and metaknowledge read was
checked against the samples in tests/data/formats/wos/.
"""

from __future__ import annotations

#: (tag, CSL name variable).  ``AU``/``BA`` are the abbreviated forms of ``AF``/``BF``.
NAME_TAGS: tuple[tuple[str, str], ...] = (
    ("AF", "author"),
    ("AU", "author"),
    ("CA", "author"),
    ("BF", "container-author"),
    ("BA", "container-author"),
    ("BE", "editor"),
)

#: (tag, CSL text variable).  ``BP``/``EP`` together make ``page``.
TEXT_TAGS: tuple[tuple[str, str], ...] = (
    ("TI", "title"),
    ("SO", "container-title"),
    ("JI", "container-title-short"),
    ("SE", "collection-title"),
    ("CT", "event-title"),
    ("CL", "event-place"),
    ("PU", "publisher"),
    ("PI", "publisher-place"),
    ("VL", "volume"),
    ("IS", "issue"),
    ("PN", "part"),
    ("SU", "supplement"),
    ("BP", "page"),
    ("EP", "page"),
    ("AR", "number"),
    ("PG", "number-of-pages"),
    ("DI", "DOI"),
    ("SN", "ISSN"),
    ("BN", "ISBN"),
    ("PM", "PMID"),
    ("LA", "language"),
    ("DE", "keyword"),
    ("AB", "abstract"),
)

#: Tags whose continuation lines each hold one more value (a list, one a line).
LINE_LIST_TAGS = frozenset({"AU", "AF", "BA", "BF", "BE", "CA", "GP", "CR", "C1", "C3"})

#: Document types (``DT``, first match of its ``;``-separated parts) → CSL type.
DT_TO_CSL: tuple[tuple[str, str], ...] = (
    ("Book Chapter", "chapter"),
    ("Proceedings Paper", "paper-conference"),
    ("Meeting Abstract", "paper-conference"),
    ("Book Review", "review-book"),
    ("Book", "book"),
    ("Patent", "patent"),
    ("News Item", "article-newspaper"),
    ("Data Paper", "dataset"),
    ("Article", "article-journal"),
    ("Review", "article-journal"),
    ("Letter", "article-journal"),
    ("Editorial Material", "article-journal"),
    ("Note", "article-journal"),
    ("Correction", "article-journal"),
    ("Early Access", "article-journal"),
)

#: Publication type (``PT``) → CSL type, when ``DT`` does not decide.
PT_TO_CSL: dict[str, str] = {
    "J": "article-journal",
    "B": "book",
    "S": "book",
    "C": "paper-conference",
    "P": "patent",
}

#: CSL type → (``PT``, ``DT``) written; other types are written as a journal article
#: and keep their exact type in the catch-all.
CSL_TO_TYPE: dict[str, tuple[str, str]] = {
    "article-journal": ("J", "Article"),
    "paper-conference": ("C", "Proceedings Paper"),
    "chapter": ("B", "Book Chapter"),
    "book": ("B", "Book"),
    "review-book": ("J", "Book Review"),
    "patent": ("P", "Patent"),
    "article-newspaper": ("J", "News Item"),
    "dataset": ("J", "Data Paper"),
}
DEFAULT_TYPE = ("J", "Article")

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
#: ``PD`` season words ↔ CSL season numbers (1 spring … 4 winter).
SEASONS: dict[str, int] = {"SPR": 1, "SUM": 2, "FAL": 3, "WIN": 4}
