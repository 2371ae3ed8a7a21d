"""RIS value syntax: names, ``YYYY/MM/DD/other`` dates, and ISBN-or-ISSN.

Both the reader and the writer use these, and the writer checks every value
it writes by parsing it back with the same function, which is what makes the
name convention reversible (see docs/ris.md, "Names").
"""

from __future__ import annotations

import re

from bibconv.dates import MONTHS, SEASONS, parse_date
from bibconv.identifiers import isbn_valid, issn_valid
from bibconv.ir import Date, Name

__all__ = ["format_date", "format_name", "parse_name", "parse_ris_date", "sn_variable"]

# "Fanning E." / "Smith JA": PubMed-style family name followed by initials.
_INITIALS = re.compile(r"(?:[A-Z]\.?-?){1,4}")
_RIS_DATE = re.compile(r"(\d{1,4})/(\d{1,2})?/?(\d{1,2})?/?(.{0,80})")
_SN_NOISE = re.compile(r"[\s\-]")
_ISSN_SHAPE = re.compile(r"\d{7}[\dXx]")
_ISBN_SHAPE = re.compile(r"\d{9}[\dXx]|97[89]\d{10}")
#: "Family, Given Names": a one-word family name (not a lower-case particle), single spaces.
_PLAIN_NAME = re.compile(r"([^\s,]+), ([^\s,]+(?: [^\s,]+)*)")
_SERIALS = frozenset({"JOUR", "MGZN", "NEWS", "EJOUR", "JFULL", "SER", "ABST", "INPR"})


def parse_name(text: str) -> Name | None:
    """``Family, Given, Suffix`` → a person; several words without a comma → an organisation.

    Leading lower-case words of the family part are its non-dropping
    particle (``van der Berg, Anna``), as BibTeX and CSL treat them.  One
    word without a comma is a family name (``Homerus``); a family name then
    initials (``Fanning E.``) is a person, as PubMed writes them.
    """
    plain = _PLAIN_NAME.fullmatch(text)
    if plain is not None:  # the usual "Family, Given Names": what the rules below give it
        return Name(family=plain.group(1), given=plain.group(2))
    text = " ".join(text.split())
    if not text:
        return None
    if "," not in text:
        words = text.split(" ")
        if len(words) == 1:
            return Name(family=text)
        if _INITIALS.fullmatch(words[-1]) and not _INITIALS.fullmatch(words[0]):
            return Name(family=" ".join(words[:-1]), given=words[-1])
        return Name(literal=text)
    family, _, rest = text.partition(",")
    given, _, suffix = rest.partition(",")
    family, given, suffix = family.strip(), given.strip(), suffix.strip()
    particle: str | None = None
    fwords = family.split(" ")
    n = 0
    while n < len(fwords) - 1 and fwords[n][:1].islower():
        n += 1
    if n:
        particle = " ".join(fwords[:n])
        family = " ".join(fwords[n:])
    if not family and not given:
        return Name(literal=text) if text.strip(", ") else None
    return Name(
        family=family or None,
        given=given or None,
        non_dropping_particle=particle,
        suffix=suffix or None,
    )


def format_name(name: Name) -> str:
    """The RIS form of a name; ``parse_name`` gives it back for every plain case.

    A family name of several words with no given name gets a trailing comma
    (``Van Gogh,``) so that it is not read as an organisation.  Cases that
    cannot be written reversibly (a one-word organisation, a dropping
    particle) are detected by the writer, which keeps the exact name in its
    catch-all note.
    """
    if name.literal is not None:
        return name.literal
    family = " ".join(p for p in (name.non_dropping_particle, name.family) if p)
    given = " ".join(p for p in (name.given, name.dropping_particle) if p)
    out = family
    if given or name.suffix:
        out += ", " + given
    elif " " in family or not family:
        out += ","
    if name.suffix:
        out += ", " + name.suffix
    return out


def parse_ris_date(text: str) -> tuple[Date | None, str]:
    """A ``PY``/``DA``/``Y2`` value → (date or None, text that was not used).

    Understands the RIS form ``YYYY/MM/DD/other`` (any part may be empty,
    ``other`` may name a season) and everything :func:`bibconv.dates.parse_date`
    does (``2023-10-24``, ``1984 - 1985``, ``May 2020``).
    """
    value = text.strip()
    m = _RIS_DATE.fullmatch(value)
    if m:
        year = int(m.group(1))
        parts: list[int] = [year]
        if m.group(2):
            parts.append(int(m.group(2)))
            if m.group(3):
                parts.append(int(m.group(3)))
        other = m.group(4).strip().strip("/").strip()
        season = SEASONS.get(other.lower()) if other else None
        if len(parts) > 1 and season is None and other and other.lower().rstrip(".") in MONTHS:
            other = ""
        elif len(parts) == 1 and other and other.lower().rstrip(".") in MONTHS:
            parts.append(MONTHS[other.lower().rstrip(".")])
            other = ""
        try:
            date = Date(start=tuple(parts), season=season if len(parts) == 1 else None)
        except ValueError:
            date = None
        if date is not None:
            return date, "" if season is not None else other
    parsed = parse_date(value)
    return parsed, "" if parsed is not None else value


def format_date(date: Date) -> tuple[str, str | None]:
    """(``PY`` value, ``DA`` value or None) for a date; the writer checks it reads back.

    ``PY`` holds the year only, as the current RIS specification says; ``DA``
    holds ``YYYY/MM/DD/`` when there is a month, and an ISO range
    (``2020-05/2021``) for ranges, which :func:`parse_ris_date` reads back.
    """
    if date.start is None:
        return date.literal or "", None
    year = str(date.start[0])
    if date.end is not None:
        from bibconv.dates import format_edtf

        return year, format_edtf(Date(start=date.start, end=date.end))
    if len(date.start) == 1:
        if date.season is not None:
            name = {1: "Spring", 2: "Summer", 3: "Autumn", 4: "Winter"}[date.season]
            return year, f"{year}///{name}"
        return year, None
    month = f"{date.start[1]:02d}"
    day = f"{date.start[2]:02d}" if len(date.start) == 3 else ""
    return year, f"{year}/{month}/{day}/"


def sn_variable(value: str, ris: str) -> str:
    """``ISBN`` or ``ISSN`` for an ``SN`` value: by checksum, then shape, then type.

    EndNote and Zotero put both in ``SN``; an 8-character value is an ISSN and
    a 10- or 13-digit one an ISBN even when its check digit is wrong (a typo
    does not change what it is); anything else follows the type (serials
    have ISSNs).
    """
    if issn_valid(value):
        return "ISSN"
    if isbn_valid(value):
        return "ISBN"
    compact = _SN_NOISE.sub("", value)
    if _ISSN_SHAPE.fullmatch(compact):
        return "ISSN"
    if _ISBN_SHAPE.fullmatch(compact):
        return "ISBN"
    return "ISSN" if ris in _SERIALS else "ISBN"
