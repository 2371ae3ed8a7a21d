"""Detection of the listing dialects (``abstracts``, ``feed``, ``arxiv``) and the patterns it shares.

Light on purpose (``re`` and the name heuristics of :mod:`.names` only): the
registry calls these to detect a format without importing a listing reader
(see bibconv.registry.FormatInfo).  The parsers import the same patterns from
here, so detection and reading agree on what a header or an id line is.
"""

from __future__ import annotations

import re

from bibconv.formats.listing.names import name_pieces, name_score, split_et_al

__all__ = [
    "ABSTRACT_LINE",
    "ARXIV_CREATED",
    "ARXIV_ID_LINE",
    "FEED_HEADER",
    "Paragraph",
    "is_id_paragraph",
    "names_line",
    "paragraphs",
    "sniff_abstracts",
    "sniff_arxiv",
    "sniff_feed",
]

#: An ``Abstract:`` line (the ``abstracts`` dialect).
ABSTRACT_LINE = re.compile(r"[ \t]{0,8}Abstract[ \t]{0,4}:[ \t]{0,8}", re.IGNORECASE)
#: A paper-feed header: score, two-letter subject, date, optional ``Code``.
FEED_HEADER = re.compile(
    r"[ \t]{0,8}(?P<score>\d{1,3}(?:\.\d{1,3})?)?(?P<subj>[A-Z]{2})"
    r"(?P<date>(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\.?[ \t]{1,4}"
    r"(?P<day>\d{1,2})(?:,[ \t]{0,4}(?P<year>\d{4}))?)"
    r"(?P<code>[ \t]{0,4}Code)?[ \t]{0,8}"
)
#: ``arXiv:ID - rest`` and ``Created:`` lines, which close a record of an arXiv listing.
ARXIV_ID_LINE = re.compile(
    r"arXiv:[ \t]{0,4}(?P<id>\S{1,80})(?:[ \t]{1,4}-[ \t]{1,4}(?P<rest>.*))?", re.IGNORECASE
)
ARXIV_CREATED = re.compile(r"Created:[ \t]{0,4}(?P<date>.{1,60})", re.IGNORECASE)


class Paragraph:
    """Consecutive non-blank lines and the 1-based number of the first."""

    __slots__ = ("line", "lines")

    def __init__(self, line: int, lines: list[str]) -> None:
        self.line = line
        self.lines = lines

    @property
    def text(self) -> str:
        """The lines joined with spaces (pasted paragraphs may be wrapped)."""
        return " ".join(s.strip() for s in self.lines)


def paragraphs(text: str) -> list[Paragraph]:
    """Blank-line separated blocks of ``text``."""
    out: list[Paragraph] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        if raw.strip():
            if not current:
                start = number
            current.append(raw.rstrip())
        elif current:
            out.append(Paragraph(start, current))
            current = []
    if current:
        out.append(Paragraph(start, current))
    return out


def is_id_paragraph(p: Paragraph) -> bool:
    """True for an arXiv listing's identifier block (``arXiv:`` or ``Created:`` lines)."""
    return any(ARXIV_ID_LINE.match(s.strip()) or ARXIV_CREATED.match(s.strip()) for s in p.lines)


def names_line(line: str) -> bool:
    """True when ``line`` reads as a list of person names."""
    body, _ = split_et_al(line)
    pieces = name_pieces(body)
    if not pieces:
        return False
    return sum(name_score(p) for p in pieces) / len(pieces) >= 0.6


def sniff_abstracts(head: str) -> float:
    """The share of non-blank lines that start with ``Abstract:``."""
    lines = [line for line in head.split("\n") if line.strip()]
    if not lines:
        return 0.0
    hits = sum(1 for line in lines if ABSTRACT_LINE.match(line))
    return hits / len(lines)


def sniff_feed(head: str) -> float:
    """Headers make up a third of a feed's non-blank lines; score that proportion."""
    lines = [line for line in head.split("\n") if line.strip()]
    if not lines:
        return 0.0
    headers = [i for i, line in enumerate(lines) if FEED_HEADER.fullmatch(line)]
    if not headers:
        return 0.0
    # a header followed by a header is not the dialect; count only well-spaced ones
    good = sum(1 for a, b in zip(headers, [*headers[1:], len(lines) + 2]) if b - a >= 3 or b > len(lines))
    return min(1.0, 3 * good / len(lines))


def sniff_arxiv(head: str) -> float:
    """The share of paragraphs explained by ``arXiv:``/``Created:`` blocks (each with up to 3 before it).

    With no identifier block in the head at all, a title line over a long
    author list scores 0.6: enough to be chosen, not enough to beat a format
    that really matches.
    """
    paras = paragraphs(head)
    if not paras:
        return 0.0
    explained = 0
    free = 0  # paragraphs since the last id block, not yet explained
    for p in paras:
        if is_id_paragraph(p) and any(ARXIV_ID_LINE.match(s.strip()) for s in p.lines):
            explained += 1 + min(free, 3)
            free = 0
        else:
            free += 1
    if explained == 0 and len(paras[0].lines) >= 2 and len(name_pieces(paras[0].lines[1])) >= 3:
        # the 8 KiB head may end inside a first record's 900-author line,
        # before any identifier block: a title over a long name list still says "arxiv"
        return 0.6 if names_line(paras[0].lines[1]) else 0.0
    return explained / len(paras)
