"""MODS ↔ records: both directions, on the table in :mod:`.mapping`.

Reading keeps what it cannot place: an element without a CSL home is kept
in ``extra`` as ``mods:<element>`` (its text) and reported.  Writing builds
one ``<mods>`` per record and reads it back with :func:`element_to_record`;
whatever did not come back exactly goes into ``<extension
displayLabel="bibconv-csl">`` as CSL-JSON, which the reader applies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from lxml import etree

from bibconv.dates import format_edtf, parse_date
from bibconv.diagnostics import Diagnostic
from bibconv.formats.mods.mapping import (
    CATCH_ALL_LABEL,
    DETAILS,
    GENRES,
    HOST_GENRES,
    HOST_ROLES,
    IDENTIFIER_TYPES,
    IDENTIFIERS,
    NS,
    ROLE_TERMS,
    ROLES,
    SERIES_ROLES,
    TYPES,
)
from bibconv.formats.xml import ElementContext, child, children, dump_catch, local, text_of, xml_safe
from bibconv.ir import Date, Name, Record, SourceSpan

__all__ = ["add_catch_all", "element_to_record", "record_to_element"]

_KNOWN = frozenset(
    {
        "titleInfo",
        "name",
        "typeOfResource",
        "genre",
        "originInfo",
        "language",
        "abstract",
        "note",
        "subject",
        "identifier",
        "location",
        "part",
        "relatedItem",
        "extension",
        "recordInfo",
    }
)
_PAGES = re.compile(r"\s*(\S+?)\s*[-\u2013]+\s*(\S+)\s*")


class _Ctx(ElementContext):
    """What reading one ``<mods>`` collects."""

    prefix = "mods"

    def __init__(self, diags: list[Diagnostic], file: str | None, line: int | None) -> None:
        super().__init__(diags, file, line)
        self.names: dict[str, list[Name]] = {}
        self.dates: dict[str, Date] = {}


def _title(info: Any) -> str:
    """``nonSort title: subTitle. partNumber: partName`` (the parts a titleInfo has)."""
    parts = [text_of(child(info, "nonSort")), text_of(child(info, "title"))]
    title = " ".join(p for p in parts if p)
    sub = text_of(child(info, "subTitle"))
    title = f"{title}: {sub}" if title and sub else title or sub
    number, name = text_of(child(info, "partNumber")), text_of(child(info, "partName"))
    if number:
        title = f"{title}. {number}" if title else number
    if name:
        title = f"{title}{': ' if number else '. '}{name}" if title else name
    return title


def _titles(el: Any) -> tuple[str, str]:
    """(main title, abbreviated title) of an element."""
    main = short = ""
    for info in children(el, "titleInfo"):
        kind = info.get("type")
        if kind == "abbreviated":
            short = short or _title(info)
        elif kind in (None, "", "main"):
            main = main or _title(info)
    return main, short


def _split_particle(family: str) -> tuple[str | None, str]:
    words = family.split(" ")
    n = 0
    while n < len(words) - 1 and words[n][:1].islower():
        n += 1
    return (" ".join(words[:n]), " ".join(words[n:])) if n else (None, family)


def _name(el: Any) -> Name | None:
    """A ``<name>`` → a person or organisation."""
    parts: dict[str, list[str]] = {}
    for part in children(el, "namePart"):
        value = text_of(part)
        if value:
            parts.setdefault(part.get("type") or "", []).append(value)
    if el.get("type") in ("corporate", "conference"):
        literal = " ".join(v for vs in parts.values() for v in vs)
        return Name(literal=literal) if literal else None
    family = " ".join(parts.get("family", []))
    given = " ".join(parts.get("given", []))
    suffix = " ".join(parts.get("termsOfAddress", [])) or None
    untyped = " ".join(parts.get("", []))
    if not family and not given and untyped:
        from bibconv.formats.ris.values import parse_name

        last = untyped.rsplit(" ", 1)[-1][:-1]
        if untyped.endswith(".") and len(last) > 2 and "." not in last:
            untyped = untyped[:-1]  # MARC's closing full stop ("Sridharan, Kumar."), not an initial
        return parse_name(untyped)
    if not family and not given:
        return None
    particle, family = _split_particle(family) if family else (None, family)
    return Name(family=family or None, given=given or None, non_dropping_particle=particle, suffix=suffix)


def _role(el: Any) -> str:
    for role in children(el, "role"):
        for term in children(role, "roleTerm"):
            value = text_of(term).lower()
            if value:
                return value
    return "author"


def _names(ctx: _Ctx, el: Any, roles: dict[str, str] | None) -> None:
    """The ``<name>`` children of ``el``: by role, or through ``roles`` (host, series)."""
    for n in children(el, "name"):
        name = _name(n)
        if name is None:
            continue
        term = _role(n)
        role = ROLES.get(term)
        var = role if roles is None else roles.get(role or "")
        if var is None:
            ctx.keep("name", name.display(), n.sourceline, f"has the role {term!r}")
            continue
        ctx.names.setdefault(var, []).append(name)


def _date(ctx: _Ctx, var: str, el: Any) -> None:
    value = text_of(el)
    if not value or var in ctx.dates:
        return
    parsed = parse_date(value)
    if parsed is None:
        ctx.diags.append(
            Diagnostic.make(
                "BC202",
                f"date {value!r} is not understood; kept as literal",
                file=ctx.file,
                line=el.sourceline,
            )
        )
        parsed = Date(literal=value)
    ctx.dates[var] = parsed


def _origin(ctx: _Ctx, el: Any) -> None:
    for origin in children(el, "originInfo"):
        # an encoded date (encoding="marc"/"w3cdtf", keyDate) before transcribed text ("c1999")
        issued = sorted(
            children(origin, "dateIssued"), key=lambda d: not (d.get("encoding") or d.get("keyDate"))
        )
        for d in issued:
            _date(ctx, "issued", d)
        for d in children(origin, "dateCaptured"):
            _date(ctx, "accessed", d)
        for p in children(origin, "publisher"):
            ctx.set("publisher", text_of(p), "publisher", p.sourceline)
        for place in children(origin, "place"):
            for term in children(place, "placeTerm"):
                if term.get("type") != "code":
                    ctx.set("publisher-place", text_of(term), "placeTerm", term.sourceline)
        for e in children(origin, "edition"):
            ctx.set("edition", text_of(e), "edition", e.sourceline)


def _part(ctx: _Ctx, el: Any) -> None:
    for part in children(el, "part"):
        for detail in children(part, "detail"):
            kind = (detail.get("type") or "").lower()
            value = text_of(child(detail, "number")) or text_of(child(detail, "title"))
            if kind == "page":
                ctx.set("page", value, "detail", detail.sourceline)
            elif kind in DETAILS:
                ctx.set(DETAILS[kind], value, "detail", detail.sourceline)
            elif value:
                ctx.keep(f"detail-{kind or 'untyped'}", value, detail.sourceline, "is not mapped")
        for extent in children(part, "extent"):
            start, end = text_of(child(extent, "start")), text_of(child(extent, "end"))
            total, listed = text_of(child(extent, "total")), text_of(child(extent, "list"))
            if start and end:
                ctx.set("page", start if start == end else f"{start}-{end}", "extent", extent.sourceline)
            elif start or listed:
                ctx.set("page", start or listed, "extent", extent.sourceline)
            if total:
                ctx.set("number-of-pages", total, "extent", extent.sourceline)
        for d in children(part, "date"):
            _date(ctx, "issued", d)


def _identifiers(ctx: _Ctx, el: Any) -> None:
    for ident in children(el, "identifier"):
        kind = (ident.get("type") or "").lower()
        value = text_of(ident)
        var = IDENTIFIERS.get(kind)
        if var is not None:
            ctx.set(var, value, f"identifier-{kind}", ident.sourceline)
        elif kind in ("citekey", "local", ""):
            continue  # the key: read by element_to_record
        else:
            ctx.keep(f"identifier-{kind}", value, ident.sourceline, "is not mapped")


def _genres(el: Any) -> list[str]:
    return [text_of(g).lower() for g in children(el, "genre") if text_of(g)]


def _type(el: Any, host: Any) -> str:
    own = _genres(el)
    if host is not None:
        for g in _genres(host):
            if g in HOST_GENRES:
                return HOST_GENRES[g]
        issuance = (
            text_of(child(child(host, "originInfo"), "issuance"))
            if child(host, "originInfo") is not None
            else ""
        )
        if issuance in ("continuing", "serial"):
            return "article-journal"
        for g in own:
            if g in GENRES and GENRES[g] not in ("book",):
                return GENRES[g]
        return (
            "article-journal"
            if any(local(d) == "detail" for p in children(host, "part") for d in p)
            else "chapter"
        )
    for g in own:
        if g in GENRES:
            return GENRES[g]
    return "book" if text_of(child(child(el, "originInfo"), "issuance")) == "monographic" else "document"


def element_to_record(el: Any, diags: list[Diagnostic], file: str | None) -> tuple[Record, str | None]:
    """One ``<mods>`` → (record, the key it names or None)."""
    line = el.sourceline
    ctx = _Ctx(diags, file, line)
    host = next((r for r in children(el, "relatedItem") if r.get("type") == "host"), None)
    rtype = _type(el, host)
    title, short = _titles(el)
    ctx.set("title", title, "title", line)
    ctx.set("title-short", short, "title", line)
    _names(ctx, el, None)
    _origin(ctx, el)
    for lang in children(el, "language"):
        term = child(lang, "languageTerm")
        value = text_of(term) if term is not None else text_of(lang)  # MODS 3.0: the code as text
        ctx.set("language", value, "languageTerm", lang.sourceline)
    for ab in children(el, "abstract"):
        ctx.set("abstract", text_of(ab), "abstract", ab.sourceline)
    notes = [text_of(n) for n in children(el, "note") if text_of(n)]
    if notes:
        ctx.text["note"] = "\n".join(notes)
    keywords = [text_of(t) for s in children(el, "subject") for t in children(s, "topic") if text_of(t)]
    if keywords:
        ctx.text["keyword"] = ", ".join(keywords)
    _identifiers(ctx, el)
    for loc in children(el, "location"):
        for url in children(loc, "url"):
            ctx.set("URL", text_of(url), "url", url.sourceline)
    _part(ctx, el)
    catch: list[tuple[str, int | None]] = []
    for related in children(el, "relatedItem"):
        kind = related.get("type")
        main, rshort = _titles(related)
        if kind == "host":
            ctx.set("container-title", main, "relatedItem-host", related.sourceline)
            ctx.set("container-title-short", rshort, "relatedItem-host", related.sourceline)
            _names(ctx, related, HOST_ROLES)
            _origin(ctx, related)
            _identifiers(ctx, related)
            _part(ctx, related)
            for sub in children(related, "relatedItem"):
                if sub.get("type") == "series":
                    ctx.set("collection-title", _titles(sub)[0], "relatedItem-series", sub.sourceline)
        elif kind == "series":
            ctx.set("collection-title", main, "relatedItem-series", related.sourceline)
            _names(ctx, related, SERIES_ROLES)
            for part in children(related, "part"):
                for detail in children(part, "detail"):
                    ctx.set(
                        "collection-number", text_of(child(detail, "number")), "detail", detail.sourceline
                    )
        elif main:
            ctx.keep(f"relatedItem-{kind or 'untyped'}", main, related.sourceline, "is not mapped")
    for ext in children(el, "extension"):
        if ext.get("displayLabel") == CATCH_ALL_LABEL:
            catch.append((ext.text or "", ext.sourceline))
    for other in el:
        name = local(other)
        if name and name not in _KNOWN and text_of(other):
            ctx.keep(name, text_of(other), other.sourceline, "is not mapped")
    if rtype.startswith("article") and "number" in ctx.text and "issue" not in ctx.text:
        ctx.text["issue"] = ctx.text.pop("number")  # a periodical's "number" is its issue
    key = el.get("ID") or next(
        (text_of(i) for i in children(el, "identifier") if (i.get("type") or "") in ("citekey", "local", "")),
        None,
    )
    record = Record(
        id=key or "ref",
        type=rtype,
        text=ctx.text,
        names={k: tuple(v) for k, v in ctx.names.items()},
        dates=ctx.dates,
        extra=ctx.extra,
        span=SourceSpan(file, line, None),
    )
    from bibconv.formats.tagged import apply_catch_all

    for blob, at in catch:
        record, key = apply_catch_all(record, key, blob, diags, file, at or 0)
    return record, key or None


# ---------------------------------------------------------------- writing


_QNAMES: dict[str, str] = {}


def _sub(parent: Any, name: str, text: str | None = None, **attrs: str) -> Any:
    qname = _QNAMES.get(name)
    if qname is None:
        qname = _QNAMES[name] = f"{{{NS}}}{name}"
    el = etree.SubElement(parent, qname, attrs)
    if text is not None:
        el.text = text
    return el


def _ok(value: str | None) -> bool:
    return bool(value) and xml_safe(value or "")


def _write_name(parent: Any, name: Name, role: str) -> None:
    if name.literal is not None:
        if not _ok(name.literal):
            return
        n = _sub(parent, "name", type="corporate")
        _sub(n, "namePart", name.literal)
    else:
        family = " ".join(p for p in (name.non_dropping_particle, name.family) if p)
        values = [name.given, family, name.suffix]
        if not all(v is None or _ok(v) for v in values):
            return
        n = _sub(parent, "name", type="personal")
        if name.given:
            _sub(n, "namePart", name.given, type="given")
        if family:
            _sub(n, "namePart", family, type="family")
        if name.suffix:
            _sub(n, "namePart", name.suffix, type="termsOfAddress")
    r = _sub(n, "role")
    _sub(r, "roleTerm", role, authority="marcrelator", type="text")


def _write_date(parent: Any, name: str, date: Date) -> None:
    if date.season is not None or date.circa:
        return
    value = format_edtf(date) if date.start is not None else date.literal
    if date.start is not None and date.literal:
        return
    if _ok(value):
        _sub(parent, name, value)


def _write_part(parent: Any, record: Record, in_host: bool) -> None:
    text = record.text
    fields = [(k, v) for k, v in DETAILS.items() if _ok(text.get(v))]
    page, total = text.get("page"), text.get("number-of-pages")
    if not fields and not _ok(page) and not _ok(total):
        return
    part = _sub(parent, "part")
    for kind, var in fields:
        d = _sub(part, "detail", type=kind)
        _sub(d, "number", text[var])
    if _ok(page) or _ok(total):
        ext = _sub(part, "extent", unit="page")
        m = _PAGES.fullmatch(page or "") if page else None
        if page and _ok(page):
            if m is not None and "-" + m.group(2) in page:
                _sub(ext, "start", m.group(1))
                _sub(ext, "end", m.group(2))
            else:
                _sub(ext, "start", page)
        if total and _ok(total):
            _sub(ext, "total", total)


def _words(value: str) -> Iterable[str]:
    parts = value.split(", ")
    if len(parts) > 1 and all(p and p == p.strip() for p in parts):
        return parts
    return [value]


def record_to_element(record: Record, catch: dict[str, Any] | None = None) -> Any:
    """One record → ``<mods>`` (with the catch-all extension when ``catch`` is given)."""
    text = record.text
    el = etree.Element(f"{{{NS}}}mods", nsmap={None: NS})  # type: ignore[dict-item]
    if xml_safe(record.id) and record.id.strip() == record.id and record.id:
        el.set("ID", record.id)
    own, host_genre = TYPES.get(record.type, ("document", None))
    title = text.get("title")
    if _ok(title):
        info = _sub(el, "titleInfo")
        _sub(info, "title", title)
    if _ok(text.get("title-short")):
        info = _sub(el, "titleInfo", type="abbreviated")
        _sub(info, "title", text["title-short"])
    for var, role in ROLE_TERMS.items():
        for name in record.names.get(var, ()):
            if var == "editor" and host_genre is not None:
                continue  # an editor of a part is the host's editor
            _write_name(el, name, role)
    _sub(el, "typeOfResource", "text")
    if own != "document":
        _sub(el, "genre", own, authority="bibutils")
    origin_values = [
        ("publisher", "publisher"),
        ("publisher-place", "place"),
        ("edition", "edition"),
    ]
    issued, accessed = record.dates.get("issued"), record.dates.get("accessed")
    if issued or accessed or (host_genre is None and any(_ok(text.get(v)) for v, _ in origin_values)):
        origin = _sub(el, "originInfo")
        if issued is not None:
            _write_date(origin, "dateIssued", issued)
        if accessed is not None:
            _write_date(origin, "dateCaptured", accessed)
        if host_genre is None:
            _write_origin(origin, text)
    if _ok(text.get("language")):
        lang = _sub(el, "language")
        _sub(lang, "languageTerm", text["language"], type="text")
    if _ok(text.get("abstract")):
        _sub(el, "abstract", text["abstract"])
    if _ok(text.get("note")):
        for line in text["note"].split("\n"):
            if line.strip() == line and line:
                _sub(el, "note", line)
    if _ok(text.get("keyword")):
        for word in _words(text["keyword"]):
            subject = _sub(el, "subject")
            _sub(subject, "topic", word)
    host = None
    if host_genre is not None:
        host = _sub(el, "relatedItem", type="host")
        if _ok(text.get("container-title")):
            info = _sub(host, "titleInfo")
            _sub(info, "title", text["container-title"])
        if _ok(text.get("container-title-short")):
            info = _sub(host, "titleInfo", type="abbreviated")
            _sub(info, "title", text["container-title-short"])
        for name in record.names.get("container-author", ()):
            _write_name(host, name, "author")
        for name in record.names.get("editor", ()):
            _write_name(host, name, "editor")
        if any(_ok(text.get(v)) for v, _ in origin_values):
            _write_origin(_sub(host, "originInfo"), text)
        _sub(host, "genre", host_genre, authority="bibutils")
        if _ok(text.get("ISSN")):
            _sub(host, "identifier", text["ISSN"], type="issn")
        _write_part(host, record, True)
    else:
        _write_part(el, record, False)
    if _ok(text.get("collection-title")):
        series = _sub(el, "relatedItem", type="series")
        info = _sub(series, "titleInfo")
        _sub(info, "title", text["collection-title"])
        for name in record.names.get("collection-editor", ()):
            _write_name(series, name, "editor")
        if _ok(text.get("collection-number")):
            part = _sub(series, "part")
            d = _sub(part, "detail", type="number")
            _sub(d, "number", text["collection-number"])
    for var, kind in IDENTIFIER_TYPES.items():
        if var == "ISSN" and host is not None:
            continue
        if _ok(text.get(var)):
            _sub(el, "identifier", text[var], type=kind)
    if _ok(text.get("URL")):
        loc = _sub(el, "location")
        _sub(loc, "url", text["URL"])
    if catch:
        add_catch_all(el, catch)
    return el


def add_catch_all(el: Any, catch: dict[str, Any]) -> None:
    """Append the catch-all ``<extension>`` (ASCII JSON: always valid XML text)."""
    _sub(el, "extension", dump_catch(catch), displayLabel=CATCH_ALL_LABEL)


def _write_origin(origin: Any, text: Any) -> None:
    if _ok(text.get("publisher")):
        _sub(origin, "publisher", text["publisher"])
    if _ok(text.get("publisher-place")):
        place = _sub(origin, "place")
        _sub(place, "placeTerm", text["publisher-place"], type="text")
    if _ok(text.get("edition")):
        _sub(origin, "edition", text["edition"])
