"""A positional scan of BibTeX source: entries, fields and comments with offsets.

Why a second look at the raw text when a BibTeX reader exists?  The IR keeps
one line per record, but validation needs more: the line of every *field* (for
duplicate fields and suppression ranges), the span of every entry (an inline
``% bibconv: ignore`` applies to the entry that follows it), and the text
between entries (where those comments live).  The scan builds no values and
decodes no LaTeX; it only finds where things are.  It is regex-driven (jumping
from brace to brace) so a 10 MB file takes well under a second.

Recovery follows BibTeX practice: a line starting with ``@name{`` inside an
open brace ends the broken entry, so one missing ``}`` costs one entry, unless
the entry closes soon after (then the line is text in a value; the reader's rule,
:func:`bibconv.bibtex.lexer.closes_within`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from bibconv.bibtex.lexer import closes_within
from bibconv.diagnostics import Diagnostic
from bibconv.textio import LineIndex

__all__ = ["RawEntry", "RawField", "Scan", "scan"]

_AT = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t\n]*([{(]?)")
_BRACED = re.compile(r"[{}]|\n(?=[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(])")
_QUOTED = re.compile(r'[{}"]|\n(?=[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(])')
_WS = re.compile(r"[ \t\n]*")
_KEY = re.compile(r"[^,\s{}()]*")
# The common case in one match: `, name = {flat value}` not followed by "#".
_FLAT = re.compile(r"[\s,]*+([^\s=,{}()\"#%]++)[ \t\n]*+=[ \t\n]*+(\{[^{}]*+\})(?![ \t\n]*+#)")
# Separator, field name and "=" of one field; name and "=" are optional so the match never fails.
_HEAD = re.compile(r"[\s,]*(?:([^\s=,{}()\"#%]+)[ \t\n]*(=)?[ \t\n]*)?")
_BARE = re.compile(r"[^\s,{}()\"#]+")


class RawField(NamedTuple):
    """``name = value`` inside an entry; ``value`` is the raw text with delimiters.

    A named tuple (immutable, and twice as fast to build as a frozen dataclass:
    a large file has one per field).
    """

    name: str
    offset: int
    value: str
    value_offset: int


@dataclass(slots=True)
class RawEntry:
    """One ``@type{key, ...}`` block (also ``@string``, ``@preamble``, ``@comment``)."""

    kind: str
    start: int
    end: int
    key: str | None = None
    key_offset: int | None = None
    fields: list[RawField] = field(default_factory=list)
    #: The entry ran into the next ``@`` line or the end of file with a brace open.
    unterminated: bool = False
    #: ``@comment`` (or other ``@word``) not followed by a brace: text, not an entry.
    braceless: bool = False
    #: Text inside the entry that is neither a field nor a separator (a name without "=").
    stray: bool = False


@dataclass(slots=True)
class Scan:
    """The result of :func:`scan`: entries in file order, and a line index built on first use."""

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


def _skip_ws(text: str, pos: int) -> int:
    m = _WS.match(text, pos)
    return m.end() if m else pos


def _balanced(
    text: str, pos: int, pattern: re.Pattern[str], closer: str | None, outer: int | None = None
) -> tuple[int, bool]:
    """From just after an opening delimiter, the offset after the matching closer.

    ``closer`` is ``"}"`` for braces (depth counted from 1) or ``'"'`` for a
    quoted value (ends at a quote at depth 0).  Returns (end, ok); ok is False
    when a new entry line or the end of the text came first.  ``outer`` is the
    depth of the entry's own braces around the value (1 in ``@type{``): with it,
    a new entry line inside the value is text when the entry closes soon after,
    by the reader's rule (:func:`bibconv.bibtex.lexer.closes_within`).
    """
    depth = 1 if closer == "}" else 0
    for m in pattern.finditer(text, pos):
        c = m.group()
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if closer == "}" and depth == 0:
                return m.end(), True
            if depth < 0:
                return m.start(), False
        elif c == '"':
            if depth == 0:
                return m.end(), True
        else:  # a new "@type{" line while a brace is open: recover there, unless it is text
            if outer is not None and closes_within(text, m.start() + 1, depth + outer) > 0:
                continue
            return m.start(), False
    return len(text), False


def _value(text: str, pos: int, outer: int | None = None) -> tuple[int, bool]:
    """Parse one field value (parts joined by ``#``); returns (end, ok)."""
    ok = True
    while True:
        pos = _skip_ws(text, pos)
        if pos >= len(text):
            return pos, False
        c = text[pos]
        if c == "{":
            pos, part_ok = _balanced(text, pos + 1, _BRACED, "}", outer)
        elif c == '"':
            pos, part_ok = _balanced(text, pos + 1, _QUOTED, '"', outer)
        else:
            m = _BARE.match(text, pos)
            if not m or not m.group():
                return pos, False
            pos, part_ok = m.end(), True
        ok = ok and part_ok
        if not part_ok:
            return pos, False
        nxt = _skip_ws(text, pos)
        if nxt < len(text) and text[nxt] == "#":
            pos = nxt + 1
            continue
        return pos, ok


def _entry_body(text: str, entry: RawEntry, pos: int, close: str, has_key: bool = True) -> int:
    """Fill key and fields of an entry (``@string`` has no key); returns the offset after it.

    The loop is written for speed on the common shape ``name = {value},``:
    one regex finds the separator, the name and the ``=``, and a braced
    value is matched by jumping from brace to brace.
    """
    n = len(text)
    pos = _skip_ws(text, pos)
    m = _KEY.match(text, pos) if has_key else None
    if m and m.group():
        entry.key, entry.key_offset = m.group(), pos
        pos = m.end()
    fields = entry.fields
    head = _HEAD.match
    flat = _FLAT.match
    find = text.find
    # a field needs a ',' before it (after the key, or after the previous value);
    # without one BibTeX skips the rest of the entry, so it is not formatted (``stray``)
    need_comma = entry.key is not None
    while True:
        m = flat(text, pos)
        if m is not None:
            if need_comma and find(",", pos, m.start(1)) < 0:
                entry.stray = True
            need_comma = True
            fields.append(RawField(m.group(1).lower(), m.start(1), m.group(2), m.start(2)))
            pos = m.end()
            continue
        m = head(text, pos)
        assert m is not None  # every part of _HEAD is optional
        name = m.group(1)
        if name is not None and m.group(2) is not None and need_comma and find(",", pos, m.start(1)) < 0:
            entry.stray = True
        need_comma = True
        if name is None or m.group(2) is None:
            pos = m.start(1) if name is not None else m.end()
            if pos >= n:
                entry.unterminated = True
                return pos
            if name is None:
                if text[pos] == close:
                    return pos + 1
                # Junk where a field name should be: resync at the closer or the next entry.
                end, _ = _balanced(text, pos, _BRACED, "}")
                entry.unterminated = entry.stray = True
                return end
            # "name" without "=": BibTeX reports this; the reader owns the message.
            entry.stray = True
            pos = m.end(1)
            continue
        value_at = m.end()
        outer = 1 if close == "}" else None
        if value_at < n and text[value_at] == "{":
            end, ok = _balanced(text, value_at + 1, _BRACED, "}", outer)
            if ok:
                after = _skip_ws(text, end)
                if after < n and text[after] == "#":
                    end, ok = _value(text, value_at, outer)
        else:
            end, ok = _value(text, value_at, outer)
        fields.append(RawField(name.lower(), m.start(1), text[value_at:end], value_at))
        pos = end
        if not ok:
            entry.unterminated = True
            return pos


def scan(text: str) -> Scan:
    """Find every entry of a BibTeX/BibLaTeX file, with offsets."""
    entries: list[RawEntry] = []
    gaps: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos < n:
        at = text.find("@", pos)
        if at == -1:
            gaps.append((pos, n))
            break
        m = _AT.match(text, at)
        if not m:
            # A lone "@" in comment text.
            gaps.append((pos, at + 1))
            pos = at + 1
            continue
        gaps.append((pos, at))
        kind = m.group(1).lower()
        opener = m.group(2)
        entry = RawEntry(kind=kind, start=at, end=m.end())
        if not opener:
            entry.braceless = True
            eol = text.find("\n", at)
            entry.end = n if eol == -1 else eol
            entries.append(entry)
            pos = entry.end
            continue
        close = "}" if opener == "{" else ")"
        if kind in ("comment", "preamble", "string") and close == "}":
            if kind == "string":
                entry.end = _entry_body(text, entry, m.end(), close, has_key=False)
            else:
                end, ok = _balanced(text, m.end(), _BRACED, "}")
                entry.end, entry.unterminated = end, not ok
        else:
            entry.end = _entry_body(text, entry, m.end(), close)
        entries.append(entry)
        pos = max(entry.end, at + 1)
    return Scan(text=text, entries=entries, gaps=gaps)
