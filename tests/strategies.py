"""Hypothesis strategies for IR values, shared by every round-trip test.

``records(carries=...)`` limits generated records to what one format can
carry, so each format's round trip is checked on exactly its own subset.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Collection, Mapping

from hypothesis import strategies as st

from bibconv.ir import Date, Name, Record
from bibconv.vocab import DATE_VARS, ITEM_TYPES, NAME_VARS, TEXT_VARS

# Printable text without surrogates or control characters; readers normalise
# line ends and strip surrounding whitespace, so generated values do too.
_ALPHABET = st.characters(
    blacklist_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp"),
    blacklist_characters="\u00a0\u2028\u2029\ufeff",
)


def clean_text(min_size: int = 1, max_size: int = 40) -> st.SearchStrategy[str]:
    """Non-empty single-line text with no leading/trailing or doubled spaces."""
    return (
        st.text(_ALPHABET, min_size=min_size, max_size=max_size)
        .map(lambda s: " ".join(s.split()))
        .filter(lambda s: len(s) >= min_size)
    )


def words(max_words: int = 4) -> st.SearchStrategy[str]:
    """A few letter-only words: what names and keys are made of."""
    word = st.text(st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=10)
    return st.lists(word, min_size=1, max_size=max_words).map(" ".join)


def names() -> st.SearchStrategy[Name]:
    """Personal names (with optional particles and suffix) and organisations."""
    person = st.builds(
        Name,
        family=words(2),
        given=st.none() | words(3),
        non_dropping_particle=st.none() | st.sampled_from(["van", "von", "de", "van der", "di"]),
        suffix=st.none() | st.sampled_from(["Jr.", "III", "Sr."]),
    )
    org = st.builds(Name, literal=words(4))
    return st.one_of(person, org)


def date_parts() -> st.SearchStrategy[tuple[int, ...]]:
    """(year,), (year, month) or (year, month, day), always a real calendar date."""
    year = st.integers(min_value=1000, max_value=2100)
    return st.one_of(
        st.tuples(year),
        st.tuples(year, st.integers(1, 12)),
        st.tuples(year, st.integers(1, 12), st.integers(1, 28)),
    )


def dates(ranges: bool = True) -> st.SearchStrategy[Date]:
    """Single dates and (optionally) ranges whose end is after the start."""
    single = st.builds(Date, start=date_parts())
    if not ranges:
        return single
    ranged = st.tuples(date_parts(), date_parts()).filter(lambda ab: ab[0] < ab[1])
    return st.one_of(single, ranged.map(lambda ab: Date(start=ab[0], end=ab[1])))


def keys() -> st.SearchStrategy[str]:
    """Citation keys as BibTeX accepts them."""
    return st.from_regex(r"[A-Za-z][A-Za-z0-9_:\-]{0,20}", fullmatch=True)


@st.composite
def records(
    draw: st.DrawFn,
    *,
    types: Collection[str] = ITEM_TYPES,
    text_vars: Collection[str] = TEXT_VARS,
    name_vars: Collection[str] = NAME_VARS,
    date_vars: Collection[str] = DATE_VARS,
    text: st.SearchStrategy[str] | None = None,
    with_extra: bool = True,
    with_truncated: bool = True,
    date_ranges: bool = True,
) -> Record:
    """A record restricted to the variables a format carries."""
    text_strategy = text if text is not None else clean_text()
    tv = draw(st.lists(st.sampled_from(sorted(text_vars)), max_size=5, unique=True)) if text_vars else []
    nv = draw(st.lists(st.sampled_from(sorted(name_vars)), max_size=2, unique=True)) if name_vars else []
    dv = draw(st.lists(st.sampled_from(sorted(date_vars)), max_size=2, unique=True)) if date_vars else []
    name_map = {v: tuple(draw(st.lists(names(), min_size=1, max_size=3))) for v in nv}
    extra = (
        draw(st.dictionaries(st.from_regex(r"x:[a-z]{1,8}", fullmatch=True), clean_text(), max_size=2))
        if with_extra
        else {}
    )
    truncated = (
        frozenset(draw(st.lists(st.sampled_from(sorted(name_map)), max_size=1)))
        if with_truncated and name_map
        else frozenset()
    )
    return Record(
        id=draw(keys()),
        type=draw(st.sampled_from(sorted(types))),
        text={v: draw(text_strategy) for v in tv},
        names=name_map,
        dates={v: draw(dates(date_ranges)) for v in dv},
        extra=extra,
        truncated=truncated,
    )


def record_lists(**kwargs: object) -> st.SearchStrategy[list[Record]]:
    """Lists of records with unique ids (writers keep ids as keys).

    Unique ignoring case: BibTeX compares keys that way, so its writers rename
    ``J`` after ``j`` (tested on its own in the BibTeX writer tests).
    """
    return st.lists(records(**kwargs), max_size=4, unique_by=lambda r: r.id.lower())  # type: ignore[arg-type]


def _nfc(value: object) -> object:
    """``value`` with every string in NFC (what ASCII output writes accents as)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Name):
        return dataclasses.replace(
            value, **{f.name: _nfc(getattr(value, f.name)) for f in dataclasses.fields(value)}
        )
    if isinstance(value, tuple):
        return tuple(_nfc(v) for v in value)
    if isinstance(value, Mapping):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    return value


def canonical(records: list[Record]) -> list[Record]:
    """Records with all text in NFC: how ASCII BibTeX output round-trips (``{\\'e}`` reads as ``é``)."""
    return [
        r.evolve(text=_nfc(r.text), names=_nfc(r.names), extra=_nfc(r.extra))  # type: ignore[arg-type]
        for r in records
    ]
