"""MODS ↔ records: both directions, on the table in :mod:`.mapping`.

Reading keeps what it cannot place: an element without a CSL home is kept
in ``extra`` as ``mods:<element>`` (its text) and reported.  Writing emits
the text of one ``<mods>`` per record together with the record
:func:`element_to_record` would read from it (:func:`record_lines`);
whatever would not come back exactly goes into ``<extension
displayLabel="bibconv-csl">`` as CSL-JSON, which the reader applies.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any, Protocol

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
    ROLE_TERMS,
    ROLES,
    SERIES_ROLES,
    TYPES,
)
from bibconv.formats.xml import ElementContext, child, children, dump_catch, local, squash, text_of, xml_safe
from bibconv.ir import Date, Name, Record, SourceSpan

__all__ = ["catch_all_line", "element_to_record", "record_lines"]

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


class _Parts(Protocol):
    """What a record is assembled from: the reader's context or the writer's prediction."""

    text: dict[str, str]
    names: dict[str, list[Name]]
    dates: dict[str, Date]
    extra: dict[str, str]


def _assemble(key: str | None, rtype: str, parts: _Parts, span: SourceSpan | None = None) -> Record:
    """The record MODS elements give, for the reader and for the writer's prediction of it alike.

    A periodical's ``number`` is its issue, so an article reads it as ``issue``.
    """
    if rtype.startswith("article") and "number" in parts.text and "issue" not in parts.text:
        parts.text["issue"] = parts.text.pop("number")
    return Record(
        id=key or "ref",
        type=rtype,
        text=parts.text,
        names={k: tuple(v) for k, v in parts.names.items()},
        dates=parts.dates,
        extra=parts.extra,
        span=span,
    )


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
    key = el.get("ID") or next(
        (text_of(i) for i in children(el, "identifier") if (i.get("type") or "") in ("citekey", "local", "")),
        None,
    )
    record = _assemble(key, rtype, ctx, SourceSpan(file, line, None))
    from bibconv.formats.tagged import apply_catch_all

    for blob, at in catch:
        record, key = apply_catch_all(record, key, blob, diags, file, at or 0)
    return record, key or None


# ---------------------------------------------------------------- writing
#
# The writer emits the text of each ``<mods>`` itself, indented as lxml's
# pretty printer would, and notes beside each element what
# :func:`element_to_record` makes of it (``_Back``).  Building an lxml tree,
# reading it back and serialising it cost more than bibutils' whole run; the
# read-back it predicts is checked against the real reader by
# tests/test_format_mods.py on generated records and the corpora.


def _text(value: str) -> str:
    """XML character data as lxml writes it (``\\r`` as a reference, so it survives parsing)."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    return value


def _attr(value: str) -> str:
    """An attribute value as lxml writes it (white space controls as references)."""
    return _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _ok(value: str | None) -> bool:
    return bool(value) and xml_safe(value or "")


def _filled(value: str | None) -> bool:
    """``_ok`` for a record whose text is known to be XML-safe."""
    return bool(value)


class _Back:
    """The record :func:`element_to_record` reads from the lines written so far.

    ``set`` keeps the first value of a variable as ``ElementContext.set``
    does (the writer never writes one twice, but a second value would go
    to extra just as the reader would put it).
    """

    __slots__ = ("dates", "extra", "names", "text")

    def __init__(self) -> None:
        self.text: dict[str, str] = {}
        self.names: dict[str, list[Name]] = {}
        self.dates: dict[str, Date] = {}
        self.extra: dict[str, str] = {}

    def set(self, var: str, written: str, where: str) -> None:
        value = squash(written)
        if not value:
            return
        old = self.text.get(var)
        if old is None:
            self.text[var] = value
        elif old != value:
            key = f"mods:{where}"
            self.extra[key] = f"{self.extra[key]}\n{value}" if key in self.extra else value

    def date(self, var: str, written: str) -> None:
        if var not in self.dates:
            read = _read_date(written)
            if read is not None:
                self.dates[var] = read


@functools.lru_cache(maxsize=4096)
def _read_date(written: str) -> Date | None:
    """What :func:`_date` makes of a date element (cached: years repeat)."""
    value = squash(written)
    if not value:
        return None
    return parse_date(value) or Date(literal=value)


def _leaf(out: list[str], pad: str, name: str, value: str, attrs: str = "") -> None:
    out.append(f"{pad}<{name}{attrs}>{_text(value)}</{name}>")


def _pads(depth: int) -> str:
    return "  " * depth


def _write_name(out: list[str], back: _Back, depth: int, name: Name, role: str, var: str) -> None:
    block = _name_block(name, depth, role)
    if block is not None:
        lines, read = block
        out += lines
        if read is not None:
            back.names.setdefault(var, []).append(read)


@functools.lru_cache(maxsize=4096)
def _name_block(name: Name, depth: int, role: str) -> tuple[tuple[str, ...], Name | None] | None:
    """(lines of a ``<name>``, what the reader makes of it), or None when it cannot be written.

    Cached: a bibliography names the same people again and again.
    """
    out: list[str] = []
    pad, inner = _pads(depth), _pads(depth + 1)
    if name.literal is not None:
        if not _ok(name.literal):
            return None
        out.append(f'{pad}<name type="corporate">')
        _leaf(out, inner, "namePart", name.literal)
        literal = squash(name.literal)
        read: Name | None = Name(literal=literal) if literal else None
    else:
        family = " ".join(p for p in (name.non_dropping_particle, name.family) if p)
        values = [name.given, family, name.suffix]
        if not all(v is None or _ok(v) for v in values):
            return None
        out.append(f'{pad}<name type="personal">')
        if name.given:
            _leaf(out, inner, "namePart", name.given, ' type="given"')
        if family:
            _leaf(out, inner, "namePart", family, ' type="family"')
        if name.suffix:
            _leaf(out, inner, "namePart", name.suffix, ' type="termsOfAddress"')
        read = _read_name(
            squash(name.given or ""), squash(family), squash(name.suffix) if name.suffix else ""
        )
    out.append(f"{inner}<role>")
    _leaf(out, _pads(depth + 2), "roleTerm", role, ' authority="marcrelator" type="text"')
    out.append(f"{inner}</role>")
    out.append(f"{pad}</name>")
    return tuple(out), read


def _read_name(given: str, family: str, suffix: str) -> Name | None:
    """What :func:`_name` makes of a personal name with these (normalised) parts."""
    if not family and not given:
        return None
    particle, family = _split_particle(family) if family else (None, family)
    return Name(
        family=family or None, given=given or None, non_dropping_particle=particle, suffix=suffix or None
    )


def _write_date(out: list[str], back: _Back, pad: str, name: str, var: str, date: Date) -> None:
    value = _date_text(date)
    if value is not None:
        _leaf(out, pad, name, value)
        back.date(var, value)


@functools.lru_cache(maxsize=4096)
def _date_text(date: Date) -> str | None:
    """The text of a date element, or None when MODS gets none (cached: dates repeat)."""
    if date.season is not None or date.circa:
        return None
    value = format_edtf(date) if date.start is not None else date.literal
    if date.start is not None and date.literal:
        return None
    return value if value and _ok(value) else None


def _write_origin(
    out: list[str], back: _Back, depth: int, text: Any, ok: Callable[[str | None], bool]
) -> None:
    pad = _pads(depth)
    if ok(text.get("publisher")):
        _leaf(out, pad, "publisher", text["publisher"])
        back.set("publisher", text["publisher"], "publisher")
    if ok(text.get("publisher-place")):
        out.append(f"{pad}<place>")
        _leaf(out, _pads(depth + 1), "placeTerm", text["publisher-place"], ' type="text"')
        out.append(f"{pad}</place>")
        back.set("publisher-place", text["publisher-place"], "placeTerm")
    if ok(text.get("edition")):
        _leaf(out, pad, "edition", text["edition"])
        back.set("edition", text["edition"], "edition")


def _write_part(
    out: list[str], back: _Back, depth: int, record: Record, ok: Callable[[str | None], bool]
) -> bool:
    """The ``<part>`` (details, page extent); True when it has a detail."""
    text = record.text
    fields = [(k, v) for k, v in DETAILS.items() if ok(text.get(v))]
    page, total = text.get("page"), text.get("number-of-pages")
    if not fields and not ok(page) and not ok(total):
        return False
    pad, p1, p2 = _pads(depth), _pads(depth + 1), _pads(depth + 2)
    out.append(f"{pad}<part>")
    for kind, var in fields:
        out.append(f'{p1}<detail type="{kind}">')
        _leaf(out, p2, "number", text[var])
        out.append(f"{p1}</detail>")
        back.set(var, text[var], "detail")
    if ok(page) or ok(total):
        out.append(f'{p1}<extent unit="page">')
        start = end = ""
        if page and ok(page):
            m = _PAGES.fullmatch(page)
            if m is not None and "-" + m.group(2) in page:
                _leaf(out, p2, "start", m.group(1))
                _leaf(out, p2, "end", m.group(2))
                start, end = squash(m.group(1)), squash(m.group(2))
            else:
                _leaf(out, p2, "start", page)
                start = squash(page)
        if total and ok(total):
            _leaf(out, p2, "total", total)
        out.append(f"{p1}</extent>")
        if start and end:
            back.set("page", start if start == end else f"{start}-{end}", "extent")
        elif start:
            back.set("page", start, "extent")
        if total and ok(total):
            back.set("number-of-pages", total, "extent")
    out.append(f"{pad}</part>")
    return bool(fields)


def _words(value: str) -> Iterable[str]:
    parts = value.split(", ")
    if len(parts) > 1 and all(p and p == p.strip() for p in parts):
        return parts
    return [value]


def _read_type(own: str, host_genre: str | None, host_detail: bool) -> str:
    """What :func:`_type` makes of the genres written (no issuance is written)."""
    own = own.lower()
    if host_genre is not None:
        if host_genre.lower() in HOST_GENRES:
            return HOST_GENRES[host_genre.lower()]
        if own != "document" and own in GENRES and GENRES[own] != "book":
            return GENRES[own]
        return "article-journal" if host_detail else "chapter"
    return GENRES.get(own, "document") if own != "document" else "document"


def record_lines(record: Record) -> tuple[list[str], Record, str | None]:
    """One record → (the lines of its ``<mods>`` up to, not including, ``</mods>``;
    the record the reader makes of them; the key they give)."""
    text = record.text
    # one scan of the record's text instead of one per element (names and dates are cached)
    ok = _filled if xml_safe("".join(text.values())) else _ok
    out: list[str] = []
    back = _Back()
    rid = record.id
    key: str | None = None
    if rid and xml_safe(rid) and rid.strip() == rid:
        out.append(f'  <mods ID="{_attr(rid)}">')
        key = rid
    else:
        out.append("  <mods>")
    own, host_genre = TYPES.get(record.type, ("document", None))
    title = text.get("title")
    if title and ok(title):
        out += ["    <titleInfo>", f"      <title>{_text(title)}</title>", "    </titleInfo>"]
        back.set("title", title, "title")
    short = text.get("title-short")
    if short and ok(short):
        out += [
            '    <titleInfo type="abbreviated">',
            f"      <title>{_text(short)}</title>",
            "    </titleInfo>",
        ]
        back.set("title-short", short, "title")
    for var, role in ROLE_TERMS.items():
        if var == "editor" and host_genre is not None:
            continue  # an editor of a part is the host's editor
        for name in record.names.get(var, ()):
            _write_name(out, back, 2, name, role, ROLES[role])
    out.append("    <typeOfResource>text</typeOfResource>")
    if own != "document":
        _leaf(out, "    ", "genre", own, ' authority="bibutils"')
    origin_vars = ("publisher", "publisher-place", "edition")
    issued, accessed = record.dates.get("issued"), record.dates.get("accessed")
    if issued or accessed or (host_genre is None and any(ok(text.get(v)) for v in origin_vars)):
        start = len(out)
        out.append("    <originInfo>")
        if issued is not None:
            _write_date(out, back, "      ", "dateIssued", "issued", issued)
        if accessed is not None:
            _write_date(out, back, "      ", "dateCaptured", "accessed", accessed)
        if host_genre is None:
            _write_origin(out, back, 3, text, ok)
        if len(out) == start + 1:
            out[start] = "    <originInfo/>"
        else:
            out.append("    </originInfo>")
    if ok(text.get("language")):
        out.append("    <language>")
        _leaf(out, "      ", "languageTerm", text["language"], ' type="text"')
        out.append("    </language>")
        back.set("language", text["language"], "languageTerm")
    if ok(text.get("abstract")):
        _leaf(out, "    ", "abstract", text["abstract"])
        back.set("abstract", text["abstract"], "abstract")
    if ok(text.get("note")):
        notes = []
        for line in text["note"].split("\n"):
            if line.strip() == line and line:
                _leaf(out, "    ", "note", line)
                if squash(line):
                    notes.append(squash(line))
        if notes:
            back.text["note"] = "\n".join(notes)
    if ok(text.get("keyword")):
        keywords = []
        for word in _words(text["keyword"]):
            out.append("    <subject>")
            _leaf(out, "      ", "topic", word)
            out.append("    </subject>")
            if squash(word):
                keywords.append(squash(word))
        if keywords:
            back.text["keyword"] = ", ".join(keywords)
    if host_genre is not None:
        out.append('    <relatedItem type="host">')
        if ok(text.get("container-title")):
            out += ["      <titleInfo>", f"        <title>{_text(text['container-title'])}</title>"]
            out.append("      </titleInfo>")
            back.set("container-title", text["container-title"], "relatedItem-host")
        if ok(text.get("container-title-short")):
            out += ['      <titleInfo type="abbreviated">']
            out += [f"        <title>{_text(text['container-title-short'])}</title>", "      </titleInfo>"]
            back.set("container-title-short", text["container-title-short"], "relatedItem-host")
        for name in record.names.get("container-author", ()):
            _write_name(out, back, 3, name, "author", HOST_ROLES["author"])
        for name in record.names.get("editor", ()):
            _write_name(out, back, 3, name, "editor", HOST_ROLES["editor"])
        if any(ok(text.get(v)) for v in origin_vars):
            out.append("      <originInfo>")
            _write_origin(out, back, 4, text, ok)
            out.append("      </originInfo>")
        _leaf(out, "      ", "genre", host_genre, ' authority="bibutils"')
        if ok(text.get("ISSN")):
            _leaf(out, "      ", "identifier", text["ISSN"], ' type="issn"')
            back.set(IDENTIFIERS["issn"], text["ISSN"], "identifier-issn")
        host_detail = _write_part(out, back, 3, record, ok)
        out.append("    </relatedItem>")
    else:
        host_detail = False
        _write_part(out, back, 2, record, ok)
    if ok(text.get("collection-title")):
        out += ['    <relatedItem type="series">', "      <titleInfo>"]
        out += [f"        <title>{_text(text['collection-title'])}</title>", "      </titleInfo>"]
        back.set("collection-title", text["collection-title"], "relatedItem-series")
        for name in record.names.get("collection-editor", ()):
            _write_name(out, back, 3, name, "editor", SERIES_ROLES["editor"])
        if ok(text.get("collection-number")):
            out += ["      <part>", '        <detail type="number">']
            _leaf(out, "          ", "number", text["collection-number"])
            out += ["        </detail>", "      </part>"]
            back.set("collection-number", text["collection-number"], "detail")
        out.append("    </relatedItem>")
    for var, kind in IDENTIFIER_TYPES.items():
        if var == "ISSN" and host_genre is not None:
            continue
        if ok(text.get(var)):
            _leaf(out, "    ", "identifier", text[var], f' type="{kind}"')
            back.set(IDENTIFIERS[kind], text[var], f"identifier-{kind}")
    if ok(text.get("URL")):
        out.append("    <location>")
        _leaf(out, "      ", "url", text["URL"])
        out.append("    </location>")
        back.set("URL", text["URL"], "url")
    read = _assemble(key, _read_type(own, host_genre, host_detail), back)
    return out, read, key


def catch_all_line(catch: dict[str, Any]) -> str:
    """The catch-all ``<extension>`` line (ASCII JSON: always valid XML text)."""
    return f'    <extension displayLabel="{CATCH_ALL_LABEL}">{_text(dump_catch(catch))}</extension>'
