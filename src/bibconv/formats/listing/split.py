"""Splitting a run-on "TitleFirst Author, Second Author et al." line.

The feed dialect glues the title to the author list with no separator
(``...Vision ResearchJorg Bornschein, ...``).  No list of known titles or
names can solve this for listings we have never seen, so the split is scored:
every position where a capital letter directly follows a non-space character
is a candidate boundary (positions after a space are candidates too, at a
penalty, in case a listing does keep a space).  A candidate is scored by

* how well the text after it parses as a comma-separated list of names
  (:func:`bibconv.formats.listing.names.name_score`; the first name is the one the
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

from bibconv.formats.listing.names import has_inner_capital, name_score, split_et_al

__all__ = ["Split", "split_title_authors"]

#: The best split must reach this score to be trusted …
MIN_CONFIDENT = 0.35
#: … and beat the runner-up by this factor.
MIN_RATIO = 2.0
#: Score factor for a boundary after a space (the dialect normally has none).
SPACE_PENALTY = 0.2
_JOINERS = tuple("-–—/:(&,;[{")
#: Longer than this, text is not one name (``name_score`` agrees).
MAX_NAME = 80


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
        # "... Advanced A" | "I Models...": a title seldom ends in a lone capital letter
        return 0.6
    if has_inner_capital(last.strip(".,;:!?'’\")")):
        # "ReportNova" | "Mind": a boundary that leaves a glued word at the end of
        # the title is weaker than one that ends the title on a plain word
        return 0.5
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


def _pieces(body: str) -> list[tuple[int, int]]:
    """(start, end) of each name piece: split on commas, then on `` and ``."""
    out: list[tuple[int, int]] = []
    start = 0
    for seg in body.split(","):
        pos = 0
        for part in seg.split(" and "):
            out.append((start + pos, start + pos + len(part)))
            pos += len(part) + len(" and ")
        start += len(seg) + 1
    return out


def split_title_authors(line: str) -> Split:
    """Split ``line`` (affiliations already removed) into title and author text.

    ``authors`` keeps a trailing ``et al.``; parse it with
    :func:`bibconv.formats.listing.names.parse_name_list`.  Linear in the length of
    the line: the names after the one a boundary cuts are scored once and
    shared, and only a bounded window of the title side is looked at.
    """
    line = line.strip()
    body, _ = split_et_al(line)
    pieces = _pieces(body)
    scores = [name_score(body[a:b]) if body[a:b].strip() else None for a, b in pieces]
    # suffix sums over later pieces: (sum of scores, number of non-empty pieces)
    suffix: list[tuple[float, int]] = [(0.0, 0)] * (len(pieces) + 1)
    for k in range(len(pieces) - 1, -1, -1):
        total, count = suffix[k + 1]
        sc = scores[k]
        suffix[k] = (total + sc, count + 1) if sc is not None else (total, count)
    scored: list[tuple[float, int]] = []
    k = 0
    for pos, factor in _candidates(body):
        while pieces[k][1] < pos:
            k += 1
        end = pieces[k][1]
        if end - pos > MAX_NAME:
            continue  # no name is this long
        start = pieces[k][0]
        reuse = start == pos or body[start:pos].isspace()
        known = scores[k]
        first = known if reuse and known is not None else name_score(body[pos:end])
        if first == 0.0:
            continue
        total, count = suffix[k + 1]
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
