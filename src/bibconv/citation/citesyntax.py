"""Pandoc's citation syntax → :class:`bibconv.csl.Citation` objects.

``bibconv cite`` takes citations the way people write them in Markdown::

    [@knuth1984, p. 33; @lamport1994]     one citation, two cites, a locator
    [see @doe99, pp. 33-35 and *passim*]  prefix, locator, suffix
    [-@smith04]                           suppress the author
    @knuth1984 [p. 4]                     author in the text: "Knuth (1984, p. 4)"
    @knuth1984                            author in the text, no locator

The rules are pandoc's (see its manual, "Citation syntax"): a key starts with
a letter, digit or ``_`` and may contain ``:.#$%&-+?<>~/`` between those, or
is written in braces (``@{a key}``); after a key in brackets, ``, `` opens the
suffix, whose start is the locator when it begins with a locator term
(``p.``, ``chap.``, ``§`` ...) or with a number (then a page).  An author-in-
text citation becomes two citations, the author alone and the rest with the
author suppressed, which the caller joins with a space.

Nothing is guessed silently: text that is not a citation raises
:class:`CitationSyntaxError` with the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bibconv.errors import BibconvError

if TYPE_CHECKING:
    from bibconv.csl.engine import Citation, Cite

__all__ = ["CitationSyntaxError", "ParsedCitation", "parse_citations"]

#: Locator terms (English, as pandoc reads them) → CSL locator labels.
_LABELS: dict[str, str] = {}
for _label, _forms in {
    "book": ("book", "books", "bk.", "bks."),
    "chapter": ("chapter", "chapters", "chap.", "chaps.", "ch."),
    "column": ("column", "columns", "col.", "cols."),
    "figure": ("figure", "figures", "fig.", "figs."),
    "folio": ("folio", "folios", "fol.", "fols."),
    "number": ("number", "numbers", "no.", "nos."),
    "line": ("line", "lines", "l.", "ll."),
    "note": ("note", "notes", "n.", "nn."),
    "opus": ("opus", "opera", "op.", "opp."),
    "page": ("page", "pages", "p.", "pp."),
    "paragraph": ("paragraph", "paragraphs", "para.", "paras.", "¶", "¶¶"),
    "part": ("part", "parts", "pt.", "pts."),
    "section": ("section", "sections", "sec.", "secs.", "§", "§§"),
    "sub verbo": ("sub verbo", "sub verbis", "s.v.", "s.vv."),
    "verse": ("verse", "verses", "v.", "vv."),
    "volume": ("volume", "volumes", "vol.", "vols."),
}.items():
    for _form in _forms:
        _LABELS[_form] = _label

_KEY = r"(?:\{(?P<bkey>[^{}]+)\}|(?P<key>[\w](?:[\w]|[:.#$%&\-+?<>~/](?=[\w]))*))"
_CITE = re.compile(r"(?P<dash>-)?@" + _KEY)
_TERMS = "|".join(re.escape(t) for t in sorted(_LABELS, key=len, reverse=True))
_LOCATOR = re.compile(
    rf"^\s*(?:(?P<label>{_TERMS})\s*)?"
    r"(?P<loc>\{[^{}]*\}|[\divxlcdmIVXLCDM]+(?:\s*[-–,&]\s*[\divxlcdmIVXLCDM]+)*(?:\s*(?:ff?\.))?)(?!\w)"
)


class CitationSyntaxError(BibconvError):
    """A citation argument that does not follow pandoc's syntax (the message has the column)."""


@dataclass(frozen=True, slots=True)
class ParsedCitation:
    """One written citation: the processor's citation(s) and whether the author is in the text.

    ``author_in_text``: ``citations`` holds two citations, the author alone and the
    rest with the author suppressed; print them joined by a space.
    """

    citations: tuple[Citation, ...]
    author_in_text: bool = False


def _split_locator(suffix: str) -> tuple[str | None, str | None, str]:
    """(locator, label, rest of suffix) of the text after ``@key,``."""
    m = _LOCATOR.match(suffix)
    if m is None:
        return None, None, suffix
    loc = m.group("loc")
    if not m.group("label") and not loc[0].isdigit() and not loc.startswith("{"):
        return None, None, suffix  # a word ("civil war"), not a bare roman page number
    if loc.startswith("{"):
        loc = loc[1:-1]
    label = _LABELS[m.group("label")] if m.group("label") else "page"
    rest = suffix[m.end() :]
    return loc.strip(), label, rest


def _cite(text: str, column: int) -> Cite:
    """One cite inside brackets: ``prefix @key, locator suffix``."""
    from bibconv.csl.engine import Cite

    m = _CITE.search(text)
    if m is None:
        raise CitationSyntaxError(f"column {column}: no @key in {text.strip()!r}")
    key = m.group("bkey") or m.group("key")
    prefix = text[: m.start()].strip()
    after = text[m.end() :]
    locator = label = None
    suffix = after.strip()
    if after.lstrip().startswith(","):
        body = after.lstrip()[1:]
        locator, label, rest = _split_locator(body)
        suffix = rest.strip() if locator is not None else body.strip()
        if suffix and not suffix.startswith((",", ";", ".")) and locator is not None:
            suffix = " " + suffix
        elif suffix and locator is None:
            suffix = ", " + suffix
    return Cite(
        id=key,
        locator=locator,
        label=label,
        prefix=f"{prefix} " if prefix else "",
        suffix=suffix,
        suppress_author=m.group("dash") is not None,
    )


def _bracketed(body: str, column: int) -> Citation:
    from bibconv.csl.engine import Citation

    cites = []
    offset = column
    for part in body.split(";"):
        if part.strip():
            cites.append(_cite(part, offset))
        offset += len(part) + 1
    if not cites:
        raise CitationSyntaxError(f"column {column}: an empty citation []")
    return Citation(tuple(cites))


def parse_citations(text: str) -> list[ParsedCitation]:
    """Every citation written in ``text`` (bracketed or author-in-text), in order.

    Raises :class:`CitationSyntaxError` on text between citations that is not white space.
    """
    from bibconv.csl.engine import Citation, Cite

    out: list[ParsedCitation] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch == "[":
            close = text.find("]", i)
            if close < 0:
                raise CitationSyntaxError(f"column {i + 1}: '[' is never closed")
            out.append(ParsedCitation((_bracketed(text[i + 1 : close], i + 2),)))
            i = close + 1
            continue
        m = _CITE.match(text, i)
        if m is None:
            raise CitationSyntaxError(f"column {i + 1}: expected '[' or '@key', found {text[i : i + 20]!r}")
        key = m.group("bkey") or m.group("key")
        j = m.end()
        rest = text[j:]
        locator = label = None
        suffix = ""
        stripped = rest.lstrip()
        if stripped.startswith("[") and "@" not in stripped[: max(stripped.find("]"), 0)]:
            close = stripped.find("]")
            if close < 0:
                raise CitationSyntaxError(f"column {j + 1}: '[' is never closed")
            inner = stripped[1:close]
            locator, label, after = _split_locator(inner)
            suffix = (after if locator is not None else inner).strip()
            if suffix and locator is None:
                suffix = ", " + suffix
            elif suffix and not suffix.startswith((",", ";")):
                suffix = " " + suffix
            j += (len(rest) - len(stripped)) + close + 1
        if m.group("dash"):  # -@key outside brackets: just the year part
            cite = Cite(id=key, locator=locator, label=label, suffix=suffix, suppress_author=True)
            out.append(ParsedCitation((Citation((cite,)),)))
        else:
            author = Citation((Cite(id=key, author_only=True),))
            rest_cite = Citation(
                (Cite(id=key, locator=locator, label=label, suffix=suffix, suppress_author=True),)
            )
            out.append(ParsedCitation((author, rest_cite), author_in_text=True))
        i = j
    return out
