"""Punctuation where output pieces meet: de-duplication, punctuation in quotes, French spacing.

A style glues affixes, delimiters and field values that each may bring punctuation:
a title ending in ``?`` followed by the suffix ``.``, an abbreviation ``Mich.``
followed by ``: ``.  citeproc-js resolves every such meeting of two marks with one
table (the one its ``punctuation_FullMonty*`` fixtures spell out in full): the same
mark twice prints once; ``!``/``?`` absorb a following ``.`` or ``:``; ``:``/``;``
give way to a following ``!``/``?`` and absorb a following ``.``; ``;`` absorbs
``:``; every other pair prints both marks (``Mich.:``, ``Inc.,``, ``comma,.``).

With the locale option ``punctuation-in-quote`` true, ``.``, ``,``, ``!`` and ``?``
that follow a closing quote move inside it (``“Title,”``), while ``:`` and ``;`` stay
outside and stop the move; with it false, ``,``, ``:`` and ``;`` that end the quoted
text move out.  In both cases a mark right after the quote that the quoted text's
last mark absorbs is dropped (``“Why?”`` + ``.`` → ``“Why?”``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

__all__ = [
    "PUNCTUATION",
    "french_spacing",
    "join",
    "join_all",
    "merge_punct",
    "quote_punctuation",
    "strip_periods",
]

#: The marks the merge table knows.
PUNCTUATION: Final = ".,;:!?"

# (left, right) → what prints, for every pair of different marks that does not
# simply print both.
_ABSORB: Final = {
    ("!", "."): "!",
    ("!", ":"): "!",
    ("?", "."): "?",
    ("?", ":"): "?",
    (":", "!"): "!",
    (":", "?"): "?",
    (":", "."): ":",
    (";", "!"): "!",
    (";", "?"): "?",
    (";", ":"): ";",
    (";", "."): ";",
}
_INTO_QUOTE: Final = frozenset(".,!?")
_OUT_OF_QUOTE: Final = frozenset(",:;")
_FRENCH_BEFORE = re.compile(" ([:;?!\u00bb])")
_STRIP_PERIODS = re.compile(r"\.(?![a-z])")


def merge_punct(left: str, right: str) -> str:
    """What prints when mark ``left`` is directly followed by mark ``right`` (one or two marks).

    Example: ``("?", ".")`` → ``?``; ``(".", ":")`` → ``.:``; ``(",", ",")`` → ``,``.
    """
    if left == right:
        return left
    return _ABSORB.get((left, right), left + right)


def join(left: str, right: str) -> str:
    """``left + right`` with the marks and spaces where they meet de-duplicated.

    Example: ``join("Mich.", ": Random")`` → ``Mich.: Random``; ``join("Why?", ". Next")``
    → ``Why? Next``; ``join("a ", " b")`` → ``a b``.
    """
    if not left or not right:
        return left + right
    last, first = left[-1], right[0]
    if last == " " and first == " ":
        return left + right[1:]
    if last in PUNCTUATION and first in PUNCTUATION:
        return left[:-1] + merge_punct(last, first) + right[1:]
    return left + right


def join_all(pieces: Iterable[str]) -> str:
    """:func:`join` over several pieces, left to right (empty pieces are skipped)."""
    out = ""
    for piece in pieces:
        if piece:
            out = join(out, piece) if out else piece
    return out


def quote_punctuation(inner: str, after: str, punctuation_in_quote: bool) -> tuple[str, str]:
    """Move marks across a closing quote: returns the new quoted text and the new text after it.

    ``inner`` is the quoted text, ``after`` what follows the closing quote (already
    joined with :func:`join`).  Examples with ``punctuation_in_quote=True``:
    ``("Book A", ", 1900")`` → ``("Book A,", " 1900")``; ``("comma", ",. period")`` →
    ``("comma,.", " period")``; ``("colon", ":, comma")`` stays; with ``False``:
    ``("Book A,", " 1900")`` → ``("Book A", ", 1900")``.
    """
    if inner and after and inner[-1] in PUNCTUATION and after[0] in PUNCTUATION:
        merged = merge_punct(inner[-1], after[0])
        if len(merged) == 1:
            inner, after = inner[:-1] + merged, after[1:]
    if punctuation_in_quote:
        while after and after[0] in _INTO_QUOTE:
            mark = after[0]
            after = after[1:]
            if inner and inner[-1] in PUNCTUATION:
                inner = inner[:-1] + merge_punct(inner[-1], mark)
            else:
                inner += mark
    else:
        while inner and inner[-1] in _OUT_OF_QUOTE:
            mark = inner[-1]
            inner = inner[:-1]
            after = join(mark, after)
    return inner, after


def french_spacing(text: str) -> str:
    """A narrow no-break space before ``: ; ? ! »`` and after ``«`` where the text has a plain space.

    citeproc-js does this to every piece of output, whatever the locale, so that
    French typography written with ordinary spaces never breaks across lines.
    """
    if " " not in text:
        return text
    return _FRENCH_BEFORE.sub("\u202f\\1", text).replace("\u00ab ", "\u00ab\u202f")


def strip_periods(text: str) -> str:
    """CSL ``strip-periods`` as citeproc-js applies it to text: periods not before a lower-case letter go.

    ``"Ed."`` → ``Ed``; ``"U.S.A."`` → ``USA``; ``"e.g."`` → ``e.g`` (a period inside a
    lower-case abbreviation stays).
    """
    if "." not in text:
        return text
    return _STRIP_PERIODS.sub("", text)
