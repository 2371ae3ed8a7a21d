"""Citation keys: generated from a pattern, and made unique with a/b/c suffixes.

The default pattern ``{author}{year}{title}`` gives ``vaswani2017attention``,
the form Google Scholar and most users' hand-made keys follow.  Placeholders:
``{author}`` (first author's family name, or organisation's first word),
``{year}``, ``{title}`` (first significant title word) and ``{Title}``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from bibconv.diagnostics import Diagnostic, Severity
from bibconv.ir import Record
from bibconv.richtext import to_plain

__all__ = [
    "DEFAULT_PATTERN",
    "MAX_KEY_LENGTH",
    "KeyAllocator",
    "make_key",
    "renamed",
    "settle_keys",
    "unique_ids",
    "unique_keys",
    "with_ids",
]

DEFAULT_PATTERN = "{author}{year}{title}"

#: The longest key :func:`make_key` generates (and the longest piece it takes from a name
#: or title): a 10 MB title gives a key of this length, not 10 MB (docs/robustness.md).
MAX_KEY_LENGTH = 64

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
                first = _WORDS.search(n.literal)
                return ascii_fold(first.group()[: 4 * MAX_KEY_LENGTH])[:MAX_KEY_LENGTH] if first else ""
            parts = [n.non_dropping_particle or "", n.family or n.given or ""]
            return ascii_fold("".join(parts)[: 4 * MAX_KEY_LENGTH])[:MAX_KEY_LENGTH]
    return ""


def _title_word(record: Record) -> str:
    title = to_plain(record.text.get("title", ""))
    for match in _WORDS.finditer(title):  # lazily: the first word is enough, whatever the title's size
        word = match.group()[: 4 * MAX_KEY_LENGTH]
        if word.lower() not in _STOP:
            return ascii_fold(word)[:MAX_KEY_LENGTH]
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
    key = re.sub(r"[^A-Za-z0-9_:.\-]", "", key)[:MAX_KEY_LENGTH]
    return key or "ref"


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _suffix(n: int) -> str:
    """The ``n``-th suffix (0-based): ``a`` … ``z``, ``aa`` … ``zz``, then ``_1``, ``_2`` …"""
    if n < 26:
        return _LETTERS[n]
    if n < 26 + 26 * 26:
        a, b = divmod(n - 26, 26)
        return _LETTERS[a] + _LETTERS[b]
    return f"_{n - 26 - 26 * 26 + 1}"


class KeyAllocator:
    r"""Hands out unique keys in order: the one renaming rule of every writer and reader.

    The first occurrence of a key keeps it, so existing citations still
    resolve; later copies get ``a``, ``b``, … ``aa`` … ``_1`` appended, never
    a key that is :meth:`reserve`\ d (another record's own key, seen ahead).
    A whole list reserves all its keys first (:func:`unique_keys`); a stream
    reserves each chunk's keys as the chunk arrives.  Each base key remembers
    where its suffixes stopped, so n copies of one key cost O(n), not O(n²).
    """

    __slots__ = ("_cursors", "_seen", "_taken")

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._seen: set[str] = set()
        #: per base key, the index of the next suffix to try (an int: a large file has many)
        self._cursors: dict[str, int] = {}

    def reserve(self, keys: Iterable[str]) -> None:
        """Keys that records will ask for: no renamed copy may take one of them."""
        self._taken.update(keys)

    def take(self, key: str) -> str:
        """``key`` itself the first time, else the next free suffixed form."""
        if key not in self._seen:
            self._seen.add(key)
            self._taken.add(key)
            return key
        n = self._cursors.get(key, 0)
        candidate = key + _suffix(n)
        while candidate in self._taken:
            n += 1
            candidate = key + _suffix(n)
        self._cursors[key] = n + 1
        self._taken.add(candidate)
        self._seen.add(candidate)
        return candidate


def unique_keys(keys: Iterable[str]) -> list[str]:
    """Make keys unique with :class:`KeyAllocator` (all keys reserved first)."""
    keys = list(keys)
    alloc = KeyAllocator()
    alloc.reserve(keys)
    return [alloc.take(key) for key in keys]


def unique_ids(
    records: Sequence[Record], allocator: KeyAllocator | None = None
) -> tuple[list[Record], list[Diagnostic]]:
    """Records with unique ids, and one BC211 per record whose id had to change.

    CSL-JSON and RIS output use this; the BibTeX writer applies the same
    allocator to case-folded keys (BibTeX compares keys ignoring case).
    """
    if allocator is None:
        allocator = KeyAllocator()
        allocator.reserve(r.id for r in records)
    return with_ids(records, [allocator.take(r.id) for r in records])


def with_ids(records: Sequence[Record], keys: Sequence[str]) -> tuple[list[Record], list[Diagnostic]]:
    """``records`` under ``keys`` (one each, in order), and one BC211 per record whose id changed.

    Why apart from :func:`unique_ids`: a streamed or distributed writer decides
    the keys in one process and applies them where the records are.
    """
    out: list[Record] = []
    diags: list[Diagnostic] = []
    for r, key in zip(records, keys, strict=True):
        if key != r.id:
            diags.append(renamed(r, key))
            r = r.evolve(id=key)
        out.append(r)
    return out, diags


def settle_keys(
    built: Iterable[tuple[Record, str | None]],
    diags: list[Diagnostic],
    file: str | None,
    *,
    noun: str = "record",
    label: str = "ID",
    keys: Sequence[str] | None = None,
) -> list[Record]:
    """Records read with their source's own key (``None`` when it had none), under unique keys.

    Every reader whose format carries an optional per-record key (RIS ``ID``, a
    tagged format's key, an XML ``ID``/label/tag) settles keys the same way, so
    it is done here once: a missing key is generated (BC210, info) and a
    repeated one gets a suffix (BC211).  ``noun`` and ``label`` are the words
    the format's users know ("source", "tag") for the messages.  ``keys``, when
    given, are the records' final keys decided over a larger whole (a streamed
    reader settles them over the file, the records come a block at a time).
    """
    built = list(built)
    wanted = [given if given is not None else make_key(rec) for rec, given in built]
    out: list[Record] = []
    final = unique_keys(wanted) if keys is None else keys
    for (rec, given), want, key in zip(built, wanted, final, strict=True):
        line = rec.span.line if rec.span else None
        if given is None:
            diags.append(
                Diagnostic.make(
                    "BC210",
                    f"{noun} has no {label}; key {key!r} was generated",
                    severity=Severity.INFO,
                    file=file,
                    line=line,
                    record_id=key,
                )
            )
        elif key != want:
            diags.append(
                Diagnostic.make(
                    "BC211",
                    f"{label} {want!r} is used twice; this one became {key!r}",
                    file=file,
                    line=line,
                    record_id=key,
                )
            )
        out.append(rec.evolve(id=key) if key != rec.id else rec)
    return out


def renamed(record: Record, key: str) -> Diagnostic:
    """The BC211 for a record written under ``key`` instead of its own id."""
    span = record.span
    return Diagnostic.make(
        "BC211",
        f"citation key {record.id!r} is repeated; written as {key!r}",
        file=span.file if span else None,
        line=span.line if span else None,
        record_id=record.id,
    )
