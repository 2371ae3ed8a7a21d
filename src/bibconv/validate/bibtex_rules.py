"""Checks on BibTeX/BibLaTeX source that need positions the IR does not keep.

* BC300: a key used twice, with the line of both entries (the reader may
  rename the second record's key to keep going, so the IR cannot tell).
* BC315: a field given twice in one entry (BibTeX keeps the first, biber the
  last: the two disagree on what the entry says).  The BibTeX reader reports
  this itself (BC108), so BC315 comes only from the fallback below.
* Syntax fallbacks BC104/BC107/BC113: normally the BibTeX reader reports
  these; when no BibTeX reader is installed the scan still finds them, so
  ``bibconv validate`` never passes a broken file silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bibconv.diagnostics import Diagnostic
from bibconv.formats.bibtex.lexer import RawEntry, Scan
from bibconv.formats.bibtex.macros import MONTH_MACROS
from bibconv.validate.rule import Context, source_rule

BIBTEX_FORMATS = ("bibtex", "biblatex")
#: Entry kinds that are not records.
NON_RECORDS = frozenset({"comment", "string", "preamble"})
_DOLLAR = re.compile(r"(?<!\\)\$")


def records_of(scan: Scan) -> Iterator[RawEntry]:
    """The entries that are bibliographic records (not @string/@comment/@preamble)."""
    return (e for e in scan.entries if not e.braceless and e.kind not in NON_RECORDS)


@source_rule("BC300", formats=BIBTEX_FORMATS)
def duplicate_keys(scan: Scan, ctx: Context) -> Iterator[Diagnostic]:
    """A citation key must be used by one entry only (keys compare case-insensitively, as in BibTeX)."""
    first: dict[str, RawEntry] = {}
    for entry in records_of(scan):
        if not entry.key:
            continue
        folded = entry.key.casefold()
        earlier = first.get(folded)
        if earlier is None:
            first[folded] = entry
            continue
        yield scan.finding(
            "BC300",
            f"duplicate citation key {entry.key!r}; first used at line {scan.line(earlier.start)}",
            entry.key_offset or entry.start,
            ctx.file,
            entry.key,
        )


@source_rule("BC315", formats=BIBTEX_FORMATS, fallback=True)
def duplicate_fields(scan: Scan, ctx: Context) -> Iterator[Diagnostic]:
    """A field must appear once per entry (BibTeX keeps the first value, biber the last)."""
    for entry in records_of(scan):
        seen: dict[str, int] = {}
        for f in entry.fields:
            if f.name in seen:
                yield scan.finding(
                    "BC315",
                    f"field {f.name!r} is given twice (first at line {scan.line(seen[f.name])})",
                    f.offset,
                    ctx.file,
                    entry.key,
                )
            else:
                seen[f.name] = f.offset


def syntax_fallback(scan: Scan, ctx: Context) -> Iterator[Diagnostic]:
    """BC104/BC107/BC113 from the scan, for when no BibTeX reader is available."""
    for entry in scan.entries:
        if entry.braceless:
            yield scan.finding(
                "BC107",
                f"'@{entry.kind}' without a brace is not an entry; the line is ignored",
                entry.start,
                ctx.file,
            )
            continue
        if entry.unterminated:
            message = f"unbalanced braces: @{entry.kind} entry is not closed"
            yield scan.finding("BC104", message, entry.start, ctx.file, entry.key)
        for f in entry.fields:
            if len(_DOLLAR.findall(f.value)) % 2:
                yield scan.finding(
                    "BC113", f"unbalanced $ (math) in field {f.name!r}", f.value_offset, ctx.file, entry.key
                )


def _plain(raw: str) -> str:
    """A simple field value without its delimiters (``{4}``, ``"4"``, ``4`` → ``4``)."""
    v = raw.strip()
    if len(v) >= 2 and v[0] + v[-1] in ("{}", '""'):
        v = v[1:-1].strip()
    return v


_ROMAN = re.compile(r"[MDCLXVI]+", re.IGNORECASE)
# 1–4 digits, optionally with an era (``535 BCE``, ``AD 79``), as bibliographies of old works write them.
_PLAIN_YEAR = re.compile(
    r"-?\d{1,4}|\d{1,4}\s*(?:BCE|B\.?C\.?|CE|C\.?E\.?|AD|A\.?D\.?)|(?:AD|A\.D\.)\s*\d{1,4}", re.IGNORECASE
)


def _implausible_year(raw: str) -> str | None:
    """Why a ``year`` value is no year (``20x0``, ``MMXX``, ``99999``), or None.

    A year is 1–4 digits (with an era, ``535 BCE``), or a date bibconv reads (EDTF ``2020~``, ``2016/2017``,
    ``ca. 1990``).  Words (``forthcoming``, ``in press``) are left alone: they
    are meant as text.  Values with TeX or ``#`` are not judged here.
    """
    from bibconv.dates import parse_date

    text = raw.strip()
    if "#" in text or "\\" in text:
        return None
    plain = _plain(text)
    if not plain or _PLAIN_YEAR.fullmatch(plain) or "{" in plain:
        return None
    if text == plain and not plain[0].isdigit():
        return None  # a bare macro name
    has_digit = any(c.isdigit() for c in plain)
    if not has_digit and not _ROMAN.fullmatch(plain):
        return None
    parsed = parse_date(plain)
    if parsed is not None and parsed.start is not None and abs(parsed.start[0]) <= 9999:
        return None
    return f"year {plain!r} is not a year (1 to 4 digits, or a date such as 2020~ or 2016/2017)"


@source_rule("BC308", formats=BIBTEX_FORMATS)
def month_and_day_fields(scan: Scan, ctx: Context) -> Iterator[Diagnostic]:
    """``month`` must name a month (1-12, ``jan``, ``May``, a season), ``day`` must exist in it,
    and ``year`` must be a year.

    The IR cannot hold month 13, so this is checked on the source: a reader
    may have set the date to the year alone, and the month would vanish unseen.
    """
    from bibconv.dates import SEASONS, month_number
    from bibconv.validate.date_rules import impossible

    for entry in records_of(scan):
        values = {f.name: f for f in entry.fields}
        month_field = values.get("month")
        month: int | None = None
        if month_field is not None:
            raw = month_field.value.strip()
            plain = _plain(raw)
            month = month_number(plain) if plain else None
            known = plain.lower() in SEASONS or (raw == plain and plain.lower() in MONTH_MACROS)
            if month is None and not known and "#" not in raw:
                why = f"month {plain} does not exist" if plain.isdigit() else f"{plain!r} is not a month"
                yield scan.finding("BC308", f"invalid date: {why}", month_field.offset, ctx.file, entry.key)
            elif month is None and plain.lower() in MONTH_MACROS:
                month = month_number(plain)
        day_field, year_field = values.get("day"), values.get("year")
        if year_field is not None:
            bad = _implausible_year(year_field.value)
            if bad is not None:
                yield scan.finding("BC308", f"invalid date: {bad}", year_field.offset, ctx.file, entry.key)
        if day_field is None or year_field is None or month is None:
            continue
        day, year = _plain(day_field.value), _plain(year_field.value)
        if day.isdigit() and year.isdigit() and not 1 <= int(day) <= 31:
            # a day of 1-31 is kept in the record's date, where BC308's record rule judges it
            # (Feb 30 once, not twice); only a day the reader cannot keep is checked here
            problem = impossible((int(year), month, int(day)))
            if problem:
                yield scan.finding("BC308", f"invalid date: {problem}", day_field.offset, ctx.file, entry.key)
