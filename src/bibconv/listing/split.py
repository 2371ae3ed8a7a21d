"""Splitting a run-on "TitleFirst Author, Second Author et al." line.

The feed dialect glues the title to the author list with no separator
(``...Vision ResearchJorg Bornschein, ...``).  No list of known titles or
names can solve this for listings we have never seen, so the split is scored:
every position where a capital letter directly follows a non-space character
is a candidate boundary (positions after a space are candidates too, at a
penalty, in case a listing does keep a space).  A candidate is scored by

* how well the text after it parses as a comma-separated list of names
  (:func:`bibconv.listing.names.name_score`; the first name is the one the
  boundary decides, the others only add evidence), and
* how plausible the text before it is as a title: not empty, not ending in a
  joiner such as ``-`` or ``:``, not ending in a one-letter fragment.

Titles ending in a digit (``Imagen 3``), a capital (``RT-X``) or punctuation,
and words with inner capitals (``TensorFlow.js``, ``NEVIS'22``, ``GPT-4``)
need no special cases: a boundary inside such a word leaves a "name" that
starts with a fragment (``Flow.js: Machine...``, ``XJane``), which scores low.
When the best candidate is weak or a rival scores nearly as well, the result
says it is unsure and the reader emits ``BC206`` with the line.
"""

from __future__ import annotations

from dataclasses import dataclass

from bibconv.listing.names import name_pieces, name_score, split_et_al

__all__ = ["Split", "split_title_authors"]

#: The best split must reach this score to be trusted …
MIN_CONFIDENT = 0.35
#: … and beat the runner-up by this factor.
MIN_RATIO = 2.0
#: Score factor for a boundary after a space (the dialect normally has none).
SPACE_PENALTY = 0.3
_JOINERS = tuple("-–—/:(&,;[{")


@dataclass(frozen=True, slots=True)
class Split:
    """The chosen split, its score, and whether it is trustworthy."""

    title: str
    authors: str
    score: float
    confident: bool
    alternatives: tuple[tuple[str, float], ...] = ()


def title_score(head: str) -> float:
    """How plausible ``head`` is as a complete title (1.0 = nothing against it)."""
    head = head.rstrip()
    if len(head) < 2:
        return 0.05
    if head.endswith(_JOINERS):
        return 0.05
    words = head[-120:].split()  # only the end matters; keeps long lines linear
    last = words[-1]
    if len(last) == 1 and last.isalpha() and (len(words) > 1 or len(head) > 120) and last.isupper():
        # "... Advanced A" | "I Models...": a title rarely ends in a lone capital letter
        return 0.4
    return 1.0


def _candidates(line: str) -> list[tuple[int, float]]:
    out: list[tuple[int, float]] = []
    for i in range(1, len(line)):
        if not line[i].isupper():
            continue
        prev = line[i - 1]
        if prev.isspace():
            out.append((i, SPACE_PENALTY))
        elif prev not in "'’":
            out.append((i, 1.0))
    return out


def _segments(body: str) -> list[tuple[int, int]]:
    """(start, end) of each comma-separated part of ``body``."""
    out = []
    start = 0
    for i, c in enumerate(body):
        if c == ",":
            out.append((start, i))
            start = i + 1
    out.append((start, len(body)))
    return out


def _piece_scores(body: str, segments: list[tuple[int, int]]) -> list[list[float]]:
    """Name scores of the pieces (split on " and ") of every segment, computed once."""
    return [[name_score(p) for p in name_pieces(body[a:b])] for a, b in segments]


def split_title_authors(line: str) -> Split:
    """Split ``line`` (affiliations already removed) into title and author text.

    ``authors`` keeps a trailing ``et al.``; parse it with
    :func:`bibconv.listing.names.parse_name_list`.  Linear in the number of
    candidates times the length of one name: the scores of the names after
    the one a boundary cuts are computed once and shared.
    """
    line = line.strip()
    body, _ = split_et_al(line)
    segments = _segments(body)
    scores = _piece_scores(body, segments)
    # suffix sums over later segments: (sum of scores, number of pieces)
    suffix: list[tuple[float, int]] = [(0.0, 0)] * (len(segments) + 1)
    for k in range(len(segments) - 1, -1, -1):
        total, count = suffix[k + 1]
        suffix[k] = (total + sum(scores[k]), count + len(scores[k]))
    scored: list[tuple[float, int]] = []
    k = 0
    for pos, factor in _candidates(body):
        while segments[k][1] < pos:
            k += 1
        pieces = name_pieces(body[pos : segments[k][1]])
        if not pieces:
            continue
        first = name_score(pieces[0])
        if first == 0.0:
            continue
        total, count = suffix[k + 1]
        total += sum(name_score(p) for p in pieces[1:])
        count += len(pieces) - 1
        # the other names are the same for every boundary inside the first name,
        # so they mostly confirm that the tail is a name list at all
        rest_score = total / count if count else 0.5
        head = body[max(0, pos - 200) : pos] if pos > 200 else body[:pos]
        score = factor * title_score(head) * first * (0.5 + 0.5 * rest_score)
        scored.append((score, pos))
    if not scored:
        return Split(title=line, authors="", score=0.0, confident=False)
    scored.sort(key=lambda sp: (-sp[0], sp[1]))
    best, pos = scored[0]
    runner = scored[1][0] if len(scored) > 1 else 0.0
    confident = best >= MIN_CONFIDENT and best >= MIN_RATIO * runner
    alternatives = tuple((line[:p].rstrip(), round(s, 3)) for s, p in scored[1:3])
    return Split(
        title=line[:pos].rstrip(),
        authors=line[pos:].strip(),
        score=round(best, 3),
        confident=confident,
        alternatives=alternatives,
    )
