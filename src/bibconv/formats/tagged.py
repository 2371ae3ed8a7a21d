"""The engine shared by line-tagged formats (Web of Science, MEDLINE, EndNote refer).

These formats differ in syntax (``AU Smith`` / ``AU  - Smith`` / ``%A Smith``),
in how a value continues on the next line and in how records end, but not in
kind: a record is a sequence of (tag, value) pairs.  A :class:`Dialect`
holds one format's syntax hooks and its two-way mapping table; this module
turns tag lines into records and records into tag lines for any dialect.

Exact round trips work as for RIS: the writer reads every record it wrote
back with the reader's own code, and whatever did not come back exactly
(a variable the format has no tag for, a date range, a citation key the
format cannot hold) goes into one catch-all note holding the exact values as
CSL-JSON, prefixed ``bibconv-csl:``.  Other tools show it as a note; bibconv
applies it, so ``read(write(r)) == r``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from bibconv.diagnostics import Diagnostic
from bibconv.formats.options import CatchAllOptions
from bibconv.ir import Date, Name, Record, SourceSpan
from bibconv.keys import make_key, settle_keys
from bibconv.registry import (
    DeclaredReader,
    DeclaredWriter,
    NoOptions,
    OptionsArg,
    ReadResult,
    WriteResult,
    make_options,
)
from bibconv.vocab import DATE_VARS, NAME_VARS, TEXT_VARS

__all__ = [
    "CATCH_ALL_PREFIX",
    "Builder",
    "Dialect",
    "Field",
    "Raw",
    "TaggedReader",
    "TaggedWriter",
    "apply_catch_all",
    "mismatch",
    "read_back_loss",
    "report_loss",
]

#: A note value starting with this holds the exact CSL values the tags could not carry.
CATCH_ALL_PREFIX = "bibconv-csl: "
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


@dataclass(slots=True)
class Field:
    """One tag and its value (continuation lines already joined), with its line."""

    tag: str
    value: str
    line: int = 0


@dataclass(slots=True)
class Raw:
    """One record's fields as scanned, with the line it starts on."""

    line: int
    fields: list[Field] = field(default_factory=list)


class FieldSink:
    """What a tagged record's builder keeps as it goes, and how it reports what has no home.

    Shared by the builders of every tagged reader (RIS's too): text variables
    (the first value wins), names, repeated tags, and ``extra`` under
    ``<namespace>:<tag>`` with one BC201 per tag.
    """

    def __init__(self, namespace: str, diags: list[Diagnostic], file: str | None, line: int) -> None:
        self.namespace = namespace
        self.diags = diags
        self.file = file
        self.line = line
        self.text: dict[str, str] = {}
        self.names: dict[str, list[Name]] = {}
        self.extra: dict[str, str] = {}
        self.multi: dict[str, list[str]] = {}
        self.reported: set[str] = set()

    def note(self, code: str, message: str, line: int) -> None:
        """A diagnostic at ``line`` of this record's file."""
        self.diags.append(Diagnostic.make(code, message, file=self.file, line=line or self.line))

    def keep_extra(self, tag: str, value: str, line: int, why: str) -> None:
        """Keep ``value`` under ``<namespace>:<tag>`` (several values joined by line breaks)."""
        key = f"{self.namespace}:{tag}"
        self.extra[key] = f"{self.extra[key]}\n{value}" if key in self.extra else value
        if key not in self.reported:
            self.reported.add(key)
            self.note("BC201", f"tag {tag} {why}; kept in extra as {key!r}", line)

    def set_text(self, var: str, value: str, tag: str, line: int) -> None:
        """The first value of a variable wins; a different repeat is kept in extra."""
        old = self.text.get(var)
        if old is None:
            self.text[var] = value
        elif old != value:
            self.keep_extra(tag, value, line, f"repeats {var} with another value")


class Builder(FieldSink):
    """One record being built from its fields; what has no home goes to ``extra``."""

    def __init__(self, dialect: Dialect, diags: list[Diagnostic], file: str | None, line: int) -> None:
        super().__init__(dialect.namespace, diags, file, line)
        self.d = dialect
        self.type = "document"
        self.dates: dict[str, Date] = {}
        self.id: str | None = None


class Dialect:
    """One tagged format: its syntax hooks and its two-way mapping table.

    Subclasses fill the class attributes (the table) and the syntax hooks;
    the value hooks have defaults that suit most fields.
    """

    #: Prefix of ``extra`` keys for tags without a CSL home (``wos:UT``).
    namespace: ClassVar[str]
    #: Tags read by :meth:`read_type` (written by :meth:`write_type`).
    type_tags: ClassVar[tuple[str, ...]]
    #: The tag holding the citation key, if the format has one.
    id_tag: ClassVar[str | None] = None
    #: The note tag that holds the catch-all.
    note_tag: ClassVar[str]
    #: (tag, CSL name variable); the writer uses the first tag of each variable.
    name_tags: ClassVar[tuple[tuple[str, str], ...]]
    #: (tag, CSL text variable); the writer uses the first tag of each variable.
    text_tags: ClassVar[tuple[tuple[str, str], ...]]
    #: Tags whose values are read by :meth:`read_dates` and written by :meth:`write_dates`.
    date_tags: ClassVar[frozenset[str]]
    #: Text tags that repeat to hold a list, and the separator of the joined CSL value.
    joins: ClassVar[Mapping[str, str]] = {}
    #: Tags derived from another tag (abbreviated author lists): skipped when that tag is present.
    derived: ClassVar[Mapping[str, str]] = {}
    #: Tags whose ``extra`` values the dialect's own hooks write (type tags are always).
    writes_own_extra: ClassVar[frozenset[str]] = frozenset()
    #: Tags that structure the file and can never be written from ``extra``.
    structural: ClassVar[frozenset[str]] = frozenset()

    # -- syntax ---------------------------------------------------------
    def scan(self, text: str, diags: list[Diagnostic], file: str | None) -> list[Raw]:
        """Lines → raw records; linear and never raises."""
        raise NotImplementedError

    def render(self, fields: Sequence[tuple[str, str]]) -> list[str]:
        """One record's fields as lines (without the record separator)."""
        raise NotImplementedError

    def document(self, records: Sequence[list[str]]) -> str:
        """Every record's lines as the whole file."""
        raise NotImplementedError

    def valid_tag(self, tag: str) -> bool:
        """True when ``tag`` can be written as a tag of this format."""
        raise NotImplementedError

    # -- values ---------------------------------------------------------
    def read_type(self, b: Builder, fields: Mapping[str, list[Field]]) -> None:
        """Set ``b.type`` from the type tags; unknown types are reported."""
        raise NotImplementedError

    def write_type(self, record: Record) -> list[tuple[str, str]]:
        """The type tags of ``record``."""
        raise NotImplementedError

    def parse_name(self, tag: str, value: str) -> Name | None:
        """A name tag's value → a name (None when it holds no name)."""
        from bibconv.formats.ris.values import parse_name

        return parse_name(value)

    def write_names(self, record: Record) -> list[tuple[str, str]]:
        """The name tags of ``record``."""
        from bibconv.formats.ris.values import format_name

        out: list[tuple[str, str]] = []
        for var, tag in self.name_out().items():
            out += [(tag, format_name(n)) for n in record.names.get(var, ())]
        return out

    def read_text(self, b: Builder, f: Field, var: str) -> None:
        """A text tag's value into ``b`` (hook for identifiers that need cleaning)."""
        if f.tag in self.joins:
            b.multi.setdefault(f.tag, []).append(f.value)
        else:
            b.set_text(var, f.value, f.tag, f.line)

    def write_text(self, record: Record, var: str, tag: str, value: str) -> list[tuple[str, str]]:
        """The tag lines of one text variable."""
        sep = self.joins.get(tag)
        if sep is not None:
            parts = value.split(sep)
            if len(parts) > 1 and all(p and p == p.strip() for p in parts):
                return [(tag, p) for p in parts]
        return [(tag, value)]

    def read_dates(self, b: Builder, fields: Mapping[str, list[Field]]) -> None:
        """Set ``b.dates`` from the date tags."""
        raise NotImplementedError

    def write_dates(self, record: Record) -> list[tuple[str, str]]:
        """The date tags of ``record``."""
        raise NotImplementedError

    def finish(self, b: Builder) -> None:
        """Last adjustments after every field was read (page ranges)."""

    # -- derived tables (computed once per class) -----------------------
    def name_out(self) -> dict[str, str]:
        """CSL name variable → the tag the writer uses."""
        out: dict[str, str] = {}
        for tag, var in self.name_tags:
            out.setdefault(var, tag)
        return out

    def text_out(self) -> dict[str, str]:
        """CSL text variable → the tag the writer uses."""
        out: dict[str, str] = {}
        for tag, var in self.text_tags:
            out.setdefault(var, tag)
        return out

    def carries(self) -> frozenset[str]:
        """The CSL variables with a tag of their own."""
        return frozenset(
            {v for _, v in self.name_tags} | {v for _, v in self.text_tags} | {"issued"} & DATE_VARS
        )


# ---------------------------------------------------------------- reading


def build_record(
    d: Dialect, fields: Sequence[Field], diags: list[Diagnostic], *, file: str | None, line: int
) -> tuple[Record, str | None]:
    """One record's fields → (record, the id it names, if any).  Never raises on values."""
    b = Builder(d, diags, file, line)
    by_tag: dict[str, list[Field]] = {}
    for f in fields:
        by_tag.setdefault(f.tag, []).append(f)
    d.read_type(b, by_tag)
    names = dict(d.name_tags)
    texts = dict(d.text_tags)
    catch: list[tuple[str, int]] = []
    for f in fields:
        tag, value = f.tag, f.value
        if tag in d.type_tags or tag in d.date_tags or not value:
            continue
        if tag == d.note_tag and value.startswith(CATCH_ALL_PREFIX):
            catch.append((value[len(CATCH_ALL_PREFIX) :], f.line))
            continue
        if tag == d.id_tag:
            if b.id is None:
                b.id = value
            else:
                b.keep_extra(tag, value, f.line, "repeats the record's key")
            continue
        primary = d.derived.get(tag)
        if primary is not None and primary in by_tag:
            continue
        if tag in names:
            name = d.parse_name(tag, value)
            if name is None:
                b.keep_extra(tag, value, f.line, "holds no name")
            else:
                b.names.setdefault(names[tag], []).append(name)
            continue
        if tag in texts:
            d.read_text(b, f, texts[tag])
            continue
        b.keep_extra(tag, value, f.line, "is not mapped")
    d.read_dates(b, by_tag)
    for tag, values in b.multi.items():
        b.set_text(texts[tag], d.joins[tag].join(values), tag, line)
    d.finish(b)
    record = Record(
        id=b.id or "ref",
        type=b.type,
        text=b.text,
        names={k: tuple(v) for k, v in b.names.items()},
        dates=b.dates,
        extra=b.extra,
        span=SourceSpan(file, line, 1),
    )
    given = b.id
    for blob, at in catch:
        record, given = apply_catch_all(record, given, blob, diags, file, at)
    return record, given


def apply_catch_all(
    record: Record, given: str | None, blob: str, diags: list[Diagnostic], file: str | None, line: int
) -> tuple[Record, str | None]:
    """Overlay the writer's catch-all (exact CSL values) on a record."""
    from bibconv.formats.csljson.reader import item_to_record

    try:
        item = json.loads(blob)
        if not isinstance(item, dict):
            raise ValueError("not an object")
        unset = item.pop("unset", [])
        if not isinstance(unset, list):
            raise ValueError("'unset' is not a list")
        new_id = item.pop("id", None)
        if new_id is not None and (not isinstance(new_id, str) or not new_id):
            raise ValueError("'id' is not a non-empty string")
        sub = item_to_record(
            {**item, "id": record.id, "type": item.get("type", record.type)},
            diagnostics=diags,
            file=file,
            line=line,
        )
    except (ValueError, TypeError) as exc:
        diags.append(
            Diagnostic.make(
                "BC135",
                f"bibconv catch-all note is damaged ({exc}); kept as a note",
                file=file,
                line=line,
                record_id=record.id,
            )
        )
        note = record.text.get("note")
        value = CATCH_ALL_PREFIX + blob
        return record.with_text({"note": f"{note}\n{value}" if note else value}), given
    record = overlay(record, item, sub, unset)
    if new_id is not None:
        record, given = record.evolve(id=new_id), new_id
    return record, given


def overlay(record: Record, item: Mapping[str, Any], sub: Record, unset: Iterable[str]) -> Record:
    """``record`` with a catch-all's exact values on top: ``sub`` (the catch-all ``item``
    read as CSL-JSON) replaces what it has, and the variables in ``unset`` (what the
    tags gave but the original record did not have) go.  The RIS reader's catch-all
    note is overlaid the same way."""
    gone = set(unset)
    text = {k: v for k, v in record.text.items() if k not in gone}
    names = {k: v for k, v in record.names.items() if k not in gone}
    dates = {k: v for k, v in record.dates.items() if k not in gone}
    extra = {k: v for k, v in record.extra.items() if k not in gone}
    text.update(sub.text)
    names.update(sub.names)
    dates.update(sub.dates)
    extra.update(sub.extra)
    custom = item.get("custom")
    truncated = record.truncated
    if isinstance(custom, dict) and isinstance(custom.get("truncated"), list):
        truncated = frozenset(v for v in custom["truncated"] if v in names)
    return record.evolve(type=sub.type, text=text, names=names, dates=dates, extra=extra, truncated=truncated)


def read_records(d: Dialect, text: str, file: str | None) -> ReadResult:
    """The whole reading pipeline for a dialect: scan, build, unique keys."""
    result = ReadResult()
    diags = result.diagnostics
    if not text or text.isspace():  # not text.strip(): that copies the whole text
        diags.append(Diagnostic.make("BC005", "input is empty", file=file))
        return result
    built: list[tuple[Record, str | None]] = []
    for raw in d.scan(text, diags, file):
        try:
            built.append(build_record(d, raw.fields, diags, file=file, line=raw.line))
        except (ValueError, TypeError) as exc:  # a value no CSL record can hold
            diags.append(
                Diagnostic.make("BC117", f"record could not be read: {exc}", file=file, line=raw.line)
            )
    result.records += settle_keys(built, diags, file, label="key")
    return result


class TaggedReader(DeclaredReader):
    """Base of the tagged readers: a subclass names its declaration (``info``) and its dialect."""

    Options: ClassVar[type[NoOptions]] = NoOptions
    dialect: ClassVar[Dialect]

    def read(self, text: str, *, file: str | None = None, options: OptionsArg = None) -> ReadResult:
        """Parse every record; problems become diagnostics."""
        make_options(type(self), options)  # takes none: refuses any
        return read_records(self.dialect, text, file)


# ---------------------------------------------------------------- writing


def _one_line(value: str) -> str:
    return value.replace("\r", " ").replace("\n", " ")


def record_fields(d: Dialect, record: Record) -> list[tuple[str, str]]:
    """The tag lines of ``record`` (without the catch-all), best effort."""
    out = d.write_type(record)
    if d.id_tag is not None:
        out.append((d.id_tag, record.id))
    out += d.write_names(record)
    out += d.write_dates(record)
    for var, tag in d.text_out().items():
        value = record.text.get(var)
        if value is not None:
            out += d.write_text(record, var, tag, value)
    prefix = d.namespace + ":"
    # Extras of mapped tags are written after the mapped values: the reader
    # takes the first value, so a kept second value comes back as extra again.
    own = set(d.type_tags) | d.writes_own_extra | d.structural | set(d.derived)
    for key, value in sorted(record.extra.items()):
        tag = key[len(prefix) :] if key.startswith(prefix) else ""
        skip = tag in own or tag in (d.id_tag, d.note_tag)
        if d.valid_tag(tag) and not skip:
            out += [(tag, v) for v in value.split("\n")]
    return [(t, _one_line(v)) for t, v in out if v.strip()]


def mismatch(record: Record, back: Record, with_id: bool) -> tuple[dict[str, Any], list[str]]:
    """What ``back`` got wrong: (exact values to keep, variables to unset).

    Every writer that reads its own output back to fill a catch-all (RIS, the
    tagged and XML formats) compares here, so they agree on what was lost;
    ``with_id`` keeps the id when the written key would not give it back.
    """
    from bibconv.formats.csljson.writer import record_to_item

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
    if not with_id:
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


def read_back_loss(
    record: Record, back: Record, given: str | None
) -> tuple[dict[str, Any] | None, list[str]]:
    """(what the catch-all must hold, or None; the variables it sets or unsets) for a read-back record.

    ``given`` is the key the written record reads back with (None: none, so
    one would be generated).  Every catch-all writer reads its own output
    back and asks this, so they agree on what a format loses.
    """
    with_id = (given if given is not None else make_key(record)) != record.id
    item, unset = mismatch(record, back, with_id)
    # A variable the output would add (a second ISSN read as ISBN, a tag kept as extra)
    # changes the record too: without the catch-all it must be in the loss report.
    caught = sorted(k for k in item if k not in ("custom", "id")) + sorted({*item.get("custom", {}), *unset})
    if not (item or unset):
        return None, caught
    return ({**item, "unset": unset} if unset else item), caught


def report_loss(
    diags: list[Diagnostic],
    what: str,
    caught: Sequence[str],
    carries: frozenset[str],
    *,
    catch_all: bool,
    kept_in: str,
    record_id: str,
) -> None:
    """BC205 (kept in the catch-all) or BC204 (dropped) for what the format's own fields lose.

    Only variables the format has a field for (or the type) are reported
    when the catch-all keeps them: the rest are expected to live there.
    """
    native = sorted({k for k in caught if k in carries or k == "type" or not catch_all})
    if native:
        how = f"kept in {kept_in}" if catch_all else "dropped"
        diags.append(
            Diagnostic.make(
                "BC205" if catch_all else "BC204",
                f"{what} cannot carry the exact {', '.join(native)}; {how}",
                record_id=record_id,
            )
        )


def record_lines(d: Dialect, record: Record, *, catch_all: bool) -> tuple[list[str], list[str]]:
    """(the record's lines, the variables only the catch-all carries).

    The lines are read back with the reader's own scanner and builder, so
    the catch-all holds exactly what the tags lose.
    """
    fields = record_fields(d, record)
    lines = d.render(fields)
    raws = d.scan("\n".join(lines) + "\n", [], None)
    found = [f for raw in raws for f in raw.fields]
    back, given = build_record(d, found, [], file=None, line=0)
    note, caught = read_back_loss(record, back, given)
    if catch_all and note is not None:
        lines = d.render([*fields, (d.note_tag, CATCH_ALL_PREFIX + _ENCODE(note))])
    return lines, caught


class TaggedWriter(DeclaredWriter):
    """Base of the tagged writers: a subclass names its declaration (``info``) and dialect."""

    carries: ClassVar[frozenset[str]]
    catch_all: ClassVar[bool] = True
    #: ``catch_all=False`` drops what the tags cannot carry (BC204 instead of BC205).
    catch_all_option: ClassVar[str] = "catch_all"
    Options: ClassVar[type[CatchAllOptions]] = CatchAllOptions
    dialect: ClassVar[Dialect]

    def write(self, records: Sequence[Record], *, options: OptionsArg = None) -> WriteResult:
        """Serialise; ``options['catch_all']=False`` drops what the tags cannot carry (BC204)."""
        from bibconv.keys import unique_ids

        opts: CatchAllOptions = make_options(type(self), options)
        catch_all = opts.catch_all
        records, diags = unique_ids(records)  # a repeated key is renamed (BC211), as in CSL-JSON and RIS
        out: list[list[str]] = []
        for record in records:
            lines, caught = record_lines(self.dialect, record, catch_all=catch_all)
            report_loss(
                diags,
                f"{self.name} tags",
                caught,
                self.carries,
                catch_all=catch_all,
                kept_in="the bibconv-csl note",
                record_id=record.id,
            )
            out.append(lines)
        return WriteResult(self.dialect.document(out), diags)


def all_carried() -> frozenset[str]:
    """Every CSL variable plus ``extra``/``truncated``: what a catch-all format keeps."""
    return NAME_VARS | DATE_VARS | TEXT_VARS | {"extra", "truncated"}
