"""CSL-JSON structure, checked in code against the rules of the official schema.

The schema (``csl-data.json``, CSL 1.0.2) is a test-time reference only: the
package must not need a file outside itself, nor ``jsonschema``, at run time.
The test suite runs both this module and ``jsonschema`` on the same items and
requires the same verdict, and checks that the tables below list exactly the
schema's properties, so the two cannot drift apart silently.

The reader is lenient (it reads what it can and warns); this rule says where
a file would be rejected by strict consumers such as citeproc-js's validator.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from bibconv.diagnostics import Diagnostic
from bibconv.textio import LineIndex
from bibconv.validate.rule import Context, source_rule
from bibconv.vocab import DATE_VARS, EXTENSION_VARS, ITEM_TYPES, NAME_VARS, NUMBER_VARS, TEXT_VARS

#: Properties the schema types as ``["string", "number"]``: CSL's number variables,
#: except ``section`` and ``version`` (plain strings there), plus ``id``
#: (tests/test_validate_schema.py checks this against the schema file).
NUMERIC: frozenset[str] = (NUMBER_VARS - {"section", "version"}) | {"id"}
# bibconv's own variables (EXTENSION_VARS) travel in ``custom``, so they are no top-level property.
STRINGS: frozenset[str] = frozenset(TEXT_VARS) - NUMERIC - EXTENSION_VARS | {
    "type",
    "journalAbbreviation",
    "shortTitle",
}
PROPERTIES: frozenset[str] = STRINGS | NUMERIC | NAME_VARS | DATE_VARS | {"categories", "custom"}
_NAME_STR = frozenset({"family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal"})
_NAME_FLAG = frozenset({"comma-suffix", "static-ordering", "parse-names"})
_DATE_KEYS = frozenset({"date-parts", "season", "circa", "literal", "raw"})


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object", type(None): "null"}.get(type(value), "value")


def _name_problems(var: str, value: Any) -> Iterator[str]:
    if not isinstance(value, list):
        yield f"{var!r} must be an array of name objects, not {_kind(value)}"
        return
    for i, name in enumerate(value):
        if not isinstance(name, dict):
            yield f"{var}[{i}] must be an object, not {_kind(name)}"
            continue
        for key, part in name.items():
            if key in _NAME_STR:
                if not isinstance(part, str):
                    yield f"{var}[{i}].{key} must be a string, not {_kind(part)}"
            elif key in _NAME_FLAG:
                if _kind(part) not in ("string", "number", "boolean"):
                    yield f"{var}[{i}].{key} must be a string, number or boolean"
            else:
                yield f"{var}[{i}] has an unknown property {key!r}"


def _date_problems(var: str, value: Any) -> Iterator[str]:
    if not isinstance(value, dict):
        yield f"{var!r} must be a date object, not {_kind(value)}"
        return
    for key, part in value.items():
        if key not in _DATE_KEYS:
            yield f"{var!r} has an unknown property {key!r}"
        elif key == "date-parts":
            ok = (
                isinstance(part, list)
                and 1 <= len(part) <= 2
                and all(
                    isinstance(row, list)
                    and 1 <= len(row) <= 3
                    and all(_kind(x) in ("string", "number") for x in row)
                    for row in part
                )
            )
            if not ok:
                yield f"{var}.date-parts must be 1 or 2 arrays of 1 to 3 numbers or strings"
        elif key in ("literal", "raw") and not isinstance(part, str):
            yield f"{var}.{key} must be a string, not {_kind(part)}"
        elif key == "season" and _kind(part) not in ("string", "number"):
            yield f"{var}.season must be a string or number"
        elif key == "circa" and _kind(part) not in ("string", "number", "boolean"):
            yield f"{var}.circa must be a string, number or boolean"


def item_problems(item: Any) -> list[str]:
    """Every way ``item`` breaks the CSL-JSON schema (empty when it conforms)."""
    if not isinstance(item, dict):
        return [f"item must be an object, not {_kind(item)}"]
    out = [f"required property {key!r} is missing" for key in ("type", "id") if key not in item]
    for key, value in item.items():
        if key not in PROPERTIES:
            out.append(f"unknown property {key!r} (custom data belongs in 'custom')")
        elif key == "type":
            if not isinstance(value, str) or value not in ITEM_TYPES:
                out.append(f"type {value!r} is not a CSL item type")
        elif key in NAME_VARS:
            out.extend(_name_problems(key, value))
        elif key in DATE_VARS:
            out.extend(_date_problems(key, value))
        elif key in NUMERIC:
            if _kind(value) not in ("string", "number"):
                out.append(f"{key!r} must be a string or number, not {_kind(value)}")
        elif key == "categories":
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                out.append("'categories' must be an array of strings")
        elif key == "custom":
            if not isinstance(value, dict):
                out.append(f"'custom' must be an object, not {_kind(value)}")
        elif not isinstance(value, str):
            out.append(f"{key!r} must be a string, not {_kind(value)}")
    return out


def _items(text: str) -> Iterator[tuple[Any, int]]:
    """Each top-level array element with its offset; nothing when the text is not an array."""
    decoder = json.JSONDecoder()
    pos = len(text) - len(text.lstrip())
    if not text.startswith("[", pos):
        return
    pos += 1
    while True:
        while pos < len(text) and text[pos] in " \t\n\r,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            return
        try:
            value, end = decoder.raw_decode(text, pos)
        except (json.JSONDecodeError, RecursionError):
            return  # the reader reports the syntax error (BC100)
        yield value, pos
        pos = end


@source_rule("BC313", formats=("csljson",))
def csl_schema(text: str, ctx: Context) -> Iterator[Diagnostic]:
    """Every CSL-JSON item must conform to the CSL 1.0.2 ``csl-data.json`` schema."""
    index: LineIndex | None = None
    for item, offset in _items(text):
        problems = item_problems(item)
        if not problems:
            continue
        index = index or LineIndex(text)
        line, col = index.position(offset)
        key = item.get("id") if isinstance(item, dict) else None
        for why in problems:
            yield Diagnostic.make(
                "BC313",
                f"CSL-JSON schema: {why}",
                file=ctx.file,
                line=line,
                column=col,
                record_id=str(key) if key is not None else None,
            )
