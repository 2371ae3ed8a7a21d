"""CSL dates: one typed value from every shape a date arrives in, and the rules to print it.

CSL-JSON writes a date as ``date-parts`` (numbers or numeric strings, one row or two
for a range), ``season``, ``circa``, ``literal`` or a ``raw`` string, and real data
mixes them: ``[["2000", "", ""]]``, months 13–24 for seasons, ``[[1987], [0]]`` for
an open range, ``"~2004"``, ``"2004-21"`` (EDTF spring), ``"-0044"`` (44 BC).
:func:`normalise_date` turns all of them into one :class:`CslDate`, so the processor
core renders and sorts a single shape; text that is no date becomes a literal,
never lost.  :func:`year_text` adds the ``ad``/``bc`` terms and
:func:`differing_part` says which part of a range changes, which decides how a range
collapses (``2000–2002``, ``May–June 2000``, ``May 3–5, 2000``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bibconv.dates import parse_date
from bibconv.ir import Date

__all__ = ["CslDate", "DatePoint", "date_sort_key", "differing_part", "normalise_date", "year_text"]


@dataclass(frozen=True, slots=True)
class DatePoint:
    """One end of a date: a year (negative = BC), optional month or season, optional day.

    ``season`` is 1–4 (spring … winter) or the text of a named season the data gave
    (``"Michaelmas"``); a point has a month or a season, never both.
    """

    year: int
    month: int | None = None
    day: int | None = None
    season: int | str | None = None


@dataclass(frozen=True, slots=True)
class CslDate:
    """A normalised date: a point, a range (``end``), an open range, or a literal text."""

    start: DatePoint | None
    end: DatePoint | None = None
    open_end: bool = False
    circa: bool = False
    literal: str | None = None

    @property
    def is_range(self) -> bool:
        """A closed or open range (the core prints the range delimiter)."""
        return self.end is not None or self.open_end

    @property
    def start_parts(self) -> tuple[int, ...]:
        """The start as a date-parts row ``(year[, month[, day]])``; ``()`` for a literal date."""
        return _row(self.start)

    @property
    def end_parts(self) -> tuple[int, ...] | None:
        """The end as a date-parts row, or None for a single date or an open range."""
        return _row(self.end) if self.end is not None else None

    @property
    def season(self) -> int | str | None:
        """The season of the start (1–4 or a name), if the date has one instead of a month."""
        return self.start.season if self.start is not None else None


def _row(point: DatePoint | None) -> tuple[int, ...]:
    if point is None:
        return ()
    if point.month is None:
        return (point.year,)
    if point.day is None:
        return (point.year, point.month)
    return (point.year, point.month, point.day)


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text and (text.isdigit() or (text[0] == "-" and text[1:].isdigit())):
            return int(text)
    return None


def _season(value: Any) -> int | str | None:
    number = _int(value)
    if number is not None:
        if 1 <= number <= 4:
            return number
        if 13 <= number <= 24:
            return (number - 13) % 4 + 1
        return None
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _point(row: Any) -> DatePoint | None:
    if not isinstance(row, list | tuple) or not row:
        return None
    year = _int(row[0])
    if year is None:
        return None
    month = _int(row[1]) if len(row) > 1 else None
    day = _int(row[2]) if len(row) > 2 else None
    season: int | str | None = None
    if month is not None and not 1 <= month <= 12:
        # 13–24 are seasons (citeproc-js reads 13–16, 17–20 and 21–24 alike); other numbers are noise
        season = (month - 13) % 4 + 1 if 13 <= month <= 24 else None
        month = None
    if month is None or (day is not None and not 1 <= day <= 31):
        day = None
    return DatePoint(year, month, day, season)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


_QUALIFIER = re.compile(r"^[~?%]|[~?%]$")
_OPEN_END = re.compile(r"^(?P<start>.+?)\s*(?:/\.\.|/|–|--|-)\s*$")


def _from_ir(date: Date) -> CslDate:
    if date.start is None:
        return CslDate(None, literal=date.literal, circa=date.circa)

    def point(parts: tuple[int, ...], season: int | None) -> DatePoint:
        month = parts[1] if len(parts) > 1 else None
        day = parts[2] if len(parts) > 2 else None
        return DatePoint(parts[0], month, day, season if month is None else None)

    start = point(date.start, date.season)
    end = point(date.end, None) if date.end is not None else None
    return CslDate(start, end, circa=date.circa)


def _from_raw(raw: str) -> CslDate | None:
    text = " ".join(raw.split())
    if not text:
        return None
    circa = False
    if _QUALIFIER.search(text) and not text.startswith("-"):
        circa = True
        text = _QUALIFIER.sub("", text).strip()
    m = _OPEN_END.match(text)
    if m:
        parsed = parse_date(m["start"])
        if parsed is not None and parsed.start is not None and parsed.end is None:
            date = _from_ir(parsed)
            return CslDate(date.start, None, open_end=True, circa=circa or date.circa)
    parsed = parse_date(text)
    if parsed is not None and parsed.start is not None:
        date = _from_ir(parsed)
        return CslDate(date.start, date.end, circa=circa or date.circa)
    return CslDate(None, literal=raw.strip())


def normalise_date(value: Any) -> CslDate | None:
    """One :class:`CslDate` from a CSL-JSON date object, a raw string, a year or an IR date.

    Returns None when there is nothing to print.  Examples:
    ``{"date-parts": [[2000, 5], [2000, 6]]}`` → May–June 2000;
    ``{"date-parts": [[1987], [0]]}`` → open range from 1987;
    ``{"date-parts": [[1965, 21]]}`` → spring 1965; ``"~2004"`` → circa 2004;
    ``"Bogus Date"`` → the literal ``Bogus Date``.
    """
    if value is None:
        return None
    if isinstance(value, CslDate):
        return value
    if isinstance(value, Date):
        return _from_ir(value)
    if isinstance(value, str):
        return _from_raw(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return CslDate(DatePoint(value))
    if not isinstance(value, Mapping):
        return None
    circa = _truthy(value.get("circa"))
    literal = value.get("literal")
    if isinstance(literal, str) and literal.strip():
        return CslDate(None, circa=circa, literal=literal)
    rows = value.get("date-parts")
    start = end = None
    open_end = False
    if isinstance(rows, list) and rows:
        start = _point(rows[0])
        if start is not None and len(rows) > 1:
            end_row = rows[1]
            end_year = _int(end_row[0]) if isinstance(end_row, list | tuple) and end_row else None
            if end_year == 0 or (isinstance(end_row, list | tuple) and not end_row):
                open_end = True
            else:
                end = _point(end_row)
                if end == start:
                    end = None
    if start is None:
        raw = value.get("raw")
        if isinstance(raw, str) and raw.strip():
            date = _from_raw(raw)
            if date is not None and circa and not date.circa:
                return CslDate(date.start, date.end, date.open_end, True, date.literal)
            return date
        season = _season(value.get("season"))
        if season is not None and not isinstance(season, int):
            return CslDate(None, circa=circa, literal=season)
        return None
    season = _season(value.get("season"))
    if season is not None and start.month is None and start.season is None:
        start = DatePoint(start.year, None, None, season)
    return CslDate(start, end, open_end, circa)


def year_text(year: int, ad: str = "AD", bc: str = "BC", ad_below: int = 1000) -> str:
    """A year as printed: ``-44`` → ``44BC``; ``79`` → ``79AD``; ``1999`` → ``1999``.

    The terms are the locale's ``ad``/``bc`` (en-US has a leading space: ``" AD"``).
    CSL 1.0.2 appends ``ad`` to years of fewer than four digits; citeproc-js does so
    below 500 (pass ``ad_below=500`` to match it).  Year 0 prints as ``0``.
    """
    if year < 0:
        return f"{-year}{bc}"
    if 0 < year < ad_below:
        return f"{year}{ad}"
    return str(year)


def differing_part(start: DatePoint, end: DatePoint) -> str | None:
    """The largest part that differs between the ends of a range: ``year``, ``month``, ``day`` or None.

    A season counts as the month.  The core prints the parts below it once and uses
    that part's ``range-delimiter``: year → ``May 2000–June 2001``, month →
    ``May–June 2000``, day → ``May 3–5, 2000``.
    """
    if start.year != end.year:
        return "year"
    if start.month != end.month or start.season != end.season:
        return "month"
    if start.day != end.day:
        return "day"
    return None


def date_sort_key(date: CslDate | None) -> tuple[int, ...]:
    """A key that orders dates chronologically, start first then end; missing parts sort first.

    Seasons sort after the months they do not name (``21``–``24`` as EDTF has them);
    literal and missing dates give the empty tuple (the core puts them last).
    """
    if date is None or date.start is None:
        return ()

    def point(p: DatePoint) -> tuple[int, int, int]:
        month = p.month or (20 + p.season if isinstance(p.season, int) else 0)
        return (p.year, month, p.day or 0)

    end = date.end or (DatePoint(10**6) if date.open_end else date.start)
    return point(date.start) + point(end)
