"""Web of Science syntax and value rules, used by both the reader and the writer.

A line is a two-character tag, a space and a value; a line starting with
three spaces continues the previous tag.  For list tags (authors, addresses,
cited references) every continuation line is one more value; for the others
it continues the text.  ``ER`` ends a record and ``EF`` the file; ``FN`` and
``VR`` make the header.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import ClassVar

from bibconv.diagnostics import Diagnostic
from bibconv.formats.tagged import Builder, Dialect, Field, Raw
from bibconv.formats.wos.mapping import (
    CSL_TO_TYPE,
    DEFAULT_TYPE,
    DT_TO_CSL,
    LINE_LIST_TAGS,
    MONTHS,
    NAME_TAGS,
    PT_TO_CSL,
    SEASONS,
    TEXT_TAGS,
)
from bibconv.ir import Date, Name, Record

__all__ = ["WOS"]

_TAG = re.compile(r"([A-Z][A-Z0-9])(?: (.*))?")
_TAG_ONLY = re.compile(r"[A-Z][A-Z0-9]")
_INITIALS = re.compile(r"[A-Z]{1,4}")
_PD = re.compile(r"([A-Z]{3})(?:\s+(\d{1,2}))?")
_HEADER = frozenset({"FN", "VR"})


class WosDialect(Dialect):
    """Web of Science tagged format."""

    namespace = "wos"
    type_tags = ("PT", "DT")
    note_tag = "XB"  # no WoS tag holds free notes; XB ("bibconv") is unused by Clarivate
    name_tags = NAME_TAGS
    text_tags = TEXT_TAGS
    date_tags = frozenset({"PY", "PD"})
    derived: ClassVar[Mapping[str, str]] = {"AU": "AF", "BA": "BF"}
    structural = frozenset({"ER", "EF", "FN", "VR"})

    def valid_tag(self, tag: str) -> bool:
        return _TAG_ONLY.fullmatch(tag) is not None

    # -- syntax -----------------------------------------------------------
    def scan(self, text: str, diags: list[Diagnostic], file: str | None) -> list[Raw]:
        records: list[Raw] = []
        current: Raw | None = None
        reported_outside = False
        for number, raw_line in enumerate(text.split("\n"), start=1):
            line = raw_line.rstrip("\r").rstrip()
            if line.startswith("\ufeff"):
                line = line[1:]
            if not line.strip():
                continue
            if line[:1].isspace():
                if current is not None and current.fields:
                    last = current.fields[-1]
                    value = line.strip()
                    if last.tag in LINE_LIST_TAGS:
                        current.fields.append(Field(last.tag, value, number))
                    else:
                        last.value = f"{last.value} {value}".strip()
                    continue
                diags.append(
                    Diagnostic.make(
                        "BC116", "continuation line outside a field was ignored", file=file, line=number
                    )
                )
                continue
            m = _TAG.fullmatch(line)
            if m is None:
                diags.append(
                    Diagnostic.make(
                        "BC116", f"line is not 'TAG value': {line[:40]!r}; ignored", file=file, line=number
                    )
                )
                continue
            tag, value = m.group(1), (m.group(2) or "").strip()
            if tag == "EF":
                if current is not None:
                    self._unterminated(current, diags, file)
                    current = None
                continue
            if tag == "ER":
                if current is None:
                    continue
                current = None
                continue
            if current is None:
                if tag in _HEADER:
                    continue
                if tag != "PT" and not reported_outside:
                    reported_outside = True
                    diags.append(
                        Diagnostic.make(
                            "BC136",
                            f"record starts with {tag}, not PT; read as a record",
                            file=file,
                            line=number,
                        )
                    )
                current = Raw(line=number)
                records.append(current)
            elif tag == "PT" and any(f.tag == "PT" for f in current.fields):
                self._unterminated(current, diags, file)
                current = Raw(line=number)
                records.append(current)
            current.fields.append(Field(tag, value, number))
        if current is not None:
            self._unterminated(current, diags, file)
        return records

    @staticmethod
    def _unterminated(raw: Raw, diags: list[Diagnostic], file: str | None) -> None:
        diags.append(Diagnostic.make("BC115", "record has no ER line; it was kept", file=file, line=raw.line))

    def render(self, fields: Sequence[tuple[str, str]]) -> list[str]:
        out: list[str] = []
        previous = ""
        for tag, value in fields:
            if tag == previous and tag in LINE_LIST_TAGS:
                out.append("   " + value)
            else:
                out.append(f"{tag} {value}")
            previous = tag
        return out

    def document(self, records: Sequence[list[str]]) -> str:
        lines = ["FN Clarivate Analytics Web of Science", "VR 1.0"]
        for record in records:
            lines += [*record, "ER", ""]
        lines.append("EF")
        return "\n".join(lines) + "\n"

    # -- types ------------------------------------------------------------
    def read_type(self, b: Builder, fields: Mapping[str, list[Field]]) -> None:
        pt = [f for f in fields.get("PT", []) if f.value]
        dt = [f for f in fields.get("DT", []) if f.value]
        csl = None
        if dt:
            parts = [p.strip() for p in dt[0].value.split(";")]
            csl = next((c for name, c in DT_TO_CSL if name in parts), None)
        if csl is None and pt:
            csl = PT_TO_CSL.get(pt[0].value.upper())
        if csl is None:
            what = " / ".join(f.value for f in (*pt[:1], *dt[:1])) or "(none)"
            b.note("BC200", f"Web of Science type {what!r} is not known; read as 'document'", b.line)
            csl = "document"
        b.type = csl
        want_pt, want_dt = CSL_TO_TYPE.get(csl, DEFAULT_TYPE)
        for tag, want, found in (("PT", want_pt, pt), ("DT", want_dt, dt)):
            for n, f in enumerate(found):
                if n or f.value != want:
                    b.keep_extra(tag, f.value, f.line, "is more specific than the CSL type")

    def write_type(self, record: Record) -> list[tuple[str, str]]:
        pt, dt = CSL_TO_TYPE.get(record.type, DEFAULT_TYPE)
        pt = record.extra.get("wos:PT", pt)
        dt = record.extra.get("wos:DT", dt)
        return [("PT", v) for v in pt.split("\n")] + [("DT", v) for v in dt.split("\n")]

    # -- names ------------------------------------------------------------
    def parse_name(self, tag: str, value: str) -> Name | None:
        name = super().parse_name(tag, value)
        if tag in ("AU", "BA") and name is not None and name.given and _INITIALS.fullmatch(name.given):
            # "Smith, JA": the abbreviated list writes initials without points
            name = Name(
                family=name.family,
                given=" ".join(f"{c}." for c in name.given),
                non_dropping_particle=name.non_dropping_particle,
                suffix=name.suffix,
            )
        return name

    def write_names(self, record: Record) -> list[tuple[str, str]]:
        full = super().write_names(record)
        out: list[tuple[str, str]] = []
        for var, tag, short in (("author", "AU", "AF"), ("container-author", "BA", "BF")):
            out += [(tag, _abbreviate(n)) for n in record.names.get(var, ())]
            out += [(t, v) for t, v in full if t == short]
        return out + [(t, v) for t, v in full if t not in ("AF", "BF")]

    # -- text -------------------------------------------------------------
    def read_text(self, b: Builder, f: Field, var: str) -> None:
        if f.tag in ("BP", "EP"):
            b.text.setdefault(f"_{f.tag}", f.value)
            return
        super().read_text(b, f, var)

    def write_text(self, record: Record, var: str, tag: str, value: str) -> list[tuple[str, str]]:
        if var == "page":
            first, sep, last = value.partition("-")
            if sep and first and last and "-" not in last and first == first.strip() and last == last.strip():
                return [("BP", first), ("EP", last)]
            return [("BP", value)]
        return super().write_text(record, var, tag, value)

    def finish(self, b: Builder) -> None:
        bp, ep = b.text.pop("_BP", None), b.text.pop("_EP", None)
        if bp and ep:
            b.text["page"] = bp if bp == ep else f"{bp}-{ep}"
        elif bp:
            b.text["page"] = bp
        elif ep:
            b.keep_extra("EP", ep, b.line, "is an end page without a beginning page")

    # -- dates ------------------------------------------------------------
    def read_dates(self, b: Builder, fields: Mapping[str, list[Field]]) -> None:
        py = [f for f in fields.get("PY", []) if f.value]
        pd = [f for f in fields.get("PD", []) if f.value]
        for f in py[1:]:
            b.keep_extra("PY", f.value, f.line, "repeats the year")
        for f in pd[1:]:
            b.keep_extra("PD", f.value, f.line, "repeats the date")
        if not py:
            for f in pd[:1]:
                b.keep_extra("PD", f.value, f.line, "is a date without a year (PY)")
            return
        if not py[0].value.isdigit() or len(py[0].value) > 4:
            b.note("BC202", f"year {py[0].value!r} is not understood; kept as literal", py[0].line)
            b.dates["issued"] = Date(literal=py[0].value)
            return
        year = int(py[0].value)
        date = Date(start=(year,))
        if pd:
            parsed = _parse_pd(pd[0].value, year)
            if parsed is None:
                b.keep_extra("PD", pd[0].value, pd[0].line, "is not a date bibconv understands")
            else:
                date = parsed
        b.dates["issued"] = date

    def write_dates(self, record: Record) -> list[tuple[str, str]]:
        date = record.dates.get("issued")
        if date is None or date.start is None:
            return []
        out = [("PY", str(date.start[0]))]
        if len(date.start) >= 2:
            pd = MONTHS[date.start[1] - 1]
            if len(date.start) == 3:
                pd += f" {date.start[2]}"
            out.append(("PD", pd))
        elif date.season is not None:
            out.append(("PD", next(k for k, v in SEASONS.items() if v == date.season)))
        return out


def _parse_pd(value: str, year: int) -> Date | None:
    """``MAR 15``, ``MAR``, ``SPR`` (and the year repeated: ``MAR 15 2020``) → a date."""
    words = value.upper().split()
    if len(words) > 1 and words[-1] == str(year):
        words = words[:-1]
    text = " ".join(words)
    if text in SEASONS:
        return Date(start=(year,), season=SEASONS[text])
    m = _PD.fullmatch(text)
    if m is None or m.group(1) not in MONTHS:
        return None
    month = MONTHS.index(m.group(1)) + 1
    if m.group(2) is None:
        return Date(start=(year, month))
    day = int(m.group(2))
    if not 1 <= day <= 31:
        return None
    return Date(start=(year, month, day))


def _abbreviate(name: Name) -> str:
    """``AU`` form of a name: ``Family, GI`` (initials without points)."""
    if name.literal is not None:
        return name.literal
    family = " ".join(p for p in (name.non_dropping_particle, name.family) if p)
    initials = "".join(w[0] for w in re.split(r"[\s.\-]+", name.given or "") if w)
    return f"{family}, {initials}" if initials else family


WOS = WosDialect()
