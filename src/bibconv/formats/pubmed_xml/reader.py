"""PubMed XML → records: ``PubmedArticle`` and ``PubmedBookArticle`` of an efetch answer."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from bibconv.diagnostics import Diagnostic, Severity
from bibconv.formats.pubmed_xml import PUBMED_XML_INFO
from bibconv.ir import Date, Name, Record, SourceSpan
from bibconv.registry import DeclaredReader, FormatInfo, NoOptions, OptionsArg, ReadResult, make_options

__all__ = ["PubmedXmlReader", "Reader"]

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_PAGES = re.compile(r"(\d{1,9})-(\d{1,9})")
_SEASONS = {"spring": 1, "summer": 2, "fall": 3, "autumn": 3, "winter": 4}


def _month(value: str) -> int | None:
    value = value.strip().lower()
    if value.isdigit() and 1 <= int(value) <= 12:
        return int(value)
    return _MONTHS.index(value[:3]) + 1 if value[:3] in _MONTHS else None


def _pub_date(el: Any) -> Date | None:
    """``PubDate``/``Date``: Year, Month, Day, or a ``MedlineDate`` ("1998 Dec-1999 Jan")."""
    from bibconv.dates import parse_date
    from bibconv.formats.xml import child, text_of

    if el is None:
        return None
    year = text_of(child(el, "Year"))
    if year.isdigit():
        parts = [int(year)]
        month = _month(text_of(child(el, "Month")))
        if month is not None:
            parts.append(month)
            day = text_of(child(el, "Day"))
            if day.isdigit() and 1 <= int(day) <= 31:
                parts.append(int(day))
        season = _SEASONS.get(text_of(child(el, "Season")).lower()) if len(parts) == 1 else None
        try:
            return Date(start=tuple(parts), season=season)
        except ValueError:
            return Date(start=(int(year),))
    medline = text_of(child(el, "MedlineDate"))
    if medline:
        parsed = parse_date(medline)
        if parsed is not None:
            return parsed
        head = medline[:4]
        return Date(start=(int(head),)) if head.isdigit() else Date(literal=medline)
    return None


def _authors(parent: Any, role: str | None = None) -> list[Name]:
    from bibconv.formats.nbib.dialect import nlm_given
    from bibconv.formats.xml import child, children, text_of

    out: list[Name] = []
    for lst in children(parent, "AuthorList"):
        if role is not None and (lst.get("Type") or "authors") != role:
            continue
        for a in children(lst, "Author"):
            collective = text_of(child(a, "CollectiveName"))
            if collective:
                out.append(Name(literal=collective))
                continue
            family = text_of(child(a, "LastName"))
            fore = text_of(child(a, "ForeName"))
            given = nlm_given(fore or text_of(child(a, "Initials")), initials_only=not fore)
            suffix = text_of(child(a, "Suffix")) or None
            if family or given:
                out.append(Name(family=family or None, given=given or None, suffix=suffix))
    return out


def _pages(value: str) -> str:
    m = _PAGES.fullmatch(value)
    if m is None or len(m.group(2)) >= len(m.group(1)):
        return value
    first, last = m.group(1), m.group(2)
    return f"{first}-{first[: len(first) - len(last)]}{last}"


def article_to_record(el: Any, diags: list[Diagnostic], file: str | None) -> Record:
    """One ``PubmedArticle`` or ``PubmedBookArticle`` → a record (the key is generated later)."""
    from bibconv.formats.pubmed_xml.mapping import ARTICLE_IDS, PT_TO_CSL
    from bibconv.formats.xml import child, children, local, text_of

    line = el.sourceline
    text: dict[str, str] = {}
    names: dict[str, list[Name]] = {}
    dates: dict[str, Date] = {}
    extra: dict[str, str] = {}

    def keep(key: str, value: str) -> None:
        if value:
            k = f"pubmed:{key}"
            extra[k] = f"{extra[k]}\n{value}" if k in extra else value

    book = local(el) == "PubmedBookArticle"
    citation = child(el, "BookDocument") if book else child(el, "MedlineCitation")
    if citation is None:
        diags.append(Diagnostic.make("BC143", f"<{local(el)}> has no citation element", file=file, line=line))
        citation = el
    pmid = text_of(child(citation, "PMID"))
    if pmid:
        text["PMID"] = pmid
    article = citation if book else child(citation, "Article")
    if article is None:
        diags.append(Diagnostic.make("BC143", "<MedlineCitation> has no <Article>", file=file, line=line))
        article = citation
    title = text_of(child(article, "ArticleTitle")) or text_of(child(article, "VernacularTitle"))
    if book:
        bk = child(article, "Book")
        book_title = text_of(child(bk, "BookTitle"))
        if title and book_title:
            text["container-title"] = book_title
        title = title or book_title
        text.update(
            {
                k: v
                for k, v in (
                    ("publisher", text_of(child(child(bk, "Publisher"), "PublisherName"))),
                    ("publisher-place", text_of(child(child(bk, "Publisher"), "PublisherLocation"))),
                    ("ISBN", text_of(child(bk, "Isbn"))),
                )
                if v
            }
        )
        names["editor"] = _authors(bk, "editors")
        names["author"] = _authors(article, "authors") or _authors(bk, "authors")
        date = _pub_date(child(bk, "PubDate"))
    else:
        journal = child(article, "Journal")
        issue = child(journal, "JournalIssue")
        for key, value in (
            ("container-title", text_of(child(journal, "Title"))),
            ("container-title-short", text_of(child(journal, "ISOAbbreviation"))),
            ("ISSN", text_of(child(journal, "ISSN"))),
            ("volume", text_of(child(issue, "Volume"))),
            ("issue", text_of(child(issue, "Issue"))),
            # the journal's country, which MEDLINE's tagged format calls PL (nbib reads it alike)
            ("publisher-place", text_of(child(child(citation, "MedlineJournalInfo"), "Country"))),
        ):
            if value:
                text[key] = value
        names["author"] = _authors(article)
        date = _pub_date(child(issue, "PubDate"))
    if title:
        text["title"] = title
    if date is not None:
        dates["issued"] = date
    pagination = child(article, "Pagination")
    pages = text_of(child(pagination, "MedlinePgn"))
    if not pages:
        start, end = text_of(child(pagination, "StartPage")), text_of(child(pagination, "EndPage"))
        pages = f"{start}-{end}" if start and end and start != end else start
    if pages:
        text["page"] = _pages(pages)
    abstract = child(article, "Abstract")
    parts = []
    for a in children(abstract, "AbstractText"):
        value = text_of(a)
        label = a.get("Label")
        parts.append(f"{label}: {value}" if label and value else value)
    if any(parts):
        text["abstract"] = "\n".join(p for p in parts if p)
    langs = [text_of(x) for x in children(article, "Language") if text_of(x)]
    if langs:
        text["language"] = langs[0]
        for lang in langs[1:]:
            keep("Language", lang)
    for eloc in children(article, "ELocationID"):
        if (eloc.get("EIdType") or "") == "doi" and "DOI" not in text:
            text["DOI"] = text_of(eloc)
    pts = [text_of(p) for p in children(child(article, "PublicationTypeList"), "PublicationType")]
    lowered = [p.casefold() for p in pts]
    rtype = next((c for name, c in PT_TO_CSL if any(v.startswith(name) for v in lowered)), None)
    if rtype is None:
        rtype = "chapter" if book and "container-title" in text else "book" if book else "article-journal"
    for p in pts:
        keep("PublicationType", p)
    keywords = [
        text_of(k) for kl in children(citation, "KeywordList") for k in children(kl, "Keyword") if text_of(k)
    ]
    if keywords:
        text["keyword"] = ", ".join(keywords)
    for mesh in children(child(citation, "MeshHeadingList"), "MeshHeading"):
        keep("MeshHeading", " / ".join(text_of(x) for x in mesh if text_of(x)))
    data = child(el, "PubmedData")
    if data is None:
        data = child(el, "PubmedBookData")
    for ident in children(child(data, "ArticleIdList"), "ArticleId"):
        kind = (ident.get("IdType") or "").lower()
        value = text_of(ident)
        var = ARTICLE_IDS.get(kind)
        if var is not None and value and var not in text:
            text[var] = value
        elif value and var is None:
            keep(f"ArticleId-{kind}", value)
    status = text_of(child(data, "PublicationStatus"))
    keep("PublicationStatus", status)
    return Record(
        id=pmid or "ref",
        type=rtype,
        text=text,
        names={k: tuple(v) for k, v in names.items() if v},
        dates=dates,
        extra=extra,
        span=SourceSpan(file, line, None),
    )


class PubmedXmlReader(DeclaredReader):
    """Reads PubMed XML (NCBI efetch, ``retmode=xml``), read only."""

    info: ClassVar[FormatInfo] = PUBMED_XML_INFO

    Options: ClassVar[type[NoOptions]] = NoOptions

    def read(self, text: str, *, file: str | None = None, options: OptionsArg = None) -> ReadResult:
        """Every article of the set; keys are generated (``author year title``), PMIDs kept."""
        make_options(type(self), options)  # takes none: refuses any
        from bibconv.formats.xml import build_each, check_root, elements_named, parse_document
        from bibconv.keys import make_key, unique_keys

        result = ReadResult()
        diags = result.diagnostics
        root = parse_document(text, file, diags)
        if root is None:
            return result
        articles = ("PubmedArticle", "PubmedBookArticle")
        check_root(root, ("PubmedArticleSet", *articles), "PubmedArticleSet", diags, file)
        built = build_each(elements_named(root, *articles), article_to_record, diags, file, "article")
        keys = unique_keys(make_key(r) for r in built)
        for record, key in zip(built, keys, strict=True):
            diags.append(
                Diagnostic.make(
                    "BC210",
                    f"key {key!r} was generated",
                    severity=Severity.INFO,
                    file=file,
                    line=record.span.line if record.span else None,
                    record_id=key,
                )
            )
            result.records.append(record.evolve(id=key))
        return result


Reader = PubmedXmlReader
