"""RIS ⇄ CSL: the type table and the tag table, one mapping for both directions.

The reader asks "what does tag ``T2`` mean in a ``BOOK``?" (a series title)
and the writer asks "which tag carries ``collection-title`` in a ``BOOK``?"
(``T2``); both questions are answered from the same rows, so the two
directions cannot drift apart.  Rows with a ``types`` set are the
type-specific meanings RIS has (EndNote's export uses ``SP`` for the page
count of a book and ``ET`` for the version of software); they are tried
before the general rows.

Facts about which tag means what were learned from the RIS specification as
reference managers implement it (Zotero's and EndNote's import and export,
citation-js, pandoc); the tables themselves are bibconv's own choices, and
docs/ris.md explains each one that differs from a peer.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BT_IS_TITLE",
    "CSL_TO_RIS",
    "DATE_TAGS",
    "DA_ACCESSED",
    "KNOWN_TAGS",
    "NAME_ROWS",
    "NAME_TAGS",
    "READ_ALIASES",
    "RIS_TO_CSL",
    "TEXT_ROWS",
    "TextRow",
    "csl_type",
    "name_var",
    "ris_type",
    "tag_for_name",
    "tag_for_text",
    "text_var",
]

#: Every RIS reference type → the CSL type it is read as.
RIS_TO_CSL: dict[str, str] = {
    "ABST": "article-journal",  # an abstract of a journal article
    "ADVS": "motion_picture",  # audiovisual material
    "AGGR": "dataset",  # aggregated database
    "ANCIENT": "classic",
    "ART": "graphic",
    "BILL": "bill",
    "BLOG": "post-weblog",
    "BOOK": "book",
    "CASE": "legal_case",
    "CHAP": "chapter",
    "CHART": "figure",
    "CLSWK": "classic",
    "COMP": "software",
    "CONF": "paper-conference",  # Zotero and EndNote import it as a conference paper
    "CPAPER": "paper-conference",
    "CTLG": "document",  # a catalogue: no CSL type fits better
    "DATA": "dataset",
    "DBASE": "dataset",
    "DICT": "entry-dictionary",
    "EBOOK": "book",
    "ECHAP": "chapter",
    "EDBOOK": "book",
    "EJOUR": "article-journal",
    "ELEC": "webpage",
    "ENCYC": "entry-encyclopedia",
    "EQUA": "document",
    "FIGURE": "figure",
    "GEN": "document",
    "GOVDOC": "report",
    "GRANT": "document",
    "HEAR": "hearing",
    "ICOMM": "personal_communication",
    "INPR": "article-journal",
    "JFULL": "periodical",  # a whole journal issue
    "JOUR": "article-journal",
    "LEGAL": "regulation",  # "legal rule or regulation"
    "MANSCPT": "manuscript",
    "MAP": "map",
    "MGZN": "article-magazine",
    "MPCT": "motion_picture",
    "MULTI": "motion_picture",
    "MUSIC": "musical_score",
    "NEWS": "article-newspaper",
    "PAMP": "pamphlet",
    "PAT": "patent",
    "PCOMM": "personal_communication",
    "RPRT": "report",
    "SER": "book",  # "Serial (Book, Monograph)" in the RIS type list
    "SLIDE": "speech",
    "SOUND": "song",
    "STAND": "standard",
    "STAT": "legislation",
    "THES": "thesis",
    "UNBILL": "bill",
    "UNPB": "manuscript",
    "VIDEO": "motion_picture",
    "WEB": "webpage",
}

#: CSL type → the RIS type written.  Chosen so that Zotero and EndNote import
#: each as the matching kind; a CSL type whose RIS type reads back as another
#: CSL type also goes into the catch-all (see formats/ris/writer.py).
CSL_TO_RIS: dict[str, str] = {
    "article": "GEN",
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "bill": "BILL",
    "book": "BOOK",
    "broadcast": "MPCT",
    "chapter": "CHAP",
    "classic": "CLSWK",
    "collection": "BOOK",
    "dataset": "DATA",
    "document": "GEN",
    "entry": "GEN",
    "entry-dictionary": "DICT",
    "entry-encyclopedia": "ENCYC",
    "event": "GEN",
    "figure": "FIGURE",
    "graphic": "ART",
    "hearing": "HEAR",
    "interview": "GEN",
    "legal_case": "CASE",
    "legislation": "STAT",
    "manuscript": "MANSCPT",
    "map": "MAP",
    "motion_picture": "MPCT",
    "musical_score": "MUSIC",
    "pamphlet": "PAMP",
    "paper-conference": "CONF",  # what Zotero exports; EndNote: conference proceedings
    "patent": "PAT",
    "performance": "GEN",
    "periodical": "JFULL",
    "personal_communication": "PCOMM",
    "post": "BLOG",
    "post-weblog": "BLOG",
    "regulation": "LEGAL",
    "report": "RPRT",
    "review": "JOUR",
    "review-book": "JOUR",
    "software": "COMP",
    "song": "SOUND",
    "speech": "SLIDE",
    "standard": "STAND",
    "thesis": "THES",
    "treaty": "GEN",
    "webpage": "ELEC",
}

#: Old or vendor spellings of tags, read as the canonical tag.
READ_ALIASES: dict[str, str] = {
    "A1": "AU",
    "ED": "A2",
    "T1": "TI",
    "CT": "TI",
    "JF": "T2",
    "JO": "T2",
    "JA": "J2",
    "N2": "AB",
    "Y1": "PY",
    "PU": "PB",
    "PP": "CY",
    "CP": "IS",
}

#: Name tags (canonical) → CSL name variable, in types without a row below.
NAME_TAGS: dict[str, str] = {
    "AU": "author",
    "A2": "editor",
    "A3": "collection-editor",
    "A4": "translator",
}

# RIS types whose T2 is a series and whose SP is a page count (EndNote's
# reference types, which Zotero follows on import).
_BOOKS = frozenset({"BOOK", "EBOOK", "EDBOOK", "CLSWK"})
_SERIES_T2 = _BOOKS | {"CTLG", "RPRT", "MAP", "MPCT", "MULTI", "COMP", "SER", "UNPB"}
_SERIES_A2 = frozenset({"BOOK", "CLSWK", "EDBOOK", "MAP", "RPRT", "UNPB", "WEB", "MULTI", "COMP"})
_CONFERENCES = frozenset({"CONF", "CPAPER"})  # T2 is the conference, C3 the proceedings
_SP_SIZE = frozenset({"ART", "CHART", "FIGURE", "EQUA", "MAP", "MPCT"})
_SP_NONE = frozenset({"BLOG", "WEB", "ELEC", "COMP"})
#: Types whose old ``BT`` ("book title") is the title itself; elsewhere it is the container.
BT_IS_TITLE = _BOOKS | {"MANSCPT"}
#: Types whose ``DA`` is the access date in EndNote's export (others: the date).
DA_ACCESSED = frozenset({"AGGR", "EJOUR", "EBOOK", "DBASE", "MULTI", "CASE"})

#: Name tag ⇄ CSL name variable, type-specific rows first.
NAME_ROWS: tuple[tuple[str, str, frozenset[str] | None], ...] = (
    ("AU", "editor", frozenset({"EDBOOK"})),
    ("A2", "collection-editor", _SERIES_A2),
    ("A3", "editor", _SERIES_A2),  # EndNote: A2 is the series editor there
    ("A2", "recipient", frozenset({"PCOMM"})),
    ("A2", "author", frozenset({"BILL"})),  # the sponsor of a bill
    ("AU", "author", None),
    ("A2", "editor", None),
    ("A3", "collection-editor", None),
    ("A4", "translator", None),
)


def name_var(tag: str, ris: str) -> str | None:
    """The CSL name variable that canonical name ``tag`` means in type ``ris``."""
    for t, var, types in NAME_ROWS:
        if t == tag and (types is None or ris in types):
            return var
    return None


def tag_for_name(var: str, ris: str) -> str | None:
    """The tag that carries name variable ``var`` in type ``ris`` and reads back as it."""
    for t, v, types in NAME_ROWS:
        if v == var and (types is None or ris in types) and name_var(t, ris) == var:
            return t
    return None


#: Date tags (canonical) → CSL date variable.  ``DA`` refines ``PY``.
DATE_TAGS: dict[str, str] = {"PY": "issued", "Y2": "accessed"}


@dataclass(frozen=True, slots=True)
class TextRow:
    """One tag ⇄ text-variable row, for all types or only ``types``."""

    tag: str
    var: str
    types: frozenset[str] | None = None

    def applies(self, ris: str) -> bool:
        """True when the row holds for RIS type ``ris``."""
        return self.types is None or ris in self.types


#: Tag ⇄ CSL text variable.  Type-specific rows come first; ``SN`` maps to
#: ISBN or ISSN by the value's shape (see formats/ris/reader.py), so both rows exist.
TEXT_ROWS: tuple[TextRow, ...] = (
    TextRow("T2", "collection-title", _SERIES_T2),
    TextRow("T2", "event-title", _CONFERENCES),
    TextRow("C3", "container-title", _CONFERENCES),
    TextRow("C1", "event-place", _CONFERENCES),
    TextRow("T2", "title-short", frozenset({"CASE"})),
    TextRow("SP", "number-of-pages", _BOOKS | {"THES"}),
    TextRow("SP", "dimensions", _SP_SIZE),
    TextRow("SP", "", _SP_NONE),
    TextRow("ET", "version", frozenset({"COMP"})),
    TextRow("TI", "title"),
    TextRow("T2", "container-title"),
    TextRow("T3", "collection-title"),
    TextRow("ST", "title-short"),
    TextRow("J2", "container-title-short"),
    TextRow("AB", "abstract"),
    TextRow("N1", "note"),
    TextRow("KW", "keyword"),
    TextRow("SP", "page"),
    TextRow("VL", "volume"),
    TextRow("IS", "issue"),
    TextRow("ET", "edition"),
    TextRow("PB", "publisher"),
    TextRow("CY", "publisher-place"),
    TextRow("SN", "ISBN"),
    TextRow("SN", "ISSN"),
    TextRow("DO", "DOI"),
    TextRow("UR", "URL"),
    TextRow("LA", "language"),
    TextRow("M1", "number"),
    TextRow("M3", "genre"),
    TextRow("CN", "call-number"),
    TextRow("NV", "number-of-volumes"),
    TextRow("SE", "section"),
    TextRow("DP", "source"),
    TextRow("DB", "archive"),
    TextRow("AN", "archive_location"),
    TextRow("OP", "original-title"),
    TextRow("RI", "reviewed-title"),
)

#: Every tag the reader understands (after aliasing), plus the structural ones.
KNOWN_TAGS: frozenset[str] = frozenset(
    {"TY", "ER", "ID", "EP", "DA", "BT"} | set(NAME_TAGS) | set(DATE_TAGS) | {r.tag for r in TEXT_ROWS}
)


def csl_type(ris: str) -> tuple[str, bool]:
    """The CSL type for a ``TY`` value and whether it was known.

    Case is ignored (``Chap``); a vendor's longer spelling of a known type
    (``Journ`` from OEB) is matched by its first four letters.
    """
    key = ris.strip().upper()
    if key in RIS_TO_CSL:
        return RIS_TO_CSL[key], True
    if len(key) >= 4:
        for known, csl in RIS_TO_CSL.items():
            if len(known) >= 4 and key.startswith(known):
                return csl, False
    return "document", False


def ris_type(csl: str) -> str:
    """The RIS type written for a CSL type."""
    return CSL_TO_RIS.get(csl, "GEN")


def text_var(tag: str, ris: str) -> str | None:
    """The CSL text variable that canonical ``tag`` means in RIS type ``ris``.

    ``SN`` answers ``ISBN``; the reader decides between ISBN and ISSN.
    """
    for row in TEXT_ROWS:
        if row.tag == tag and row.applies(ris):
            return row.var or None
    return None


def tag_for_text(var: str, ris: str) -> str | None:
    """The tag that carries CSL text variable ``var`` in RIS type ``ris``, or None.

    A tag qualifies only when reading it back in the same type gives ``var``
    again, so a book's ``container-title`` is not written as ``T2`` (which a
    book reads as its series).
    """
    for row in TEXT_ROWS:
        if row.var == var and row.var and row.applies(ris):
            back = text_var(row.tag, ris)
            if back == var or (row.tag == "SN" and var in ("ISBN", "ISSN")):
                return row.tag
    return None
