"""Records → RIS that Zotero, EndNote and bibutils import as the right kind.

Output follows the RIS specification: ``TAG  - value`` lines, one ``AU`` per
person as ``Family, Given, Suffix``, ``ER  - `` closing each record, CRLF line
ends, a blank line between records.

The writer checks itself: after writing a record's tags it reads them back
with the reader's own code, and every variable that did not come back
exactly (a variable RIS has no tag for, a one-word organisation, a date
range with a season, a second ISBN...) is put into one catch-all ``N1`` note
holding the exact values as CSL-JSON, prefixed ``bibconv-csl:``.  Other
tools show that note as a note; bibconv's reader applies it, so
``read(write(r)) == r`` for every record.  ``options['catch_all']=False``
leaves the note out and reports the loss as BC204 instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from bibconv.diagnostics import Diagnostic
from bibconv.ir import Record
from bibconv.readers.ris import CATCH_ALL_PREFIX, TagLine, build_record
from bibconv.registry import WriteResult
from bibconv.ris.mapping import (
    DA_ACCESSED,
    DATE_TAGS,
    KNOWN_TAGS,
    NAME_TAGS,
    READ_ALIASES,
    TEXT_ROWS,
    ris_type,
    tag_for_name,
    tag_for_text,
)
from bibconv.ris.values import format_date, format_name, sn_variable
from bibconv.writers.csljson import record_to_item

__all__ = ["RisWriter", "record_lines"]

_TAG = re.compile(r"[A-Z][A-Z0-9]")  # what the reader accepts as a tag
_DATE_TAG = {var: tag for tag, var in DATE_TAGS.items()}
# Text variables in the order their tags are written (RIS order of habit).
_TEXT_ORDER: tuple[str, ...] = tuple(dict.fromkeys(r.var for r in TEXT_ROWS))


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _page_tags(value: str) -> list[tuple[str, str]]:
    first, sep, last = value.partition("-")
    if sep and first and last and "-" not in last and first == first.strip() and last == last.strip():
        return [("SP", first), ("EP", last)]
    return [("SP", value)]


def _keyword_tags(value: str) -> list[tuple[str, str]]:
    parts = value.split(", ")
    if len(parts) > 1 and all(p and p == p.strip() for p in parts):
        return [("KW", p) for p in parts]
    return [("KW", value)]


def _tags(record: Record, ris: str) -> list[tuple[str, str]]:
    """The tag lines for ``record`` (without the catch-all), best effort."""
    out: list[tuple[str, str]] = [("TY", ris), ("ID", record.id)]
    for var in ("author", "editor", "collection-editor", "translator", "recipient"):
        tag = tag_for_name(var, ris)
        if tag is None:
            continue
        for name in record.names.get(var, ()):
            out.append((tag, format_name(name)))
    title = record.text.get("title")
    if title:
        out.append(("TI", _one_line(title)))
    for var in ("issued", "accessed"):
        date = record.dates.get(var)
        if date is None:
            continue
        year, full = format_date(date)
        if var == "issued":
            if year:
                out.append(("PY", year))
            if full and ris not in DA_ACCESSED:
                out.append(("DA", full))
        else:
            out.append((_DATE_TAG[var], full or year))
    used: set[str] = {"TY", "ID", "TI", "PY", "DA", "Y2"}
    for var in _TEXT_ORDER:
        value = record.text.get(var)
        if value is None or var == "title":
            continue
        tag = tag_for_text(var, ris)
        if tag is None or (tag in used and tag not in ("KW", "N1")):
            continue
        if tag == "SN" and sn_variable(value, ris) != var:
            continue
        used.add(tag)
        if var == "page":
            out.extend(_page_tags(value))
        elif var == "keyword":
            out.extend(_keyword_tags(value))
        elif var == "note":
            out.extend(("N1", line) for line in value.split("\n"))
        else:
            out.append((tag, _one_line(value)))
    for key, value in sorted(record.extra.items()):
        tag = key[4:] if key.startswith("ris:") else ""
        if tag == "UR" and "URL" in record.text:
            out.extend(("UR", v) for v in value.split("\n"))
        elif _TAG.fullmatch(tag) and tag not in KNOWN_TAGS and tag not in READ_ALIASES:
            out.extend((tag, v) for v in value.split("\n"))
    # A line break inside a value would end the line; the read-back check
    # then sends the exact value to the catch-all note.
    return [(t, v.replace("\r", " ").replace("\n", " ")) for t, v in out]


def _mismatch(record: Record, back: Record) -> tuple[dict[str, Any], list[str]]:
    """What ``back`` got wrong: (exact values to keep, variables to unset)."""
    keep = Record(
        id=record.id,
        type=record.type,
        text={k: v for k, v in record.text.items() if back.text.get(k) != v},
        names={k: v for k, v in record.names.items() if back.names.get(k) != v},
        dates={k: v for k, v in record.dates.items() if back.dates.get(k) != v},
        extra={k: v for k, v in record.extra.items() if back.extra.get(k) != v},
        truncated=record.truncated,
    )
    item = record_to_item(keep)
    del item["id"]
    if back.type == record.type:
        del item["type"]
    custom = item.get("custom", {})
    if not record.truncated or back.truncated == record.truncated:
        custom.pop("truncated", None)
    if "custom" in item and not custom:
        del item["custom"]
    unset = sorted(
        (set(back.text) - set(record.text))
        | (set(back.names) - set(record.names))
        | (set(back.dates) - set(record.dates))
        | (set(back.extra) - set(record.extra))
    )
    return item, unset


def record_lines(record: Record, *, catch_all: bool = True) -> tuple[list[tuple[str, str]], list[str]]:
    """(tag lines, names of variables that needed the catch-all) for one record."""
    ris = ris_type(record.type)
    lines = _tags(record, ris)
    back, _ = build_record([TagLine(t, v) for t, v in lines], [], fallback_id=record.id)
    item, unset = _mismatch(record, back)
    caught = sorted(k for k in item if k != "custom") + sorted(item.get("custom", {}))
    if item or unset:
        if unset:
            item["unset"] = unset
        if catch_all:
            lines.append(("N1", CATCH_ALL_PREFIX + json.dumps(item, ensure_ascii=False, sort_keys=True)))
    return lines, caught


class RisWriter:
    """Writes RIS with CRLF line ends, one tag per line."""

    name: ClassVar[str] = "ris"
    aliases: ClassVar[tuple[str, ...]] = ("refman",)
    extensions: ClassVar[tuple[str, ...]] = (".ris",)
    description: ClassVar[str] = "RIS tagged format (Zotero, EndNote, Mendeley, PubMed, Scopus, WoS)"
    #: Variables with a RIS tag of their own; the rest go to the catch-all note.
    carries: ClassVar[frozenset[str]] = frozenset(
        set(NAME_TAGS.values()) | set(DATE_TAGS.values()) | {r.var for r in TEXT_ROWS}
    )
    catch_all: ClassVar[bool] = True

    def write(self, records: Sequence[Record], *, options: Mapping[str, Any] | None = None) -> WriteResult:
        """Serialise; ``options['newline']`` (default CRLF) and ``options['catch_all']``."""
        opts = options or {}
        newline = str(opts.get("newline", "\r\n"))
        catch_all = bool(opts.get("catch_all", True))
        chunks: list[str] = []
        diags: list[Diagnostic] = []
        for record in records:
            lines, caught = record_lines(record, catch_all=catch_all)
            native = sorted(v for v in caught if v in self.carries or v == "type")
            if native:
                code = "BC205" if catch_all else "BC204"
                how = "kept in the bibconv-csl note" if catch_all else "dropped"
                diags.append(
                    Diagnostic.make(
                        code,
                        f"RIS tags cannot carry the exact {', '.join(native)}; {how}",
                        record_id=record.id,
                    )
                )
            body = "".join(f"{tag}  - {value}{newline}" for tag, value in lines)
            chunks.append(f"{body}ER  - {newline}")
        return WriteResult(newline.join(chunks), diags)

    def stream(self, *, options: Mapping[str, Any] | None = None) -> RisStream:
        """Chunk by chunk, the same text as :meth:`write` (see :mod:`bibconv.stream`)."""
        return RisStream(self, options)


class RisStream:
    """RIS in pieces: records are independent, separated by one blank line."""

    head = tail = empty = ""

    def __init__(self, writer: RisWriter, options: Mapping[str, Any] | None) -> None:
        self.writer, self.options = writer, options
        self.sep = str((options or {}).get("newline", "\r\n"))

    def body(self, records: Sequence[Record]) -> WriteResult:
        """Exactly :meth:`RisWriter.write` of these records."""
        return self.writer.write(records, options=self.options)
