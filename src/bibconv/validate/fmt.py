"""Normalise BibTeX source text: the engine behind ``bibconv format``.

The formatter works on the raw text, not through the IR: every byte of every
value stays as written (no LaTeX decoding or re-encoding), comments and text
between entries stay where they are, and only layout changes:

* entry types and field names in lower case, ``@type{key,`` on one line;
* one field per line, indented two spaces, ``name = {value}``, no trailing comma;
* fields in a conventional order (who, what, where, when, identifiers), the
  rest alphabetically; a field given twice keeps its relative order;
* ``"quoted"`` values and bare numbers in braces (``{...}``); values built
  with ``#`` or from ``@string`` macros are kept exactly as written.

Entries the scan could not read cleanly (unbalanced braces, stray text) and
``@string``/``@preamble``/``@comment`` blocks are copied unchanged.  The
result is re-scanned and compared with the input field by field before it
is used, so a formatter bug cannot lose data: it raises instead.
"""

from __future__ import annotations

import re

from bibconv.formats.bibtex.lexer import RawEntry, RawField, scan

__all__ = ["FormatError", "format_bibtex"]

ORDER: tuple[str, ...] = (
    "author",
    "editor",
    "translator",
    "title",
    "subtitle",
    "booktitle",
    "journal",
    "journaltitle",
    "series",
    "edition",
    "volume",
    "number",
    "issue",
    "pages",
    "chapter",
    "publisher",
    "organization",
    "institution",
    "school",
    "address",
    "location",
    "year",
    "month",
    "date",
    "doi",
    "isbn",
    "issn",
    "eprint",
    "eprinttype",
    "eprintclass",
    "archiveprefix",
    "primaryclass",
    "url",
    "urldate",
    "crossref",
)
_RANK = {name: i for i, name in enumerate(ORDER)}
_NUMBER = re.compile(r"\d+")
_NON_RECORDS = frozenset({"comment", "string", "preamble"})


class FormatError(RuntimeError):
    """The formatted text would not say the same as the input (a bug guard)."""


def _value(f: RawField) -> str:
    v = f.value.rstrip()
    if _NUMBER.fullmatch(v):
        return "{" + v + "}"
    if v.startswith('"') and v.endswith('"') and len(v) >= 2:
        inner = v[1:-1]
        # The scan ended the quote at brace depth 0, so the inner text is balanced unless it
        # closes more braces than it opens; only then keep the quotes.
        depth = 0
        for c in inner:
            depth += (c == "{") - (c == "}")
            if depth < 0:
                return v
        if depth == 0 and '"' not in inner.replace('{"}', ""):
            return "{" + inner + "}"
    return v


def _entry(e: RawEntry, text: str) -> str:
    fields = sorted(
        e.fields, key=lambda f: (_RANK.get(f.name, len(ORDER)), f.name if f.name not in _RANK else "")
    )
    lines = [f"@{e.kind}{{{e.key or ''},"]
    body = [f"  {f.name} = {_value(f)}" for f in fields]
    if body:
        lines.append(",\n".join(body))
    else:
        lines[0] = lines[0].rstrip(",")
    lines.append("}")
    return "\n".join(lines)


def _formattable(e: RawEntry) -> bool:
    return not (e.braceless or e.unterminated or e.stray or e.kind in _NON_RECORDS or not e.key)


def _meaning(text: str) -> list[tuple[str, str | None, list[tuple[str, str]]]]:
    """What a file says, layout aside: entries with their fields as a sorted list of (name, value)."""
    out: list[tuple[str, str | None, list[tuple[str, str]]]] = []
    for e in scan(text).entries:
        if e.braceless or e.kind in _NON_RECORDS:
            out.append((e.kind, None, [("", text[e.start : e.end])]))
            continue
        values = sorted((f.name, _value(f)) for f in e.fields)
        out.append((e.kind, e.key, values))
    return out


def format_bibtex(text: str) -> str:
    """The normalised text; comments, gaps and unreadable entries are kept verbatim."""
    result = scan(text)
    pieces: list[str] = []
    pos = 0
    for e in result.entries:
        pieces.append(text[pos : e.start])
        pieces.append(_entry(e, text) if _formattable(e) else text[e.start : e.end])
        pos = e.end
    pieces.append(text[pos:])
    out = "".join(pieces)
    if out != text and _meaning(out) != _meaning(text):
        raise FormatError("formatting would change the content of the file; left unchanged")
    return out
