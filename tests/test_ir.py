"""The IR's invariants: typed maps reject keys of the wrong kind, dates must be real."""

from __future__ import annotations

import pytest

from bibconv.ir import Date, Name, Record, SourceSpan


def test_span_is_ignored_by_equality() -> None:
    a = Record(id="k", type="book", text={"title": "T"}, span=SourceSpan("a.bib", 1, 1))
    b = Record(id="k", type="book", text={"title": "T"}, span=SourceSpan("b.bib", 9, 3))
    assert a == b


def test_records_are_immutable() -> None:
    r = Record(id="k", type="book", text={"title": "T"})
    with pytest.raises(TypeError):
        r.text["title"] = "U"  # type: ignore[index]
    assert r.with_text({"title": "U"}).text["title"] == "U"
    assert r.text["title"] == "T"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"type": "journal-article"},
        {"text": {"author": "x"}},
        {"names": {"title": (Name(family="x"),)}},
        {"dates": {"title": Date(start=(2000,))}},
        {"text": {"title": ""}},
        {"truncated": frozenset({"title"})},
    ],
)
def test_wrong_kind_of_key_is_rejected(kwargs: dict[str, object]) -> None:
    base: dict[str, object] = {"id": "k", "type": "book"}
    base.update(kwargs)
    with pytest.raises(ValueError):
        Record(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [{"start": (2020, 13)}, {"start": (2020, 1, 32)}, {"end": (2020,)}, {}, {"season": 5, "start": (1,)}],
)
def test_impossible_dates_are_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Date(**kwargs)  # type: ignore[arg-type]


def test_literal_name_excludes_parts() -> None:
    with pytest.raises(ValueError):
        Name(literal="ACME", family="Acme")
    assert Name(literal="Gemini Team").display() == "Gemini Team"
    assert Name(given="Ludwig", non_dropping_particle="van", family="Beethoven").display() == (
        "Ludwig van Beethoven"
    )
