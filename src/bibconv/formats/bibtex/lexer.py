"""The one BibTeX scanner: a linear, regex-driven lexer that never gives up on a file.

Why not bibtexparser: on the 10 MB corpus its parse alone takes longer than
citation-js's whole conversion, and it treats a brace-less ``@Comment`` line
as the start of a block that swallows the next entry.  This lexer finds every
line that starts with ``@`` in one regex pass, then parses each entry only
inside its own window (up to the next such line), so an unbalanced brace costs
one entry and never the rest of the file.

Output is raw: field values are lists of parts (literal text, macro names,
numbers) with offsets; macro expansion and LaTeX decoding happen later.

The reader calls :func:`lex`.  ``bibconv validate`` and ``bibconv format`` call
:func:`scan`, the same pass asked to keep exact source spans as well (each
entry's start and end, the key's offset, each field's name and raw value, the
``@comment`` blocks and the text between entries), so a finding of a source
rule and the reader's own diagnostics come from one reading of the file, and
``format`` copies an entry it does not rewrite byte for byte.  The spans cost
the reader nothing: it does not ask for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from bibconv.diagnostics import Diagnostic
from bibconv.textio import LineIndex

__all__ = [
    "LOOKAHEAD_STARTS",
    "Entry",
    "Field",
    "Issue",
    "Lexed",
    "RawEntry",
    "RawField",
    "Scan",
    "closes_within",
    "field_offset",
    "lex",
    "lookahead_limit",
    "scan",
]

_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z][\w-]*)\s*", re.MULTILINE)
# Entry starts are found as newlines followed by one (a literal first character
# the regex engine scans for quickly; ``^`` with MULTILINE is tried at every offset).
_LINE_THEN_ENTRY = re.compile(r"\n(?=[ \t]*@[ \t]*[A-Za-z])")
_KEY = re.compile(r"\s*([^\s,={}()\"#%']*)\s*")
_NAME = re.compile(r"\s*([^\s,={}()\"#%']+)\s*")
_WS = re.compile(r"\s*")
# The common case in one match: `name = {flat value},` (no nested braces).
_FAST = re.compile(r"\s*([^\s,={}()\"#%']+)\s*=\s*\{([^{}]*)\}\s*(?:,|(?=[})]))")
_FLAT_FIELD = r"\s*+([^\s,={}()\"#%']++)\s*+=\s*+\{([^{}]*+)\}\s*+,?+"
_FLAT_GROUP = _FLAT_FIELD.replace("(", "(?:").replace("(?:?:", "(?:").removesuffix(",?+")
#: A whole entry body of flat fields, each but the last followed by its comma (a missing
#: comma takes the general path, which reports it), checked in C before the Python-level parser runs.
_FLAT_BODY = re.compile("(?:" + _FLAT_GROUP + ",)*+(?:" + _FLAT_GROUP + r")?+\s*+\}")
_FLAT_FIELDS = re.compile(_FLAT_FIELD)
_BARE = re.compile(r"[^\s,#{}()\"=]+")


#: An entry still open at a line that starts with ``@`` continues past that line
#: (the line is text inside a value: an abstract mentioning ``@elonmusk``) when its
#: braces close before this many further such lines, as BibTeX and Biber follow
#: brace depth.  Otherwise the line starts a new entry and the open one is
#: reported (BC104), so one missing ``}`` still costs one entry, not the file.
LOOKAHEAD_STARTS = 8
_BRACE = re.compile(r"[{}]")


def lookahead_limit(text: str, pos: int) -> int:
    """The offset of the ``LOOKAHEAD_STARTS``-th line starting with ``@`` after the line at ``pos``."""
    for n, m in enumerate(_LINE_THEN_ENTRY.finditer(text, pos), start=1):
        if n == LOOKAHEAD_STARTS:
            return m.start()
    return len(text)


def closes_within(text: str, pos: int, depth: int) -> int:
    """Where braces open ``depth`` deep at ``pos`` (a line starting with ``@``) close.

    The offset just after the closing ``}``, or -1 when they do not close
    before :func:`lookahead_limit`.  The one rule the lexer (so the reader,
    validate and format) and the streaming cut share for "is this ``@`` line
    inside a value?".
    """
    for m in _BRACE.finditer(text, pos, lookahead_limit(text, pos)):
        depth += 1 if m.group() == "{" else -1
        if depth == 0:
            return m.end()
    return -1


@dataclass(slots=True)
class Issue:
    """A syntax problem at a text offset, turned into a Diagnostic by the reader."""

    code: str
    offset: int
    message: str
    key: str | None = None


@dataclass(slots=True)
class Field:
    """``name = part # part …``; each part is ("text"|"macro"|"number", value)."""

    name: str
    parts: list[tuple[str, str]]
    offset: int
    #: Offsets of the raw value (its delimiters included; ``a # {b}`` whole), for :func:`scan`.
    value_start: int = -1
    value_end: int = -1


@dataclass(slots=True)
class Entry:
    """One ``@type{key, …}`` block (or ``@string``/``@preamble``/``@comment``)."""

    type: str
    key: str | None
    fields: list[Field]
    offset: int
    key_offset: int
    #: Fast path: ``name → stripped value`` when every field is a flat braced value (no macros).
    flat: dict[str, str] | None = None


@dataclass(slots=True)
class Lexed:
    """Everything the lexer found, in file order."""

    entries: list[Entry] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


class RawField(NamedTuple):
    """``name = value`` in an entry, as :func:`scan` reports it; ``value`` is the raw text with delimiters.

    A named tuple (immutable, and twice as fast to build as a frozen dataclass:
    a large file has one per field).
    """

    name: str
    offset: int
    value: str
    value_offset: int


@dataclass(slots=True)
class RawEntry:
    """One ``@type{key, ...}`` block with its source span (also ``@string``, ``@preamble``, ``@comment``)."""

    kind: str
    start: int
    end: int
    key: str | None = None
    key_offset: int | None = None
    fields: list[RawField] = field(default_factory=list)
    #: The entry ran into the next entry or the end of file with a brace open (BC104).
    unterminated: bool = False
    #: ``@comment`` (or other ``@word``) not followed by a brace: text, not an entry (BC107).
    braceless: bool = False
    #: The lexer reported a problem inside the entry (BC108, BC126): ``format`` copies it unchanged.
    stray: bool = False


@dataclass(slots=True)
class Scan:
    """What :func:`scan` found: entries with spans in file order, and a line index built on first use."""

    text: str
    entries: list[RawEntry]
    #: (start, end) offsets of the text between entries, where BibTeX comments live.
    gaps: list[tuple[int, int]]
    _index: LineIndex | None = None

    @property
    def index(self) -> LineIndex:
        """Offset → line/column; built only when a finding needs a position."""
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index

    def line(self, offset: int) -> int:
        """1-based line of an offset."""
        return self.index.line(offset)

    def finding(
        self, code: str, message: str, offset: int, file: str | None, record_id: str | None = None
    ) -> Diagnostic:
        """A diagnostic placed at ``offset`` of the scanned text (what every source rule reports)."""
        line, col = self.index.position(offset)
        return Diagnostic.make(code, message, file=file, line=line, column=col, record_id=record_id)


def _braced(text: str, pos: int, end: int) -> int:
    """End offset (after the '}') of the group opening at ``pos``, or -1 if unclosed before ``end``."""
    depth = 0
    find_open, find_close = text.find, text.find
    i = pos
    while True:
        close = find_close("}", i, end)
        if close < 0:
            return -1
        opn = find_open("{", i, close)
        if opn >= 0:
            depth += 1
            i = opn + 1
            continue
        depth -= 1
        i = close + 1
        if depth == 0:
            return i


def _quoted(text: str, pos: int, end: int) -> int:
    """End offset after the closing '"' (at brace depth 0), or -1."""
    depth = 0
    i = pos + 1
    while i < end:
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == '"' and depth <= 0:
            return i + 1
        elif c == "\\":
            i += 1
        i += 1
    return -1


class _Body:
    """Parses one entry body inside its window; records issues instead of raising."""

    __slots__ = ("end", "issues", "key", "pos", "text", "value_end", "value_start")

    def __init__(self, text: str, pos: int, end: int, issues: list[Issue]) -> None:
        self.text, self.pos, self.end, self.issues = text, pos, end, issues
        self.key: str | None = None
        #: Span of the last value read (its first part's delimiter to its last part's).
        self.value_start = self.value_end = -1

    def issue(self, code: str, offset: int, message: str) -> None:
        self.issues.append(Issue(code, offset, message, self.key))

    def value(self) -> list[tuple[str, str]] | None:
        """``part (# part)*``; None when a part is malformed (the issue is recorded)."""
        text, end = self.text, self.end
        parts: list[tuple[str, str]] = []
        self.value_start = -1
        while True:
            self.pos = _WS.match(text, self.pos, end).end()  # type: ignore[union-attr]
            if self.pos >= end:
                self.issue("BC108", self.pos, "field value is missing")
                return None
            if self.value_start < 0:
                self.value_start = self.pos
            c = text[self.pos]
            if c == "{":
                stop = _braced(text, self.pos, end)
                if stop < 0:
                    self.issue("BC104", self.pos, "unbalanced braces: this value's '{' is never closed")
                    return None
                parts.append(("text", text[self.pos + 1 : stop - 1]))
                self.pos = stop
            elif c == '"':
                stop = _quoted(text, self.pos, end)
                if stop < 0:
                    self.issue("BC104", self.pos, "unterminated quoted value")
                    return None
                parts.append(("text", text[self.pos + 1 : stop - 1]))
                self.pos = stop
            else:
                m = _BARE.match(text, self.pos, end)
                if m is None:
                    self.issue("BC108", self.pos, f"unexpected {c!r} where a value should be")
                    return None
                word = m.group()
                parts.append(("number" if word.isdigit() else "macro", word))
                self.pos = m.end()
            self.value_end = self.pos
            self.pos = _WS.match(text, self.pos, end).end()  # type: ignore[union-attr]
            if self.pos < end and text[self.pos] == "#":
                self.pos += 1
                continue
            return parts

    def fields(self, closer: str) -> tuple[list[Field], bool]:
        """Fields up to the closing delimiter; the flag is False when the entry never closes."""
        text, end = self.text, self.end
        out: list[Field] = []
        fast = _FAST.match
        need_comma = False  # after a value read by the general path: ',' or the closer must follow
        while True:
            if need_comma:
                need_comma = False
                self.pos = _WS.match(text, self.pos, end).end()  # type: ignore[union-attr]
                if self.pos < end and text[self.pos] not in (",", closer):
                    # BibTeX stops reading the entry here ("expecting a ',' or a '}'");
                    # the field is still read, and the error says what BibTeX would lose
                    self.issue(
                        "BC126",
                        self.pos,
                        "missing ',' between two fields (BibTeX skips the rest of this entry)",
                    )
            fm = fast(text, self.pos, end)
            if fm is not None:
                name, value = fm.groups()
                out.append(
                    Field(name.lower(), [("text", value)], fm.start(1), fm.start(2) - 1, fm.end(2) + 1)
                )
                self.pos = fm.end()
                continue
            self.pos = _WS.match(text, self.pos, end).end()  # type: ignore[union-attr]
            if self.pos >= end:
                return out, False
            c = text[self.pos]
            if c == ",":
                self.pos += 1
                continue
            if c == closer:
                self.pos += 1
                return out, True
            m = _NAME.match(text, self.pos, end)
            if m is None or m.end() >= end or text[m.end()] != "=":
                self.issue("BC108", self.pos, "expected 'field = value'; skipped to the next field")
                if not self.skip_to_comma(closer):
                    return out, False
                continue
            name_at = m.start(1)
            self.pos = m.end() + 1
            parts = self.value()
            if parts is None:
                if not self.skip_to_comma(closer):
                    return out, False
                continue
            out.append(Field(m.group(1).lower(), parts, name_at, self.value_start, self.value_end))
            need_comma = True

    def skip_to_comma(self, closer: str) -> bool:
        """Recover after a bad field: skip balanced text to the next ',' or the closer."""
        text, end = self.text, self.end
        depth = 0
        i = self.pos
        while i < end:
            c = text[i]
            if c == "{":
                depth += 1
            elif c == "}":
                if depth == 0 and closer == "}":
                    self.pos = i
                    return True
                depth -= 1
            elif c == closer and depth == 0:
                self.pos = i
                return True
            elif c == "," and depth == 0:
                self.pos = i + 1
                return True
            i += 1
        self.pos = end
        return False


def _depth(text: str, start: int, end: int) -> int:
    """Brace depth at ``end`` of an entry whose opening ``{`` is at ``start``."""
    return text.count("{", start, end) - text.count("}", start, end)


def field_offset(text: str, entry: Entry, fld: Field) -> int:
    """The offset of a field's name (computed lazily for fast-path fields)."""
    if fld.offset >= 0:
        return fld.offset
    m = re.compile(r"[\s,]" + re.escape(fld.name) + r"\s*=", re.IGNORECASE).search(text, entry.key_offset)
    return m.start() + 1 if m else entry.offset


def lex(text: str) -> Lexed:
    """Split ``text`` into entries; every problem becomes an :class:`Issue`."""
    return _lex(text, None)


def scan(text: str) -> Scan:
    """Every entry of a BibTeX/BibLaTeX file with its source span, for validate and format.

    The same pass as :func:`lex` (so the entries, keys and recovery are the
    reader's), also keeping where each entry, key and field is; text the
    reader skips (comments, text between entries) is a gap.
    """
    raw: list[RawEntry] = []
    _lex(text, raw)
    gaps: list[tuple[int, int]] = []
    pos = 0
    for e in raw:
        gaps.append((pos, e.start))
        pos = e.end
    if pos < len(text):
        gaps.append((pos, len(text)))
    return Scan(text=text, entries=raw, gaps=gaps)


def _raw_fields(text: str, fields: list[Field]) -> list[RawField]:
    return [RawField(f.name, f.offset, text[f.value_start : f.value_end], f.value_start) for f in fields]


def _open_end(text: str, window_end: int) -> int:
    """Where an entry still open at ``window_end`` (a line starting with ``@``, or the end) ends.

    Before that line's newline, which belongs to the text between entries.
    """
    if window_end < len(text) and window_end > 0 and text[window_end - 1] == "\n":
        return window_end - 1
    return window_end


def _lex(text: str, raw: list[RawEntry] | None) -> Lexed:
    """:func:`lex`, or with ``raw`` a list, :func:`scan`'s pass filling it with spans.

    One pass and one set of rules for both; in the scan's pass the reader's
    values of flat entries are not built (nobody asks for them).
    """
    out = Lexed()
    match = _START.match
    first = match(text, 0)
    starts = [first] if first is not None else []
    starts.extend([match(text, nl.end()) for nl in _LINE_THEN_ENTRY.finditer(text)])  # type: ignore[misc]
    n = -1
    while n + 1 < len(starts):
        n += 1
        m = starts[n]
        window_end = starts[n + 1].start() if n + 1 < len(starts) else len(text)
        etype = m.group(1).lower()
        pos = m.end()
        # the "@" itself, after any blanks that start its line
        at = text.find("@", m.start()) if raw is not None else m.start()
        opener = text[pos] if pos < window_end else ""
        if opener not in ("{", "("):
            line_end = text.find("\n", m.start())
            shown = text[m.start() : line_end if line_end >= 0 else len(text)].strip()
            out.issues.append(Issue("BC107", m.start(), f"text outside an entry was ignored: {shown[:60]!r}"))
            if raw is not None:
                eol = text.find("\n", at)
                raw.append(RawEntry(etype, at, len(text) if eol < 0 else eol, braceless=True))
            continue
        closer = "}" if opener == "{" else ")"
        pos += 1
        body = _Body(text, pos, window_end, out.issues)
        if etype in ("comment", "preamble") and raw is not None:
            # the span of a block the scan does not read inside: up to its matching delimiter
            stop = (
                _braced(text, pos - 1, window_end) if closer == "}" else text.find(")", pos, window_end) + 1
            )
            end = stop if stop > 0 else _open_end(text, window_end)
            raw.append(RawEntry(etype, at, end, unterminated=stop <= 0))
        if etype == "comment":
            continue
        if etype == "preamble":
            parts = body.value()
            out.entries.append(Entry("preamble", None, [Field("preamble", parts or [], pos)], m.start(), pos))
            continue
        if etype == "string":
            issues_before = len(out.issues)
            fields, closed = body.fields(closer)
            if raw is not None:
                stray = len(out.issues) > issues_before
                end = body.pos if closed else _open_end(text, window_end)
                raw.append(
                    RawEntry(
                        "string", at, end, None, None, _raw_fields(text, fields), not closed, False, stray
                    )
                )
            if not closed:
                out.issues.append(Issue("BC104", m.start(), "@string is not closed"))
            out.entries.append(Entry("string", None, fields, m.start(), pos))
            continue
        km = _KEY.match(text, pos, window_end)
        key_offset = pos
        key: str | None = None
        if km is not None:
            after = km.end()
            following = text[after] if after < window_end else ""
            if km.group(1) and following in (",", closer, ""):
                key = km.group(1)
                key_offset = km.start(1)
                body.pos = after + (1 if following == "," else 0)
            elif km.group(1) == "" and following == ",":
                body.pos = after + 1
        body.key = key
        body_start = body.pos
        if key is not None and closer == "}":
            flat = _FLAT_BODY.match(text, body.pos, window_end)
            if flat is not None and raw is not None:
                # group spans in one attribute read (``regs``), each field built without the named
                # tuple's Python-level __new__: a large file has 150 000 such fields
                new_field = tuple.__new__
                spans = [
                    new_field(RawField, (text[a:b].lower(), a, text[c - 1 : d + 1], c - 1))
                    for _, (a, b), (c, d) in (
                        f.regs for f in _FLAT_FIELDS.finditer(text, body.pos, flat.end())
                    )
                ]
                if len({f.name for f in spans}) == len(spans):  # as below: a repeated field is read in full
                    raw.append(RawEntry(etype, at, flat.end(), key, key_offset, spans))
                    continue
            elif flat is not None:
                # offsets of fast-path fields are found on demand (see field_offset)
                pairs = _FLAT_FIELDS.findall(text, body.pos, flat.end())
                values = {n.lower(): v.strip() for n, v in pairs}
                if len(values) == len(pairs):  # a repeated field takes the general path (BC108)
                    out.entries.append(Entry(etype, key, [], m.start(), key_offset, values))
                    continue
        if key is None:
            out.issues.append(Issue("BC105", key_offset, f"@{etype} entry has no citation key"))
        issues_before = len(out.issues)
        fields, closed = body.fields(closer)
        if not closed and closer == "}" and window_end < len(text):
            # open at the next "@" line: that line may be inside a value (see LOOKAHEAD_STARTS)
            depth = _depth(text, m.end(), window_end)
            stop = closes_within(text, window_end, depth) if depth > 0 else -1
            if stop > 0:
                while n + 1 < len(starts) and starts[n + 1].start() < stop:
                    n += 1
                window_end = starts[n + 1].start() if n + 1 < len(starts) else len(text)
                del out.issues[issues_before:]
                body = _Body(text, body_start, window_end, out.issues)
                body.key = key
                fields, closed = body.fields(closer)
        if raw is not None:
            # any problem inside the entry (BC108, BC126, BC104) leaves it as written in `format`
            stray = len(out.issues) > issues_before
            end = body.pos if closed else _open_end(text, window_end)
            raw.append(
                RawEntry(
                    etype,
                    at,
                    end,
                    key,
                    key_offset if key is not None else None,
                    _raw_fields(text, fields),
                    not closed,
                    False,
                    stray,
                )
            )
        if not closed:
            out.issues.append(
                Issue(
                    "BC104",
                    m.start(),
                    "unbalanced braces: the entry is not closed before the next entry; "
                    "its fields up to the problem were kept",
                    key,
                )
            )
        out.entries.append(Entry(etype, key, fields, m.start(), key_offset))
    return out
