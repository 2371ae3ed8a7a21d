"""Checks on BibTeX/BibLaTeX source that need positions the IR does not keep.

* BC300: a key used twice, with the line of both entries (the reader may
  rename the second record's key to keep going, so the IR cannot tell).
* BC315: a field given twice in one entry (BibTeX keeps the first, biber the
  last: the two disagree on what the entry says).
* Syntax fallbacks BC104/BC107/BC113: normally the BibTeX reader reports
  these; when no BibTeX reader is installed the scan still finds them, so
  ``bibconv validate`` never passes a broken file silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bibconv.diagnostics import Diagnostic
from bibconv.validate.bibscan import RawEntry, Scan
from bibconv.validate.rule import Context, source_rule

BIBTEX_FORMATS = ("bibtex", "biblatex")
#: Entry kinds that are not records.
NON_RECORDS = frozenset({"comment", "string", "preamble"})
_DOLLAR = re.compile(r"(?<!\\)\$")


def records_of(scan: Scan) -> Iterator[RawEntry]:
    """The entries that are bibliographic records (not @string/@comment/@preamble)."""
    return (e for e in scan.entries if not e.braceless and e.kind not in NON_RECORDS)


@source_rule("BC300", formats=BIBTEX_FORMATS)
def duplicate_keys(scan: Scan, ctx: Context) -> Iterator[Diagnostic]:
    """A citation key must be used by one entry only (keys compare case-insensitively, as in BibTeX)."""
    first: dict[str, RawEntry] = {}
    for entry in records_of(scan):
        if not entry.key:
            continue
        folded = entry.key.casefold()
        earlier = first.get(folded)
        if earlier is None:
            first[folded] = entry
            continue
        line, col = scan.index.position(entry.key_offset or entry.start)
        yield Diagnostic.make(
            "BC300",
            f"duplicate citation key {entry.key!r}; first used at line {scan.line(earlier.start)}",
            file=ctx.file,
            line=line,
            column=col,
            record_id=entry.key,
        )


@source_rule("BC315", formats=BIBTEX_FORMATS)
def duplicate_fields(scan: Scan, ctx: Context) -> Iterator[Diagnostic]:
    """A field must appear once per entry (BibTeX keeps the first value, biber the last)."""
    for entry in records_of(scan):
        seen: dict[str, int] = {}
        for f in entry.fields:
            if f.name in seen:
                line, col = scan.index.position(f.offset)
                yield Diagnostic.make(
                    "BC315",
                    f"field {f.name!r} is given twice (first at line {scan.line(seen[f.name])})",
                    file=ctx.file,
                    line=line,
                    column=col,
                    record_id=entry.key,
                )
            else:
                seen[f.name] = f.offset


def syntax_fallback(scan: Scan, ctx: Context) -> Iterator[Diagnostic]:
    """BC104/BC107/BC113 from the scan, for when no BibTeX reader is available."""
    for entry in scan.entries:
        line, col = scan.index.position(entry.start)
        if entry.braceless:
            yield Diagnostic.make(
                "BC107",
                f"'@{entry.kind}' without a brace is not an entry; the line is ignored",
                file=ctx.file,
                line=line,
                column=col,
            )
            continue
        if entry.unterminated:
            yield Diagnostic.make(
                "BC104",
                f"unbalanced braces: @{entry.kind} entry is not closed",
                file=ctx.file,
                line=line,
                column=col,
                record_id=entry.key,
            )
        for f in entry.fields:
            if len(_DOLLAR.findall(f.value)) % 2:
                fline, fcol = scan.index.position(f.value_offset)
                yield Diagnostic.make(
                    "BC113",
                    f"unbalanced $ (math) in field {f.name!r}",
                    file=ctx.file,
                    line=fline,
                    column=fcol,
                    record_id=entry.key,
                )
