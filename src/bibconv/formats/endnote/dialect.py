"""EndNote refer syntax and value rules, used by both the reader and the writer.

A line is ``%`` + one tag character, a space and the value; a line that
does not start with a tag continues the previous value (one more keyword
after ``%K``, a new line of a ``%Z`` note, a space otherwise).  Records are separated by blank
lines and start with ``%0`` (the reference type).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import ClassVar

from bibconv.dates import parse_date
from bibconv.diagnostics import Diagnostic
from bibconv.formats.endnote.mapping import (
    JOINS,
    JOURNAL_TYPES,
    NAME_TAGS,
    PAGES_COUNT_TYPES,
    REFER_TYPES,
    TEXT_TAGS,
    TYPES,
)
from bibconv.formats.ris.values import sn_variable
from bibconv.formats.tagged import Builder, Dialect, Field, Raw
from bibconv.identifiers import normalise_doi
from bibconv.ir import Date, Record

__all__ = ["ENDNOTE"]

_LINE = re.compile(r"(%[^\s%])(?: (.*)|\s*)")
_TAG_ONLY = re.compile(r"%[^\s%]")
_YEAR = re.compile(r"-?\d{1,4}")
_TO_CSL = {name.casefold(): csl for name, csl in TYPES}
_FROM_CSL: dict[str, str] = {}
for _name, _csl in TYPES:
    _FROM_CSL.setdefault(_csl, _name)


class EndnoteDialect(Dialect):
    """EndNote tagged (refer) format."""

    namespace = "endnote"
    type_tags = ("%0",)
    id_tag = "%F"
    note_tag = "%Z"
    name_tags = NAME_TAGS
    text_tags = TEXT_TAGS
    date_tags = frozenset({"%D", "%8"})
    joins: ClassVar[Mapping[str, str]] = JOINS

    def valid_tag(self, tag: str) -> bool:
        return _TAG_ONLY.fullmatch(tag) is not None

    # -- syntax -----------------------------------------------------------
    def scan(self, text: str, diags: list[Diagnostic], file: str | None) -> list[Raw]:
        records: list[Raw] = []
        current: Raw | None = None
        reported = False
        for number, raw_line in enumerate(text.split("\n"), start=1):
            line = raw_line.rstrip("\r").rstrip()
            if line.startswith("\ufeff"):
                line = line[1:]
            if not line.strip():
                current = None
                continue
            m = _LINE.fullmatch(line)
            if m is None:
                if current is not None and current.fields:
                    last = current.fields[-1]
                    if last.tag == "%K":  # one keyword a line
                        current.fields.append(Field("%K", line.strip(), number))
                    else:
                        sep = "\n" if last.tag == "%Z" else " "
                        last.value = f"{last.value}{sep}{line.strip()}".strip()
                else:
                    diags.append(
                        Diagnostic.make(
                            "BC116", f"line is not '%X value': {line[:40]!r}; ignored", file=file, line=number
                        )
                    )
                continue
            tag, value = m.group(1), (m.group(2) or "").strip()
            if current is not None and tag == "%0" and any(f.tag != "%0" for f in current.fields):
                current = None  # records run together without a blank line
            if current is None:
                if tag != "%0" and not reported:
                    reported = True
                    diags.append(
                        Diagnostic.make(
                            "BC136",
                            f"record starts with {tag}, not %0; read as a record",
                            file=file,
                            line=number,
                        )
                    )
                current = Raw(line=number)
                records.append(current)
            current.fields.append(Field(tag, value, number))
        return records

    def render(self, fields: Sequence[tuple[str, str]]) -> list[str]:
        return [f"{tag} {value}" for tag, value in fields]

    def document(self, records: Sequence[list[str]]) -> str:
        return "\n".join("\n".join(lines) + "\n" for lines in records)

    # -- types ------------------------------------------------------------
    def read_type(self, b: Builder, fields: Mapping[str, list[Field]]) -> None:
        found = [f for f in fields.get("%0", []) if f.value]
        csl = _TO_CSL.get(found[0].value.casefold()) if found else None
        if not found:  # classic refer has no %0: the type follows from the fields present
            csl = next((c for tag, c in REFER_TYPES if tag in fields), None)
        if csl is None:
            what = found[0].value if found else "(none)"
            b.note("BC200", f"EndNote reference type {what!r} is not known; read as 'document'", b.line)
            csl = "document"
        b.type = csl
        want = _FROM_CSL.get(csl, "Generic")
        for n, f in enumerate(found):
            if n or f.value != want:
                b.keep_extra("%0", f.value, f.line, "is more specific than the CSL type")

    def write_type(self, record: Record) -> list[tuple[str, str]]:
        kept = record.extra.get("endnote:%0")
        if kept:
            return [("%0", v) for v in kept.split("\n")]
        return [("%0", _FROM_CSL.get(record.type, "Generic"))]

    # -- text -------------------------------------------------------------
    def read_text(self, b: Builder, f: Field, var: str) -> None:
        value = f.value
        if f.tag == "%@":
            ris = "JOUR" if b.type in JOURNAL_TYPES else "BOOK"
            b.set_text(sn_variable(value, ris), value, f.tag, f.line)
            return
        if f.tag == "%P" and b.type in PAGES_COUNT_TYPES:
            var = "number-of-pages"  # EndNote's "Number of Pages" of a whole book
        if f.tag == "%R":
            doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s?)", "", value, flags=re.IGNORECASE)
            if normalise_doi(doi) is None:
                b.keep_extra(f.tag, value, f.line, "is not a DOI")
                return
            value = doi
        if f.tag in self.joins:
            b.multi.setdefault(f.tag, []).append(value)
        else:
            b.set_text(var, value, f.tag, f.line)

    def write_text(self, record: Record, var: str, tag: str, value: str) -> list[tuple[str, str]]:
        if var == "container-title":
            return [("%J" if record.type in JOURNAL_TYPES else "%B", value)]
        if var in ("page", "number-of-pages"):
            counts = record.type in PAGES_COUNT_TYPES
            return [("%P", value)] if counts == (var == "number-of-pages") else []
        return super().write_text(record, var, tag, value)

    def text_out(self) -> dict[str, str]:
        out = super().text_out()
        out["ISSN"] = "%@"
        out["number-of-pages"] = "%P"
        return out

    # -- dates ------------------------------------------------------------
    def read_dates(self, b: Builder, fields: Mapping[str, list[Field]]) -> None:
        years = [f for f in fields.get("%D", []) if f.value]
        dates = [f for f in fields.get("%8", []) if f.value]
        for f in years[1:]:
            b.keep_extra("%D", f.value, f.line, "repeats the year")
        for f in dates[1:]:
            b.keep_extra("%8", f.value, f.line, "repeats the date")
        year: int | None = None
        if years:
            f = years[0]
            if _YEAR.fullmatch(f.value):
                year = int(f.value)
            else:
                parsed = parse_date(f.value)
                if parsed is None:
                    b.note("BC202", f"date {f.value!r} is not understood; kept as literal", f.line)
                    b.dates["issued"] = Date(literal=f.value)
                else:
                    b.dates["issued"] = parsed
                for g in dates[:1]:
                    b.keep_extra("%8", g.value, g.line, "is a date beside a %D that is not a year")
                return
        if not dates:
            if year is not None:
                b.dates["issued"] = Date(start=(year,))
            return
        f = dates[0]
        parsed = parse_date(f.value)
        if parsed is None and year is not None:
            parsed = parse_date(f"{f.value} {year}")
        if parsed is None or parsed.start is None or (year is not None and parsed.start[0] != year):
            if year is not None:
                b.dates["issued"] = Date(start=(year,))
            b.keep_extra("%8", f.value, f.line, "is not a date of the year in %D")
            return
        b.dates["issued"] = parsed

    def write_dates(self, record: Record) -> list[tuple[str, str]]:
        date = record.dates.get("issued")
        if date is None or date.start is None:
            return []
        out = [("%D", str(date.start[0]))]
        if len(date.start) >= 2 and date.end is None and date.season is None and not date.circa:
            out.append(("%8", "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(date.start))))
        return out


ENDNOTE = EndnoteDialect()
