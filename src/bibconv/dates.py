"""Dates: EDTF/ISO strings, English month phrases and ranges ⇄ :class:`Date`.

One parser serves every reader (BibLaTeX ``date``, RIS ``DA``/``PY``, CSL-JSON
``raw``, the listing dialects), so "May 2020" means the same thing everywhere.
Text it cannot understand is left to the caller, which keeps it as a literal
date with a diagnostic: a date is never dropped.
"""

from __future__ import annotations

import re

from bibconv.ir import Date

__all__ = ["MONTHS", "format_edtf", "month_number", "parse_date"]

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ],
    start=1,
):
    for _n in _names:
        MONTHS[_n] = _i

SEASONS: dict[str, int] = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}

_ISO = re.compile(r"(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?([~?%]{0,2})")
_SLASHED = re.compile(r"(\d{4})/(\d{1,2})(?:/(\d{1,2}))?")
_WORD = re.compile(r"[A-Za-z]+\.?|\d+|[-–—/,]")


def month_number(text: str) -> int | None:
    """``"Sept."`` → 9, ``"11"`` → 11; None when it is not a month."""
    t = text.strip().rstrip(".").lower()
    if t.isdigit():
        n = int(t)
        return n if 1 <= n <= 12 else None
    return MONTHS.get(t)


def _valid(parts: tuple[int, ...]) -> bool:
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        return False
    if len(parts) == 3:
        day = parts[2]
        if not 1 <= day <= 31:
            return False
        month = parts[1]
        if month in (4, 6, 9, 11) and day > 30:
            return False
        if month == 2:
            y = parts[0]
            leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
            if day > (29 if leap else 28):
                return False
    return True


def _iso_point(text: str) -> tuple[tuple[int, ...] | None, int | None, bool] | None:
    """One EDTF point: (parts, season, circa), or None if it is not one."""
    m = _ISO.fullmatch(text)
    if not m:
        return None
    year_s, month_s, day_s, qual = m.groups()
    if len(year_s.lstrip("-")) < 3 and (month_s is not None or not year_s.startswith("-")):
        # "12" or "12-3" are not years; only a lone BCE year may be short ("-44").
        return None
    year = int(year_s)
    circa = bool(qual) and ("~" in qual or "%" in qual or "?" in qual)
    if month_s is None:
        return (year,), None, circa
    month = int(month_s)
    if 21 <= month <= 24 and day_s is None:
        return (year,), month - 20, circa
    parts: tuple[int, ...] = (year, month) if day_s is None else (year, month, int(day_s))
    if not _valid(parts):
        return None
    return parts, None, circa


def _phrase_point(text: str) -> tuple[tuple[int, ...] | None, int | None] | None:
    """ "May 2020", "15 May 2020", "May 15, 2020", "2020 May", "Spring 2020"."""
    tokens = [t for t in _WORD.findall(text) if t not in {",", "-"}]
    year = month = day = season = None
    for tok in tokens:
        low = tok.rstrip(".").lower()
        if low in SEASONS and season is None and month is None:
            season = SEASONS[low]
        elif low in MONTHS and month is None:
            month = MONTHS[low]
        elif tok.isdigit() and len(tok) == 4 and year is None:
            year = int(tok)
        elif tok.isdigit() and len(tok) <= 2 and day is None:
            day = int(tok)
        elif low in {"st", "nd", "rd", "th", "of"}:
            continue
        else:
            return None
    if year is None:
        return None
    if month is None:
        if day is not None:
            return None
        return (year,), season
    parts: tuple[int, ...] = (year, month) if day is None else (year, month, day)
    if not _valid(parts):
        return None
    return parts, season


def _point(text: str) -> tuple[tuple[int, ...] | None, int | None, bool] | None:
    text = text.strip()
    if not text:
        return None
    iso = _iso_point(text)
    if iso is not None:
        return iso
    m = _SLASHED.fullmatch(text)
    if m:
        parts = tuple(int(g) for g in m.groups() if g is not None)
        return (parts, None, False) if _valid(parts) else None
    circa = False
    low = text.lower()
    for prefix in ("circa ", "ca. ", "ca ", "c. ", "approx. "):
        if low.startswith(prefix):
            circa = True
            text = text[len(prefix) :]
            break
    phrase = _phrase_point(text)
    if phrase is None:
        return None
    return phrase[0], phrase[1], circa


def parse_date(text: str) -> Date | None:
    """Parse one date or range; None when the text is not a date we understand.

    >>> parse_date("2020-05/2020-07").end
    (2020, 7)
    """
    text = " ".join(text.split())
    if not text or len(text) > 100:
        return None
    single = _point(text)
    if single is not None:
        parts, season, circa = single
        return Date(start=parts, season=season, circa=circa)
    for sep in ("/", "--", "–", "—", " - ", "-"):
        if sep not in text:
            continue
        left, _, right = text.partition(sep)
        if sep == "-" and text.startswith("-"):
            continue
        a = _point(left)
        if right.strip() in ("..", ""):
            if a is None or a[0] is None:
                return None
            return Date(start=a[0], season=a[1], circa=a[2])
        b = _point(right)
        if a is None and left.strip() == "..":
            return None
        if a is None or b is None:
            # "May–June 2020": the left side borrows the right side's year.
            if b is not None and b[0] is not None and left.strip():
                borrowed = _point(f"{left} {b[0][0]}")
                if borrowed is not None:
                    a = borrowed
            if a is None or b is None:
                continue
        if a[0] is None or b[0] is None:
            continue
        if a[0] == b[0]:
            return Date(start=a[0], circa=a[2])
        return Date(start=a[0], end=b[0], circa=a[2] or b[2])
    return None


def format_edtf(date: Date) -> str | None:
    """The EDTF form of a date (as BibLaTeX's ``date`` field takes it), or None for a literal."""
    if date.start is None:
        return None

    def point(parts: tuple[int, ...]) -> str:
        y = parts[0]
        out = f"-{abs(y):04d}" if y < 0 else f"{y:04d}"
        for p in parts[1:]:
            out += f"-{p:02d}"
        return out

    mark = "~" if date.circa else ""
    text = point(date.start)
    if date.season is not None and len(date.start) == 1:
        text += f"-{20 + date.season}"
    text += mark
    if date.end is not None:
        text += "/" + point(date.end) + mark
    return text
