"""CSL-JSON → records, accepting what citeproc-js accepts.

Leniency follows citeproc-js: string dates and ``raw``/``literal`` dates,
numbers where strings belong, names given as strings, variable names in any
case (``doi``), and a single object or an object keyed by id instead of a list
(with a warning).  The ``custom`` object carries bibconv's extension
identifiers (``arxiv``), the truncated-list flag and unmapped fields, so
CSL-JSON round-trips everything the IR holds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from bibconv.dates import parse_date
from bibconv.diagnostics import Diagnostic, Severity
from bibconv.formats.csljson import CSLJSON_INFO
from bibconv.ir import Date, Name, Record, SourceSpan
from bibconv.registry import (
    ChunkResult,
    DeclaredReader,
    FormatInfo,
    NoOptions,
    OptionsArg,
    ReadResult,
    make_options,
)
from bibconv.textio import LineIndex, replace_surrogates
from bibconv.vocab import DATE_VARS, EXTENSION_VARS, ITEM_TYPES, NAME_VARS, TEXT_VARS, canonical

if TYPE_CHECKING:
    from bibconv.blocks import Block, BlockSource

__all__ = ["CslJsonReader", "item_to_record"]

_TYPE_ALIASES = {
    "motion-picture": "motion_picture",
    "legal-case": "legal_case",
    "musical-score": "musical_score",
    "personal-communication": "personal_communication",
    "webpage ": "webpage",
    "journal-article": "article-journal",
}
#: A JSON escape of a UTF-16 surrogate: only items that hold one can decode to a lone surrogate.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
CUSTOM_KEYS = frozenset({"arxiv", "arxiv-class", "truncated"})


class _Ctx:
    """Per-item state for diagnostics.

    With ``source`` (the text, and the item's start and end offsets) a finding
    about a key is placed on the line and column of that key, not the item's.
    """

    __slots__ = ("current", "diags", "file", "key", "line", "source")

    def __init__(
        self,
        diags: list[Diagnostic],
        file: str | None,
        line: int | None,
        key: str | None,
        source: tuple[str, int, int] | None = None,
    ):
        self.diags, self.file, self.line, self.key = diags, file, line, key
        self.source = source
        #: the item key being read, whose position findings take
        self.current: str | None = None

    def warn(self, code: str, message: str, severity: Severity | None = None) -> None:
        line, column = self.line, None
        if self.source is not None and self.current is not None and line is not None:
            text, start, end = self.source
            at = text.find(json.dumps(self.current), start, end)
            if at >= 0:
                line += text.count("\n", start, at)
                column = at - text.rfind("\n", 0, at)
        self.diags.append(
            Diagnostic.make(
                code,
                message,
                severity=severity,
                file=self.file,
                line=line,
                column=column,
                record_id=self.key,
            )
        )


def _without_surrogates(value: Any) -> tuple[Any, int]:
    """``value`` with lone surrogates in every string (keys too) replaced by U+FFFD; and the count.

    Iterative (decoded JSON may nest deeply) and in place: the containers are
    the decoder's fresh objects.
    """
    count = 0

    def clean(text: str) -> str:
        nonlocal count
        fixed, n = replace_surrogates(text)
        count += n
        return fixed

    if isinstance(value, str):
        return clean(value), count
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for k in list(node):
                v = node[k]
                if isinstance(v, str):
                    v = clean(v)
                elif isinstance(v, (dict, list)):
                    stack.append(v)
                ck = clean(k)
                if ck != k:
                    del node[k]
                node[ck] = v
        elif isinstance(node, list):
            for i, v in enumerate(node):
                if isinstance(v, str):
                    node[i] = clean(v)
                elif isinstance(v, (dict, list)):
                    stack.append(v)
    return value, count


def _plain_name(value: Any) -> Name | None:
    """``{"family", "given"}``, ``{"family"}`` or ``{"literal"}`` with non-empty strings; else None.

    The shapes nearly every name has, decided without :func:`_name`'s
    general loop, which gives the same Name for them.
    """
    if type(value) is not dict or len(value) > 2:
        return None
    family, given = value.get("family"), value.get("given")
    if len(value) == 2:
        if type(family) is str and type(given) is str and family and given:
            return Name(family=family, given=given)
    elif type(family) is str and family:
        return Name(family=family)
    else:
        literal = value.get("literal")
        if type(literal) is str and literal:
            return Name(literal=literal)
    return None


def _name(value: Any, ctx: _Ctx, var: str) -> Name | None:
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        if "," in value:
            family, _, given = value.partition(",")
            return Name(family=family.strip() or None, given=given.strip() or None)
        return Name(literal=value)
    if not isinstance(value, Mapping):
        ctx.warn("BC118", f"a name in {var!r} is not an object; skipped value {value!r:.40}")
        return None
    fields: dict[str, Any] = {}
    for src, dst in (
        ("family", "family"),
        ("given", "given"),
        ("dropping-particle", "dropping_particle"),
        ("non-dropping-particle", "non_dropping_particle"),
        ("suffix", "suffix"),
        ("literal", "literal"),
    ):
        v = value.get(src)
        if v is not None and v != "":
            t = _name_part(v, ctx, var, src)
            if t:
                fields[dst] = t
    for flag, dst in (("comma-suffix", "comma_suffix"), ("static-ordering", "static_ordering")):
        v = value.get(flag)
        if v not in (None, False, 0, "", "false"):
            fields[dst] = True
    if "literal" in fields and ("family" in fields or "given" in fields):
        del fields["literal"]
    if not fields or set(fields) <= {"comma_suffix", "static_ordering"}:
        return None
    return Name(**fields)


def _plain_date(value: Any) -> Date | None:
    """``{"date-parts": [[y, m, d]]}`` with int parts, as most dates are written; else None.

    Gives what :func:`_date` gives for that shape (which it is then spared),
    and None for anything else, including seasons as pseudo-months and
    impossible dates, which :func:`_date` reports.
    """
    if type(value) is not dict or len(value) != 1:
        return None
    rows = value.get("date-parts")
    if type(rows) is not list or len(rows) != 1:
        return None
    row = rows[0]
    if type(row) is not list or not 1 <= len(row) <= 3:
        return None
    for x in row:
        if type(x) is not int:
            return None
    if len(row) >= 2 and not 1 <= row[1] <= 12:
        return None
    if len(row) == 3 and not 1 <= row[2] <= 31:
        return None
    start = tuple(row)
    date = _DATES_SEEN.get(start)
    if date is None:
        if len(_DATES_SEEN) >= 4096:
            _DATES_SEEN.clear()
        date = _DATES_SEEN[start] = Date(start=start)
    return date


#: Dates already made, by their one row: a bibliography has a few hundred distinct dates for
#: thousands of items (the jgrey corpus: 390 for 16,579), and a Date is immutable, so one
#: object serves them all.  Bounded; cleared when full.
_DATES_SEEN: dict[tuple[int, ...], Date] = {}


def _date(value: Any, ctx: _Ctx, var: str) -> Date | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value))
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        parsed = parse_date(value)
        if parsed is None:
            ctx.warn("BC202", f"date {var!r} {value!r} is not a date bibconv understands; kept as literal")
            return Date(literal=value)
        return parsed
    if not isinstance(value, Mapping):
        ctx.warn("BC118", f"date {var!r} has the wrong JSON type; skipped")
        return None
    season = value.get("season")
    season_n: int | None = None
    if season not in (None, ""):
        try:
            season_n = int(season)
        except (TypeError, ValueError):
            season_n = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}.get(
                str(season).lower()
            )
        if season_n is not None and not 1 <= season_n <= 4:
            season_n = season_n - 12 if 13 <= season_n <= 16 else None
    circa = value.get("circa") not in (None, False, 0, "", "false")
    literal = value.get("literal")
    literal = str(literal) if literal not in (None, "") else None
    rows = value.get("date-parts")
    parts: list[tuple[int, ...]] = []
    if rows is not None and not isinstance(rows, list):
        ctx.warn("BC118", f"date {var!r} has date-parts that are not a list; ignored: {rows!r:.40}")
    if isinstance(rows, list):
        if len(rows) > 2:
            ctx.warn(
                "BC118", f"date {var!r} has {len(rows)} date-parts rows; only the first two (a range) kept"
            )
        for row in rows[:2]:
            if not isinstance(row, list) or not row:
                ctx.warn(
                    "BC118", f"date {var!r} has a date-parts row that is not a list of numbers: {row!r:.40}"
                )
                continue
            if len(row) > 3:
                ctx.warn(
                    "BC118", f"date {var!r} has a date-parts row longer than year, month, day: {row!r:.60}"
                )
            try:
                nums = tuple(int(str(x).strip()) for x in row[:3] if str(x).strip() != "")
            except ValueError:
                ctx.warn("BC202", f"date {var!r} has non-numeric date-parts {row!r}")
                nums = ()
            if nums and len(nums) >= 2 and (13 <= nums[1] <= 16 or 21 <= nums[1] <= 24):
                # seasons as pseudo-months: 13–16 (citeproc-js) or 21–24 (EDTF, pandoc)
                season_n = season_n or (nums[1] - 12 if nums[1] <= 16 else nums[1] - 20)
                if len(nums) > 2:
                    ctx.warn(
                        "BC202",
                        f"date {var!r} has month {nums[1]} (a season) and a day {nums[2]}; "
                        "read as the season, the day was dropped",
                    )
                nums = nums[:1]
            elif len(nums) >= 2 and not 1 <= nums[1] <= 12:
                ctx.warn("BC202", f"date {var!r} has month {nums[1]}, not 1–12; kept as literal")
                literal = literal or json.dumps(rows, ensure_ascii=False)
                nums = ()
            if nums:
                parts.append(nums)
    raw = value.get("raw")
    if not parts and isinstance(raw, str) and raw.strip():
        parsed = parse_date(raw)
        if parsed is not None:
            return parsed
        literal = literal or raw.strip()
    try:
        if parts:
            return Date(
                start=parts[0],
                end=parts[1] if len(parts) > 1 else None,
                season=season_n,
                circa=circa,
                literal=literal,
            )
        if literal is not None:
            return Date(literal=literal, season=season_n, circa=circa)
    except ValueError as exc:
        ctx.warn("BC202", f"date {var!r} is impossible ({exc}); kept as literal")
        return Date(literal=json.dumps(value.get("date-parts")))
    if value:
        ctx.warn("BC118", f"date {var!r} has no year, literal or raw text bibconv can read; dropped")
    return None


def _text(value: Any, ctx: _Ctx, var: str) -> str | None:
    """A text variable's value; every coercion or drop but number → text is reported (BC118)."""
    if value is None:
        return None
    if isinstance(value, bool):
        ctx.warn("BC118", f"variable {var!r} is {str(value).lower()}, not text; dropped")
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, list) and all(type(v) in (str, int) for v in value):
        joined = ", ".join(str(v) for v in value)
        if joined.strip():
            ctx.warn("BC118", f"variable {var!r} is a list, not text; its items were joined with ', '")
            return joined
        if value:
            ctx.warn("BC118", f"variable {var!r} is a list of empty items; dropped")
        return None
    ctx.warn("BC118", f"variable {var!r} has the wrong JSON type; kept as JSON text")
    return json.dumps(value, ensure_ascii=False)


def _name_part(value: Any, ctx: _Ctx, var: str, part: str) -> str | None:
    """A name part (``family``, ``dropping-particle`` …) as text: never the repr of a container."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        if value is not None:
            ctx.warn("BC118", f"name part {part!r} in {var!r} is {str(value).lower()}, not text; dropped")
        return None
    if isinstance(value, (int, float)):
        ctx.warn("BC118", f"name part {part!r} in {var!r} is a number; read as text")
        return str(value)
    if isinstance(value, list) and all(type(v) is str for v in value):
        ctx.warn("BC118", f"name part {part!r} in {var!r} is a list; its items were joined with spaces")
        return " ".join(v.strip() for v in value if v.strip())
    ctx.warn("BC118", f"name part {part!r} in {var!r} has the wrong JSON type; kept as JSON text")
    return json.dumps(value, ensure_ascii=False)


_NAMES, _DATES, _TEXT, _OTHER = range(4)
_NONE_TRUNCATED: frozenset[str] = frozenset()


def _key_kind(raw_key: str) -> tuple[int, str]:
    """(what kind of variable, its CSL spelling) for an item's key."""
    var = canonical(raw_key)
    if var in NAME_VARS:
        return _NAMES, var
    if var in DATE_VARS:
        return _DATES, var
    if var in TEXT_VARS:
        return _TEXT, var
    return _OTHER, raw_key


# Keys already in CSL spelling, looked up once here rather than through
# canonical() for every key of every item (other spellings still are).
_KEY_KINDS: dict[str, tuple[int, str]] = {k: _key_kind(k) for k in NAME_VARS | DATE_VARS | TEXT_VARS}


def item_to_record(
    item: Mapping[str, Any],
    *,
    diagnostics: list[Diagnostic],
    file: str | None = None,
    line: int | None = None,
    column: int | None = None,
    fallback_id: str = "item",
    source: tuple[str, int, int] | None = None,
) -> Record:
    """One CSL-JSON object → a record; oddities become diagnostics.

    ``source`` (text, start, end of the item) lets findings name the line of a key.
    """
    raw_id = item.get("id")
    key = str(raw_id) if raw_id not in (None, "") else None
    ctx = _Ctx(diagnostics, file, line, key, source)
    if key is None:
        key = fallback_id
        ctx.key = key
        ctx.warn("BC103", f"item has no id; using {key!r}")
    type_ = str(item.get("type") or "").strip()
    type_ = _TYPE_ALIASES.get(type_, type_)
    if type_ not in ITEM_TYPES:
        ctx.warn("BC200", f"unknown item type {type_ or '(none)'!r}; using 'document'")
        type_ = "document"
    text: dict[str, str] = {}
    names: dict[str, tuple[Name, ...]] = {}
    dates: dict[str, Date] = {}
    extra: dict[str, str] = {}
    truncated: set[str] = set()
    key_kinds = _KEY_KINDS
    for raw_key, value in item.items():
        kind_var = key_kinds.get(raw_key)
        if kind_var is not None and kind_var[0] == _TEXT and type(value) is str:
            # the usual case, _text's answer for a string inline (it warns about nothing)
            if value and not value.isspace():  # value.strip() is not empty
                text[kind_var[1]] = value
            continue
        if raw_key in ("id", "type"):
            continue
        ctx.current = raw_key
        if raw_key == "custom":
            if type(value) is dict:  # the usual shape: string values under string keys
                for ck, cv in value.items():
                    if type(cv) is str and type(ck) is str and ck not in EXTENSION_VARS:
                        extra[ck] = cv
                    elif ck in EXTENSION_VARS and isinstance(cv, str) and cv:
                        text[ck] = cv
                    elif ck == "truncated" and isinstance(cv, list):
                        truncated.update(v for v in cv if v in NAME_VARS)
                    elif isinstance(cv, str):
                        extra[str(ck)] = cv
                    else:
                        extra[str(ck)] = json.dumps(cv, ensure_ascii=False)
                continue
            if not isinstance(value, Mapping):
                if value is not None:
                    ctx.warn("BC118", "'custom' is not an object; kept in extra as JSON text")
                    extra["csljson:custom"] = json.dumps(value, ensure_ascii=False)
                continue
            if isinstance(value, Mapping):
                for ck, cv in value.items():
                    if ck in EXTENSION_VARS and isinstance(cv, str) and cv:
                        text[ck] = cv
                    elif ck == "truncated" and isinstance(cv, list):
                        truncated.update(v for v in cv if v in NAME_VARS)
                    elif isinstance(cv, str):
                        extra[str(ck)] = cv
                    else:
                        extra[str(ck)] = json.dumps(cv, ensure_ascii=False)
            continue
        kind, var = kind_var or _key_kind(raw_key)
        if kind == _TEXT:
            t = _text(value, ctx, var)
            if t is not None:
                text[var] = t
        elif kind == _NAMES:
            values = value if isinstance(value, list) else [value]
            parsed = tuple([n for v in values if (n := _plain_name(v) or _name(v, ctx, var)) is not None])
            if parsed:
                names[var] = names.get(var, ()) + parsed
        elif kind == _DATES:
            d = _plain_date(value) or _date(value, ctx, var)
            if d is not None:
                dates[var] = d
        else:
            t = _text(value, ctx, raw_key)
            if t is not None:
                ctx.warn("BC201", f"{raw_key!r} is not a CSL variable; kept in extra")
                extra[f"csljson:{raw_key}"] = t
    ctx.current = None
    if truncated:
        truncated &= names.keys()
    # the four dicts were made for this record: handed over, not copied
    return Record.adopt(
        key,
        type_,
        text,
        names,
        dates,
        extra,
        frozenset(truncated) if truncated else _NONE_TRUNCATED,
        SourceSpan(file, line, column),
    )


def _skip_ws(text: str, pos: int) -> int:
    """The first position from ``pos`` that is not JSON whitespace.

    A loop, not a regex match: between items there are a few blanks, for
    which the loop is the faster (measured).
    """
    n = len(text)
    while pos < n and text[pos] in " \t\n\r":
        pos += 1
    return pos


class CslJsonReader(DeclaredReader):
    """Reads a CSL-JSON array of items (``.json``)."""

    info: ClassVar[FormatInfo] = CSLJSON_INFO

    Options: ClassVar[type[NoOptions]] = NoOptions

    def read(self, text: str, *, file: str | None = None, options: OptionsArg = None) -> ReadResult:
        """Parse an array item by item, so each record knows its line."""
        make_options(type(self), options)  # takes none: refuses any
        return self._read(text, file)  # the caller may pause the collector: bibconv.bulk_allocation

    def plan(
        self, source: BlockSource, *, file: str | None = None, options: OptionsArg = None
    ) -> _CslJsonPlan:
        """Read ``source`` a block of items at a time, in flat memory (see :mod:`bibconv.stream`).

        Only a valid JSON array of objects is streamed; anything else (a
        syntax error, a single object, an item that is not an object, NUL
        bytes) raises :class:`bibconv.blocks.NotStreamable` and is read whole,
        so its diagnostics are exactly the whole read's.
        """
        make_options(type(self), options)  # takes none: refuses any
        return _CslJsonPlan(source, file or source.file)

    def single_pass(
        self, source: BlockSource, *, file: str | None = None, options: OptionsArg = None
    ) -> _SinglePass:
        """Read ``source`` in blocks in one pass, proving it valid as the blocks go by.

        For a caller in one process that can take back what it wrote (see
        :class:`bibconv.registry.SinglePassReader`): its jobs raise
        :class:`bibconv.blocks.NotStreamable` where :meth:`plan` would have
        refused the file before any block.
        """
        make_options(type(self), options)  # takes none: refuses any
        return _SinglePass(source, file or source.file)

    def _read(self, text: str, file: str | None) -> ReadResult:
        result = ReadResult()
        diags = result.diagnostics
        index = LineIndex(text)
        decoder = json.JSONDecoder()
        pos = _skip_ws(text, 0)
        if pos >= len(text):
            diags.append(Diagnostic.make("BC005", "input is empty", file=file))
            return result

        def json_error(exc: json.JSONDecodeError) -> None:
            diags.append(
                Diagnostic.make(
                    "BC100", f"invalid JSON: {exc.msg}", file=file, line=exc.lineno, column=exc.colno
                )
            )

        if text[pos] != "[":
            try:
                value, _ = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as exc:
                json_error(exc)
                return result
            except RecursionError:
                diags.append(
                    Diagnostic.make(
                        "BC120", "JSON nested too deeply", severity=Severity.ERROR, file=file, line=1
                    )
                )
                return result
            line, col = index.position(pos)
            items: list[tuple[Any, int]]
            if isinstance(value, dict) and ("type" in value or "id" in value):
                items = [(value, pos)]
                msg = "input is a single CSL-JSON object, not a list; read as one item"
            elif isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
                items = [({"id": k, **v} if "id" not in v else v, pos) for k, v in value.items()]
                msg = "input is an object keyed by id, not a list; read its values as items"
            else:
                diags.append(
                    Diagnostic.make(
                        "BC101", "CSL-JSON input must be a list of objects", file=file, line=line, column=col
                    )
                )
                return result
            diags.append(
                Diagnostic.make("BC101", msg, severity=Severity.WARNING, file=file, line=line, column=col)
            )
            self._convert(items, result, index, file)
            return result
        # Each item becomes a record as soon as it is decoded, so its JSON is
        # freed at once (less memory, faster on a large file); the items'
        # diagnostics still come after those about the JSON as a whole.
        item_diags: list[Diagnostic] = []
        escapes = _SURROGATE_ESCAPE.search(text) is not None
        n = 0
        pos = _skip_ws(text, pos + 1)
        if pos < len(text) and text[pos] == "]":
            pos += 1
        else:
            while True:
                try:
                    value, end = decoder.raw_decode(text, pos)
                except json.JSONDecodeError as exc:
                    json_error(exc)
                    break
                except RecursionError:
                    line, col = index.position(pos)
                    diags.append(
                        Diagnostic.make(
                            "BC120",
                            "JSON nested too deeply; the rest of the input was not read",
                            severity=Severity.ERROR,
                            file=file,
                            line=line,
                            column=col,
                        )
                    )
                    break
                n += 1
                self._convert_one(
                    n, value, pos, result.records, item_diags, index, file, (text, pos, end), escapes
                )
                pos = _skip_ws(text, end)
                if pos < len(text) and text[pos] == ",":
                    pos = _skip_ws(text, pos + 1)
                    continue
                if pos < len(text) and text[pos] == "]":
                    pos += 1
                    break
                line, col = index.position(min(pos, len(text)))
                diags.append(
                    Diagnostic.make(
                        "BC100", "invalid JSON: expected ',' or ']'", file=file, line=line, column=col
                    )
                )
                break
        rest = _skip_ws(text, pos)
        if rest < len(text) and not any(d.code == "BC100" for d in diags):
            line, col = index.position(rest)
            diags.append(
                Diagnostic.make(
                    "BC100", "invalid JSON: extra data after the list", file=file, line=line, column=col
                )
            )
        diags.extend(item_diags)
        return result

    @classmethod
    def _convert(
        cls, items: list[tuple[Any, int]], result: ReadResult, index: LineIndex, file: str | None
    ) -> None:
        for n, (item, offset) in enumerate(items, start=1):
            cls._convert_one(n, item, offset, result.records, result.diagnostics, index, file)

    @staticmethod
    def _convert_one(
        n: int,
        item: Any,
        offset: int,
        records: list[Record],
        diags: list[Diagnostic],
        index: LineIndex,
        file: str | None,
        source: tuple[str, int, int] | None = None,
        escapes: bool = True,
    ) -> None:
        """Item ``n`` (1-based), found at ``offset`` → a record, or a diagnostic.

        ``escapes`` False: the text of ``source`` holds no surrogate escape at
        all (one search of the whole text instead of one per item).
        """
        line, col = index.position(offset)
        if source is None or (
            escapes and _SURROGATE_ESCAPE.search(source[0], source[1], source[2]) is not None
        ):
            item, bad = _without_surrogates(item)
            if bad:
                diags.append(
                    Diagnostic.make(
                        "BC124",
                        f"item {n} holds {bad} lone surrogate escape(s) (\\udXXX without its pair), "
                        "which no encoding can write; replaced with U+FFFD",
                        file=file,
                        line=line,
                        column=col,
                        record_id=str(item.get("id")) if isinstance(item, dict) else None,
                    )
                )
        if not isinstance(item, dict):
            diags.append(
                Diagnostic.make(
                    "BC102", f"item {n} is not an object; skipped", file=file, line=line, column=col
                )
            )
            return
        try:
            records.append(
                item_to_record(
                    item,
                    diagnostics=diags,
                    file=file,
                    line=line,
                    column=col,
                    fallback_id=f"item{n}",
                    source=source,
                )
            )
        except (ValueError, TypeError, RecursionError) as exc:
            diags.append(
                Diagnostic.make(
                    "BC117", f"item {n} could not be read: {exc}", file=file, line=line, column=col
                )
            )


# -- reading in blocks ------------------------------------------------------------------

_DECODER = json.JSONDecoder()
#: How much text the single pass keeps ahead of the item it decodes (a longer item still reads).
_AHEAD = 1 << 16
#: A CR not followed by LF (an old Mac line end): decoding turns it into a line of its own.
_LONE_CR = re.compile("\r(?!\n)")


class _KnownCuts:
    """A :data:`bibconv.blocks.Cut` ending blocks at the byte offsets the pre-scan found.

    Why offsets and not a rule on the bytes: where an item of a JSON array
    ends depends on the nesting since the file's start, which a buffer alone
    does not tell.  ``BlockSource`` hands a cut each buffer from the previous
    cut on, so counting what was cut so far gives each buffer's place in the
    file.  One instance serves one pass (:attr:`_CslJsonPlan.cut` makes a new one).
    """

    __slots__ = ("_base", "_i", "_offsets")

    def __init__(self, offsets: list[int]) -> None:
        self._offsets = offsets
        self._base = 0
        self._i = 0

    def __call__(self, buf: bytes) -> int:
        end = self._base + len(buf)
        i, at = self._i, 0
        offsets = self._offsets
        while i < len(offsets) and offsets[i] <= end:
            at = offsets[i]
            i += 1
        if at <= self._base:
            return 0
        self._i = i
        size = at - self._base
        self._base = at
        return size


class _Scan:
    """The pre-scan of a CSL-JSON file: is it a valid array of objects, and where may it be cut.

    Reads the file once, in pieces, decoding each item with the C JSON
    decoder (the check that the whole read would find no syntax error, so
    streaming gives the same diagnostics) and noting, after the first item
    past each block's size, the next line start that follows an item's
    comma.  Blocks start at line starts, so a block's line numbers and
    columns are those of the whole file.  Memory: a block or so, unless the
    file has no line break between items (minified JSON), which is then
    read as one block.
    """

    def __init__(self, source: BlockSource, *, keep: bool = False) -> None:
        import codecs

        #: keep the decoded items and yield blocks of them (:meth:`walk`), in text as
        #: :func:`bibconv.textio.decode_utf8` gives it (no BOM, LF line ends)
        self.keep = keep
        self.values: list[tuple[Any, int, int]] = []
        self.before = 0  # items before the current block
        self.source = source
        self.limit = source.block_bytes
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.pieces = source.raw_blocks(len)  # every read is its own piece
        self.buf = ""
        self.eof = False
        self.cr = False  # the previous piece ended with CR
        self.base_bytes = 0  # byte offset of buf[0]
        self.base_line = 1  # line number of buf[0]
        #: byte offsets where blocks end, and each block's first line → items before it
        self.cuts: list[int] = []
        self.first_items: dict[int, int] = {1: 0}
        self.count = 0  # items read so far

    def fill(self) -> bool:
        """Append the next piece of text to the buffer; False at the end of the file."""
        from bibconv.blocks import NotStreamable

        if self.eof:
            return False
        data = next(self.pieces, None)
        try:
            text = self.decoder.decode(data or b"", final=data is None)
        except UnicodeDecodeError as exc:
            raise NotStreamable("not valid UTF-8") from exc
        if data is None:
            self.eof = True
        if self.cr and not text.startswith("\n"):
            raise NotStreamable("lone CR line ends are counted by the whole read")
        if "\r" in text:  # (a search in C; most files have no CR at all)
            cr = _LONE_CR.search(text)
            if cr is not None and (cr.end() < len(text) or self.eof):
                raise NotStreamable("lone CR line ends are counted by the whole read")
        self.cr = text.endswith("\r")
        if self.keep and "\r" in text:
            # CRLF → LF as decode_utf8 does (a lone CR was refused above); a CR ending the
            # piece waits for the LF that must start the next one
            text = text.replace("\r\n", "\n").removesuffix("\r")
            if not text:
                return True
        self.buf += text
        return bool(text) or not self.eof

    def skip_ws(self, pos: int) -> int:
        """The first non-blank position from ``pos`` (reading on as needed); len(buf) at the end."""
        while True:
            pos = _skip_ws(self.buf, pos)
            if pos < len(self.buf) or not self.fill():
                return pos

    def drop(self, pos: int, cut: bool, head: str | None = None) -> None:
        """Forget the buffer before ``pos`` (a line start when ``cut``: a block ends there).

        ``head``: that part of the buffer when the caller already has it (a block's text).
        """
        if head is None:
            head = self.buf[:pos]
        if not self.keep:  # the cut offsets are for re-reading the file (keep mode does not)
            self.base_bytes += len(head.encode("utf-8"))
        self.base_line += head.count("\n")
        self.buf = self.buf[pos:]
        if cut:
            self.cuts.append(self.base_bytes)
            self.first_items[self.base_line] = self.count

    def run(self) -> None:
        """The pre-scan: the whole file, keeping nothing but the cuts."""
        for _ in self.walk():
            pass

    def walk(self) -> Iterator[_DecodedBlock]:
        """Check the file item by item; in keep mode, yield each block with its decoded items."""
        from bibconv.blocks import NotStreamable

        self.fill()
        pos = 1 if self.buf.startswith("\ufeff") else 0
        if self.keep and pos:
            self.buf, pos = self.buf[1:], 0  # decode_utf8 drops the BOM (the cuts count its bytes)
        pos = self.skip_ws(pos)
        if pos >= len(self.buf) or self.buf[pos] != "[":
            raise NotStreamable("not a JSON array: read whole (its warnings name the shape)")
        pos = self.skip_ws(pos + 1)
        if pos < len(self.buf) and self.buf[pos] == "]":
            raise NotStreamable("an empty array is read whole")
        # the loop runs once per item of the file: the buffer and the decoder are locals (the
        # buffer is taken again after anything that changes it: fill, drop)
        buf, decode, limit = self.buf, _DECODER.raw_decode, self.limit
        while True:
            pos = _skip_ws(buf, pos)
            if len(buf) - pos < _AHEAD and not self.eof:
                # the next piece before the item runs into the buffer's end: a failed decode
                # there costs an exception that counts the lines of the whole buffer
                self.fill()
                pos = self.skip_ws(pos)  # (reads on while the rest is blank)
                buf = self.buf
            while True:
                try:
                    value, end = decode(buf, pos)
                    break
                except json.JSONDecodeError as exc:
                    if not self.fill():  # the item may go on in the next piece; else it is an error
                        raise NotStreamable("invalid JSON: read whole, for its diagnostics") from exc
                    buf = self.buf
                except RecursionError as exc:
                    raise NotStreamable("JSON nested too deeply") from exc
            if type(value) is not dict:
                raise NotStreamable("an item is not an object: read whole")
            self.count += 1
            if self.keep:
                self.values.append((value, pos, end))
            if end < len(buf) and buf[end] == ",":
                pos = end + 1  # the usual: the comma right after the item
            else:
                pos = self.skip_ws(end)
                buf = self.buf
                if pos >= len(buf):
                    raise NotStreamable("the array is not closed")
                if buf[pos] == "]":
                    if self.skip_ws(pos + 1) < len(self.buf):
                        raise NotStreamable("extra data after the array")
                    break
                if buf[pos] != ",":
                    raise NotStreamable("invalid JSON between items")
                pos += 1
            if pos >= limit:
                line_end = pos
                while line_end < len(buf) and buf[line_end] in " \t\r":
                    line_end += 1
                at_line_start = line_end < len(buf) and buf[line_end] == "\n"
                if self.keep:
                    if not at_line_start:
                        continue  # the block goes on (its text must stay whole)
                    block = self.block(line_end + 1)
                    yield block
                    self.drop(line_end + 1, True, block.text)
                else:
                    self.drop(line_end + 1 if at_line_start else pos, at_line_start)
                buf = self.buf
                pos = 0
        self.source.checked = True  # the whole file was decoded as UTF-8
        if self.keep:
            yield self.block(len(self.buf))

    def block(self, end: int) -> _DecodedBlock:
        """The block that ends at ``end`` of the buffer, with its items (keep mode)."""
        block = _DecodedBlock(self.buf[:end], self.base_line, self.before, self.values)
        self.values, self.before = [], self.count
        return block


@dataclass(frozen=True, slots=True)
class _DecodedBlock:
    """A block of a single pass: its text, first line, items before it, and its items decoded."""

    text: str
    first_line: int
    before: int
    items: list[tuple[Any, int, int]]


class _SinglePass:
    """Reads a CSL-JSON array in blocks in one pass, proving it valid as it goes.

    Why: :class:`_CslJsonPlan`'s pre-scan decodes every item once before the
    first block is read, and reading decodes it again: a tenth of a CSL-JSON
    conversion.  Here each item is decoded once, and a block goes out with its
    items.  The price: a file found invalid in its middle raises
    :class:`bibconv.blocks.NotStreamable` from :meth:`jobs` after earlier
    blocks were handed out, so only a caller that can discard what it wrote
    uses this plan (:func:`bibconv.stream.convert_stream` into a file or a
    buffer); it then reads the file whole, as :meth:`CslJsonReader.plan` would.
    One process only: the jobs hold decoded items and depend on the pass.
    """

    reader_name = "csljson"

    def __init__(self, source: BlockSource, file: str | None) -> None:
        self.source, self.file = source, file

    def jobs(self) -> Iterator[_DecodedBlock]:
        return _Scan(self.source, keep=True).walk()

    def process(self, job: _DecodedBlock) -> ChunkResult:
        out = ChunkResult()
        _read_items(job.text, job.first_line, job.before, self.file, out, job.items)
        return out

    def fold(self, result: ChunkResult) -> list[Diagnostic]:
        return []

    def finish(self) -> list[Diagnostic]:
        return []


class _CslJsonPlan:
    """Reads a valid CSL-JSON array in blocks of items (see :class:`bibconv.registry.StreamPlan`).

    Picklable: the pre-scan's cut offsets and item counts travel with a
    public chunk (:mod:`bibconv.chunks`), so a worker reads its block alone.
    """

    reader_name = "csljson"

    def __init__(self, source: BlockSource, file: str | None) -> None:
        self.source, self.file = source, file
        scan = _Scan(source)
        scan.run()
        self.offsets = scan.cuts
        #: a block's first line → how many items come before it (for ``item{n}`` ids and messages)
        self.first_items = scan.first_items

    @property
    def cut(self) -> _KnownCuts:
        """Where blocks end (a new cut for each pass over the file)."""
        return _KnownCuts(self.offsets)

    def jobs(self) -> Iterator[Block]:
        return self.source.blocks(self.cut)

    def process(self, job: Block) -> ChunkResult:
        out = ChunkResult()
        _read_items(job.text, job.first_line, self.first_items.get(job.first_line, 0), self.file, out)
        out.diagnostics[:0] = job.diagnostics
        return out

    def fold(self, result: ChunkResult) -> list[Diagnostic]:
        return []

    def finish(self) -> list[Diagnostic]:
        return []


def _read_items(
    text: str,
    first_line: int,
    before: int,
    file: str | None,
    out: ChunkResult,
    decoded: list[tuple[Any, int, int]] | None = None,
) -> None:
    """The items of one block (whole items, then ``,``; the first block opens, the last closes the array).

    ``before`` items came in earlier blocks, so item numbers (``item{n}`` ids,
    messages) are those of the whole file.  ``decoded``: the block's items as
    a single pass decoded them (value, start, end), so they are not decoded again.
    """
    index = LineIndex(text, first_line)
    escapes = _SURROGATE_ESCAPE.search(text) is not None
    if decoded is not None:
        records, diags = out.records, out.diagnostics
        for n, (value, start, end) in enumerate(decoded, start=before + 1):
            CslJsonReader._convert_one(
                n, value, start, records, diags, index, file, (text, start, end), escapes
            )
        return
    pos = _skip_ws(text, 0)
    if pos < len(text) and text[pos] == "[":
        pos = _skip_ws(text, pos + 1)
    n = before
    while pos < len(text) and text[pos] != "]":
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:  # the pre-scan found none: only if the file changed since
            line, col = index.position(exc.pos)
            out.diagnostics.append(
                Diagnostic.make("BC100", f"invalid JSON: {exc.msg}", file=file, line=line, column=col)
            )
            return
        n += 1
        CslJsonReader._convert_one(
            n, value, pos, out.records, out.diagnostics, index, file, (text, pos, end), escapes
        )
        pos = _skip_ws(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
