"""Word bibliography XML ↔ records: both directions, on the table in :mod:`.mapping`."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from bibconv.diagnostics import Diagnostic
from bibconv.formats.wordbib.mapping import CATCH_ALL, CONTAINER, NS, ROLES, TEXT, TYPES
from bibconv.formats.xml import child, children, local, text_of, xml_safe
from bibconv.ir import Date, Name, Record, SourceSpan

__all__ = ["element_to_record", "record_to_element"]

_TO_CSL = {name.casefold(): csl for name, csl in TYPES}
_FROM_CSL: dict[str, str] = {}
for _name, _csl in TYPES:
    _FROM_CSL.setdefault(_csl, _name)
_ROLE_VAR = dict(ROLES)
_VAR_ROLE: dict[str, str] = {}
for _role, _var in ROLES:
    _VAR_ROLE.setdefault(_var, _role)
_TEXT_VAR = dict(TEXT)
_VAR_TEXT: dict[str, str] = {}
for _tag, _var in TEXT:
    _VAR_TEXT.setdefault(_var, _tag)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")  # fmt: skip
_SN_PREFIX = re.compile(r"^:(\w+):")
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,60}")
_HANDLED = frozenset(
    {
        "SourceType",
        "Tag",
        "Author",
        "Year",
        "Month",
        "Day",
        "YearAccessed",
        "MonthAccessed",
        "DayAccessed",
        CATCH_ALL,
    }
)


def _month(value: str) -> int | None:
    value = value.strip().lower()
    if value.isdigit():
        return int(value) if 1 <= int(value) <= 12 else None
    return next((n for n, m in enumerate(_MONTHS, start=1) if len(value) >= 3 and m.startswith(value)), None)


def _date(el: Any, prefix: str, suffix: str) -> Date | None:
    year = text_of(child(el, f"{prefix}Year{suffix}"))
    if not year:
        return None
    if not year.isdigit():
        from bibconv.dates import parse_date

        return parse_date(year) or Date(literal=year)
    parts = [int(year)]
    month = _month(text_of(child(el, f"{prefix}Month{suffix}")))
    if month is not None:
        parts.append(month)
        day = text_of(child(el, f"{prefix}Day{suffix}"))
        if day.isdigit() and 1 <= int(day) <= 31:
            parts.append(int(day))
    try:
        return Date(start=tuple(parts))
    except ValueError:
        return Date(start=(int(year),))


def _names(role_el: Any) -> list[Name]:
    out: list[Name] = []
    corporate = text_of(child(role_el, "Corporate"))
    if corporate:
        out.append(Name(literal=corporate))
    for person in children(child(role_el, "NameList"), "Person"):
        family = text_of(child(person, "Last"))
        given = " ".join(p for p in (text_of(child(person, "First")), text_of(child(person, "Middle"))) if p)
        if family or given:
            words = family.split(" ")
            n = 0
            while n < len(words) - 1 and words[n][:1].islower():
                n += 1
            particle = " ".join(words[:n]) or None
            out.append(
                Name(family=" ".join(words[n:]) or None, given=given or None, non_dropping_particle=particle)
            )
    return out


def element_to_record(el: Any, diags: list[Diagnostic], file: str | None) -> tuple[Record, str | None]:
    """One ``<b:Source>`` → (record, its tag or None)."""
    from bibconv.formats.ris.values import sn_variable
    from bibconv.formats.tagged import apply_catch_all

    line = el.sourceline
    text: dict[str, str] = {}
    extra: dict[str, str] = {}
    reported: set[str] = set()

    def keep(name: str, value: str, at: int | None, why: str) -> None:
        if not value:
            return
        key = f"wordbib:{name}"
        extra[key] = f"{extra[key]}\n{value}" if key in extra else value
        if key not in reported:
            reported.add(key)
            diags.append(
                Diagnostic.make(
                    "BC201", f"<{name}> {why}; kept in extra as {key!r}", file=file, line=at or line
                )
            )

    source_type = text_of(child(el, "SourceType"))
    rtype = _TO_CSL.get(source_type.casefold())
    if rtype is None:
        diags.append(
            Diagnostic.make(
                "BC200",
                f"Word source type {source_type or '(none)'!r} is not known; read as 'document'",
                file=file,
                line=line,
            )
        )
        rtype = "document"
    elif source_type != _FROM_CSL[rtype]:
        keep("SourceType", source_type, line, "is more specific than the CSL type")
    names: dict[str, list[Name]] = {}
    for holder in children(el, "Author"):
        for role in holder:
            var = _ROLE_VAR.get(local(role))
            found = _names(role)
            if var is None:
                for n in found:
                    keep(local(role), n.display(), role.sourceline, "is not mapped")
            elif found:
                names.setdefault(var, []).extend(found)
    for sub in el:
        tag = local(sub)
        if not tag or tag in _HANDLED:
            continue
        value = text_of(sub)
        if not value:
            continue
        var = _TEXT_VAR.get(tag)
        if var is None:
            keep(tag, value, sub.sourceline, "is not mapped")
            continue
        if tag == "StandardNumber":
            m = _SN_PREFIX.match(value)
            kind = m.group(1).upper() if m else ""
            value = value[m.end() :] if m else value
            var = (
                kind
                if kind in ("ISBN", "ISSN")
                else sn_variable(value, "JOUR" if "article" in rtype else "BOOK")
            )
            if m and kind not in ("ISBN", "ISSN"):
                keep(tag, f":{kind}:{value}", sub.sourceline, "is not an ISBN or ISSN")
                continue
        old = text.get(var)
        if old is None:
            text[var] = value
        elif old != value:
            keep(tag, value, sub.sourceline, f"repeats {var} with another value")
    dates = {}
    issued = _date(el, "", "")
    if issued is not None:
        dates["issued"] = issued
    accessed = _date(el, "", "Accessed")
    if accessed is not None:
        dates["accessed"] = accessed
    key = text_of(child(el, "Tag")) or None
    record = Record(
        id=key or "ref",
        type=rtype,
        text=text,
        names={k: tuple(v) for k, v in names.items()},
        dates=dates,
        extra=extra,
        span=SourceSpan(file, line, None),
    )
    for blob in children(el, CATCH_ALL):
        record, key = apply_catch_all(record, key, blob.text or "", diags, file, blob.sourceline or 0)
    return record, key


def _ok(value: str | None) -> bool:
    return (
        bool(value) and xml_safe(value or "") and (value or "").strip() == value and "  " not in (value or "")
    )


def _sub(parent: Any, name: str, value: str | None = None) -> Any:
    el = etree.SubElement(parent, f"{{{NS}}}{name}")
    if value is not None:
        el.text = value
    return el


def record_to_element(record: Record, catch: str | None = None) -> Any:
    """One record → ``<b:Source>`` (with the catch-all element when given)."""
    text = record.text
    el = etree.Element(f"{{{NS}}}Source", nsmap={"b": NS})
    if _ok(record.id):
        _sub(el, "Tag", record.id)
    kept = record.extra.get("wordbib:SourceType")
    source_type = kept if kept and _ok(kept) and _TO_CSL.get(kept.casefold()) == record.type else None
    _sub(el, "SourceType", source_type or _FROM_CSL.get(record.type, "Misc"))
    holder = None
    for var, role in _VAR_ROLE.items():  # a fixed order: writing must not depend on dict order
        found = record.names.get(var, ())
        persons = [
            n
            for n in found
            if n.literal is None
            and all(
                v is None or _ok(v)
                for v in (" ".join(p for p in (n.non_dropping_particle, n.family) if p) or None, n.given)
            )
        ]
        literals = [n for n in found if n.literal is not None]
        corporate = (
            literals[0].literal if len(literals) == 1 and not persons and _ok(literals[0].literal) else None
        )
        if not persons and corporate is None:
            continue  # nothing Word can hold: the read-back check keeps the names in the catch-all
        if holder is None:
            holder = _sub(el, "Author")
        role_el = _sub(holder, role)
        if corporate is not None:
            _sub(role_el, "Corporate", corporate)
            continue
        name_list = _sub(role_el, "NameList")
        for n in persons:
            family = " ".join(p for p in (n.non_dropping_particle, n.family) if p)
            person = _sub(name_list, "Person")
            if family:
                _sub(person, "Last", family)
            if n.given:
                _sub(person, "First", n.given)
    issued = record.dates.get("issued")
    for date, suffix in ((issued, ""), (record.dates.get("accessed"), "Accessed")):
        if date is None or date.start is None or date.end is not None:
            continue
        _sub(el, f"Year{suffix}", str(date.start[0]))
        if len(date.start) > 1:
            _sub(el, f"Month{suffix}", str(date.start[1]))
        if len(date.start) > 2:
            _sub(el, f"Day{suffix}", str(date.start[2]))
    for var, tag in _VAR_TEXT.items():
        value = text.get(var)
        if var == "container-title":
            tag = CONTAINER.get(record.type, "BookTitle")
        if var == "ISBN":
            value = value or text.get("ISSN")
        if _ok(value):
            _sub(el, tag, value)
    for name, value in sorted(record.extra.items()):
        tag = name[len("wordbib:") :] if name.startswith("wordbib:") else ""
        # Word's own elements bibconv does not map (LCID, Guid, RefOrder, …) go back as they came.
        if _NCNAME.fullmatch(tag) and tag not in _TEXT_VAR and tag not in _HANDLED and _ok(value):
            _sub(el, tag, value)
    if catch is not None:
        _sub(el, CATCH_ALL, catch)
    return el
