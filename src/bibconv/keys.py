"""Citation keys: generated from a pattern, and made unique with a/b/c suffixes.

The default pattern ``{author}{year}{title}`` gives ``vaswani2017attention``,
the form Google Scholar and most users' hand-made keys follow.  Placeholders:
``{author}`` (first author's family name, or organisation's first word),
``{year}``, ``{title}`` (first significant title word) and ``{Title}``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from bibconv.ir import Record
from bibconv.richtext import to_plain

__all__ = ["DEFAULT_PATTERN", "make_key", "unique_keys"]

DEFAULT_PATTERN = "{author}{year}{title}"

_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "in",
        "for",
        "and",
        "to",
        "with",
        "from",
        "at",
        "by",
        "as",
        "is",
        "are",
        "via",
        "towards",
        "toward",
        "un",
        "une",
        "le",
        "la",
        "les",
        "der",
        "die",
        "das",
        "ein",
        "eine",
    ]
)
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def ascii_fold(text: str) -> str:
    """Strip accents and keep ASCII letters and digits ("Gödel" → "Godel")."""
    folded = unicodedata.normalize("NFKD", text)
    folded = folded.replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("ł", "l")
    return "".join(c for c in folded if c.isascii() and c.isalnum())


def _first_author(record: Record) -> str:
    for var in ("author", "editor", "translator", "director", "contributor"):
        names = record.names.get(var)
        if names:
            n = names[0]
            if n.literal:
                words = _WORDS.findall(n.literal)
                return ascii_fold(words[0]) if words else ""
            parts = [n.non_dropping_particle or "", n.family or n.given or ""]
            return ascii_fold("".join(parts))
    return ""


def _title_word(record: Record) -> str:
    title = to_plain(record.text.get("title", ""))
    for word in _WORDS.findall(title):
        if word.lower() not in _STOP:
            return ascii_fold(word)
    return ""


def make_key(record: Record, pattern: str = DEFAULT_PATTERN) -> str:
    """A key for ``record`` from ``pattern``; never empty (falls back to ``ref``)."""
    issued = record.dates.get("issued")
    year = str(issued.year) if issued and issued.year is not None else ""
    title = _title_word(record)
    key = pattern.format(
        author=_first_author(record).lower(),
        year=year,
        title=title.lower(),
        Title=title[:1].upper() + title[1:].lower(),
    )
    key = re.sub(r"[^A-Za-z0-9_:.\-]", "", key)
    return key or "ref"


def _suffixes() -> Iterator[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    for a in letters:
        yield a
    for a in letters:
        for b in letters:
            yield a + b
    n = 0
    while True:
        n += 1
        yield f"_{n}"


def unique_keys(keys: Iterable[str]) -> list[str]:
    """Make keys unique: later duplicates get ``a``, ``b``, … appended.

    The first occurrence keeps its key so that existing citations still resolve.
    Each base key remembers where its suffixes stopped, so n copies of one key
    cost O(n), not O(n²).
    """
    keys = list(keys)
    taken: set[str] = set(keys)
    seen: set[str] = set()
    cursors: dict[str, Iterator[str]] = {}
    out: list[str] = []
    for key in keys:
        if key not in seen:
            seen.add(key)
            out.append(key)
            continue
        suffixes = cursors.setdefault(key, _suffixes())
        for suffix in suffixes:
            candidate = key + suffix
            if candidate not in taken:
                break
        taken.add(candidate)
        seen.add(candidate)
        out.append(candidate)
    return out
