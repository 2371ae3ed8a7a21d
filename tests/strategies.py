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


# -- hostile inputs (issue 14): what real exports and attackers put in files -----------------

#: Any text, lone surrogates included (a ``str`` from a program, or JSON ``\udXXX`` escapes).
any_text = st.text(st.characters(blacklist_categories=("Cn",)), max_size=30)

_json_scalars = (
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats(allow_nan=False) | any_text
)
#: Any JSON value, nested a few levels.
json_values = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
    max_leaves=8,
)
_CSL_KEYS = ("title", "note", "language", "custom", "author", "editor", "issued", "accessed", "volume", "DOI")
_NAME_PARTS = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal")


@st.composite
def hostile_csl_json(draw: st.DrawFn) -> str:
    """A CSL-JSON array whose values have any JSON type (wrongly typed, nested, surrogates)."""
    import json

    items = []
    for n in range(draw(st.integers(1, 3))):
        item: dict[str, object] = {"id": f"i{n}", "type": draw(st.sampled_from(["book", "article", 7, None]))}
        for key in draw(st.lists(st.sampled_from(_CSL_KEYS), max_size=5, unique=True)):
            if key in ("author", "editor"):
                name = draw(st.dictionaries(st.sampled_from(_NAME_PARTS), json_values, max_size=3))
                item[key] = draw(st.sampled_from([[name], name, "Doe, J", 5]))
            elif key in ("issued", "accessed"):
                row = draw(st.lists(st.integers(-3000, 3000) | any_text | st.none(), max_size=4))
                item[key] = draw(st.sampled_from([{"date-parts": [row]}, {"date-parts": row}, row]))
            else:
                item[key] = draw(json_values)
        items.append(item)
    return json.dumps(items)  # lone surrogates become \udXXX escapes


_MATH_TOKENS = (
    "\\alpha",
    "\\Delta",
    "\\leq",
    "\\times",
    "^2",
    "_2",
    "^{13}",
    "_{2}",
    "x",
    "=",
    " ",
    "\\frac{a}{b}",
    "\n",
)


@st.composite
def math_spans(draw: st.DrawFn) -> str:
    """A ``$…$`` span of common math tokens (some with a text form, some without)."""
    return "$" + "".join(draw(st.lists(st.sampled_from(_MATH_TOKENS), min_size=1, max_size=5))) + "$"


@st.composite
def bibtex_with_at_lines(draw: st.DrawFn) -> tuple[str, int]:
    """BibTeX entries whose balanced values hold lines starting with ``@word`` and math; and their count."""
    word = st.text(st.characters(whitelist_categories=("Ll",)), min_size=1, max_size=8)
    entries = []
    count = draw(st.integers(1, 4))
    for n in range(count):
        lines = draw(
            st.lists(
                st.one_of(
                    word.map(lambda w: "@" + w + " said"),
                    word.map(lambda w: "@" + w + "{inside, text}"),
                    math_spans(),
                    word,
                ),
                min_size=1,
                max_size=4,
            )
        )
        entries.append(f"@article{{k{n},\n  abstract = {{" + "\n".join(lines) + "},\n  year = 2000\n}\n")
    return "".join(entries), count


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
