"""read(write(r)) == r for BibTeX and BibLaTeX, on everything the IR holds."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bibconv.formats.bibtex.reader import read_bibtex
from bibconv.formats.bibtex.writer import write_bibtex
from bibconv.ir import Date, Name, Record
from tests.strategies import canonical, clean_text, records


def record_lists(**kwargs: object) -> st.SearchStrategy[list[Record]]:
    """Records whose keys differ ignoring case (BibTeX compares keys that way)."""
    return st.lists(records(**kwargs), max_size=4, unique_by=lambda r: r.id.lower())  # type: ignore[arg-type]


SPECIALS = "{}%&$#_\\~^"
# Text that stresses escaping: arbitrary Unicode plus every LaTeX-special character.
special_text = st.one_of(
    clean_text(),
    st.lists(
        st.sampled_from([*SPECIALS, "a", " ", "é", "-", "`", "'", "!", "<i>", "</i>"]),
        min_size=1,
        max_size=20,
    )
    .map(lambda parts: " ".join("".join(parts).split()))
    .filter(bool),
)

TRICKY = Record(
    id="tricky",
    type="article-journal",
    text={
        "title": 'A <span class="nocase">DNA</span> study of 50% & $x^2$ costs_{} #1 \\ ~ ^',
        "container-title": "Journal of Ümlauts — “Quotes”",
        "page": "1–10",
        "arxiv": "2505.03859",
        "arxiv-class": "cs.CL",
        "DOI": "10.1000/xyz_%20",
    },
    names={
        "author": (
            Name(family="Beethoven", given="Ludwig", non_dropping_particle="van"),
            Name(family="King", given="Martin Luther", suffix="Jr."),
            Name(literal="Gemini Team"),
            Name(family="de la Cruz y Ortega", given="Ana"),
        )
    },
    dates={"issued": Date(start=(2020, 5, 17)), "accessed": Date(start=(2021, 1), end=(2021, 3))},
    extra={"x:note": "kept & escaped"},
    truncated=frozenset({"author"}),
)


def _roundtrip(records: list[Record], dialect: str, unicode: bool = False) -> list[Record]:
    """Records read back from the output: exact with ``unicode``, canonically equal (NFC) in ASCII.

    ASCII output writes a decomposed ``e`` + acute as ``{\\'e}``, which reads
    back as the composed ``é``: the same text to every Unicode process.
    """
    out = write_bibtex(records, dialect=dialect, options={"unicode": unicode, "lossless": True})
    result = read_bibtex(str(out))
    assert not [d for d in result.diagnostics if d.code not in ("BC201", "BC005")], (
        str(out),
        result.diagnostics,
    )
    if unicode:
        return result.records
    assert canonical(result.records) == canonical(records)
    return records


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
@pytest.mark.parametrize("unicode", [False, True])
def test_tricky_record_round_trips(dialect: str, unicode: bool) -> None:
    assert _roundtrip([TRICKY], dialect, unicode) == [TRICKY]


@given(record_lists())
@example([TRICKY])
def test_bibtex_round_trip(records: list[Record]) -> None:
    assert _roundtrip(records, "bibtex") == records


#: Text that holds a ``$…$`` span of its own: ``$^-$`` and ``$\\alpha$`` have a text form (⁻,
#: α) the reader would turn them into, ``$x^2$`` has none (found by the property below).
LITERAL_MATH = Record(
    id="m",
    type="article",
    text={"ISBN": "$^-$", "title": "$\\alpha$-rays, H$_2$O and $x^2$", "note": "$^-$ y $z$"},
)


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
@pytest.mark.parametrize("unicode", [False, True])
def test_text_with_a_math_span_of_its_own_reads_back_as_it_is(dialect: str, unicode: bool) -> None:
    """A span with a text form has its dollars escaped (it would read back as ⁻); others stay math."""
    assert _roundtrip([LITERAL_MATH], dialect, unicode) == [LITERAL_MATH]
    out = str(write_bibtex([LITERAL_MATH], dialect=dialect, options={"unicode": unicode}))
    assert "$x^2$" in out and "$\\alpha$" not in out


@given(record_lists(text=special_text))
@example([LITERAL_MATH])
def test_bibtex_round_trip_special_characters(records: list[Record]) -> None:
    assert _roundtrip(records, "bibtex") == records


@given(record_lists(text=special_text))
def test_biblatex_round_trip(records: list[Record]) -> None:
    assert _roundtrip(records, "biblatex", unicode=True) == records
