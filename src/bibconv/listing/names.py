"""Plain "Given Family" names as listings print them, and how name-like a string is.

Listings write names in display order (``Tamara von Glehn``, ``Christopher A.
Choquette-Choo``), separate them with commas, may end the list with ``et al.``,
and mix in organisations (``Gemini Team``, ``Imagen-Team-Google``, ``ATLAS
Collaboration``), which must stay whole as CSL ``literal`` names: splitting
"Gemini Team" into given "Gemini", family "Team" would sort and cite it wrongly.

:func:`name_score` rates how much a string looks like one such name.  The
title/author splitter (:mod:`bibconv.listing.split`) relies on it, so it is
graded rather than yes/no: a mononym is possible but weaker evidence than
"Given Family", and a "name" with a capital inside a word (``SafetyCamille``)
is most likely a title word glued to a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bibconv.ir import Name

__all__ = ["NameList", "is_organisation", "name_score", "parse_name_list", "parse_plain_name"]

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
_INNER_OK = re.compile(r"^(?:Mc|Mac|O['’]|D['’]|De|Di|La|Le|Van|Von|Fitz)\w", re.UNICODE)


def _is_cap_word(tok: str) -> bool:
    """``Jorg``, ``Choquette-Choo``, ``Jean-baptiste``, ``O'Neil``: a capital then letters."""
    if not tok or not tok[0].isupper():
        return False
    return all(c.isalpha() or c in "-'’" for c in tok) and tok[-1].isalpha()


def _has_inner_capital(tok: str) -> bool:
    """True for ``SafetyCamille`` or ``PJohn`` (a capital glued inside a word), not for ``McIlroy``."""
    for part in re.split(r"[-'’]", tok):
        for i in range(1, len(part)):
            # "ModelsRoss" (lower → upper) or "PJohn" (upper → upper → lower)
            glued = part[i - 1].islower() or (i + 1 < len(part) and part[i + 1].islower())
            if part[i].isupper() and part[i - 1].isalpha() and glued:
                return not _INNER_OK.match(part)
    return False


def _is_initial(tok: str) -> bool:
    """``A.``, ``A``, ``J.-P.``, ``Ch.``"""
    return re.fullmatch(r"[^\W\d_]{1,2}\.(?:-[^\W\d_]\.)?|[^\W\d_]", tok) is not None and tok[0].isupper()


def is_organisation(text: str) -> bool:
    """True for ``Gemini Team``, ``Imagen-Team-Google``, ``Open X-Embodiment Collaboration``."""
    words = [w.lower() for w in re.split(r"[\s\-]+", text.strip()) if w]
    return len(words) >= 2 and any(w in ORG_WORDS for w in words)


def name_score(text: str) -> float:
    """How much ``text`` looks like one name in display order, from 0.0 to 1.0.

    2–3 capitalised words (initials and particles allowed) score 1.0; a lone
    word 0.45 (mononyms exist, but a title fragment is likelier); four words
    0.8; digits, colons or a long phrase 0.  A capital inside a word
    (``ModelsLaura``) divides the score by five.
    """
    text = text.strip()
    if not text or len(text) > 80:
        return 0.0
    if is_organisation(text):
        tokens = text.split()
        if len(tokens) <= 6 and all(t[:1].isupper() or t.lower() in PARTICLES for t in tokens):
            return 0.95 if not any(_has_inner_capital(t) for t in tokens[1:]) else 0.3
        return 0.0
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
    if any(_has_inner_capital(t) for t in core):
        score *= 0.2
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
