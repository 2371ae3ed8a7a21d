"""CSL-JSON: lossless round trips, schema-valid output, citeproc-js leniency, clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given

import bibconv
from bibconv.formats.csljson.reader import CslJsonReader
from bibconv.formats.csljson.writer import CslJsonWriter
from bibconv.ir import Date, Name, Record

from .conftest import shared_path
from .strategies import record_lists


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(shared_path("schema", "csl-data.json").read_text())
    return schema


def _validator() -> jsonschema.protocols.Validator:
    schema = _schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def _expected_fixtures() -> list[Path]:
    folder = shared_path("fixtures", "bibtex-to-csl")
    return sorted(folder.glob("*.json"))


def _normalise(value: Any) -> Any:
    """Meaning-preserving normal form: numbers as strings, no empties, seasons as ``season``."""
    if isinstance(value, dict) and "date-parts" in value:
        rows = value["date-parts"]
        if rows and len(rows[0]) == 2 and int(rows[0][1]) > 12:
            month = int(rows[0][1])
            value = {**value, "date-parts": [[rows[0][0]]], "season": month - (12 if month <= 16 else 20)}
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items() if v not in ("", None, [], {})}
    if isinstance(value, list):  # an empty name object {} means nothing
        return [_normalise(v) for v in value if v != {}]
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    return value


def test_every_schema_valid_fixture_reproduces_exactly_in_meaning() -> None:
    validator = _validator()
    checked = 0
    for path in _expected_fixtures():
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, list) or list(validator.iter_errors(data)):
            continue
        result = bibconv.read(path, "csljson")
        out = json.loads(bibconv.write(result.records, "csljson"))
        assert _normalise(out) == _normalise(data), path.name
        checked += 1
    assert checked >= 50, f"only {checked} schema-valid fixtures found"


def test_output_validates_against_schema_for_every_fixture() -> None:
    validator = _validator()
    for path in _expected_fixtures():
        result = bibconv.read(path, "csljson")
        out = json.loads(bibconv.write(result.records, "csljson"))
        errors = [e.message for e in validator.iter_errors(out)]
        assert not errors, (path.name, errors[:3])


@given(record_lists())
def test_round_trip_is_exact(records: list[Record]) -> None:
    text = CslJsonWriter().write(records)
    back = CslJsonReader().read(text)
    assert back.records == records
    assert not [d for d in back.diagnostics if d.severity >= bibconv.Severity.WARNING]


@given(record_lists())
def test_generated_output_is_schema_valid(records: list[Record]) -> None:
    errors = list(_validator().iter_errors(json.loads(CslJsonWriter().write(records))))
    assert not errors, errors[0].message


def test_accepts_what_citeproc_js_accepts() -> None:
    text = json.dumps(
        [
            {
                "id": 7,
                "type": "article-journal",
                "DOI": "10.1/x",
                "doi": None,
                "volume": 12,
                "issued": {"raw": "2020-05-01"},
                "accessed": "May 2021",
                "submitted": {"date-parts": [["2019", "11"]]},
                "original-date": {"literal": "n.d."},
                "author": ["Doe, Jane", {"literal": "ACME Corp"}],
                "shortTitle": "Short",
            }
        ]
    )
    result = bibconv.read(text, "csljson")
    (r,) = result.records
    assert r.id == "7"
    assert r.text["volume"] == "12"
    assert r.text["title-short"] == "Short"
    assert r.dates["issued"] == Date(start=(2020, 5, 1))
    assert r.dates["accessed"] == Date(start=(2021, 5))
    assert r.dates["submitted"] == Date(start=(2019, 11))
    assert r.dates["original-date"] == Date(literal="n.d.")
    assert r.names["author"] == (Name(family="Doe", given="Jane"), Name(literal="ACME Corp"))


def test_invalid_json_reports_line_and_column() -> None:
    result = bibconv.read('[\n  {"id": "a", "type": "book"},\n  {"id": "b" "type": "book"}\n]', "csljson")
    assert [r.id for r in result.records] == ["a"]
    (d,) = [d for d in result.diagnostics if d.code == "BC100"]
    assert (d.line, d.column) == (3, 14)
    assert d.severity == bibconv.Severity.ERROR


def test_non_list_is_an_error_with_position() -> None:
    result = bibconv.read('\n  "just a string"', "csljson")
    assert result.records == []
    (d,) = result.diagnostics
    assert (d.code, d.line, d.column) == ("BC101", 2, 3)


def test_records_carry_their_line() -> None:
    result = bibconv.read('[\n{"id": "a", "type": "book"},\n\n{"id": "b", "type": "book"}]', "csljson")
    assert [r.span.line for r in result.records if r.span] == [2, 4]


def test_unknown_keys_and_types_are_kept_and_reported() -> None:
    result = bibconv.read('[{"id": "a", "type": "journal", "tags": "x"}]', "csljson")
    (r,) = result.records
    assert r.type == "document"
    assert r.extra == {"csljson:tags": "x"}
    assert {d.code for d in result.diagnostics} == {"BC200", "BC201"}


def test_deep_nesting_is_a_diagnostic_not_a_crash() -> None:
    result = bibconv.read("[" * 100000 + "]" * 100000, "csljson")
    assert any(d.code in ("BC100", "BC102", "BC120") for d in result.diagnostics)


@pytest.mark.parametrize("bad", ["", "   ", "[", "{", "[1, 2]", "null", "[{]"])
def test_garbage_gives_diagnostics(bad: str) -> None:
    result = bibconv.read(bad, "csljson")
    assert result.diagnostics


@given(record_lists())
def test_pretty_record_is_the_item_encoded_one_variable_a_line(records: list[Record]) -> None:
    """The writer builds text without the item dict; it must equal encoding the dict."""
    from bibconv.formats.csljson.writer import pretty_record, record_to_item

    encode = json.JSONEncoder(ensure_ascii=False).encode
    for record in records:
        item = record_to_item(record)
        expected = "  {\n" + ",\n".join(f"    {encode(k)}: {encode(v)}" for k, v in item.items()) + "\n  }"
        assert pretty_record(record) == expected
