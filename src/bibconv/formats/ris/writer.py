"""Records → RIS that Zotero, EndNote and bibutils import as the right kind.

Output follows the RIS specification: ``TAG  - value`` lines, one ``AU`` per
person as ``Family, Given, Suffix``, ``ER  - `` closing each record, CRLF line
ends, a blank line between records.

The writer checks itself: after writing a record's tags it reads them back
with the reader's own code, and every variable that did not come back
exactly (a variable RIS has no tag for, a one-word organisation, a date
range with a season, a second ISBN...) is reported as lost (BC204): by
default the output is what Zotero and EndNote import, with no note of
bibconv's own.  With ``options['lossless']`` (``--lossless``) those values go
into one catch-all ``N1`` note holding them as CSL-JSON, prefixed
``bibconv-csl:``; other tools show that note as a note, bibconv's reader
applies it, so ``read(write(r, lossless)) == r`` for every record.

Reading every record back doubled the writer's cost, so most records are
decided without it (``_quick_lines``): the same lines are written, and a
variable is taken as coming back only where the reader's rule for its tag
visibly leaves the value alone; records the quick path is unsure of are
read back as before.  tests/test_ris_quick.py checks both ways agree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, ClassVar

from bibconv.diagnostics import Diagnostic
from bibconv.formats.csljson.writer import date_to_json, name_to_json
from bibconv.formats.ris import RIS_INFO
from bibconv.formats.ris.dialect import (
    CATCH_ALL_PREFIX,
    TagLine,
    build_record,
    keeps_doi,
    keeps_spacing,
    keeps_url,
)
from bibconv.formats.ris.mapping import (
    DA_ACCESSED,
    DATE_TAGS,
    KNOWN_TAGS,
    NAME_TAGS,
    READ_ALIASES,
    RIS_TO_CSL,
    TEXT_ROWS,
    ris_type,
    tag_for_name,
    tag_for_text,
)
from bibconv.formats.ris.values import format_date, format_name, parse_name, sn_variable
from bibconv.formats.tagged import mismatch
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
from bibconv.vocab import EXTENSION_VARS

__all__ = ["RisWriter", "record_lines"]

_TAG = re.compile(r"[A-Z][A-Z0-9]")  # what the reader accepts as a tag
_DATE_TAG = {var: tag for tag, var in DATE_TAGS.items()}
# Text variables in the order their tags are written (RIS order of habit).
_TEXT_ORDER: tuple[str, ...] = tuple(dict.fromkeys(r.var for r in TEXT_ROWS))
_NAME_ORDER = ("author", "editor", "collection-editor", "translator", "recipient")
# Same output as json.dumps(..., ensure_ascii=False, sort_keys=True), without
# building an encoder per record.
_CATCH_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _one_line(value: str) -> str:
    return " ".join(value.split())


# Tags written before the text variables, which none of them may take.
_PRE_USED = frozenset({"TY", "ID", "TI", "PY", "DA", "Y2"})


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
    used: set[str] = set(_PRE_USED)
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


def _catch_item(
    record: Record, *, text: Sequence[str], names: Sequence[str], dates: Sequence[str], same_type: bool
) -> dict[str, Any]:
    """:func:`~bibconv.formats.tagged.mismatch`'s object for variables known not to come back, built directly.

    Equal to what ``record_to_item`` gives for a record of just these
    variables less ``id`` (and ``type`` when it reads back), so the quick
    path skips building and validating that record.  Every extra comes
    back wrong (the reader makes only ``ris:`` extras, which the quick path
    refuses), and a read-back record has no truncated lists.
    """
    item: dict[str, Any] = {} if same_type else {"type": record.type}
    custom: dict[str, Any] = {}
    values = record.text
    for key in text:
        if key in EXTENSION_VARS:
            custom[key] = values[key]
        else:
            item[key] = values[key]
    for key in names:
        item[key] = [name_to_json(n) for n in record.names[key]]
    for key in dates:
        item[key] = date_to_json(record.dates[key])
    if record.truncated:
        custom["truncated"] = sorted(record.truncated)
    custom.update(record.extra)
    if not record.truncated:
        custom.pop("truncated", None)  # as mismatch does, even an extra of that name
    if custom:
        item["custom"] = custom
    return item


# How the quick path checks a text variable (see _quick_lines).
_PLAIN, _PAGE, _KEYWORD, _NOTE, _ISXN, _DOI, _URL = range(7)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What one RIS type writes, worked out once per type instead of once per record."""

    back_type: str  # the CSL type the RIS type reads back as
    names: tuple[tuple[str, str], ...]  # (name variable, tag), in writing order
    name_vars: frozenset[str]
    text_spec: dict[str, tuple[str, int]]  # text variable → (tag, how to check it), title aside
    text_rank: dict[str, int]  # text variable → its place in the writing order
    shared: frozenset[str]  # tags more than one variable may take (the first one written wins)


def _kind(var: str, tag: str) -> int:
    if var in ("page", "keyword", "note"):
        return {"page": _PAGE, "keyword": _KEYWORD, "note": _NOTE}[var]
    return {"SN": _ISXN, "DO": _DOI, "UR": _URL}.get(tag, _PLAIN)


@cache  # RIS types are a closed set (ris_type's values), so the cache stays small
def _plan(ris: str) -> _Plan:
    names = tuple((v, t) for v in _NAME_ORDER if (t := tag_for_name(v, ris)) is not None)
    # A tag _tags writes before the text variables is never written again for one.
    texts = [
        (v, t)
        for v in _TEXT_ORDER
        if v != "title" and (t := tag_for_text(v, ris)) is not None and t not in _PRE_USED
    ]
    tags = [t for _, t in texts]
    return _Plan(
        back_type=RIS_TO_CSL.get(ris, "document"),
        names=names,
        name_vars=frozenset(v for v, _ in names),
        text_spec={v: (t, _kind(v, t)) for v, t in texts},
        text_rank={v: n for n, (v, _) in enumerate(texts)},
        shared=frozenset(t for t in tags if tags.count(t) > 1 and t not in ("KW", "N1")),
    )


_DateKey = tuple[bool, Date | None, Date | None]
_DateLines = tuple[tuple[str, ...], tuple[str, ...]] | None


#: One record written: its lines, and its note about what RIS tags cannot carry exactly.
_Written = tuple[list[str], Diagnostic | None]


class _Memo:
    """Per-``write`` cache of date lines: a bibliography repeats its dates many times."""

    __slots__ = ("dates",)

    def __init__(self) -> None:
        self.dates: dict[_DateKey, _DateLines] = {}


def _name_line(name: Name) -> str | None:
    """The ``AU``-style value for ``name``, or None when the reader would not parse it back.

    The common person (family and given name, no particle or suffix) is
    decided by the rules of :func:`parse_name` directly: single-spaced parts
    without commas, and a family name of several words that does not start
    in lower case (which would be read as a particle).  Other names are
    parsed back.
    """
    family, given = name.family, name.given
    if (
        family
        and name.literal is None
        and name.non_dropping_particle is None
        and name.dropping_particle is None
        and name.suffix is None
        and not name.comma_suffix
        and not name.static_ordering
        and "," not in family
        and " ".join(family.split()) == family
        and not (" " in family and family[:1].islower())
    ):
        if given is None:
            return family + "," if " " in family else family
        if given and "," not in given and " ".join(given.split()) == given:
            return f"{family}, {given}"
    value = format_name(name).replace("\r", " ").replace("\n", " ")
    # The reader folds white space before parse_name, which folds it again itself.
    return value if value and parse_name(value) == name else None


def _date_lines(ris: str, issued: Date | None, accessed: Date | None) -> _DateLines:
    """The date lines and the date variables that do not come back, or None if unsure.

    Decided by reading the lines back with the reader's own code: a date's
    lines are read independently of every other tag, so reading them alone
    gives what reading the whole record would, and the answer can be cached.
    The RIS type matters only through ``DA_ACCESSED`` (whether ``DA`` is
    written, and whether the reader takes it as the access date), so the
    cache is keyed by that.
    """
    lines: list[tuple[str, str]] = []
    for var, date in (("issued", issued), ("accessed", accessed)):
        if date is None:
            continue
        year, full = format_date(date)
        if var == "issued":
            if year:
                lines.append(("PY", year))
            if full and ris not in DA_ACCESSED:
                lines.append(("DA", full))
        else:
            lines.append((_DATE_TAG[var], full or year))
    lines = [(t, v.replace("\r", " ").replace("\n", " ")) for t, v in lines]
    tags = [TagLine("TY", ris), *(TagLine(t, v) for t, v in lines)]
    back, _ = build_record(tags, [], fallback_id="-")
    wanted = {"issued": issued, "accessed": accessed}
    if back.text or back.names or back.extra or any(wanted.get(k) is None for k in back.dates):
        return None
    missed = tuple(k for k, d in wanted.items() if d is not None and back.dates.get(k) != d)
    return tuple(f"{t}  - {v}" for t, v in lines), missed


def _quick_lines(record: Record, ris: str, memo: _Memo) -> tuple[list[str], dict[str, Any]] | None:
    """(lines, catch-all object) decided without reading the lines back, or None.

    Produces exactly the lines of :func:`_tags` (formatted, ``TAG  - value``),
    and takes a variable as coming back only when the reader's rules for its
    tag leave the written value unchanged: single-spaced text (``_one_line``
    is a no-op and the reader's space folding too; Python's ``\\s`` and
    ``str.split`` agree on what white space is), notes without empty lines,
    a page range whose ends differ, a DOI without a resolver prefix, one
    URL, dates as the reader reads them alone.  A name the reader parses
    differently only puts its variable in the catch-all, since name lines
    touch nothing else.  Anything else (``ris:`` extras, which the reader
    merges with other tags; a value with odd spacing) answers None and the
    caller reads back as before.  tests/test_ris_quick.py checks that both
    ways agree.
    """
    plan = _plan(ris)
    rid = record.id
    if "\r" in rid or "\n" in rid:
        rid = rid.replace("\r", " ").replace("\n", " ")
    out = [f"TY  - {ris}", f"ID  - {rid}"]
    names = record.names
    missed_names: list[str] = []
    if names:
        for var, tag in plan.names:
            group = names.get(var)
            if group is None:
                continue
            exact = bool(group)  # an empty list is not written, so it does not come back
            for name in group:
                value = _name_line(name)
                if value is None:
                    exact = False
                    value = format_name(name).replace("\r", " ").replace("\n", " ")
                out.append(f"{tag}  - {value}")
            if not exact:
                missed_names.append(var)
        missed_names += [k for k in names if k not in plan.name_vars]
    text = record.text
    title = text.get("title")
    if title is not None:
        if " ".join(title.split()) != title:
            return None
        out.append(f"TI  - {title}")
    dates = record.dates
    missed_dates: Sequence[str] = ()
    if dates:
        issued = dates.get("issued")
        accessed = dates.get("accessed")
        if issued is not None or accessed is not None:
            # Dates read the same in every type but for DA_ACCESSED (see _date_lines).
            key = (ris in DA_ACCESSED, issued, accessed)
            try:
                found = memo.dates[key]
            except KeyError:
                found = memo.dates[key] = _date_lines(ris, issued, accessed)
            if found is None:
                return None
            out += found[0]
            missed_dates = found[1]
        if len(dates) > (issued is not None) + (accessed is not None):
            missed_dates = [*missed_dates, *(k for k in dates if k not in ("issued", "accessed"))]
    spec = plan.text_spec
    todo = [k for k in text if k in spec]
    if len(todo) > 1:
        todo.sort(key=plan.text_rank.__getitem__)
    skipped: list[str] = []
    used: set[str] = set()
    for var in todo:
        value = text[var]
        tag, kind = spec[var]
        if kind == _PLAIN:
            if " ".join(value.split()) != value:
                return None
            out.append(f"{tag}  - {value}")
            continue
        if tag in plan.shared:
            if tag in used or (kind == _ISXN and sn_variable(value, ris) != var):
                skipped.append(var)
                continue
            used.add(tag)
        elif kind == _ISXN and sn_variable(value, ris) != var:
            skipped.append(var)
            continue
        if kind == _PAGE:
            pages = _page_tags(value)
            if not keeps_spacing(value) or (len(pages) == 2 and pages[0][1] == pages[1][1]):
                return None  # "5-5" reads back as "5"
            out += [f"{t}  - {v}" for t, v in pages]
        elif kind == _KEYWORD:
            if not keeps_spacing(value):
                return None
            out += [f"{t}  - {v}" for t, v in _keyword_tags(value)]
        elif kind == _NOTE:
            parts = value.split("\n")
            if "\r" in value or not all(parts) or any(p.startswith(CATCH_ALL_PREFIX) for p in parts):
                return None
            out += [f"N1  - {p}" for p in parts]
        else:
            if " ".join(value.split()) != value:
                return None
            if (kind == _DOI and not keeps_doi(value)) or (kind == _URL and not keeps_url(value)):
                return None
            out.append(f"{tag}  - {value}")
    extra = record.extra
    for k in extra:
        if k.startswith("ris:"):
            return None
    missed_text = [k for k in text if k not in spec and k != "title"]
    item = _catch_item(
        record,
        text=missed_text + skipped if skipped else missed_text,
        names=missed_names,
        dates=missed_dates,
        same_type=plan.back_type == record.type,
    )
    return out, item


def _record(record: Record, *, catch_all: bool, quick: bool, memo: _Memo) -> tuple[list[str], dict[str, Any]]:
    """(lines with the catch-all note when one is wanted, the catch-all object)."""
    ris = ris_type(record.type)
    found = _quick_lines(record, ris, memo) if quick else None
    unset: list[str] = []
    if found is not None:
        lines, item = found
    else:
        tags = _tags(record, ris)
        back, _ = build_record([TagLine(t, v) for t, v in tags], [], fallback_id=record.id)
        item, unset = mismatch(record, back, with_id=False)
        lines = [f"{t}  - {v}" for t, v in tags]
    if catch_all and (item or unset):
        note = {**item, "unset": unset} if unset else item
        lines.append("N1  - " + CATCH_ALL_PREFIX + _CATCH_ENCODE(note))
    return lines, item


def record_lines(
    record: Record, *, catch_all: bool = True, quick: bool = True, memo: _Memo | None = None
) -> tuple[list[tuple[str, str]], list[str]]:
    """(tag lines, names of variables that needed the catch-all) for one record.

    ``quick=False`` always reads the lines back (the reference the quick
    path is tested against).
    """
    lines, item = _record(record, catch_all=catch_all, quick=quick, memo=memo or _Memo())
    caught = sorted(k for k in item if k != "custom") + sorted(item.get("custom", {}))
    return [(line[:2], line[6:]) for line in lines], caught  # every tag has two characters


@dataclass(frozen=True, slots=True, kw_only=True)
class RisOptions(Options):
    """The RIS writer's options."""

    lossless: bool = field(
        default=False,
        metadata={"help": "keep what RIS has no tag for in an 'N1 - bibconv-csl:' note bibconv reads back"},
    )
    newline: str = field(default="\r\n", metadata={"help": "the line end (RIS files use CRLF)"})


class RisWriter(DeclaredWriter):
    """Writes RIS with CRLF line ends, one tag per line."""

    info: ClassVar[FormatInfo] = RIS_INFO

    #: Variables with a RIS tag of their own; the rest go to the catch-all note.
    carries: ClassVar[frozenset[str]] = frozenset(
        set(NAME_TAGS.values()) | set(DATE_TAGS.values()) | {r.var for r in TEXT_ROWS}
    )
    catch_all: ClassVar[bool] = True
    #: The catch-all note is written only with ``options['lossless']`` (``--lossless``).
    catch_all_option: ClassVar[str] = "lossless"
    Options: ClassVar[type[RisOptions]] = RisOptions

    def write(self, records: Sequence[Record], *, options: OptionsArg = None) -> WriteResult:
        """Serialise; ``options['newline']`` (default CRLF) and ``options['lossless']`` (the note)."""
        records, renames = unique_ids(records)  # ids repeated in the input are renamed, as BibTeX keys are
        out = self.write_unique(records, options=options)
        return WriteResult(str(out), renames + out.diagnostics)

    def write_unique(
        self,
        records: Sequence[Record],
        *,
        options: OptionsArg = None,
        last: LastChunk[_Written] | None = None,
    ) -> WriteResult:
        """:meth:`write` for records whose ids are already unique (a stream's chunks).

        ``last``: the stream's memory of its last chunk, so a chunk written
        again with a few ids renamed makes only those records again.
        """
        opts: RisOptions = make_options(type(self), options)
        newline, catch_all = opts.newline, opts.lossless
        memo = _Memo()
        carries = self.carries
        code = "BC205" if catch_all else "BC204"
        how = "kept in the bibconv-csl note" if catch_all else "dropped"

        def one(record: Record) -> _Written:
            lines, item = _record(record, catch_all=catch_all, quick=True, memo=memo)
            # The caught variables RIS has a tag for (record_lines' list, filtered).
            native = [k for k in item if k != "custom" and (k in carries or k == "type")]
            custom = item.get("custom")
            if custom:
                native += [k for k in custom if k in carries or k == "type"]
            if not native:
                return lines, None
            native.sort()
            note = Diagnostic.make(
                code, f"RIS tags cannot carry the exact {', '.join(native)}; {how}", record_id=record.id
            )
            return lines, note

        made = last.make(records, one) if last is not None else [one(r) for r in records]
        out: list[str] = []
        diags: list[Diagnostic] = []
        for lines, note in made:
            out += lines
            out += ("ER  - ", "")  # and a blank line before the next record
            if note is not None:
                diags.append(note)
        return WriteResult(newline.join(out), diags)

    def stream(self, *, options: OptionsArg = None) -> RisStream:
        """Chunk by chunk, the same text as :meth:`write` (see :mod:`bibconv.stream`)."""
        return RisStream(self, make_options(type(self), options))


class RisStream:
    """RIS in pieces: records are independent, separated by one blank line."""

    head = tail = empty = ""
    #: ids are made unique across chunks by the stream driver (bibconv.stream), not per chunk
    renames_ids = False

    def __init__(self, writer: RisWriter, options: RisOptions) -> None:
        self.writer, self.options = writer, options
        self.sep = options.newline
        self._last: LastChunk[_Written] = LastChunk()

    def body(self, records: Sequence[Record]) -> WriteResult:
        """Exactly :meth:`RisWriter.write` of these records (their ids made unique by the stream driver)."""
        return self.writer.write_unique(records, options=self.options, last=self._last)
