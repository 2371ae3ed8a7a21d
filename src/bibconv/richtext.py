"""The CSL-JSON rich-text subset: the one markup language of the IR.

Values may contain ``<i>``, ``<b>``, ``<sup>``, ``<sub>``,
``<span class="nocase">`` and ``<span style="font-variant:small-caps;">``.
Anything else that looks like a tag is literal text (as citeproc-js treats
it).  Each writer maps these tokens to its own syntax via :func:`tokens`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["TAGS", "Token", "escape_literal", "to_plain", "tokens", "well_formed"]

#: Markup tag → the token kind writers see.
TAGS: dict[str, str] = {
    "<i>": "i",
    "<b>": "b",
    "<sup>": "sup",
    "<sub>": "sub",
    '<span class="nocase">': "nocase",
    '<span style="font-variant:small-caps;">': "sc",
    '<span style="font-variant: small-caps;">': "sc",
}
_CLOSE: dict[str, str] = {"i": "</i>", "b": "</b>", "sup": "</sup>", "sub": "</sub>"}
_TAG_RE = re.compile(
    r'<(?:i|b|sup|sub|span class="nocase"|span style="font-variant: ?small-caps;")>'
    r"|</(?:i|b|sup|sub|span)>"
)


@dataclass(frozen=True, slots=True)
class Token:
    """``kind`` is ``text``, or ``open``/``close`` with ``value`` the markup kind."""

    kind: str
    value: str


def tokens(text: str) -> Iterator[Token]:
    """Split rich text into text runs and balanced open/close tokens.

    Unbalanced tags are treated as literal text, so a stray ``</i>`` in a
    title never corrupts the output of a writer.
    """
    if "<" not in text:
        if text:
            yield Token("text", text)
        return
    out: list[Token] = []
    stack: list[tuple[str, int]] = []  # (kind, index in out)
    pos = 0
    for m in _TAG_RE.finditer(text):
        if m.start() > pos:
            out.append(Token("text", text[pos : m.start()]))
        tag = m.group()
        if tag.startswith("</"):
            name = tag[2:-1]
            if stack and (
                (name == "span" and stack[-1][0] in ("nocase", "sc")) or _CLOSE.get(stack[-1][0]) == tag
            ):
                kind, _ = stack.pop()
                out.append(Token("close", kind))
            else:
                out.append(Token("text", tag))
        else:
            kind = TAGS[tag]
            stack.append((kind, len(out)))
            out.append(Token("open", kind))
        pos = m.end()
    if pos < len(text):
        out.append(Token("text", text[pos:]))
    for kind, index in stack:  # unclosed opens become literal text again
        original = next(t for t, k in TAGS.items() if k == kind)
        out[index] = Token("text", original)
    # merge adjacent text runs
    merged: list[Token] = []
    for tok in out:
        if tok.kind == "text" and merged and merged[-1].kind == "text":
            merged[-1] = Token("text", merged[-1].value + tok.value)
        else:
            merged.append(tok)
    yield from merged


def to_plain(text: str) -> str:
    """Rich text with the markup removed (for RIS, keys, matching)."""
    if "<" not in text:
        return text
    return "".join(t.value for t in tokens(text) if t.kind == "text")


def well_formed(text: str) -> bool:
    """True when every markup tag in ``text`` is balanced."""
    return all(t.kind != "text" or _TAG_RE.search(t.value) is None for t in tokens(text))


def escape_literal(text: str) -> str:
    """Plain text → rich text; literal tag look-alikes are broken with a zero-width joiner.

    Needed only in the rare case that source text literally contains ``<i>``.
    """
    if "<" not in text:
        return text
    return _TAG_RE.sub(lambda m: "<\u2060" + m.group()[1:], text)
