"""Plain "Given Family" names as listings print them, and how name-like a string is.

Listings write names in display order (``Tamara von Glehn``, ``Christopher A.
Choquette-Choo``), separate them with commas, may end the list with ``et al.``,
and mix in organisations (``Gemini Team``, ``Imagen-Team-Google``, ``ATLAS
Collaboration``), which must stay whole as CSL ``literal`` names: splitting
"Gemini Team" into given "Gemini", family "Team" would sort and cite it wrongly.

:func:`name_score` rates how much a string looks like one such name.  The
title/author splitter (:mod:`bibconv.formats.listing.split`) relies on it, so it is
graded rather than yes/no: a mononym is possible but weaker evidence than
"Given Family", and a "name" with a capital inside a word (``SafetyCamille``)
is most likely a title word glued to a name.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bibconv.ir import Name

__all__ = [
    "NameList",
    "has_inner_capital",
    "is_brand",
    "is_organisation",
    "name_score",
    "parse_name_list",
    "parse_plain_name",
]

#: Lower-case words that sit between given and family names.
PARTICLES = frozenset(
    [
        "von",
        "van",
        "de",
        "der",
        "den",
        "da",
        "di",
        "du",
        "del",
        "della",
        "dello",
        "des",
        "dos",
        "das",
        "do",
        "ten",
        "ter",
        "zu",
        "zur",
        "bin",
        "ibn",
        "al",
        "el",
        "la",
        "le",
        "y",
        "e",
        "af",
        "av",
    ]
)
#: Words that mark a name as an organisation rather than a person.
ORG_WORDS = frozenset(
    [
        "team",
        "collaboration",
        "consortium",
        "group",
        "project",
        "initiative",
        "lab",
        "labs",
        "laboratory",
        "institute",
        "university",
        "committee",
        "association",
        "society",
        "foundation",
        "council",
        "inc",
        "inc.",
        "ltd",
        "ltd.",
        "corporation",
        "company",
        "network",
        "alliance",
        "organization",
        "organisation",
        "centre",
        "center",
        "agency",
        "department",
    ]
)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_ET_AL = re.compile(r"(?:,?\s{0,4}(?:et\s{1,4}al\.?|and\s{1,4}others|…|\.\.\.))\s{0,4}$", re.IGNORECASE)
# Prefixes after which a capital inside a family name is normal (McIlroy, O'Neil, DeWitt).
_INNER_OK = re.compile(r"^(?:Mc|Mac|De|Di|Du|La|Le|Van|Von|Fitz)[A-Z]")


def _is_cap_word(tok: str) -> bool:
    """``Jorg``, ``Choquette-Choo``, ``Jean-baptiste``, ``O'Neil``: a capital then letters."""
    if not tok or not tok[0].isupper():
        return False
    return all(c.isalpha() or c in "-'’" for c in tok) and tok[-1].isalpha()


def has_inner_capital(tok: str) -> bool:
    """True for ``SafetyCamille`` or ``PJohn`` (a capital glued inside a word), not for ``McIlroy``."""
    for part in re.split(r"[-'’]", tok):
        for i in range(1, len(part)):
            # "ModelsRoss" (lower → upper) or "PJohn" (upper → upper → lower, but
            # not the plural of an acronym: "LLMs", "GPUs")
            plural = part[i + 1 :] == "s"
            glued = part[i - 1].islower() or (i + 1 < len(part) and part[i + 1].islower() and not plural)
            if part[i].isupper() and part[i - 1].isalpha() and glued:
                return not _INNER_OK.match(part)
    return False


def _is_initial(tok: str) -> bool:
    """``A.``, ``A``, ``J.-P.``, ``Ch.`` (but not ``IJ.``: two capitals are an acronym's tail)."""
    if re.fullmatch(r"[^\W\d_]{1,2}\.(?:-[^\W\d_]\.)?|[^\W\d_]", tok) is None or not tok[0].isupper():
        return False
    return len(tok) < 3 or tok[1] in ".-" or tok[1].islower()


_DIGIT_GLUE = re.compile(r"\d[^\W\d_]|[^\W\d_]\d")
_BRAND_HEAD = re.compile(r"[A-Z][a-z]{2,}")
_CASE_RUNS = re.compile(r"[A-Z]+|[a-z]+")


def is_brand(text: str) -> bool:
    """True for one camel-case word such as ``OpenAI`` or ``DeepMind``: an organisation as author.

    The word is a capitalised head (``Open``) and a tail made of capitalised
    parts (``Mind``) and acronyms (``AI``).  This was once the regex
    ``Head(?:[A-Z][a-z]+|[A-Z]{2,})+``, which backtracks exponentially on a
    long run of capitals; the same language is checked here run by run, in
    linear time: an inner run of k capitals before lower case needs k == 1 or
    k >= 3 (one capital starts the next part, the rest form an acronym), and a
    final run of capitals needs at least two.
    """
    word = text.strip()
    head = _BRAND_HEAD.match(word)
    if head is None or head.end() == len(word):
        return False
    tail = word[head.end() :]
    if not tail.isascii() or not tail.isalpha() or not tail[0].isupper():
        return False
    runs = _CASE_RUNS.findall(tail)
    for i, run in enumerate(runs):
        if not run[0].isupper():
            continue
        last = i == len(runs) - 1
        if last and len(run) < 2:
            return False
        if not last and len(run) == 2:
            return False
    return True


def is_organisation(text: str) -> bool:
    """True for ``Gemini Team``, ``Imagen-Team-Google``, ``Open X-Embodiment Collaboration``, ``OpenAI``."""
    if is_brand(text):
        return True
    words = [w.lower() for w in re.split(r"[\s\-]+", text.strip()) if w]
    return len(words) >= 2 and any(w in ORG_WORDS for w in words)


@functools.lru_cache(maxsize=4096)
def name_score(text: str) -> float:
    """How much ``text`` looks like one name in display order, from 0.0 to 1.0.

    2–3 capitalised words (initials and particles allowed) score 1.0; a lone
    word 0.45 (mononyms exist, but a title fragment is likelier); four words
    0.8; digits, colons or a long phrase 0.  A capital inside a word
    (``ModelsLaura``) divides the score by five; an all-capitals acronym
    (``AI`` alone, ``NLP`` anywhere) cuts it to 30%.
    """
    text = text.strip()
    if not text or len(text) > 80:
        return 0.0
    if is_brand(text):
        # weaker than "Gemini Team": a title word glued to a one-word name looks the same
        return 0.5
    if is_organisation(text):
        tokens = text.split()
        if len(tokens) > 6 or not all(t[:1].isupper() or t.lower() in PARTICLES for t in tokens):
            return 0.0
        if not all(all(c.isalnum() or c in "-&'’" for c in t) for t in tokens) or _DIGIT_GLUE.search(text):
            return 0.0  # "Flow.jsOrbit Team", "T-4Orbit Team": a title fragment glued to a name
        # a camel-case brand may lead ("NovaMind Team"); elsewhere a glued capital
        # or a lone leading letter means the boundary cut through a title word
        glued = [t for i, t in enumerate(tokens) if has_inner_capital(t) and not (i == 0 and is_brand(t))]
        return 0.95 * 0.2 if glued or len(tokens[0]) == 1 else 0.95
    tokens = text.split()
    if tokens and tokens[-1].lower().rstrip(",") in _SUFFIXES and len(tokens) > 2:
        tokens = tokens[:-1]
    core = [t for t in tokens if t not in PARTICLES]
    if not core or tokens[0] in PARTICLES:
        return 0.0
    for tok in core:
        if not (_is_cap_word(tok) or _is_initial(tok)):
            return 0.0
    n = len(core)
    score = {1: 0.45, 2: 1.0, 3: 1.0, 4: 0.8, 5: 0.4}.get(n, 0.0)
    if n > 1 and _is_initial(core[-1]):
        score *= 0.5  # a family name is not an initial
    if n == 1 and _is_initial(core[0]):
        score *= 0.3
    if any(has_inner_capital(t) for t in core):
        score *= 0.2
    if any(len(t) >= (2 if n == 1 else 3) and t.isalpha() and t.isupper() for t in core):
        score *= 0.3  # an acronym ("AI", "NLP") is a title word, not a name
    return score


def parse_plain_name(text: str) -> Name | None:
    """``"Tamara von Glehn"`` → given Tamara, particle von, family Glehn; organisations → literal.

    Returns None for empty text.  A single word is a family name (mononym).
    """
    text = " ".join(text.split()).strip(" ,;")
    if not text:
        return None
    if is_organisation(text):
        return Name(literal=text)
    tokens = text.split()
    suffix = None
    if len(tokens) > 2 and tokens[-1].lower() in _SUFFIXES:
        suffix = tokens.pop()
    if len(tokens) == 1:
        return Name(family=tokens[0], suffix=suffix)
    # particles: the first run of lower-case particle words after the first token
    start = next((i for i in range(1, len(tokens) - 1) if tokens[i] in PARTICLES), None)
    if start is not None:
        end = start
        while end < len(tokens) - 1 and tokens[end] in PARTICLES:
            end += 1
        return Name(
            given=" ".join(tokens[:start]),
            non_dropping_particle=" ".join(tokens[start:end]),
            family=" ".join(tokens[end:]),
            suffix=suffix,
        )
    return Name(given=" ".join(tokens[:-1]), family=tokens[-1], suffix=suffix)


@dataclass(frozen=True, slots=True)
class NameList:
    """A parsed author list: the names, whether it ended in "et al.", and the raw pieces."""

    names: tuple[Name, ...]
    truncated: bool
    pieces: tuple[str, ...]


def split_et_al(text: str) -> tuple[str, bool]:
    """Strip a trailing ``et al.`` / ``and others``; say whether there was one."""
    m = _ET_AL.search(text)
    if m and m.start() > 0:
        return text[: m.start()].rstrip(" ,"), True
    return text, False


def name_pieces(text: str) -> list[str]:
    """Comma-separated names, also splitting a final ``A and B``."""
    pieces = [p.strip() for p in text.split(",")]
    out: list[str] = []
    for p in pieces:
        if not p:
            continue
        if " and " in p:
            out.extend(q.strip() for q in p.split(" and ") if q.strip())
        else:
            out.append(p)
    return out


def parse_name_list(text: str) -> NameList:
    """``"Ann Lee, Bo Chen et al."`` → two names, truncated."""
    body, truncated = split_et_al(text.strip())
    pieces = name_pieces(body)
    names = tuple(n for n in (parse_plain_name(p) for p in pieces) if n is not None)
    return NameList(names, truncated, tuple(pieces))
