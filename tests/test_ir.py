"""The IR's invariants: typed maps reject keys of the wrong kind, dates must be real."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from bibconv.ir import Date, Name, Record, SourceSpan

from .strategies import records


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
    with pytest.raises(ValueError) as made:
        Record(**base)  # type: ignore[arg-type]
    # Record.adopt (the readers' way: dicts handed over) checks alike, with the same message
    with pytest.raises(ValueError) as adopted:
        Record.adopt(
            "k",
            base["type"],  # type: ignore[arg-type]
            dict(base.get("text", {})),  # type: ignore[call-overload]
            dict(base.get("names", {})),  # type: ignore[call-overload]
            dict(base.get("dates", {})),  # type: ignore[call-overload]
            {},
            base.get("truncated", frozenset()),  # type: ignore[arg-type]
            None,
        )
    assert str(adopted.value) == str(made.value)


@settings(max_examples=200, deadline=None)
@given(records())
def test_adopt_makes_the_record_record_makes(r: Record) -> None:
    """`Record.adopt` wraps the dicts it is given instead of copying them: the same record."""
    text, extra = dict(r.text), dict(r.extra)
    adopted = Record.adopt(r.id, r.type, text, dict(r.names), dict(r.dates), extra, r.truncated, r.span)
    assert adopted == r
    assert adopted.span == r.span
    assert Record(id=r.id, type=r.type, text=text, extra=extra) == Record.adopt(
        r.id, r.type, text, {}, {}, extra, frozenset(), None
    )
    with pytest.raises(TypeError):
        adopted.text["title"] = "U"  # type: ignore[index]


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
