"""Format-neutral rendering: marker characters in, text/HTML/Markdown out.

citeproc-py formats while it renders, and its HTML formatter does not escape
the user's text.  bibconv renders once with a formatter that wraps styled runs
in private-use marker characters (U+E010…), which case transforms leave alone,
and only at the end turns the markers into one format's markup while escaping
everything else.  So ``A & B <i>x</i>`` in a title comes out as
``A &amp; B <i>x</i>`` in HTML, ``A & B *x*`` in Markdown, and ``A & B x`` in
plain text, from the same rendering.
"""

from __future__ import annotations

import html
import re
from types import SimpleNamespace
from typing import Any

__all__ = [
    "FORMATTER",
    "MARKS",
    "MARK_CLOSE",
    "MARK_OPEN",
    "to_html",
    "to_markdown",
    "to_text",
]

_KINDS = ("i", "b", "sup", "sub", "sc", "u")
MARK_OPEN: dict[str, str] = {k: chr(0xE010 + 2 * n) for n, k in enumerate(_KINDS)}
MARK_CLOSE: dict[str, str] = {k: chr(0xE011 + 2 * n) for n, k in enumerate(_KINDS)}
MARKS = frozenset(MARK_OPEN.values()) | frozenset(MARK_CLOSE.values())
_KIND_OF = {**{v: k for k, v in MARK_OPEN.items()}, **{v: k for k, v in MARK_CLOSE.items()}}
MARK_CLASS = "[\ue010-\ue01f]"
_MARK_RE = re.compile(MARK_CLASS)


def _wrapper(kind: str) -> Any:
    def wrap(text: Any) -> Any:
        import citeproc.string as cs

        if isinstance(text, cs.MixedString):
            return cs.MixedString([cs.String(MARK_OPEN[kind]), *text, cs.String(MARK_CLOSE[kind])])
        if isinstance(text, cs.NoCase):
            return cs.MixedString([cs.String(MARK_OPEN[kind]), text, cs.String(MARK_CLOSE[kind])])
        return cs.String(MARK_OPEN[kind] + str(text) + MARK_CLOSE[kind])

    return wrap


def _identity(text: Any) -> Any:
    return text


#: A citeproc-py "formatter" (it only needs these attributes).
FORMATTER = SimpleNamespace(
    preformat=_identity,
    Italic=_wrapper("i"),
    Oblique=_wrapper("i"),
    Bold=_wrapper("b"),
    Light=_identity,
    Underline=_wrapper("u"),
    Superscript=_wrapper("sup"),
    Subscript=_wrapper("sub"),
    SmallCaps=_wrapper("sc"),
)

_HTML_OPEN = {
    "i": "<i>",
    "b": "<b>",
    "sup": "<sup>",
    "sub": "<sub>",
    "sc": '<span style="font-variant:small-caps;">',
    "u": '<span style="text-decoration:underline;">',
}
_HTML_CLOSE = {"i": "</i>", "b": "</b>", "sup": "</sup>", "sub": "</sub>", "sc": "</span>", "u": "</span>"}


def _balanced(text: str) -> list[tuple[str, str]]:
    """Split into ('text', s) / ('open'|'close', kind) keeping only balanced markers."""
    out: list[tuple[str, str]] = []
    stack: list[tuple[str, int]] = []
    pos = 0
    for m in _MARK_RE.finditer(text):
        if m.start() > pos:
            out.append(("text", text[pos : m.start()]))
        ch = m.group()
        kind = _KIND_OF.get(ch)
        if kind is None:
            pass
        elif ch == MARK_OPEN[kind]:
            stack.append((kind, len(out)))
            out.append(("open", kind))
        elif stack and stack[-1][0] == kind:
            stack.pop()
            out.append(("close", kind))
        pos = m.end()
    if pos < len(text):
        out.append(("text", text[pos:]))
    for _, index in stack:
        out[index] = ("text", "")
    return out


def _nested_same(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Italic inside italic flips back to roman, as CSL processors do."""
    depth: dict[str, int] = {}
    res: list[tuple[str, str]] = []
    for kind, value in parts:
        if kind == "open":
            depth[value] = depth.get(value, 0) + 1
            res.append(("open" if depth[value] % 2 or value != "i" else "roman-open", value))
        elif kind == "close":
            res.append(("close" if depth.get(value, 1) % 2 or value != "i" else "roman-close", value))
            depth[value] = depth.get(value, 1) - 1
        else:
            res.append((kind, value))
    return res


def to_text(text: str) -> str:
    """Plain text: markers removed."""
    return _MARK_RE.sub("", text)


def to_html(text: str) -> str:
    """HTML: user text escaped, markers → tags (nested italics → normal style)."""
    out: list[str] = []
    for kind, value in _nested_same(_balanced(text)):
        if kind == "text":
            out.append(html.escape(value, quote=False))
        elif kind == "open":
            out.append(_HTML_OPEN[value])
        elif kind == "close":
            out.append(_HTML_CLOSE[value])
        elif kind == "roman-open":
            out.append('<span style="font-style:normal;">')
        else:
            out.append("</span>")
    return "".join(out)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


def markdown_escape(text: str) -> str:
    """Escape what Markdown would read as markup in user text."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def to_markdown(text: str) -> str:
    """Markdown: ``*italic*``, ``**bold**``, HTML for super/subscript; the rest escaped."""
    out: list[str] = []
    md_open = {"i": "*", "b": "**", "sup": "<sup>", "sub": "<sub>", "sc": "", "u": ""}
    md_close = {"i": "*", "b": "**", "sup": "</sup>", "sub": "</sub>", "sc": "", "u": ""}
    parts = _nested_same(_balanced(text))
    for n, (kind, value) in enumerate(parts):
        if kind == "text":
            out.append(markdown_escape(value))
        elif kind in ("open", "close"):
            # emphasis must hug its text: move spaces outside the delimiters
            if value in ("i", "b") and kind == "open":
                nxt = parts[n + 1] if n + 1 < len(parts) else ("close", value)
                if nxt[0] == "close":
                    continue
            if value in ("i", "b") and kind == "close" and out and out[-1] in ("*", "**"):
                out.pop()
                continue
            out.append(md_open[value] if kind == "open" else md_close[value])
        # a roman run inside italics: Markdown cannot say it; leave it plain
    joined = "".join(out)
    return re.sub(r"(\*{1,2})(\s+)", lambda m: m.group(1) + m.group(2), joined)
