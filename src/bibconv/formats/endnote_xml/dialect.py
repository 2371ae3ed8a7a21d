"""EndNote XML ↔ records: both directions, on the table in :mod:`.mapping`.

Text is held in ``<style face=… font=… size=…>`` runs; italic, bold,
superscript and subscript runs are read as CSL's ``<i>``, ``<b>``,
``<sup>``, ``<sub>`` markup and written back as runs of that face.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from bibconv.dates import format_edtf, parse_date
from bibconv.diagnostics import Diagnostic
from bibconv.formats.endnote_xml.mapping import (
    CATCH_ALL_PREFIX,
    CONTRIBUTORS,
    JOURNAL_TYPES,
    PAGES_COUNT_TYPES,
    TEXT,
    TITLES,
    TYPE_NUMBERS,
    TYPES,
)
from bibconv.formats.xml import ElementContext, child, children, local, xml_safe
from bibconv.identifiers import normalise_doi
from bibconv.ir import Date, Record, SourceSpan

__all__ = ["element_to_record", "record_to_element"]

_TO_CSL = {name.casefold(): csl for name, csl in TYPES}
_FROM_CSL: dict[str, str] = {}
for _name, _csl in TYPES:
    _FROM_CSL.setdefault(_csl, _name)
_BY_NUMBER = {n: name for name, n in TYPE_NUMBERS.items()}
#: Faces of a run, innermost first: a bold italic superscript run is ``<b><i><sup>…``.
_FACES = (("superscript", "sup"), ("subscript", "sub"), ("italic", "i"), ("bold", "b"))
_FACE_OF = {tag: word for word, tag in _FACES}
_MARKUP = re.compile(r"((?:<(?:i|b|sup|sub)>)+)([^<>]*)((?:</(?:i|b|sup|sub)>)+)")
_TAG = re.compile(r"<(\w+)>")
_SPACES = re.compile(r"\s+")
_YEAR = re.compile(r"-?\d{1,4}")
_HANDLED = frozenset(
    {
        "database",
        "source-app",
        "rec-number",
        "foreign-keys",
        "ref-type",
        "contributors",
        "titles",
        "periodical",
        "keywords",
        "dates",
        "urls",
        "label",
        "research-notes",
        "access-date",
        *TEXT,
    }
)


def _runs(el: Any) -> str:
    """An element's text with its styled runs as CSL markup, white space made single."""
    if el is None:
        return ""
    parts: list[str] = [el.text or ""]
    for c in el:
        if local(c) == "style":
            text = "".join(c.itertext())
            face = (c.get("face") or "normal").lower()
            for word, tag in _FACES:
                if word in face and text.strip():
                    text = f"<{tag}>{text}</{tag}>"
            parts.append(text)
        else:
            parts.append("".join(c.itertext()))
        parts.append(c.tail or "")
    return _SPACES.sub(" ", "".join(parts)).strip()


class _Ctx(ElementContext):
    """What reading one ``<record>`` collects."""

    prefix = "endnote-xml"

    def shown(self, where: str) -> str:
        """EndNote XML places are element names, shown as ``<title>``."""
        return f"<{where}>"


def _type(el: Any, ctx: _Ctx) -> str:
    ref = child(el, "ref-type")
    if ref is None:
        return "document"
    name = ref.get("name") or ""
    if not name and (ref.text or "").strip().isdigit():
        name = _BY_NUMBER.get(int((ref.text or "").strip()), "")
    csl = _TO_CSL.get(name.casefold())
    if csl is None:
        ctx.diags.append(
            Diagnostic.make(
                "BC200",
                f"EndNote reference type {name or (ref.text or '').strip()!r} is not known; "
                "read as 'document'",
                file=ctx.file,
                line=ref.sourceline,
            )
        )
        return "document"
    if name != _FROM_CSL.get(csl):
        ctx.keep("ref-type", name, ref.sourceline, "is more specific than the CSL type")
    return csl


def _dates(el: Any, ctx: _Ctx) -> dict[str, Date]:
    out: dict[str, Date] = {}
    dates = child(el, "dates")
    year_text = _runs(child(dates, "year")) if dates is not None else ""
    pub = child(child(dates, "pub-dates"), "date") if dates is not None else None
    date_text = _runs(pub)
    year: int | None = None
    if year_text:
        if _YEAR.fullmatch(year_text):
            year = int(year_text)
        else:
            parsed = parse_date(year_text)
            if parsed is None:
                ctx.diags.append(
                    Diagnostic.make(
                        "BC202",
                        f"date {year_text!r} is not understood; kept as literal",
                        file=ctx.file,
                        line=ctx.line,
                    )
                )
                parsed = Date(literal=year_text)
            out["issued"] = parsed
            ctx.keep("pub-dates", date_text, ctx.line, "is a date beside a year that is not a year")
    if "issued" not in out and (year is not None or date_text):
        parsed = parse_date(date_text) if date_text else None
        if parsed is None and date_text and year is not None:
            parsed = parse_date(f"{date_text} {year}")
        if parsed is not None and parsed.start is not None and (year is None or parsed.start[0] == year):
            out["issued"] = parsed
        else:
            if year is not None:
                out["issued"] = Date(start=(year,))
            ctx.keep("pub-dates", date_text, ctx.line, "is not a date of the year given")
    access = _runs(child(el, "access-date"))
    if access:
        parsed = parse_date(access)
        if parsed is None:
            ctx.keep("access-date", access, ctx.line, "is not a date bibconv understands")
        else:
            out["accessed"] = parsed
    return out


def element_to_record(el: Any, diags: list[Diagnostic], file: str | None) -> tuple[Record, str | None]:
    """One ``<record>`` → (record, its label or None)."""
    from bibconv.formats.ris.values import parse_name, sn_variable
    from bibconv.formats.tagged import apply_catch_all

    ctx = _Ctx(diags, file, el.sourceline)
    rtype = _type(el, ctx)
    names: dict[str, list[Any]] = {}
    for group in children(el, "contributors"):
        for sub in group:
            var = CONTRIBUTORS.get(local(sub))
            for author in children(sub, "author"):
                value = _runs(author)
                if not value:
                    continue
                name = parse_name(value)
                if var is None or name is None:
                    ctx.keep(local(sub), value, author.sourceline, "is not mapped")
                else:
                    names.setdefault(var, []).append(name)
    titles = child(el, "titles")
    for t in titles if titles is not None else ():
        var = TITLES.get(local(t))
        value = _runs(t)
        if var is None:
            ctx.keep(local(t), value, t.sourceline, "is not mapped")
        else:
            ctx.set(var, value, local(t), t.sourceline)
    periodical = child(el, "periodical")
    ctx.set("container-title", _runs(child(periodical, "full-title")), "full-title", ctx.line)
    ctx.set("container-title-short", _runs(child(periodical, "abbr-1")), "abbr-1", ctx.line)
    for abbr in ("abbr-2", "abbr-3"):
        ctx.keep(abbr, _runs(child(periodical, abbr)), ctx.line, "is not mapped")
    for sub in el:
        tag = local(sub)
        var = TEXT.get(tag)
        if var is None:
            continue
        value = _runs(sub)
        if tag == "pages" and rtype in PAGES_COUNT_TYPES:
            var = "number-of-pages"
        elif tag == "number" and rtype in JOURNAL_TYPES:
            var = "issue"
        elif tag == "isbn" and rtype == "patent":
            var = "number"  # a patent's "ISBN" field is its patent number
        elif tag == "isbn":
            var = sn_variable(value, "JOUR" if rtype in JOURNAL_TYPES else "BOOK")
        elif tag == "electronic-resource-num" and normalise_doi(value) is None:
            ctx.keep(tag, value, sub.sourceline, "is not a DOI")
            continue
        ctx.set(var, value, tag, sub.sourceline)
    keywords = [_runs(k) for k in children(child(el, "keywords"), "keyword") if _runs(k)]
    if keywords:
        ctx.text["keyword"] = ", ".join(keywords)
    urls = child(el, "urls")
    for group in urls if urls is not None else ():
        for url in children(group, "url"):
            value = _runs(url)
            if local(group) == "related-urls" and "URL" not in ctx.text:
                ctx.set("URL", value, "url", url.sourceline)
            else:
                ctx.keep(local(group), value, url.sourceline, "is not the first related URL")
    catch: list[tuple[str, int]] = []
    for note in children(el, "research-notes"):
        raw = "".join(note.itertext()).strip()  # the catch-all's JSON keeps its spaces
        value = _runs(note)
        if raw.startswith(CATCH_ALL_PREFIX):
            catch.append((raw[len(CATCH_ALL_PREFIX) :], note.sourceline or 0))
        else:
            ctx.keep("research-notes", value, note.sourceline, "is not mapped")
    for sub in el:
        tag = local(sub)
        if tag and tag not in _HANDLED:
            ctx.keep(tag, _runs(sub), sub.sourceline, "is not mapped")
    label = _runs(child(el, "label")) or None
    record = Record(
        id=label or "ref",
        type=rtype,
        text=ctx.text,
        names={k: tuple(v) for k, v in names.items()},
        dates=_dates(el, ctx),
        extra=ctx.extra,
        span=SourceSpan(file, el.sourceline, None),
    )
    for blob, at in catch:
        record, label = apply_catch_all(record, label, blob, diags, file, at)
    return record, label


# ---------------------------------------------------------------- writing


def _styled(parent: Any, name: str, value: str) -> Any:
    """``<name>`` holding ``value`` as style runs (CSL markup → faces)."""
    el = etree.SubElement(parent, name)
    pos = 0
    for m in _MARKUP.finditer(value):
        opened = _TAG.findall(m.group(1))
        closed = re.findall(r"</(\w+)>", m.group(3))
        if closed != opened[::-1] or len(set(opened)) != len(opened):
            continue  # not a simple nest: written as text, read back as the same text
        if m.start() > pos:
            _run(el, value[pos : m.start()], "normal")
        _run(el, m.group(2), " ".join(_FACE_OF[t] for t in opened))
        pos = m.end()
    if pos < len(value):
        _run(el, value[pos:], "normal")
    return el


def _run(parent: Any, text: str, face: str) -> None:
    style = etree.SubElement(parent, "style", face=face, font="default", size="100%")
    style.text = text


def _ok(value: str | None) -> bool:
    return bool(value) and xml_safe(value or "")


def record_to_element(record: Record, catch: str | None = None) -> Any:
    """One record → ``<record>`` (with the catch-all research note when given)."""
    from bibconv.formats.ris.values import format_name

    text = record.text
    el = etree.Element("record")
    name = _FROM_CSL.get(record.type, "Generic")
    kept = record.extra.get("endnote-xml:ref-type")
    if kept and xml_safe(kept) and _TO_CSL.get(kept.casefold()) == record.type:
        name = kept
    ref = etree.SubElement(el, "ref-type", name=name)
    ref.text = str(TYPE_NUMBERS.get(name, 13))
    groups = [(g, var) for g, var in CONTRIBUTORS.items() if record.names.get(var)]
    if groups:
        contributors = etree.SubElement(el, "contributors")
        for group, var in groups:
            g = etree.SubElement(contributors, group)
            for n in record.names[var]:
                value = format_name(n)
                if _ok(value):
                    _styled(g, "author", value)
    title_vars = [(tag, var) for tag, var in TITLES.items() if _ok(text.get(var))]
    if title_vars:
        titles = etree.SubElement(el, "titles")
        for tag, var in title_vars:
            _styled(titles, tag, text[var])
    if (_ok(text.get("container-title")) and record.type in JOURNAL_TYPES) or _ok(
        text.get("container-title-short")
    ):
        periodical = etree.SubElement(el, "periodical")
        if _ok(text.get("container-title")) and record.type in JOURNAL_TYPES:
            _styled(periodical, "full-title", text["container-title"])
        if _ok(text.get("container-title-short")):
            _styled(periodical, "abbr-1", text["container-title-short"])
    for tag, var in TEXT.items():
        if tag == "pages" and record.type in PAGES_COUNT_TYPES:
            var = "number-of-pages"
        elif tag == "number" and record.type in JOURNAL_TYPES:
            var = "issue"
        elif tag == (
            "issue" if record.type in JOURNAL_TYPES else "number" if record.type == "patent" else ""
        ):
            continue  # written under another element
        elif tag == "isbn" and record.type == "patent":
            var = "number"
        elif tag == "isbn":
            for v in ("ISBN", "ISSN"):
                if _ok(text.get(v)):
                    _styled(el, "isbn", text[v])
            continue
        if _ok(text.get(var)):
            _styled(el, tag, text[var])
    if _ok(text.get("keyword")):
        keywords = etree.SubElement(el, "keywords")
        parts = text["keyword"].split(", ")
        if not all(p and p == p.strip() for p in parts):
            parts = [text["keyword"]]
        for p in parts:
            _styled(keywords, "keyword", p)
    issued = record.dates.get("issued")
    if issued is not None and issued.start is not None:
        dates = etree.SubElement(el, "dates")
        _styled(dates, "year", str(issued.start[0]))
        if len(issued.start) > 1 or issued.end is not None:
            pub = etree.SubElement(dates, "pub-dates")
            when = format_edtf(Date(start=issued.start, end=issued.end))
            if when:
                _styled(pub, "date", when)
    accessed = record.dates.get("accessed")
    if accessed is not None and accessed.start is not None:
        when = format_edtf(Date(start=accessed.start, end=accessed.end))
        if when:
            _styled(el, "access-date", when)
    if _ok(text.get("URL")):
        urls = etree.SubElement(el, "urls")
        related = etree.SubElement(urls, "related-urls")
        _styled(related, "url", text["URL"])
    if _ok(record.id):
        _styled(el, "label", record.id)
    if catch is not None:
        notes = etree.SubElement(el, "research-notes")  # one plain run: the JSON is not markup
        _run(notes, CATCH_ALL_PREFIX + catch, "normal")
    return el
