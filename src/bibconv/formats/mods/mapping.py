"""The one two-way table of MODS elements ↔ CSL (reader and writer both use it)."""

from __future__ import annotations

NS = "http://www.loc.gov/mods/v3"

#: Role terms (MARC relator text or code, lower-cased) → CSL name variable.
ROLES: dict[str, str] = {
    "author": "author",
    "aut": "author",
    "creator": "author",
    "cre": "author",
    "editor": "editor",
    "edt": "editor",
    "translator": "translator",
    "trl": "translator",
    "illustrator": "illustrator",
    "ill": "illustrator",
    "composer": "composer",
    "cmp": "composer",
    "director": "director",
    "drt": "director",
    "interviewer": "interviewer",
    "ivr": "interviewer",
    "recipient": "recipient",
    "rcp": "recipient",
    "contributor": "contributor",
    "ctb": "contributor",
}
#: CSL name variable → the MARC relator term the writer uses.
ROLE_TERMS: dict[str, str] = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "illustrator": "illustrator",
    "composer": "composer",
    "director": "director",
    "interviewer": "interviewer",
    "recipient": "recipient",
    "contributor": "contributor",
}
#: Names of the host (``relatedItem type="host"``) → CSL variable, by role.
HOST_ROLES: dict[str, str] = {"author": "container-author", "editor": "editor"}
#: Names of the series → CSL variable.
SERIES_ROLES: dict[str, str] = {"editor": "collection-editor"}

#: ``identifier type`` (lower-cased) ↔ CSL variable.
IDENTIFIERS: dict[str, str] = {
    "doi": "DOI",
    "isbn": "ISBN",
    "issn": "ISSN",
    "pmid": "PMID",
    "pubmed": "PMID",
    "pmc": "PMCID",
    "arxiv": "arxiv",
    "uri": "URL",
    "url": "URL",
    "call-number": "call-number",
}
IDENTIFIER_TYPES: dict[str, str] = {
    "DOI": "doi",
    "ISBN": "isbn",
    "ISSN": "issn",
    "PMID": "pmid",
    "PMCID": "pmc",
    "arxiv": "arxiv",
    "call-number": "call-number",
}
#: ``part/detail type`` ↔ CSL variable (in the record or its host).
DETAILS: dict[str, str] = {
    "volume": "volume",
    "issue": "issue",
    "number": "number",
    "chapter": "chapter-number",
}

#: CSL type → (own genre, host genre or None: no host).  bibutils' genre words.
TYPES: dict[str, tuple[str, str | None]] = {
    "article-journal": ("journal article", "academic journal"),
    "article-magazine": ("magazine article", "magazine"),
    "article-newspaper": ("newspaper article", "newspaper"),
    "chapter": ("book chapter", "book"),
    "paper-conference": ("conference publication", "conference publication"),
    "entry-encyclopedia": ("encyclopedia entry", "encyclopedia"),
    "entry-dictionary": ("dictionary entry", "dictionary"),
    "book": ("book", None),
    "thesis": ("thesis", None),
    "report": ("report", None),
    "webpage": ("web page", None),
    "patent": ("patent", None),
    "dataset": ("dataset", None),
    "software": ("software", None),
    "map": ("map", None),
    "manuscript": ("manuscript", None),
    "legal_case": ("legal case and case notes", None),
    "legislation": ("legislation", None),
    "personal_communication": ("letter", None),
    "motion_picture": ("motion picture", None),
    "interview": ("interview", None),
    "speech": ("speech", None),
    "standard": ("standard", None),
    "article": ("preprint", None),
}

#: Own genre words (lower-cased) → CSL type when the record has no host.
GENRES: dict[str, str] = {
    "book": "book",
    "thesis": "thesis",
    "ph.d. thesis": "thesis",
    "masters thesis": "thesis",
    "dissertation": "thesis",
    "report": "report",
    "technical report": "report",
    "web page": "webpage",
    "web site": "webpage",
    "patent": "patent",
    "dataset": "dataset",
    "software": "software",
    "computer program": "software",
    "map": "map",
    "cartographic": "map",
    "manuscript": "manuscript",
    "unpublished": "manuscript",
    "legal case and case notes": "legal_case",
    "legislation": "legislation",
    "letter": "personal_communication",
    "motion picture": "motion_picture",
    "interview": "interview",
    "speech": "speech",
    "standard": "standard",
    "preprint": "article",
    "journal article": "article-journal",
    "conference publication": "paper-conference",
    "book chapter": "chapter",
}

#: Host genre words (lower-cased) → CSL type of the record inside the host.
HOST_GENRES: dict[str, str] = {
    "academic journal": "article-journal",
    "journal": "article-journal",
    "periodical": "article-journal",
    "magazine": "article-magazine",
    "newspaper": "article-newspaper",
    "book": "chapter",
    "conference publication": "paper-conference",
    "encyclopedia": "entry-encyclopedia",
    "dictionary": "entry-dictionary",
}

#: The ``extension`` label of the catch-all (exact CSL values as JSON).
CATCH_ALL_LABEL = "bibconv-csl"
