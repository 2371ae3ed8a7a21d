"""BibTeX/BibLaTeX ⇄ CSL: entry types and fields, in tables both directions share.

The reader maps a field by :func:`field_target` and the writer picks fields
with :func:`write_field`, then checks each choice against ``field_target`` so
that whatever is written reads back as the same variable.  A variable with no
BibTeX field is written under its CSL name (``call-number = {…}``) or, where
that name means something else in BibTeX, as ``csl-<var>``; the reader knows
both, so nothing the IR holds is lost on a round trip.
"""

from __future__ import annotations

import functools

from bibconv.vocab import DATE_VARS, ITEM_TYPES, NAME_VARS, TEXT_VARS, canonical

__all__ = [
    "BIBLATEX_TYPES",
    "BIBTEX_TYPES",
    "NAME_FIELDS",
    "NOCASE_VARS",
    "READ_TYPES",
    "VERBATIM_VARS",
    "field_candidates",
    "field_target",
    "preferred_fields",
    "read_type",
    "write_field",
]

#: Entry type → CSL type (both dialects; unknown types become "document").
READ_TYPES: dict[str, str] = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "book",  # as Zotero and citation-js read it; CSL's "pamphlet" is for brochures
    "inbook": "chapter",
    "bookinbook": "book",
    "suppbook": "chapter",
    "incollection": "chapter",
    "suppcollection": "chapter",
    "collection": "book",
    "mvcollection": "book",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "mvproceedings": "book",
    "reference": "book",
    "mvreference": "book",
    "inreference": "entry",
    "manual": "report",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "unpublished": "manuscript",
    "misc": "document",
    "online": "webpage",
    "www": "webpage",
    "electronic": "webpage",
    "webpage": "webpage",
    "blog": "post-weblog",
    "patent": "patent",
    "software": "software",
    "code": "software",
    "game": "software",
    "dataset": "dataset",
    "data": "dataset",
    "periodical": "periodical",
    "suppperiodical": "article-journal",
    "standard": "standard",
    "artwork": "graphic",
    "image": "graphic",
    "audio": "song",
    "music": "song",
    "musicscore": "musical_score",
    "video": "motion_picture",
    "movie": "motion_picture",
    "performance": "performance",
    "letter": "personal_communication",
    "review": "review",
    "jurisdiction": "legal_case",
    "judicial": "legal_case",
    "case": "legal_case",
    "legislation": "legislation",
    "law": "legislation",
    "legal": "treaty",
    "map": "map",
    "interview": "interview",
    "speech": "speech",
    "talk": "speech",
    "presentation": "speech",
    "set": "document",
}

#: CSL type → entry type written by the BibTeX writer (classic types only).
BIBTEX_TYPES: dict[str, str] = {
    "article": "misc",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "pamphlet": "booklet",
    "report": "techreport",
    "thesis": "phdthesis",
    "manuscript": "unpublished",
    "entry-encyclopedia": "incollection",
    "entry-dictionary": "incollection",
    "entry": "incollection",
}

#: CSL type → entry type written by the BibLaTeX writer.
BIBLATEX_TYPES: dict[str, str] = {
    **BIBTEX_TYPES,
    "chapter": "incollection",
    # Biber's aliases: @report and @thesis require a type, which these set
    "report": "techreport",
    "thesis": "phdthesis",
    "webpage": "online",
    "post": "online",
    "post-weblog": "online",
    "patent": "patent",
    "software": "software",
    "dataset": "dataset",
    "periodical": "periodical",
    "standard": "standard",
    "entry": "inreference",
    "graphic": "artwork",
    "song": "audio",
    "motion_picture": "video",
    "musical_score": "musicscore",
    "performance": "performance",
    "personal_communication": "letter",
    "review": "review",
    "legal_case": "jurisdiction",
    "legislation": "legislation",
}

_ARTICLE_TYPES = frozenset({"article-journal", "article-magazine", "article-newspaper", "article", "review"})
_BOOKISH = frozenset({"book", "chapter", "paper-conference", "report", "thesis", "entry-encyclopedia"})

#: Name fields (lower-case) → CSL name variable.
NAME_FIELDS: dict[str, str] = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "bookauthor": "container-author",
}

#: Plain field → CSL variable, the same for every type.
_SIMPLE: dict[str, str] = {
    "title": "title",
    "shorttitle": "title-short",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "shortjournal": "container-title-short",
    "series": "collection-title",
    "volume": "volume",
    "pages": "page",
    "edition": "edition",
    "chapter": "chapter-number",
    "publisher": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "note": "note",
    "annote": "annote",
    "annotation": "annote",
    "abstract": "abstract",
    "keywords": "keyword",
    "doi": "DOI",
    "url": "URL",
    "isbn": "ISBN",
    "issn": "ISSN",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "language": "language",
    "type": "genre",
    "version": "version",
    "pagetotal": "number-of-pages",
    "volumes": "number-of-volumes",
    "eventtitle": "event-title",
    "venue": "event-place",
    "issue": "issue",
    "medium": "medium",
}

#: Fields that name a publisher when ``publisher`` itself is absent.
PUBLISHER_LIKE = ("school", "institution", "organization", "howpublished")

#: Date fields → CSL date variables (``date``/``year``/``month`` are handled apart).
DATE_FIELDS: dict[str, str] = {
    "urldate": "accessed",
    "eventdate": "event-date",
    "origdate": "original-date",
}

#: Values taken verbatim (no LaTeX decoding), as Biber treats them.
VERBATIM_VARS = frozenset({"URL", "DOI"})

#: Variables whose protecting braces become nocase spans (titles); elsewhere braces vanish.
NOCASE_VARS = frozenset(
    {
        "title",
        "title-short",
        "container-title",
        "container-title-short",
        "collection-title",
        "volume-title",
        "original-title",
        "event-title",
        "part-title",
        "reviewed-title",
    }
)

#: Field names the reader gives a meaning; CSL variables with these names go to ``csl-<var>``.
RESERVED_FIELDS = frozenset(
    set(_SIMPLE)
    | set(NAME_FIELDS)
    | set(PUBLISHER_LIKE)
    | set(DATE_FIELDS)
    | {
        "number",
        "date",
        "year",
        "month",
        "day",
        "eprint",
        "archiveprefix",
        "eprinttype",
        "primaryclass",
        "eprintclass",
        "subtitle",
        "titleaddon",
        "maintitle",
        "mainsubtitle",
        "maintitleaddon",
        "crossref",
        "xdata",
        "entrysubtype",
        "langid",
        "csl-type",
    }
)


def read_type(etype: str, csl_type_field: str, entrysubtype: str, has_arxiv: bool) -> str | None:
    """The CSL type of an entry; None for an unknown entry type.

    ``@misc`` with an arXiv eprint is a preprint (CSL ``article``), which is
    how arXiv itself exports papers.
    """
    if csl_type_field in ITEM_TYPES:
        return csl_type_field
    csl_type = READ_TYPES.get(etype)
    if csl_type == "article-journal":
        return {"magazine": "article-magazine", "newspaper": "article-newspaper"}.get(entrysubtype, csl_type)
    if etype == "misc" and has_arxiv:
        return "article"
    return csl_type


def field_target(csl_type: str, name: str) -> str | None:
    """The CSL variable a field fills for an entry of ``csl_type`` (None: no direct mapping).

    Only the context-free and type-dependent mappings live here; ``eprint``,
    ``school``/``institution``/``organization``, dates and subtitles need the
    whole entry and are handled by the reader.
    """
    if name == "number":
        if csl_type in _ARTICLE_TYPES:
            return "issue"
        if csl_type in ("book", "chapter", "paper-conference", "entry-encyclopedia"):
            return "collection-number"
        return "number"
    target = _SIMPLE.get(name)
    if target is not None:
        return target
    if name in RESERVED_FIELDS:
        return None
    if name.startswith("csl-"):
        var = canonical(name[4:])
        return var if var in TEXT_VARS else None
    var = canonical(name)
    if var in TEXT_VARS and var.lower() == name.replace("_", "-").lower():
        return var
    return None


def _prefer(csl_type: str, var: str, dialect: str) -> str | None:
    """The conventional field for ``var`` in an entry of ``csl_type``."""
    biblatex = dialect == "biblatex"
    if var == "container-title":
        if csl_type in _ARTICLE_TYPES or csl_type == "periodical":
            return "journaltitle" if biblatex else "journal"
        return "booktitle"
    if var == "issue":
        return "number" if csl_type in _ARTICLE_TYPES else "issue"
    if var == "collection-number":
        return "number"
    if var == "publisher-place":
        return "location" if biblatex else "address"
    if var == "annote":
        return "annotation" if biblatex else "annote"
    for fname, target in _SIMPLE.items():
        if target == var and fname not in ("journal", "journaltitle", "booktitle", "location", "address"):
            return fname
    if var == "number":
        return "number"
    return None


@functools.cache
def preferred_fields(csl_type: str, var: str) -> frozenset[str]:
    """The fields a style prints ``var`` from in an entry of ``csl_type`` (either dialect).

    When an entry has two fields for one variable (``journal`` and
    ``booktitle`` in an ``@article``), the reader takes the preferred one,
    whatever the order, and keeps the other under its own name; the writer
    writes the variable to the same preferred field, so the pair survives.
    """
    return frozenset(
        f for f in (_prefer(csl_type, var, "bibtex"), _prefer(csl_type, var, "biblatex")) if f is not None
    )


def field_candidates(csl_type: str, var: str, dialect: str) -> tuple[str | None, str | None]:
    """The fields that read back as ``var``: (the conventional one, the variable's own name).

    Either is None when it would not read back as ``var``.  Depends on the
    entry only through its type, so a writer can work it out once per type.
    """
    preferred = _prefer(csl_type, var, dialect)
    first = preferred if preferred and field_target(csl_type, preferred) == var else None
    plain = var.lower() if var.isupper() else var
    second = plain if field_target(csl_type, plain) == var else None
    return first, second


def write_field(csl_type: str, var: str, dialect: str, used: set[str]) -> str:
    """The field name to write ``var`` under, guaranteed to read back as ``var``."""
    first, second = field_candidates(csl_type, var, dialect)
    if first and first not in used:
        return first
    if second and second not in used:
        return second
    return "csl-" + var


def is_name_field(name: str) -> str | None:
    """The CSL name variable for a field, if it holds names."""
    if name in NAME_FIELDS:
        return NAME_FIELDS[name]
    if name in RESERVED_FIELDS:
        return None
    var = canonical(name[4:] if name.startswith("csl-") else name)
    return var if var in NAME_VARS else None


def is_date_field(name: str) -> str | None:
    """The CSL date variable for a field, if it holds a date (besides date/year/month)."""
    if name in DATE_FIELDS:
        return DATE_FIELDS[name]
    if name in RESERVED_FIELDS:
        return None
    var = canonical(name[4:] if name.startswith("csl-") else name)
    return var if var in DATE_VARS and var != "issued" else None


#: CSL date variable → field written.
WRITE_DATE_FIELDS: dict[str, str] = {v: k for k, v in DATE_FIELDS.items()}
#: CSL name variable → field written.
WRITE_NAME_FIELDS: dict[str, str] = {v: k for k, v in NAME_FIELDS.items()}


#: babel/polyglossia language names (BibLaTeX ``langid``) → BCP 47 tags for CSL ``language``.
#: ``english`` is ``en-US`` as in babel (and pandoc); names are matched in lower case.
LANGID_TAGS: dict[str, str] = {
    "english": "en-US",
    "american": "en-US",
    "usenglish": "en-US",
    "british": "en-GB",
    "ukenglish": "en-GB",
    "australian": "en-AU",
    "canadian": "en-CA",
    "newzealand": "en-NZ",
    "german": "de-DE",
    "ngerman": "de-DE",
    "austrian": "de-AT",
    "naustrian": "de-AT",
    "swissgerman": "de-CH",
    "nswissgerman": "de-CH",
    "french": "fr-FR",
    "francais": "fr-FR",
    "acadian": "fr-CA",
    "canadien": "fr-CA",
    "italian": "it-IT",
    "spanish": "es-ES",
    "catalan": "ca-ES",
    "galician": "gl-ES",
    "basque": "eu-ES",
    "portuguese": "pt-PT",
    "portuges": "pt-PT",
    "brazil": "pt-BR",
    "brazilian": "pt-BR",
    "dutch": "nl-NL",
    "danish": "da-DK",
    "norwegian": "nb-NO",
    "norsk": "nb-NO",
    "nynorsk": "nn-NO",
    "swedish": "sv-SE",
    "finnish": "fi-FI",
    "icelandic": "is-IS",
    "estonian": "et-EE",
    "latvian": "lv-LV",
    "lithuanian": "lt-LT",
    "polish": "pl-PL",
    "czech": "cs-CZ",
    "slovak": "sk-SK",
    "slovene": "sl-SI",
    "slovenian": "sl-SI",
    "croatian": "hr-HR",
    "serbian": "sr-RS",
    "bulgarian": "bg-BG",
    "russian": "ru-RU",
    "ukrainian": "uk-UA",
    "greek": "el-GR",
    "hungarian": "hu-HU",
    "magyar": "hu-HU",
    "romanian": "ro-RO",
    "turkish": "tr-TR",
    "hebrew": "he-IL",
    "arabic": "ar",
    "persian": "fa-IR",
    "farsi": "fa-IR",
    "latin": "la",
    "irish": "ga-IE",
    "welsh": "cy-GB",
    "afrikaans": "af-ZA",
    "indonesian": "id-ID",
    "vietnamese": "vi-VN",
    "thai": "th-TH",
    "japanese": "ja-JP",
    "chinese": "zh-CN",
    "korean": "ko-KR",
}


def langid_language(langid: str | None) -> str | None:
    """The CSL ``language`` a BibLaTeX ``langid`` stands for (a BCP 47 tag when the name is
    known, else the value as written); None for no langid.

    Why: ``langid`` is how BibLaTeX files say an entry's language, and CSL processors
    decide title casing by ``language`` (a German title must not be title-cased);
    pandoc and citation-js read it the same way.  The writer uses the same function to
    write such a language back as the ``langid`` it came from.
    """
    if not langid or not langid.strip():
        return None
    value = " ".join(langid.split())
    return LANGID_TAGS.get(value.lower(), value)
