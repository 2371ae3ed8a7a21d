"""Checks on text values: page ranges, mojibake, and records too empty to cite."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bibconv.diagnostics import Diagnostic
from bibconv.ir import Record
from bibconv.validate.rule import Context, record_rule

_PAGE = r"(?:[A-Za-z]{0,3}\d+[A-Za-z]{0,2}|[ivxlcdmIVXLCDM]+)"
_PAGE_ITEM = re.compile(rf"({_PAGE})(?:\s*(?:-{{1,3}}|[–—])\s*({_PAGE}))?\+?")
_PAGE_SEP = re.compile(r"\s*[,;&]\s*")


def page_problem(value: str) -> str | None:
    """Why a ``page`` value is not a page, a range, or a list of them; None when it is fine.

    Abbreviated ranges (``123-45`` for 123–145) are accepted; a range whose end
    has as many digits as its start but is smaller (``210-201``) is not.
    """
    text = value.strip()
    if re.match(r"(?i)pp?\.", text):
        return "starts with 'p.'/'pp.'; give the numbers only"
    items = _PAGE_SEP.split(text)
    for item in items:
        # the caller quotes the whole value; a part is quoted only when it is not the whole
        part = f" {item!r}" if len(items) > 1 else ""
        m = _PAGE_ITEM.fullmatch(item)
        if not m:
            return f"the part{part} is not a page number or range" if part else "not a page number or range"
        start, end = m.group(1), m.group(2)
        if end and start.isdigit() and end.isdigit() and len(end) >= len(start) and int(end) < int(start):
            return f"the range{part} ends before it starts"
    return None


@record_rule("BC309", needs=["page"])
def page_range(record: Record, ctx: Context) -> Iterator[Diagnostic]:
    """``page`` must be a page, a range (``12-34``, ``12--34``, ``12–34``) or a list of them."""
    value = record.get("page")
    if value:
        why = page_problem(value)
        if why:
            yield Diagnostic.make("BC309", f"malformed page range {value!r}: {why}")


def _continuation_chars() -> str:
    """The characters UTF-8 continuation bytes become when misread as Windows-1252."""
    out = []
    for b in range(0x80, 0xC0):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


_CONT = re.escape(_continuation_chars())
# Two-byte sequences (é = C3 A9 → "Ã©") and three-byte ones (’ = E2 80 99 → "â€™").
_MOJIBAKE = re.compile(f"[ÂÃÄÅ][{_CONT}]|â[{_CONT}][{_CONT}]")


def mojibake(text: str) -> str | None:
    """The first mojibake sequence in ``text``, or None."""
    m = _MOJIBAKE.search(text)
    return m.group() if m else None


@record_rule("BC311")
def no_mojibake(record: Record, ctx: Context) -> Iterator[Diagnostic]:
    """Text must not contain UTF-8 read as Windows-1252 (``Ã©`` for ``é``, ``â€™`` for ``’``)."""
    # One search over everything first: almost every record is clean.
    blob = "\n".join(record.text.values())
    # the parts, not display(): a sequence never spans the spaces display() adds
    names_blob = "\n".join(
        [
            part
            for names in record.names.values()
            for n in names
            for part in (n.literal, n.given, n.dropping_particle, n.non_dropping_particle, n.family, n.suffix)
            if part
        ]
    )
    if _MOJIBAKE.search(blob) is None and _MOJIBAKE.search(names_blob) is None:
        return
    values = sorted(record.text.items())
    for var, names in sorted(record.names.items()):
        values.extend((var, n.display()) for n in names)
    for var, value in values:
        seq = mojibake(value)
        if seq:
            try:
                fixed = seq.encode("cp1252").decode("utf-8")
            except UnicodeError:
                fixed = "?"
            yield Diagnostic.make(
                "BC311", f"{var!r} contains {seq!r}, mojibake for {fixed!r}: re-save the source as UTF-8"
            )
            return


@record_rule("BC312")
def citable(record: Record, ctx: Context) -> Iterator[Diagnostic]:
    """A record needs a title, and an author/editor or a date, to be cited at all."""
    from bibconv.validate.required import is_set

    if is_set(record):
        return  # a set's members carry the title, names and date
    if not record.get("title"):
        yield Diagnostic.make("BC312", "record has no title")
    has_names = any(record.names.get(v) for v in ("author", "editor"))
    if not has_names and "issued" not in record.dates:
        yield Diagnostic.make("BC312", "record has neither an author/editor nor a date")
