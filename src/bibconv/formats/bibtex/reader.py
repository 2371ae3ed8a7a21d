"""BibTeX and BibLaTeX → records; one reader class, the dialect is a parameter.

The pipeline per file: lex (linear, see :mod:`bibconv.formats.bibtex.lexer`) → expand
``@string`` macros and ``#`` → inherit ``crossref``/``xdata`` fields → split
names on the raw LaTeX → decode LaTeX to rich text → map fields to CSL.
Every problem is a diagnostic with line, column and key; every entry with a
key-able header becomes a record, duplicates included (writers make keys
unique later), and fields with no CSL home are kept in ``extra`` as
``bibtex:<field>`` with their raw value.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from itertools import repeat
from typing import Any, ClassVar

from bibconv.blocks import Block, BlockSource
from bibconv.dates import month_number, parse_date
from bibconv.diagnostics import Diagnostic, plural
from bibconv.formats.bibtex import BIBLATEX_INFO, BIBTEX_INFO
from bibconv.formats.bibtex.latex import Problem, decode, needs_decoding
from bibconv.formats.bibtex.lexer import LOOKAHEAD_STARTS, Entry, Field, Lexed, field_offset, lex
from bibconv.formats.bibtex.macros import Macros
from bibconv.formats.bibtex.mapping import (
    BIBLATEX_TYPES,
    NOCASE_VARS,
    PUBLISHER_LIKE,
    READ_TYPES,
    VERBATIM_VARS,
    field_target,
    is_date_field,
    is_name_field,
    langid_language,
    preferred_fields,
    read_type,
)
from bibconv.formats.bibtex.names import parse_names
from bibconv.identifiers import normalise_arxiv
from bibconv.ir import Date, Name, Record, SourceSpan
from bibconv.keys import make_key
from bibconv.registry import (
    ChunkResult,
    DeclaredReader,
    FormatInfo,
    NoOptions,
    OptionsArg,
    ReadResult,
    make_options,
)
from bibconv.textio import LineIndex, normalise_newlines

__all__ = ["BibLatexReader", "BibtexReader", "cut_before_entry", "read_bibtex"]

_IN_TYPES = frozenset(
    {"inproceedings", "incollection", "inbook", "inreference", "suppbook", "suppcollection"}
)
#: Crossref chains are followed this many entries up (BC123 where one is cut).
MAX_CROSSREF_DEPTH = 64
_NOT_RECORDS = frozenset({"string", "preamble", "comment", "xdata"})
_ARXIV_WORDS = frozenset({"arxiv"})
_HANDLED = frozenset(
    {
        "csl-type",
        "year",
        "month",
        "day",
        "date",
        "subtitle",
        "titleaddon",
        "archiveprefix",
        "eprinttype",
        "maintitle",
    }
)
_VALUE_START = re.compile(r"\s*[{\"]\s*")
_DOLLAR = re.compile(r"(?<!\\)\$")
_TIME = re.compile(r"(?<=\d)T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")
_YEAR = re.compile(r"-?\d{1,4}")


_CLASSES: dict[str, tuple[str, str | None]] = {}


def _classify(name: str) -> tuple[str, str | None]:
    """What a field holds, cached per field name: ("name"|"date"|"text"|"number", variable)."""
    found = _CLASSES.get(name)
    if found is None:
        found = _CLASSES[name] = _classify_uncached(name)
    return found


def _classify_uncached(name: str) -> tuple[str, str | None]:
    if name in ("eprint", "primaryclass", "eprintclass") or name in PUBLISHER_LIKE:
        return "special", None
    if name.startswith("bibtex:"):
        return "raw-extra", None
    var = is_name_field(name)
    if var is not None:
        return "name", var
    var = is_date_field(name)
    if var is not None:
        return "date", var
    if name == "number":
        return "number", None
    target = field_target("document", name)
    if target is not None:
        return "text", target
    return ("foreign", None) if ":" in name else ("extra", None)


class _Ctx:
    """Diagnostics for one entry, with positions found lazily."""

    def __init__(self, out: list[Diagnostic], file: str | None, index: LineIndex, text: str, entry: Entry):
        self.out, self.file, self.index, self.text, self.entry = out, file, index, text, entry

    def at(self, offset: int) -> tuple[int, int]:
        return self.index.position(offset)

    def field_pos(self, name: str) -> int:
        if self.entry.flat is not None:
            return field_offset(self.text, self.entry, Field(name, [], -1))
        for f in self.entry.fields:
            if f.name == name:
                return field_offset(self.text, self.entry, f)
        return self.entry.offset

    def emit(self, code: str, message: str, offset: int | None = None) -> None:
        line, col = self.at(self.entry.offset if offset is None else offset)
        self.out.append(
            Diagnostic.make(code, message, file=self.file, line=line, column=col, record_id=self.entry.key)
        )

    def problems(self, name: str, problems: list[Problem]) -> None:
        """Report decoding problems at their place in the value (exact for a single braced/quoted value)."""
        at = self.field_pos(name)
        eq = self.text.find("=", at)
        start = at
        if eq >= 0:
            m = _VALUE_START.match(self.text, eq + 1)
            if m is not None:
                start = m.end()
        for p in problems:
            self.emit(p.code, f"{name}: {p.message}", start + p.offset if start != at else at)


def _decode(ctx: _Ctx, name: str, raw: str, nocase: bool) -> str:
    if not needs_decoding(raw):
        return raw.strip()
    d = decode(raw, nocase=nocase)
    if d.problems:
        ctx.problems(name, d.problems)
    return d.text


def _year_date(ctx: _Ctx, fields: Mapping[str, str]) -> Date | None:
    year_raw = fields.get("year", "")
    month_raw = fields.get("month", "")
    day_raw = fields.get("day", "")
    if not year_raw:
        return None
    edtf = _edtf_raw(ctx, "year", year_raw) if not month_raw else None
    if edtf is not None:
        return edtf
    # most years and months are plain ("2019", a month macro's "5"): decode only TeX
    year_txt = decode(year_raw, nocase=False).text if needs_decoding(year_raw) else year_raw.strip()
    if _YEAR.fullmatch(year_txt):
        parts: list[int] = [int(year_txt)]
        if not month_raw:
            month_txt = ""
        elif needs_decoding(month_raw):
            month_txt = decode(month_raw, nocase=False).text
        else:
            month_txt = month_raw.strip()
        month = month_number(month_txt) if month_txt else None
        if month is None and month_txt:
            parsed = parse_date(f"{month_txt} {year_txt}")
            if parsed is not None and parsed.start is not None and parsed.start[0] == int(year_txt):
                return parsed
        if month is not None:
            parts.append(month)
            if day_raw.isdigit() and 1 <= int(day_raw) <= 31:
                parts.append(int(day_raw))
        try:
            return Date(start=tuple(parts))
        except ValueError:
            return Date(start=(parts[0],))
    phrase = f"{month_raw} {year_txt}" if month_raw else year_txt
    parsed = parse_date(phrase)
    if parsed is not None:
        return parsed
    ctx.emit("BC202", f"year {year_txt!r} is not a year; kept as a literal date", ctx.field_pos("year"))
    return Date(literal=year_txt)


#: An EDTF date as written (digits, ``-``, ``/``, ``..`` and the qualifiers ``~ ? %``):
#: read as it stands, since LaTeX decoding would turn the circa ``~`` into a tie.
_EDTF_RAW = re.compile(r"\s*-?\d[\d\-/.~?%X ]*")


def _edtf_raw(ctx: _Ctx, name: str, raw: str) -> Date | None:
    """An EDTF-looking value parsed before LaTeX decoding (``1723~`` keeps its circa).

    EDTF's ``?`` (uncertain) has no place of its own in the IR (CSL knows only
    circa): it is read as circa and said so (BC128), as it is written back ``~``.
    """
    if ("~" in raw or "?" in raw or "%" in raw) and _EDTF_RAW.fullmatch(raw):
        date = parse_date(raw.strip())
        if date is not None and "?" in raw:
            ctx.emit(
                "BC128",
                f"{name} {raw.strip()!r}: EDTF '?' (uncertain) was read as circa, "
                "the one qualifier CSL has; it is written back as '~'",
                ctx.field_pos(name),
            )
        return date
    return None


def _date(ctx: _Ctx, name: str, raw: str) -> Date | None:
    edtf = _edtf_raw(ctx, name, raw)
    if edtf is not None:
        return edtf
    text = decode(raw, nocase=False).text
    if not text:
        return None
    if "T" in text:
        text = _TIME.sub("", text)  # EDTF/ISO date-times: the day is what bibliographies cite
    parsed = parse_date(text)
    if parsed is None:
        ctx.emit(
            "BC202",
            f"{name} {text!r} is not a date bibconv understands; kept as literal",
            ctx.field_pos(name),
        )
        return Date(literal=text)
    return parsed


def entry_to_record(
    ctx: _Ctx,
    etype: str,
    key: str,
    fields: Mapping[str, str],
    unmapped: dict[str, list[int]],
    inherited: frozenset[str] = frozenset(),
    span: SourceSpan | None = None,
) -> Record:
    """Map one entry's expanded fields to a record; the entry's own fields beat ``inherited`` ones."""
    eprint_type = (fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
    has_arxiv = bool(fields.get("eprint")) and (
        eprint_type in _ARXIV_WORDS or (not eprint_type and normalise_arxiv(fields["eprint"]) is not None)
    )
    csl_type = read_type(
        etype,
        fields.get("csl-type", ""),
        fields.get("entrysubtype", "").lower(),
        has_arxiv,
    )
    if csl_type is None:
        ctx.emit("BC200", f"entry type @{etype} is not known; read as 'document'")
        csl_type = "document"
    text: dict[str, str] = {}
    names: dict[str, tuple[Name, ...]] = {}
    dates: dict[str, Date] = {}
    extra: dict[str, str] = {}
    truncated: set[str] = set()
    from_parent: set[str] = set()
    source: dict[str, str] = {}  # text variable → the field it was read from
    for name, raw in fields.items():
        if not raw or name in _HANDLED:
            continue
        kind, var = _classify(name)
        if kind == "name" and var is not None:
            parsed = parse_names(raw)
            if parsed.problems:
                ctx.problems(name, parsed.problems)
            if parsed.empty:
                ctx.emit(
                    "BC125",
                    f"{name}: {parsed.empty} empty name(s) between 'and's were dropped",
                    ctx.field_pos(name),
                )
            if parsed.names:
                names[var] = tuple(parsed.names)
                if parsed.truncated:
                    truncated.add(var)
            continue
        if kind == "date" and var is not None:
            d = _date(ctx, name, raw)
            if d is not None:
                dates[var] = d
            continue
        if kind == "extra":
            extra["bibtex:" + name] = raw
            if "$" in raw and len(_DOLLAR.findall(raw)) % 2:
                ctx.emit("BC113", f"{name}: unbalanced '$' (kept verbatim in extra)", ctx.field_pos(name))
            if name in unmapped:
                unmapped[name][1] += 1
            else:
                unmapped[name] = [ctx.field_pos(name), 1]
            continue
        if kind == "special":
            if name == "eprint" and (
                eprint_type in _ARXIV_WORDS or (not eprint_type and normalise_arxiv(raw))
            ):
                text["arxiv"] = " ".join(raw.split())  # as written: the writer relies on it
            elif name in ("primaryclass", "eprintclass") and eprint_type in ("arxiv", ""):
                text["arxiv-class"] = raw
            elif name not in PUBLISHER_LIKE:  # publisher-like fields are read after the loop
                extra["bibtex:" + name] = raw
            continue
        if kind == "raw-extra":
            extra[name] = raw  # a raw field that had to be renamed by the writer
            continue
        if kind == "foreign":
            value = _decode(ctx, name, raw, True)
            if value:
                extra[name] = value
            continue
        target = field_target(csl_type, name) if kind == "number" else var
        if target is not None:
            if target in VERBATIM_VARS and not name.startswith("csl-"):
                value = " ".join(raw.split())
            else:
                value = _decode(ctx, name, raw, target in NOCASE_VARS)
            if value:
                if target in text and name in inherited:
                    continue  # the entry's own field for this variable wins over the parent's
                if target in text and target not in from_parent:
                    other = source.get(target)
                    if (
                        other is not None
                        and name in preferred_fields(csl_type, target)
                        and (other not in preferred_fields(csl_type, target))
                    ):
                        # two fields for one variable: the one styles print for this type wins
                        # (@article: journal over booktitle), whatever their order in the entry
                        extra[f"bibtex:{other}"] = fields[other]
                        text[target] = value
                        source[target] = name
                    else:
                        extra[f"bibtex:{name}"] = raw
                else:
                    text[target] = value
                    source[target] = name
                    if name in inherited:
                        from_parent.add(target)
                    else:
                        from_parent.discard(target)
    # the subtitle joins the title, as BibLaTeX styles print it (pandoc and citation-js agree)
    raw = fields.get("subtitle", "")
    if raw:
        value = _decode(ctx, "subtitle", raw, True)
        if "title" in text and value:
            text["title"] = text["title"] + ": " + value
        elif value:
            text["title"] = value
    if fields.get("titleaddon"):
        extra["bibtex:titleaddon"] = fields["titleaddon"]
    # a volume of a multi-volume work: the main title is the title, the own title the volume's
    raw = fields.get("maintitle", "")
    if raw and etype in _IN_TYPES:
        extra["bibtex:maintitle"] = raw
    elif raw and "volume-title" not in text:
        main = _decode(ctx, "maintitle", raw, True)
        for part, sep in (("mainsubtitle", ": "), ("maintitleaddon", ". ")):
            if fields.get(part):
                main += sep + _decode(ctx, part, fields[part], True)
        if "title" in text:
            text["volume-title"] = text["title"]
        text["title"] = main
    for name in PUBLISHER_LIKE:
        raw = fields.get(name, "")
        if not raw:
            continue
        value = _decode(ctx, name, raw, False)
        if not value:
            continue
        if name == "howpublished" and value.startswith(("http://", "https://")) and "URL" not in text:
            text["URL"] = value
        elif "publisher" not in text:
            text["publisher"] = value
        else:
            extra[f"bibtex:{name}"] = raw
    if fields.get("date"):
        d = _date(ctx, "date", fields["date"])
        if d is not None:
            dates["issued"] = d
        for name in ("year", "month", "day"):
            if fields.get(name) and (d is None or d.start is None):
                extra[f"bibtex:{name}"] = fields[name]
    else:
        d = _year_date(ctx, fields)
        if d is not None:
            dates["issued"] = d
        elif fields.get("month", ""):
            extra["bibtex:month"] = fields["month"]
    if "language" not in text:
        language = langid_language(fields.get("langid"))
        if language:
            text["language"] = language  # the langid stays in extra: the writer restores it
    if eprint_type and eprint_type not in _ARXIV_WORDS:
        extra[f"bibtex:{'archiveprefix' if 'archiveprefix' in fields else 'eprinttype'}"] = (
            fields.get("archiveprefix") or fields.get("eprinttype") or ""
        )
    if BIBLATEX_TYPES.get(csl_type, "misc") != etype and etype in READ_TYPES and not fields.get("csl-type"):
        # the entry type CSL cannot tell apart (@collection vs @book): kept so BibLaTeX output restores it
        extra["bibtex:entrytype"] = etype
    # the four dicts were made for this record: handed over, not copied
    return Record.adopt(
        key,
        csl_type,
        text,
        names,
        dates,
        extra,
        frozenset(truncated),
        span or SourceSpan(ctx.file, *ctx.at(ctx.entry.offset)),
    )


@dataclass(slots=True)
class _Context:
    """What every block of a file needs: macros, and crossref/xdata targets with their fields.

    Read whole, the context is the file itself.  Streamed, it comes from a
    pre-scan (:func:`_prescan`) that keeps only ``@string`` entries and the
    entries some ``crossref``/``xdata`` names, so memory stays small.
    """

    macros: Macros = dataclass_field(default_factory=Macros)
    #: lower-cased key → (entry, expanded fields) of the first entry with that key
    parents: dict[str, tuple[Entry, dict[str, str]]] = dataclass_field(default_factory=dict)
    xdata: dict[str, dict[str, str]] = dataclass_field(default_factory=dict)
    #: ``id()`` of field dicts whose inheritance is already filled in
    resolved: set[int] = dataclass_field(default_factory=set)
    #: lower-cased key → (code, message) the pre-scan's inheritance found for that entry
    notes: dict[str, list[tuple[str, str]]] = dataclass_field(default_factory=dict)

    def __getstate__(self) -> tuple[Any, ...]:
        """Pickle without ``resolved``: ``id()`` values mean nothing in another process.

        Why: a public chunk plan (:mod:`bibconv.chunks`) carries the pre-scanned
        context to worker processes.  Only the parents' field dicts are ever
        resolved in a pre-scanned context, so the set is rebuilt from them.
        """
        parents_resolved = {id(f) for _, f in self.parents.values()} <= self.resolved
        return self.macros, self.parents, self.xdata, self.notes, parents_resolved

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.macros, self.parents, self.xdata, self.notes, parents_resolved = state
        self.resolved = {id(f) for _, f in self.parents.values()} if parents_resolved else set()


@dataclass(slots=True)
class _Facts:
    """Per block: keys (for BC106 across blocks) and unmapped fields (for one BC201 each)."""

    #: (lower key, key, line of the entry, line and column of the key)
    keys: list[tuple[str, str, int, int, int]] = dataclass_field(default_factory=list)
    #: field name → [line, column, entries]
    unmapped: dict[str, list[int]] = dataclass_field(default_factory=dict)
    blank: bool = True


def _inherit(
    entries: list[tuple[Entry, dict[str, str]]],
    context: _Context,
    emit: Callable[[Entry, str, str], None],
    resolved: set[int],
) -> dict[int, set[str]]:
    """Fill fields from ``crossref`` parents and ``xdata`` sets, child fields winning.

    ``resolved`` holds the ``id()`` of field dicts already filled in: the
    context's parents, and the entries done in this call.
    """
    parents, xdata = context.parents, context.xdata
    inherited: dict[int, set[str]] = {}

    def take(entry: Entry, fields: dict[str, str], k: str, v: str) -> None:
        if k not in fields:
            fields[k] = v
            inherited.setdefault(id(entry), set()).add(k)

    def inherit(entry: Entry, fields: dict[str, str], parent_entry: Entry, parent: dict[str, str]) -> None:
        mv_parent = parent_entry.type.startswith("mv")
        for k, v in parent.items():
            if k in ("crossref", "ids", "key", "xdata", "entrytype", "csl-type", "entrysubtype"):
                continue
            if k in ("title", "subtitle", "titleaddon") and (mv_parent or entry.type in _IN_TYPES):
                # BibLaTeX: a multi-volume parent's title is the main title;
                # any other parent's title is the book title of an "in" entry
                target = "main" + k if mv_parent else "book" + k
                take(entry, fields, target, v)
                continue
            take(entry, fields, k, v)

    def resolve(entry: Entry, fields: dict[str, str]) -> None:
        """Follow the crossref chain up iteratively, then fill it in from the top down.

        Iterative (a chain of thousands of entries must not exhaust Python's
        stack) and bounded by ``MAX_CROSSREF_DEPTH`` (BC123 where it stops).
        """
        path: list[tuple[Entry, dict[str, str]]] = []
        keys: list[str] = []
        top: tuple[Entry, dict[str, str]] | None = None  # an already resolved parent of the last
        cur: tuple[Entry, dict[str, str]] = (entry, fields)
        while id(cur[1]) not in resolved:
            path.append(cur)
            keys.append((cur[0].key or "").lower())
            parent_key = cur[1].get("crossref", "").strip()
            if not parent_key:
                break
            pk = parent_key.lower()
            if pk in keys:
                emit(cur[0], "BC112", f"crossref chain forms a cycle: {' → '.join((*keys, pk))}")
                break
            if pk not in parents:
                emit(cur[0], "BC111", f"crossref target {parent_key!r} is not in this file")
                break
            if len(path) >= MAX_CROSSREF_DEPTH:
                emit(
                    cur[0],
                    "BC123",
                    f"crossref chain is longer than {MAX_CROSSREF_DEPTH} entries; "
                    f"fields of {parent_key!r} and above were not inherited here",
                )
                break
            cur = parents[pk]
            if id(cur[1]) in resolved:
                top = cur
        for n in range(len(path) - 1, -1, -1):
            e, f = path[n]
            for xkey in [k.strip() for k in f.get("xdata", "").split(",") if k.strip()]:
                src = xdata.get(xkey.lower()) or (parents.get(xkey.lower()) or (None, None))[1]
                if src is None:
                    emit(e, "BC111", f"xdata {xkey!r} is not defined in this file")
                    continue
                for k, v in src.items():
                    take(e, f, k, v)
            above = path[n + 1] if n + 1 < len(path) else top
            if above is not None:
                inherit(e, f, *above)
            resolved.add(id(f))

    for entry, fields in entries:
        if "crossref" in fields or "xdata" in fields:
            resolve(entry, fields)
    return inherited


def _define_macros(lexed: Lexed, macros: Macros) -> None:
    for entry in lexed.entries:
        if entry.type == "string":
            for f in entry.fields:
                macros.define(f.name, f.parts, entry.offset)


def _expand(
    lexed: Lexed,
    text: str,
    macros: Macros,
    report: Callable[[str, str, int, str | None], None] | None,
) -> tuple[list[tuple[Entry, dict[str, str]]], dict[str, dict[str, str]]]:
    """Entries with macro-expanded fields (first value of a repeated field wins), and xdata sets."""
    entries: list[tuple[Entry, dict[str, str]]] = []
    xdata: dict[str, dict[str, str]] = {}
    for entry in lexed.entries:
        if entry.type in ("string", "preamble", "comment"):
            continue
        if entry.flat is not None:
            fields = entry.flat
        else:
            fields = {}
            for f in entry.fields:
                parts = f.parts
                if len(parts) == 1 and parts[0][0] == "text":
                    value = parts[0][1]
                else:
                    problems: list[tuple[str, str]] = []
                    value = macros.expand(parts, problems)
                    if report is not None:
                        for code, message in dict.fromkeys(problems):
                            report(code, message, field_offset(text, entry, f), entry.key)
                if f.name in fields:
                    if report is not None:
                        report(
                            "BC108",
                            f"field {f.name!r} appears twice; the first value was kept",
                            field_offset(text, entry, f),
                            entry.key,
                        )
                    continue
                fields[f.name] = value.strip()
        if entry.type == "xdata":
            if entry.key:
                xdata[entry.key.lower()] = fields
            continue
        entries.append((entry, fields))
    return entries, xdata


def read_bibtex(text: str, *, file: str | None = None) -> ReadResult:
    """Parse BibTeX/BibLaTeX text; see the module docstring for the pipeline.

    One function for both dialects: each reads the other's fields (a ``.bib``
    file often mixes them), so there is no dialect or option to choose.
    """
    result = ReadResult()
    diags = result.diagnostics
    if not text or text.isspace():  # not text.strip(): that copies the whole text
        diags.append(Diagnostic.make("BC005", "input is empty", file=file))
        return result
    lexed = lex(text)
    context = _Context()
    _define_macros(lexed, context.macros)
    chunk = _read_block(text, 1, file, context, lexed)
    fold = _Fold(file)
    result.records = chunk.records
    diags.extend(chunk.diagnostics)
    diags.extend(fold.fold(chunk))
    diags.extend(fold.finish())
    return result


def _read_block(
    text: str, first_line: int, file: str | None, context: _Context, lexed: Lexed | None = None
) -> ChunkResult:
    """Records of one block (or a whole file, when ``context`` came from the same text).

    A whole-file read passes its ``lexed`` text; then the block's own entries are
    the crossref targets.  A streamed block resolves against the pre-scanned context.
    """
    out = ChunkResult()
    diags = out.diagnostics
    facts = _Facts(blank=not text or text.isspace())
    out.facts = facts
    whole = lexed is not None
    if lexed is None:
        lexed = lex(text)
    # each pass below meets offsets in file order, so each gets its own LineIndex (counted forward)
    issue_lines = LineIndex(text, first_line)
    for issue in lexed.issues:
        line, col = issue_lines.position(issue.offset)
        diags.append(
            Diagnostic.make(issue.code, issue.message, file=file, line=line, column=col, record_id=issue.key)
        )
    report_lines = LineIndex(text, first_line)

    def report(code: str, message: str, offset: int, key: str | None) -> None:
        line, col = report_lines.position(offset)
        diags.append(Diagnostic.make(code, message, file=file, line=line, column=col, record_id=key))

    entries, xdata = _expand(lexed, text, context.macros, report)
    index = LineIndex(text, first_line)
    if whole:
        context.xdata = xdata
        for entry, fields in entries:
            if entry.key:
                context.parents.setdefault(entry.key.lower(), (entry, fields))

    emitted: set[tuple[str, str, str]] = set()

    def emit(entry: Entry, code: str, message: str) -> None:
        emitted.add(((entry.key or "").lower(), code, message))
        report(code, message, entry.offset, entry.key)

    inherited = _inherit(entries, context, emit, set(context.resolved))
    if context.notes:
        # a streamed block: what the pre-scan found about its parents is said here, once
        for entry, _ in entries:
            low = (entry.key or "").lower()
            for code, message in context.notes.get(low, ()):
                if (low, code, message) not in emitted:
                    emit(entry, code, message)
    unmapped: dict[str, list[int]] = {}
    for n, (entry, fields) in enumerate(entries, start=1):
        ctx = _Ctx(diags, file, index, text, entry)
        key = entry.key or f"entry{n}"
        span = SourceSpan(file, *index.position(entry.offset))
        key_line, key_col = index.position(entry.key_offset)
        try:
            record = entry_to_record(
                ctx, entry.type, key, fields, unmapped, frozenset(inherited.get(id(entry), ())), span
            )
        except (ValueError, RecursionError) as exc:  # a defensive net: never lose the rest of the file
            ctx.emit("BC117", f"entry could not be read: {exc}")
            continue
        if entry.key is None:
            record = record.evolve(id=make_key(record))
        else:
            facts.keys.append((entry.key.lower(), entry.key, span.line or 0, key_line, key_col))
        out.records.append(record)
    unmapped_lines = LineIndex(text, first_line)
    for name, (offset, count) in sorted(unmapped.items(), key=lambda item: item[1][0]):
        facts.unmapped[name] = [*unmapped_lines.position(offset), count]
    return out


class _Fold:
    """Checks across blocks: repeated keys (BC106) and one BC201 per unmapped field."""

    def __init__(self, file: str | None) -> None:
        self.file = file
        self.first_line: dict[str, int] = {}
        self.unmapped: dict[str, list[int]] = {}
        self.blank = True

    def fold(self, chunk: ChunkResult) -> list[Diagnostic]:
        facts: _Facts = chunk.facts
        self.blank = self.blank and facts.blank
        out: list[Diagnostic] = []
        first_line = self.first_line
        for low, key, line, key_line, key_col in facts.keys:
            seen = first_line.get(low)
            if seen is None:
                first_line[low] = line
                continue
            out.append(
                Diagnostic.make(
                    "BC106",
                    f"citation key {key!r} was already used on line {seen}; both entries were read",
                    file=self.file,
                    line=key_line,
                    column=key_col,
                    record_id=key,
                )
            )
        for name, (line, col, count) in facts.unmapped.items():
            if name in self.unmapped:
                self.unmapped[name][2] += count
            else:
                self.unmapped[name] = [line, col, count]
        return out

    def finish(self) -> list[Diagnostic]:
        if self.blank:
            return [Diagnostic.make("BC005", "input is empty", file=self.file)]
        return [
            Diagnostic.make(
                "BC201",
                f"field {name!r} has no CSL mapping; kept in extra as 'bibtex:{name}' "
                f"({plural(count, 'entry')})",
                file=self.file,
                line=line,
                column=col,
            )
            for name, (line, col, count) in sorted(self.unmapped.items())
        ]


# The pre-scan works on bytes (no decoding) with patterns that start with a
# literal, which the regex engine finds with a fast search; a leading ``^``
# (MULTILINE) or an IGNORECASE word would be tried at every position.
_STRING_START = re.compile(rb"@[ \t]*[sS][tT][rR][iI][nN][gG]\s*[{(]")
_TARGET = re.compile(rb"(?:crossref|xdata)\s*=\s*[{\"]?([^{}\"\n]*)", re.IGNORECASE)
#: Literal pieces of "crossref"/"xdata" in the spellings files use, and their offset in the
#: word; each hit is checked with _TARGET.
_TARGET_NEEDLES = ((b"ross", 1), (b"ROSS", 1), (b"data", 1), (b"Data", 1), (b"DATA", 1))
_HEAD = re.compile(rb"@[ \t]*[A-Za-z][\w-]*\s*[{(]\s*([^\s,={}()\"#%']+)")
_ENTRY_AT = re.compile(rb"@[ \t]*[A-Za-z]")
_ENTRY_OPEN = re.compile(rb"@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]")


def _line_start(buf: bytes, at: int) -> int | None:
    """Where the line of offset ``at`` starts, if only blanks precede ``at`` on it."""
    i = at
    while i > 0 and buf[i - 1] in (0x20, 0x09):
        i -= 1
    return i if i == 0 or buf[i - 1] == 0x0A else None


def _targets(buf: bytes) -> Iterator[str]:
    """The keys ``crossref``/``xdata`` fields name (lower-cased), found by literal search."""
    for needle, back in _TARGET_NEEDLES:
        find = buf.find
        i = find(needle)
        while i >= 0:
            start = i - back
            before = buf[start - 1 : start] if start > 0 else b""
            if start >= 0 and not (before.isalnum() or before == b"_"):
                m = _TARGET.match(buf, start)
                if m is not None:
                    value = m.group(1).decode("utf-8", "replace")
                    yield from (k.strip().lower() for k in value.split(",") if k.strip())
            i = find(needle, i + 1)


#: A line that opens an entry (``@type{`` or ``@type(`` after blanks), and any line
#: starting with ``@`` and a letter (what the lexer's lookahead counts).
_ENTRY_LINE = re.compile(rb"^[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]", re.M)
#: :data:`_ENTRY_LINE` anchored on the ``\n`` before the line (a match's start + 1 is the
#: line's start): the regex engine then jumps from one ``\n`` to the next instead of
#: trying ``^`` at every byte (four times faster on a large block).
_NL_ENTRY_LINE = re.compile(rb"\n[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]")
_AT_LINE = re.compile(rb"\n(?=[ \t]*@[ \t]*[A-Za-z])")
_BRACES = re.compile(rb"[{}]")


def _closes_within(buf: bytes, pos: int, depth: int) -> int | None:
    """:func:`bibconv.formats.bibtex.lexer.closes_within` on bytes: where braces ``depth`` deep at ``pos``
    close.

    -1 when they do not close before the lexer's lookahead limit
    (:data:`~bibconv.formats.bibtex.lexer.LOOKAHEAD_STARTS` further ``@`` lines); None
    when that limit lies beyond the buffer, so the answer needs more bytes.
    """
    limit = None
    for n, m in enumerate(_AT_LINE.finditer(buf, pos), start=1):
        if n == LOOKAHEAD_STARTS:
            limit = m.start()
            break
    for m in _BRACES.finditer(buf, pos, len(buf) if limit is None else limit):
        depth += 1 if m.group() == b"{" else -1
        if depth == 0:
            return m.end()
    return None if limit is None else -1


def cut_before_entry(buf: bytes) -> int:
    """Where a buffer may be cut for streaming: the last line start where the lexer starts an entry.

    ``buf`` starts where an entry starts (or at the file's start), so brace
    depth is followed forward from there exactly as the lexer follows it: a
    line opening ``@type{`` starts an entry when the entry before it has
    closed its braces, or when that entry's braces do not close within the
    lexer's lookahead (then the lexer recovers there, BC104).  A line inside a
    braced value that starts with ``@`` is never a boundary, whatever lines
    like it precede it; a line whose answer lies beyond the buffer ends the
    search.  0 when the buffer has no such line after its start.

    Why the counts are taken first, all at C level: a block holds thousands
    of entries, nearly all with balanced braces, and this runs on every block
    twice per streamed read.  A run of balanced entries at depth 0 are all
    boundaries, so the loop below jumps over such runs (:func:`bisect_left`
    on the entries whose braces do not balance) and follows depth only from
    an unbalanced one; the answer is the one a step-by-step walk gives.
    """
    starts = [m.start() + 1 for m in _NL_ENTRY_LINE.finditer(buf)]
    if not starts:
        return 0
    froms = [0, *starts[:-1]]
    count = buf.count
    deltas = list(
        map(int.__sub__, map(count, repeat(b"{"), froms, starts), map(count, repeat(b"}"), froms, starts))
    )
    unbalanced = [i for i, d in enumerate(deltas) if d]
    total = len(starts)
    last = 0
    depth = 0
    i = 0
    while i < total:
        if depth == 0:
            k = bisect_left(unbalanced, i)
            if k == len(unbalanced):
                return starts[-1]  # balanced to the end: every line left starts an entry
            j = unbalanced[k]
            if j > i:
                last = starts[j - 1]
                i = j
        start = starts[i]
        depth += deltas[i]
        i += 1
        if depth > 0:
            closes = _closes_within(buf, start, depth)
            if closes is None:
                break  # undecided until more of the file is read
            if closes >= 0:
                continue  # text inside a value of the open entry
        last, depth = start, 0  # the entry before closed (or is recovered): one starts here
    return last


def _cut_before_entry_walk(buf: bytes) -> int:
    """The step-by-step walk :func:`cut_before_entry` must agree with (kept for its tests)."""
    last = 0
    depth = 0
    pos = 0
    for m in _ENTRY_LINE.finditer(buf, 1):
        start = m.start()
        depth += buf.count(b"{", pos, start) - buf.count(b"}", pos, start)
        pos = start
        if depth > 0:
            closes = _closes_within(buf, start, depth)
            if closes is None:
                break
            if closes >= 0:
                continue
        last, depth = start, 0
    return last


def _window(buf: bytes, start: int) -> str:
    """The text of the entry starting at ``start``, up to the next entry start."""
    m = _ENTRY_AT.search(buf, start + 1)
    while m is not None and _line_start(buf, m.start()) is None:
        m = _ENTRY_AT.search(buf, m.start() + 1)
    end = _line_start(buf, m.start()) if m is not None else len(buf)
    return normalise_newlines(buf[start:end].decode("utf-8", "replace"), [])


def _prescan(source: BlockSource) -> _Context:
    """Macros and crossref/xdata targets of a file, for reading it in blocks.

    One pass keeps the ``@string`` entries and every entry whose key some
    ``crossref``/``xdata`` names (found before or in the same block); a second
    pass runs only for targets that came before the first reference to them.
    """
    context = _Context()
    targets: set[str] = set()
    kept: dict[str, str] = {}

    def keep(buf: bytes) -> None:
        for m in _HEAD.finditer(buf):
            low = m.group(1).decode("utf-8", "replace").lower()
            if low in targets and low not in kept:
                start = _line_start(buf, m.start())
                if start is not None:
                    kept[low] = _window(buf, start)

    for buf in source.raw_blocks(cut_before_entry, validate=True):
        for m in _STRING_START.finditer(buf):
            start = _line_start(buf, m.start())
            if start is not None:
                _define_macros(lex(_window(buf, start)), context.macros)
        targets.update(_targets(buf))
        if targets:
            keep(buf)
    if targets - kept.keys():
        for buf in source.raw_blocks(cut_before_entry):
            keep(buf)
    for window in kept.values():
        entries, xdata = _expand(lex(window), window, context.macros, None)
        context.xdata.update(xdata)
        for entry, fields in entries:
            if entry.key:
                context.parents.setdefault(entry.key.lower(), (entry, fields))

    # parents inherit from their own parents once, here; their diagnostics come
    # when their own block is read
    def note(entry: Entry, code: str, message: str) -> None:
        context.notes.setdefault((entry.key or "").lower(), []).append((code, message))

    _inherit(list(context.parents.values()), context, note, context.resolved)
    return context


class _BibtexPlan:
    """Reads a file in blocks (see :class:`bibconv.registry.StreamPlan`).

    Picklable (the context travels with each public chunk, :mod:`bibconv.chunks`).
    """

    #: where blocks end, so a chunk plan can name blocks by byte range
    cut = staticmethod(cut_before_entry)

    def __init__(self, source: BlockSource, file: str | None, reader_name: str = "bibtex") -> None:
        self.source, self.file = source, file
        #: named in BC121 when the file gives no record
        self.reader_name = reader_name
        self.context = _prescan(source)
        self._fold = _Fold(file)

    def jobs(self) -> Iterator[Block]:
        return self.source.blocks(cut_before_entry)

    def process(self, job: Block) -> ChunkResult:
        out = _read_block(job.text, job.first_line, self.file, self.context)
        out.diagnostics[:0] = job.diagnostics
        return out

    def fold(self, result: ChunkResult) -> list[Diagnostic]:
        return self._fold.fold(result)

    def finish(self) -> list[Diagnostic]:
        return self._fold.finish()


class BibtexReader(DeclaredReader):
    """Reads ``.bib`` files by BibTeX's rules (the default for ``.bib``)."""

    info: ClassVar[FormatInfo] = BIBTEX_INFO

    dialect: ClassVar[str] = "bibtex"
    Options: ClassVar[type[NoOptions]] = NoOptions

    def read(self, text: str, *, file: str | None = None, options: OptionsArg = None) -> ReadResult:
        """Parse the text; see :func:`read_bibtex`."""
        make_options(type(self), options)  # takes none: refuses any
        return read_bibtex(text, file=file)

    def plan(
        self,
        source: BlockSource,
        *,
        file: str | None = None,
        options: OptionsArg = None,
    ) -> _BibtexPlan:
        """Read ``source`` block by block, in flat memory (see :mod:`bibconv.stream`)."""
        make_options(type(self), options)
        return _BibtexPlan(source, file or source.file, self.name)


class BibLatexReader(BibtexReader):
    """Reads BibLaTeX ``.bib`` files (``date``, ``journaltitle``, ``@online`` …)."""

    info: ClassVar[FormatInfo] = BIBLATEX_INFO

    dialect: ClassVar[str] = "biblatex"
