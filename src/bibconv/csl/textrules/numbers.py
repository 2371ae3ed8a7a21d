"""Numbers in CSL: the numeric test, number lists, ordinals, roman numerals and page ranges.

Number variables (``volume``, ``edition``, ``page``, ``locator`` …) are free text in
CSL-JSON.  ``is-numeric`` and ``cs:number`` need to see the numbers in them: a value is
numeric when every part is a number with optional letter affixes (``2nd``, ``D2``,
``L2d``, lower-case roman ``xii``) and the parts are joined by ``-``/``–``, ``, ``,
``; ``, ``&`` or ``and`` — the CSL 1.0.2 rule, with citeproc-js's reading of the
details (a comma joins only before a space, so ``1,000`` is one non-numeric token; an
escaped ``\\-`` is a literal hyphen inside a number such as ``3\\-B``).

Page ranges follow ``page-range-format`` (``expanded``, ``minimal``, ``minimal-two``,
``chicago`` = ``chicago-15``, ``chicago-16``) as citeproc-js computes them; a range is
only collapsed when both ends carry the same letter prefix (``N110-N115``), anything
else keeps its hyphen (``N110-5``, ``110-N6``), text ranges such as
``Michaelson-Morely`` are left alone and roman ranges (``xii-xvi``) just get the
locale's range delimiter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

__all__ = [
    "PAGE_RANGE_FORMATS",
    "NumberPart",
    "OrdinalLookup",
    "format_page_range",
    "is_numeric",
    "is_plural",
    "long_ordinal",
    "ordinal",
    "page_first",
    "render_number",
    "roman",
    "split_number",
]

#: The ``page-range-format`` values.
PAGE_RANGE_FORMATS: Final = frozenset(
    ["expanded", "minimal", "minimal-two", "chicago", "chicago-15", "chicago-16"]
)

#: ``lookup(term_name, gender)`` → ``(value, match)`` of a locale ordinal term, or None when the
#: locale has no such term for that gender (``gender`` None = the neuter/ungendered term;
#: ``match`` is the term's ``match`` attribute or ``""`` for the default).
OrdinalLookup = Callable[[str, "str | None"], "tuple[str, str] | None"]

_JOINER = re.compile(r"(\s*&\s*|,\s+and\s+|\s+and\s+|;\s+|,\s+|/|\s*(?<!\\)[-\u2013]+\s*)")
_NUMBER_TOKEN = re.compile(r"^(?P<prefix>[0-9]*[A-Za-z]+0*)?(?P<digits>[0-9]+)(?P<suffix>[A-Za-z]*)$")
_ROMAN_TOKEN = re.compile(r"^[ixv]+$")
_ESCAPED_HYPHEN = "\\-"


@dataclass(frozen=True, slots=True)
class NumberPart:
    """One part of a number variable.

    ``text`` is the part as written (escaped hyphens resolved); ``number`` its value
    when the part is a number (``None`` for roman numerals and text); ``prefix`` and
    ``suffix`` are the letters around the digits; ``joiner`` the normalised separator
    that follows it: ``"-"`` (a range), ``", "``, ``"; "``, ``" & "``, ``" and "`` or
    ``""`` after the last part.
    """

    text: str
    number: int | None
    prefix: str
    suffix: str
    joiner: str


def _normalise_joiner(raw: str) -> str:
    stripped = raw.strip()
    if stripped.startswith(("-", "\u2013")):
        return "-"
    if stripped == "&":
        return " & "
    if stripped == "/":
        return "/"
    if stripped.endswith("and"):
        return ", and " if stripped.startswith(",") else " and "
    return stripped + " "


def split_number(value: str | int) -> tuple[NumberPart, ...]:
    """The parts of a number variable, split at its joiners.

    Example: ``split_number("12-15")`` → parts ``12`` (joiner ``"-"``) and ``15``;
    ``split_number("D2 & 4")`` → ``D2`` (prefix ``D``, number 2, joiner ``" & "``) and ``4``.
    """
    if isinstance(value, int):
        return (NumberPart(str(value), value, "", "", ""),)
    text = value.strip()
    if not text:
        return ()
    pieces = _JOINER.split(text)
    parts: list[NumberPart] = []
    for k in range(0, len(pieces), 2):
        chunk = pieces[k].replace(_ESCAPED_HYPHEN, "-")
        joiner = _normalise_joiner(pieces[k + 1]) if k + 1 < len(pieces) else ""
        m = _NUMBER_TOKEN.match(chunk)
        if m is not None:
            parts.append(NumberPart(chunk, int(m["digits"]), m["prefix"] or "", m["suffix"], joiner))
        else:
            parts.append(NumberPart(chunk, None, "", "", joiner))
    return tuple(parts)


def is_numeric(value: str | int | None) -> bool:
    """CSL ``is-numeric``: the value consists only of numbers and number joiners.

    ``"12"``, ``"2nd"``, ``"12-15"``, ``"1, 3"``, ``"12 & 14"``, ``"xii"`` are numeric;
    ``"second"``, ``"2nd edition"``, ``"1,000"`` and ``""`` are not.
    """
    if value is None:
        return False
    if isinstance(value, int):
        return True
    if value.isascii() and value.isdigit():
        return True
    parts = split_number(value)
    if not parts or parts[-1].joiner:
        return False
    return all(p.number is not None or _ROMAN_TOKEN.match(p.text) for p in parts)


def is_plural(value: str | int | None, count: bool = False) -> bool:
    """Whether a label for this number variable takes its plural form (``plural="contextual"``).

    A numeric value is plural when it holds more than one number: a range or a list
    (``1-2``, ``i-ix``, ``3, 5``, ``12 & 14``); ``3\\-B`` and text such as
    ``Michaelson-Morely`` are singular.  ``count`` is for ``number-of-pages`` and
    ``number-of-volumes``, where a single number above 1 is plural (``2 vols.``).
    """
    if value is None:
        return False
    if count:
        if isinstance(value, int):
            return value > 1
        text = value.strip()
        if text.isascii() and text.isdigit():
            return int(text) > 1
    if isinstance(value, int) or not is_numeric(value):
        return False
    return len(split_number(value)) > 1


_PAGE_FIRST = re.compile(r"\s*(?:&|,\s|(?<!\\)[-\u2013])\s*")


def page_first(value: str) -> str:
    """CSL ``page-first``: the first page of a ``page`` value (``42-45`` → ``42``, ``10–20`` → ``10``)."""
    return _PAGE_FIRST.split(value.strip(), maxsplit=1)[0].replace(_ESCAPED_HYPHEN, "-")


# ----------------------------------------------------------------------------- ordinals


def ordinal(n: int, lookup: OrdinalLookup, gender: str | None = None) -> str:
    """``n`` with its locale ordinal suffix (CSL 1.0.1 ordinal terms).

    Terms ``ordinal-00``…``ordinal-09`` match the last digit and ``ordinal-10``…
    ``ordinal-99`` the last two digits unless their ``match`` says otherwise
    (``last-two-digits``, ``whole-number``); a whole-number match wins over a
    last-two-digits one, which wins over a last-digit one.  The gendered terms of the
    noun's ``gender`` are tried first, then the neuter ones; ``ordinal`` is the fallback.
    Example (en-US): 1 → ``1st``, 11 → ``11th``, 22 → ``22nd``, 113 → ``113th``.
    """
    genders: tuple[str | None, ...] = (gender, None) if gender else (None,)
    for g in genders:
        suffix = _ordinal_suffix(abs(n), lookup, g)
        if suffix is not None:
            return f"{n}{suffix}"
    fallback = lookup("ordinal", gender) or lookup("ordinal", None)
    return f"{n}{fallback[0] if fallback else ''}"


def _ordinal_suffix(n: int, lookup: OrdinalLookup, gender: str | None) -> str | None:
    if n < 100:
        term = lookup(f"ordinal-{n:02d}", gender)
        if term is not None and term[1] == "whole-number":
            return term[0]
    two = n % 100
    term = lookup(f"ordinal-{two:02d}", gender)
    if term is not None:
        match = term[1] or ("last-digit" if two < 10 else "last-two-digits")
        if match == "last-two-digits":
            return term[0]
    last = n % 10
    term = lookup(f"ordinal-{last:02d}", gender)
    if term is not None and (term[1] or "last-digit") == "last-digit":
        return term[0]
    return None


def long_ordinal(n: int, lookup: OrdinalLookup, gender: str | None = None) -> str:
    """``long-ordinal-01``…``long-ordinal-10`` for 1–10 (``first`` … ``tenth``), else :func:`ordinal`."""
    if 1 <= n <= 10:
        name = f"long-ordinal-{n:02d}"
        term = (lookup(name, gender) if gender else None) or lookup(name, None)
        if term is not None:
            return term[0]
    return ordinal(n, lookup, gender)


_ROMAN: Final = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def roman(n: int) -> str:
    """Lower-case roman numeral for 1–3999 (``42`` → ``xlii``); other numbers stay arabic."""
    if not 0 < n < 4000:
        return str(n)
    out: list[str] = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def render_number(
    value: str | int,
    form: str = "numeric",
    lookup: OrdinalLookup | None = None,
    gender: str | None = None,
    range_delimiter: str = "\u2013",
) -> str:
    """A number variable as ``cs:number`` prints it in ``form`` (numeric, ordinal, long-ordinal, roman).

    Numeric values are re-joined with normalised joiners and ranges get
    ``range_delimiter``; each plain number (digits without a leading zero) is rendered
    in ``form`` (ordinal forms need ``lookup``), other parts as written, as citeproc-js
    does.  Non-numeric values come back as written.  Example:
    ``render_number("12-15", "ordinal", en_lookup)`` → ``12th–15th``.
    """
    if isinstance(value, int):
        value = str(value)
    if not is_numeric(value):
        return value.replace(_ESCAPED_HYPHEN, "-")
    out: list[str] = []
    parts = split_number(value)
    last = len(parts) - 1
    for k, part in enumerate(parts):
        slashed = part.joiner == "/" or (k > 0 and parts[k - 1].joiner == "/")
        if part.number is None or part.prefix or part.suffix or part.text[0] == "0" or slashed:
            # only plain numbers change form: "2D", "A10", "01", "0" and "1/2" print as written
            out.append(part.text)
        elif form == "ordinal" and lookup is not None:
            out.append(ordinal(part.number, lookup, gender))
        elif form == "long-ordinal" and lookup is not None:
            out.append(long_ordinal(part.number, lookup, gender))
        elif form == "roman":
            out.append(roman(part.number))
        else:
            out.append(part.text)
        if part.joiner == "-":
            # a range between numbers with the same letter prefix gets the delimiter
            same = k < last and parts[k + 1].prefix == part.prefix and parts[k + 1].number is not None
            out.append(range_delimiter if same and part.number is not None else "-")
        else:
            out.append(part.joiner)
    return "".join(out)


# -------------------------------------------------------------------------- page ranges

_RANGE = re.compile(
    r"(?<![0-9A-Za-z\\])"
    r"(?P<p1>[0-9]*[A-Za-z]+0*)?(?P<n1>[0-9]+)(?P<s1>[a-z]*)"
    r"\s*(?<!\\)[-\u2013]+\s*"
    r"(?P<p2>[0-9]*[A-Za-z]+0*)?(?P<n2>[0-9]+)(?P<s2>[a-z]*)"
    r"(?![0-9A-Za-z])"
)
_ROMAN_RANGE = re.compile(r"(?<![A-Za-z])(?P<a>[ivxlcdm]+)\s*[-\u2013]\s*(?P<b>[ivxlcdm]+)(?![A-Za-z])")
_VALID_ROMAN = re.compile(r"^m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")


def _roman_range(delimiter: str) -> Callable[[re.Match[str]], str]:
    def one(m: re.Match[str]) -> str:
        if _VALID_ROMAN.match(m["a"]) and _VALID_ROMAN.match(m["b"]):
            return f"{m['a']}{delimiter}{m['b']}"
        return m.group()

    return one


def _minimal(begin: str, end: str, keep: int) -> str:
    if len(begin) != len(end):
        return end
    i = 0
    while i < len(end) - keep and begin[i] == end[i]:
        i += 1
    return end[i:]


def _chicago15(begin: int, end: int) -> str:
    if begin > 100 and begin % 100 and begin // 100 == end // 100:
        return str(end % 100)
    if begin >= 10000 and begin // 1000 == end // 1000:
        # citeproc-js keeps the last three digits whatever the thousands do, which turns
        # 10000-11000 into "10000–0"; a range whose thousands differ stays whole here
        return str(end % 1000)
    return str(end)


def _chicago16(begin: int, end: int) -> str:
    text = str(end)
    if begin > 100 and begin % 100:
        for i in range(2, len(text)):
            divisor = 10**i
            if begin // divisor == end // divisor:
                return str(end % divisor)
    return text


def format_page_range(value: str, fmt: str | None = None, delimiter: str = "\u2013") -> str:
    """A page value with its ranges in ``page-range-format`` and the locale's ``page-range-delimiter``.

    Without a format the numbers are kept and only the hyphen becomes ``delimiter``.
    Examples: ``("321-328", "chicago-16")`` → ``321–28``; ``("110-5", "expanded")`` →
    ``110–115``; ``("1536-1538", "minimal")`` → ``1536–8``; ``("N110-N115",
    "minimal")`` → ``N110–5``; ``("N110 - 5", "expanded")`` → ``N110-5``;
    ``("xii-xvi", None)`` → ``xii–xvi``.
    """
    if "-" not in value and "\u2013" not in value:
        return value
    if fmt not in PAGE_RANGE_FORMATS:
        fmt = None

    def one(m: re.Match[str]) -> str:
        p1, p2 = m["p1"] or "", m["p2"] or ""
        n1, n2 = m["n1"], m["n2"]
        if p1 != p2 or m["s1"] or m["s2"]:
            if p1 != p2:
                return f"{p1}{n1}{m['s1']}-{p2}{n2}{m['s2']}"
            return f"{p1}{n1}{m['s1']}{delimiter}{p2}{n2}{m['s2']}"
        if fmt is None:
            return f"{p1}{n1}{delimiter}{p2}{n2}"
        if len(n2) < len(n1):
            n2 = n1[: len(n1) - len(n2)] + n2
        begin, end = int(n1), int(n2)
        if begin >= end:
            return f"{p1}{n1}{delimiter}{p2}{n2}"
        if fmt == "expanded":
            return f"{p1}{n1}{delimiter}{p2}{n2}"
        if fmt == "minimal":
            tail = _minimal(n1, n2, 1)
        elif fmt == "minimal-two":
            tail = _minimal(n1, n2, 2)
        elif fmt == "chicago-16":
            tail = _chicago16(begin, end)
        else:
            tail = _chicago15(begin, end)
        return f"{p1}{n1}{delimiter}{tail}"

    out = _RANGE.sub(one, value)
    if "-" in out or "\u2013" in out:
        out = _ROMAN_RANGE.sub(_roman_range(delimiter), out)
    return out.replace(_ESCAPED_HYPHEN, "-")
