"""MEDLINE syntax and value rules, used by both the reader and the writer.

A line is a tag of up to four characters padded to four, ``- `` and the
value; a line starting with white space continues the previous value.
Records are separated by blank lines and start with ``PMID-`` (ERIC's
MEDLINE-format exports start with ``OWN -``; any tag may start a record).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import ClassVar

from bibconv.dates import parse_date
from bibconv.diagnostics import Diagnostic
from bibconv.formats.nbib.mapping import (
    CSL_TO_PT,
    DEFAULT_PT,
    JOINS,
    MONTHS,
    NAME_TAGS,
    PT_TO_CSL,
    SEASON_NAMES,
    SEASONS,
    TEXT_TAGS,
)
from bibconv.formats.tagged import Builder, Dialect, Field, Raw
from bibconv.identifiers import normalise_doi
from bibconv.ir import Date, Name, Record

__all__ = ["NBIB"]

_LINE = re.compile(r"([A-Z][A-Z0-9]{0,3}) {0,3}-(?: (.*)|\s*)")
_TAG_ONLY = re.compile(r"[A-Z][A-Z0-9]{0,3}")
_INITIALS = re.compile(r"[A-Z]{1,4}")


def nlm_given(given: str, *, initials_only: bool) -> str:
    """A given name as NLM writes it (initials without points) with the points added.

    ``initials_only``: the value is a run of initials ("MJ" in ``AU - Fry MJ``, PubMed
    XML's ``<Initials>``).  Otherwise a lone capital is an initial: "Jimmy T" (MEDLINE's
    ``FAU``, PubMed XML's ``<ForeName>``).  The nbib and PubMed XML readers share it,
    so the same NLM record reads the same from either format.
    """
    if initials_only and _INITIALS.fullmatch(given):
        return " ".join(f"{c}." for c in given)  # "Fry MJ"
    return " ".join(f"{w}." if _INITIALS.fullmatch(w) and len(w) == 1 else w for w in given.split(" "))


_ID_KIND = re.compile(r"(.*?)\s*\[([a-z-]+)\]")
_ISSN_MEDIUM = re.compile(r"(.*?)\s*\((Print|Electronic|Linking)\)", re.IGNORECASE)
_PAGES = re.compile(r"(\d{1,9})-(\d{1,9})")
_DP = re.compile(r"(\d{4})(?: ([A-Za-z]{3,6})(?: (\d{1,2}))?)?")


class NbibDialect(Dialect):
    """MEDLINE / PubMed tagged format."""

    namespace = "nbib"
    type_tags = ("PT",)
    note_tag = "GN"
    name_tags = NAME_TAGS
    text_tags = TEXT_TAGS
    date_tags = frozenset({"DP"})
    joins: ClassVar[Mapping[str, str]] = JOINS
    derived: ClassVar[Mapping[str, str]] = {"AU": "FAU", "ED": "FED"}
    writes_own_extra: ClassVar[frozenset[str]] = frozenset({"IS"})

    def valid_tag(self, tag: str) -> bool:
        return _TAG_ONLY.fullmatch(tag) is not None

    # -- syntax -----------------------------------------------------------
    def scan(self, text: str, diags: list[Diagnostic], file: str | None) -> list[Raw]:
        records: list[Raw] = []
        current: Raw | None = None
        for number, raw_line in enumerate(text.split("\n"), start=1):
            line = raw_line.rstrip("\r").rstrip()
            if line.startswith("\ufeff"):
                line = line[1:]
            if not line.strip():
                current = None  # a blank line ends the record
                continue
            if line[:1].isspace():
                if current is not None and current.fields:
                    last = current.fields[-1]
                    last.value = f"{last.value} {line.strip()}".strip()
                else:
                    diags.append(
                        Diagnostic.make(
                            "BC116", "continuation line outside a field was ignored", file=file, line=number
                        )
                    )
                continue
            m = _LINE.fullmatch(line)
            if m is None:
                diags.append(
                    Diagnostic.make(
                        "BC116", f"line is not 'TAG - value': {line[:40]!r}; ignored", file=file, line=number
                    )
                )
                continue
            tag, value = m.group(1), (m.group(2) or "").strip()
            if current is not None and tag == "PMID" and any(f.tag == "PMID" for f in current.fields):
                current = None  # records run together without a blank line
            if current is None:
                current = Raw(line=number)
                records.append(current)
            current.fields.append(Field(tag, value, number))
        return records

    def render(self, fields: Sequence[tuple[str, str]]) -> list[str]:
        return [f"{tag:<4}- {value}" for tag, value in fields]

    def document(self, records: Sequence[list[str]]) -> str:
        return "".join("\n" + "\n".join(lines) + "\n" for lines in records)

    # -- types ------------------------------------------------------------
    def read_type(self, b: Builder, fields: Mapping[str, list[Field]]) -> None:
        pts = [f for f in fields.get("PT", []) if f.value]
        lowered = [f.value.casefold() for f in pts]
        csl = next((c for name, c in PT_TO_CSL if any(v.startswith(name) for v in lowered)), None)
        if csl is None and ("JT" in fields or "TA" in fields):
            csl = "article-journal"  # MEDLINE's records are journal articles unless typed otherwise
        elif csl == "report" and "SO" in fields:
            csl = "article-journal"  # ERIC: a "report" cited from a journal issue (SO) is an article
        if csl is None:
            what = ", ".join(f.value for f in pts) or "(none)"
            b.note("BC200", f"MEDLINE publication type {what!r} is not known; read as 'document'", b.line)
            csl = "document"
        b.type = csl
        want = CSL_TO_PT.get(csl, DEFAULT_PT)
        canonical = next((f for f in pts if f.value == want), None)
        for f in pts:
            if f is not canonical:
                b.keep_extra("PT", f.value, f.line, "is more specific than the CSL type")

    def write_type(self, record: Record) -> list[tuple[str, str]]:
        out = [("PT", CSL_TO_PT.get(record.type, DEFAULT_PT))]
        extra = record.extra.get("nbib:PT")
        if extra:
            out += [("PT", v) for v in extra.split("\n")]
        return out

    # -- names ------------------------------------------------------------
    def parse_name(self, tag: str, value: str) -> Name | None:
        if tag == "CN":
            return Name(literal=value)
        name = super().parse_name(tag, value)
        if name is None or not name.given:
            return name
        family, particle = name.family or "", name.non_dropping_particle
        words = family.split(" ")
        if particle is None and len(words) > 1 and words[0][:1].islower():  # "van Dyke B"
            n = next(i for i, w in enumerate(words) if not w[:1].islower() or i == len(words) - 1)
            particle, family = " ".join(words[:n]) or None, " ".join(words[n:])
        given = nlm_given(name.given, initials_only=tag in ("AU", "ED"))
        if given == name.given and family == name.family:
            return name
        return Name(
            family=family,
            given=given,
            non_dropping_particle=particle,
            suffix=name.suffix,
        )

    def write_names(self, record: Record) -> list[tuple[str, str]]:
        from bibconv.formats.ris.values import format_name

        out: list[tuple[str, str]] = []
        for var, full, short in (("author", "FAU", "AU"), ("editor", "FED", "ED")):
            for name in record.names.get(var, ()):
                if name.literal is not None and var == "author":
                    out.append(("CN", name.literal))
                    continue
                out.append((full, format_name(name)))
                out.append((short, _abbreviate(name)))
        return out

    # -- text -------------------------------------------------------------
    def read_text(self, b: Builder, f: Field, var: str) -> None:
        value = f.value
        if f.tag in ("AID", "LID"):
            m = _ID_KIND.fullmatch(value)
            if m is None or m.group(2) != "doi" or normalise_doi(m.group(1)) is None:
                b.keep_extra(f.tag, value, f.line, "is not a DOI")
                return
            if b.text.get("DOI") not in (None, m.group(1)):
                b.keep_extra(f.tag, value, f.line, "repeats DOI with another value")
                return
            b.text["DOI"] = m.group(1)
            return
        if f.tag == "IS":
            m = _ISSN_MEDIUM.fullmatch(value)
            if "ISSN" in b.text or m is not None:
                b.keep_extra("IS", value, f.line, "is a further ISSN or names its medium")
            if "ISSN" not in b.text:
                b.text["ISSN"] = m.group(1) if m is not None else value
            return
        if f.tag == "PG":
            b.set_text("page", _expand_pages(value), f.tag, f.line)
            return
        if f.tag == "BTI":
            b.text.setdefault("_BTI", value)
            return
        super().read_text(b, f, var)

    def write_text(self, record: Record, var: str, tag: str, value: str) -> list[tuple[str, str]]:
        if var == "DOI":
            return [("AID", f"{value} [doi]")]
        if var == "ISSN":
            kept = record.extra.get("nbib:IS", "")
            first = kept.split("\n")[0] if kept else ""
            m = _ISSN_MEDIUM.fullmatch(first)
            if m is not None and m.group(1) == value:
                return [("IS", v) for v in kept.split("\n")]
            return [("IS", value)] + [("IS", v) for v in kept.split("\n") if v]
        return super().write_text(record, var, tag, value)

    def finish(self, b: Builder) -> None:
        bti = b.text.pop("_BTI", None)
        if bti is None:
            return
        if "title" not in b.text:
            b.text["title"] = bti
        elif "container-title" not in b.text:
            b.text["container-title"] = bti
        else:
            b.keep_extra("BTI", bti, b.line, "names a book beside a title and a journal")

    # -- dates ------------------------------------------------------------
    def read_dates(self, b: Builder, fields: Mapping[str, list[Field]]) -> None:
        dps = [f for f in fields.get("DP", []) if f.value]
        for f in dps[1:]:
            b.keep_extra("DP", f.value, f.line, "repeats the date")
        if not dps:
            return
        f = dps[0]
        date = _parse_dp(f.value)
        if date is None:
            year = f.value[:4]
            if year.isdigit():
                b.dates["issued"] = Date(start=(int(year),))
                b.keep_extra("DP", f.value, f.line, "has a date part bibconv does not understand")
            else:
                b.note("BC202", f"date {f.value!r} is not understood; kept as literal", f.line)
                b.dates["issued"] = Date(literal=f.value)
            return
        b.dates["issued"] = date

    def write_dates(self, record: Record) -> list[tuple[str, str]]:
        date = record.dates.get("issued")
        if date is None or date.start is None:
            return []
        value = f"{date.start[0]:04d}"
        if len(date.start) >= 2:
            value += " " + MONTHS[date.start[1] - 1]
            if len(date.start) == 3:
                value += f" {date.start[2]}"
        elif date.season is not None:
            value += " " + SEASON_NAMES[date.season - 1]
        return [("DP", value)]


def _expand_pages(value: str) -> str:
    """MEDLINE's abbreviated end page back in full: ``466-75`` → ``466-475``."""
    m = _PAGES.fullmatch(value)
    if m is None or len(m.group(2)) >= len(m.group(1)):
        return value
    first, last = m.group(1), m.group(2)
    return f"{first}-{first[: len(first) - len(last)]}{last}"


def _parse_dp(value: str) -> Date | None:
    """``2016 Jan 15``, ``2016 Jan``, ``2016``, ``2016 Spring``, ERIC's ``Apr 2019`` → a date."""
    m = _DP.fullmatch(value.strip())
    if m is None:
        parsed = parse_date(value)
        return parsed if parsed is not None and parsed.start is not None and parsed.end is None else None
    year = int(m.group(1))
    word = m.group(2)
    if word is None:
        return Date(start=(year,))
    if word.lower() in SEASONS and m.group(3) is None:
        return Date(start=(year,), season=SEASONS[word.lower()])
    month = next((n for n, name in enumerate(MONTHS, start=1) if name.lower() == word.lower()), None)
    if month is None:
        return None
    if m.group(3) is None:
        return Date(start=(year, month))
    day = int(m.group(3))
    return Date(start=(year, month, day)) if 1 <= day <= 31 else None


def _abbreviate(name: Name) -> str:
    """``AU`` form of a name: ``Family GI`` (initials without points)."""
    if name.literal is not None:
        return name.literal
    family = " ".join(p for p in (name.non_dropping_particle, name.family) if p)
    initials = "".join(w[0] for w in re.split(r"[\s.\-]+", name.given or "") if w)
    return f"{family} {initials}" if initials else family


NBIB = NbibDialect()
