"""The in-code CSL-JSON checks agree with the official schema (jsonschema is a test dependency only)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibconv.validate import validate
from bibconv.validate.csl_schema import NUMERIC, PROPERTIES, STRINGS, item_problems

from .conftest import shared_path


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(shared_path("schema", "csl-data.json").read_text(encoding="utf-8"))
    return data


def test_property_tables_match_the_schema(schema: dict[str, Any]) -> None:
    props = schema["items"]["properties"]
    assert set(props) == PROPERTIES
    assert {k for k, v in props.items() if v.get("type") == ["string", "number"]} == NUMERIC
    assert {k for k, v in props.items() if v.get("type") == "string"} == STRINGS


SAMPLES: list[Any] = [
    {"id": "a", "type": "book"},
    {"id": 1, "type": "book", "title": "T", "volume": 2, "issued": {"date-parts": [[2020, "5"]]}},
    {"type": "book"},
    {"id": "a"},
    {"id": "a", "type": "Book"},
    {"id": "a", "type": "book", "title": 5},
    {"id": "a", "type": "book", "page": True},
    {"id": "a", "type": "book", "author": [{"family": "X", "given": "Y"}]},
    {"id": "a", "type": "book", "author": [{"family": 1}]},
    {"id": "a", "type": "book", "author": [{"name": "X"}]},
    {"id": "a", "type": "book", "author": "X"},
    {"id": "a", "type": "book", "issued": {"date-parts": []}},
    {"id": "a", "type": "book", "issued": {"date-parts": [[2020], [2021], [2022]]}},
    {"id": "a", "type": "book", "issued": {"raw": "2020"}},
    {"id": "a", "type": "book", "issued": {"year": 2020}},
    {"id": "a", "type": "book", "custom": {"x": 1}},
    {"id": "a", "type": "book", "custom": []},
    {"id": "a", "type": "book", "categories": ["a", 1]},
    {"id": "a", "type": "book", "shortTitle": "S"},
    {"id": "a", "type": "book", "unknown": "x"},
    {"id": None, "type": "book"},
    [],
    "x",
]


@pytest.mark.parametrize("item", SAMPLES, ids=[str(i) for i in range(len(SAMPLES))])
def test_same_verdict_as_jsonschema(schema: dict[str, Any], item: Any) -> None:
    reference = jsonschema.Draft7Validator(schema).is_valid([item])
    assert (item_problems(item) == []) == reference, item_problems(item)


_scalar = st.one_of(st.text(max_size=3), st.integers(-3, 3), st.booleans(), st.none())
_value = st.one_of(
    _scalar,
    st.lists(_scalar, max_size=2),
    st.lists(
        st.dictionaries(st.sampled_from(["family", "given", "literal", "x"]), _scalar, max_size=2), max_size=2
    ),
    st.dictionaries(
        st.sampled_from(["date-parts", "raw", "season", "y"]),
        st.one_of(_scalar, st.lists(st.lists(st.integers(1, 12), max_size=4), max_size=3)),
        max_size=2,
    ),
)
_items = st.dictionaries(
    st.sampled_from(["id", "type", "title", "author", "issued", "volume", "custom", "categories", "foo"]),
    _value,
    max_size=5,
)


@settings(max_examples=200)
@given(_items)
def test_random_items_agree_with_jsonschema(schema: dict[str, Any], item: dict[str, Any]) -> None:
    reference = jsonschema.Draft7Validator(schema).is_valid([item])
    assert (item_problems(item) == []) == reference, (item, item_problems(item))


def test_schema_findings_point_at_the_item() -> None:
    text = '[\n  {"id": "a", "type": "book", "title": "T"},\n  {"id": "b", "type": "book", "title": 3}\n]\n'
    found = [d for d in validate(text).diagnostics if d.code == "BC313"]
    assert [(d.line, d.column, d.record_id, d.severity.name) for d in found] == [(3, 3, "b", "ERROR")]
