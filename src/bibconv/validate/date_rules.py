"""Dates that cannot exist: month 13, 31 April, 29 February 2023, an end before its start.

The IR cannot hold an impossible date (``Date`` rejects month 13), so readers
keep such text as ``Date(literal=...)`` with a BC202 warning.  This rule
re-reads those literals: a literal that *looks* numeric but is impossible is a
real error in the source, while "forthcoming" or "n.d." is just a word.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator

from bibconv.diagnostics import Diagnostic
from bibconv.ir import Date, Record
from bibconv.validate.rule import Context, record_rule

# ISO-like points inside a literal: 2020-13, 2020-04-31, 2020/4/31 (ranges split on '/' or '--').
_POINT = re.compile(r"(?<!\d)(-?\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?!\d)")


def impossible(parts: tuple[int, ...]) -> str | None:
    """Why year/month/day parts cannot be a calendar date, or None when they can."""
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        return f"month {parts[1]} does not exist"
    if len(parts) == 3:
        year, month, day = parts
        # calendar handles proleptic Gregorian years 1..9999; outside, use the leap-free maximum.
        last = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 31
        if not 1 <= day <= last:
            return f"day {day} does not exist in {calendar.month_name[month]} {year}"
    return None


def _literal_problems(literal: str) -> Iterator[str]:
    points = []
    for m in _POINT.finditer(literal):
        parts = tuple(int(g) for g in m.groups() if g is not None)
        points.append(parts)
        why = impossible(parts)
        if why:
            yield why
    if len(points) == 2 and not any(impossible(p) for p in points) and points[1] < points[0]:
        yield "the end of the range is before its start"


def _range_problem(date: Date) -> str | None:
    if date.start is None or date.end is None:
        return None
    for parts in (date.start, date.end):
        why = impossible(parts)
        if why:
            return why
    n = min(len(date.start), len(date.end))
    if date.end[:n] < date.start[:n]:
        return "the end of the range is before its start"
    return None


@record_rule("BC308")
def dates_possible(record: Record, ctx: Context) -> Iterator[Diagnostic]:
    """Every date must exist in the calendar, and a range must not end before it starts."""
    for var, date in sorted(record.dates.items()):
        if date.literal is not None and date.start is None:
            for why in _literal_problems(date.literal):
                yield Diagnostic.make("BC308", f"invalid date in {var!r} ({date.literal!r}): {why}")
        elif date.start is not None:
            problem = impossible(date.start) if date.end is None else _range_problem(date)
            if problem:
                yield Diagnostic.make("BC308", f"invalid date in {var!r}: {problem}")
