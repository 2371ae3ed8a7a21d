"""Records → CSL-JSON, lossless for everything the IR holds.

Output validates against the official CSL 1.0.2 schema: CSL variables go at
the top level, and what CSL lacks (arXiv id and class, the truncated-list
flag, unmapped source fields) goes into the schema's ``custom`` object, which
the reader takes back.  Keys are written in a stable order so output diffs well.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from bibconv.formats.csljson import CSLJSON_INFO
from bibconv.ir import Date, Name, Record
from bibconv.keys import unique_ids
from bibconv.registry import (
    DeclaredWriter,
    FormatInfo,
    LastChunk,
    Options,
    OptionsArg,
    WriteResult,
    make_options,
)
from bibconv.vocab import DATE_VARS, EXTENSION_VARS, NAME_VARS, TEXT_VARS

__all__ = ["CslJsonWriter", "date_to_json", "name_to_json", "pretty_record", "record_to_item"]


def name_to_json(name: Name) -> dict[str, Any]:
    """A name as a CSL-JSON object (only the parts present)."""
    out: dict[str, Any] = {}
    if name.literal is not None:
        out["literal"] = name.literal
    for key, value in (
        ("family", name.family),
        ("given", name.given),
        ("dropping-particle", name.dropping_particle),
        ("non-dropping-particle", name.non_dropping_particle),
        ("suffix", name.suffix),
    ):
        if value is not None:
            out[key] = value
    if name.comma_suffix:
        out["comma-suffix"] = True
    if name.static_ordering:
        out["static-ordering"] = True
    return out


def date_to_json(date: Date) -> dict[str, Any]:
    """A date as a CSL-JSON object with ``date-parts`` (and season, circa, literal)."""
    out: dict[str, Any] = {}
    if date.start is not None:
        rows = [list(date.start)]
        if date.end is not None:
            rows.append(list(date.end))
        out["date-parts"] = rows
    if date.season is not None:
        out["season"] = date.season
    if date.circa:
        out["circa"] = True
    if date.literal is not None:
        out["literal"] = date.literal
    return out


def record_to_item(record: Record) -> dict[str, Any]:
    """One record as a CSL-JSON object."""
    item: dict[str, Any] = {"id": record.id, "type": record.type}
    custom: dict[str, Any] = {}
    for key in sorted(record.text):
        if key in EXTENSION_VARS:
            custom[key] = record.text[key]
        else:
            item[key] = record.text[key]
    for key in sorted(record.names):
        item[key] = [name_to_json(n) for n in record.names[key]]
    for key in sorted(record.dates):
        item[key] = date_to_json(record.dates[key])
    if record.truncated:
        custom["truncated"] = sorted(record.truncated)
    for key in sorted(record.extra):
        custom[key] = record.extra[key]
    if custom:
        item["custom"] = custom
    return item


@dataclass(frozen=True, slots=True, kw_only=True)
class CslJsonOptions(Options):
    """The CSL-JSON writer's options."""

    indent: int = field(
        default=2, metadata={"help": "2: one variable a line (the default); 0: the whole array on one line"}
    )


class CslJsonWriter(DeclaredWriter):
    """Writes a CSL-JSON array, one variable a line, UTF-8 kept as is."""

    info: ClassVar[FormatInfo] = CSLJSON_INFO

    carries: ClassVar[frozenset[str]] = NAME_VARS | DATE_VARS | TEXT_VARS | {"extra", "truncated"}
    catch_all: ClassVar[bool] = True
    Options: ClassVar[type[CslJsonOptions]] = CslJsonOptions

    def write(self, records: Sequence[Record], *, options: OptionsArg = None) -> WriteResult:
        """Serialise; ``options['indent']``: 2 (default, one variable a line) or 0 (one line)."""
        indent = make_options(type(self), options).indent
        records, diags = unique_ids(records)  # ids repeated in the input are renamed, as BibTeX keys are
        if not indent:
            return WriteResult(_ENCODE([record_to_item(r) for r in records]) + "\n", diags)
        if not records:
            return WriteResult("[]\n")
        return WriteResult("[\n" + ",\n".join(pretty_record(r) for r in records) + "\n]\n", diags)

    def stream(self, *, options: OptionsArg = None) -> JsonStream:
        """Chunk by chunk, the same text as :meth:`write` (see :mod:`bibconv.stream`)."""
        return JsonStream(bool(make_options(type(self), options).indent))


class JsonStream:
    """The CSL-JSON array in pieces: ``[`` + items joined by separators + ``]``."""

    empty = "[]\n"

    def __init__(self, pretty: bool) -> None:
        self.pretty = pretty
        self.head, self.sep, self.tail = ("[\n", ",\n", "\n]\n") if pretty else ("[", ", ", "]\n")
        #: the last chunk's items: a chunk written again with a few ids renamed makes only those again
        self._last: LastChunk[str] = LastChunk()

    #: ids are made unique across chunks by the stream driver (bibconv.stream), not per chunk
    renames_ids = False

    def body(self, records: Sequence[Record]) -> WriteResult:
        """The items of ``records``, joined as :meth:`CslJsonWriter.write` joins them."""
        if not self.pretty:
            return WriteResult(", ".join(self._last.make(records, _compact_record)))
        return WriteResult(",\n".join(self._last.make(records, pretty_record)))


def _compact_record(record: Record) -> str:
    """One record as a compact CSL-JSON object."""
    return _ENCODE(record_to_item(record))


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
#: A JSON string literal, straight from the C encoder the line above uses for strings.
_STR: Callable[[str], str] = json.encoder.encode_basestring


def _name_text(name: Name) -> str:
    """``_ENCODE(name_to_json(name))`` without the dict, for the common shapes."""
    if name.literal is None and not (
        name.dropping_particle or name.non_dropping_particle or name.suffix or name.comma_suffix
    ):
        if name.static_ordering:
            return _ENCODE(name_to_json(name))
        family, given = name.family, name.given
        if given is None:
            return "{}" if family is None else '{"family": ' + _STR(family) + "}"
        if family is None:
            return '{"given": ' + _STR(given) + "}"
        return '{"family": ' + _STR(family) + ', "given": ' + _STR(given) + "}"
    return _ENCODE(name_to_json(name))


def _date_text(date: Date) -> str:
    """``_ENCODE(date_to_json(date))`` without the dict, for a plain date or range."""
    if date.start is not None and date.season is None and not date.circa and date.literal is None:
        rows = "[" + ", ".join(map(str, date.start)) + "]"
        if date.end is not None:
            rows += ", [" + ", ".join(map(str, date.end)) + "]"
        return '{"date-parts": [' + rows + "]}"
    return _ENCODE(date_to_json(date))


def pretty_record(record: Record) -> str:
    """One record as a pretty CSL-JSON object: one variable a line, each value compact.

    The same text as encoding :func:`record_to_item` in that layout, built
    without the intermediate dict: ``json.dumps(indent=2)`` falls back to the
    pure-Python encoder (several times slower on a large bibliography) and
    spreads every date over seven lines.  CSL variable names need no escaping.
    """
    text = record.text
    lines = [f'    "id": {_STR(record.id)}', f'    "type": {_STR(record.type)}']
    custom: dict[str, Any] = {}
    for key in sorted(text):
        if key in EXTENSION_VARS:
            custom[key] = text[key]
        else:
            lines.append(f'    "{key}": {_STR(text[key])}')
    names = record.names
    for key in sorted(names):
        lines.append(f'    "{key}": [{", ".join([_name_text(n) for n in names[key]])}]')
    dates = record.dates
    for key in sorted(dates):
        lines.append(f'    "{key}": {_date_text(dates[key])}')
    if record.truncated:
        custom["truncated"] = sorted(record.truncated)
    extra = record.extra
    for key in sorted(extra):
        custom[key] = extra[key]
    if custom:
        lines.append(f'    "custom": {_ENCODE(custom)}')
    return "  {\n" + ",\n".join(lines) + "\n  }"
