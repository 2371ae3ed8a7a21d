"""The output tree and its renderers (HTML as citeproc-js writes it, plain text, Markdown).

Evaluation produces :class:`Out` nodes, never strings: a node keeps its
formatting (:class:`~bibconv.csl.style.Fmt`), its delimiter and what it
rendered (``kind``/``var``), so that whole-document passes (year-suffix
placement, collapsing, subsequent-author-substitute, second-field-align) work
on structure.  Only the renderer turns the tree into text; it applies, in one
place, quotes (nested quotes alternate), italic/bold/small-caps flip-flop,
strip-periods, affixes outside formatting, display classes, escaping and
punctuation de-duplication / punctuation-in-quote at every join.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from bibconv.csl.style import EMPTY, Fmt

__all__ = ["Out", "Renderer", "leaf"]


class Out:
    """One node of the output tree: a leaf (``text``) or children joined by ``delim``."""

    __slots__ = ("children", "data", "delim", "fmt", "kind", "text", "var")

    def __init__(
        self,
        children: list[Out] | None = None,
        fmt: Fmt = EMPTY,
        delim: str = "",
        text: str | None = None,
        kind: str = "",
        var: str | None = None,
    ) -> None:
        self.children = children if children is not None else []
        self.fmt = fmt
        self.delim = delim
        self.text = text
        self.kind = kind
        self.var = var
        self.data: object = None

    def plain(self) -> str:
        """Visible text without markup (used for comparisons in the passes)."""
        return Renderer("text").render(self)

    def is_empty(self) -> bool:
        """True when nothing visible would be rendered."""
        if self.text is not None:
            return self.text == ""
        return all(c.is_empty() for c in self.children)

    def find(self, kind: str) -> Out | None:
        """The first descendant (or self) of ``kind``, depth first."""
        if self.kind == kind:
            return self
        for c in self.children:
            hit = c.find(kind)
            if hit is not None:
                return hit
        return None

    def __repr__(self) -> str:
        if self.text is not None:
            return f"Out({self.text!r})"
        return f"Out({self.kind or 'node'}, {self.children!r})"


def leaf(text: str, kind: str = "", var: str | None = None, fmt: Fmt = EMPTY) -> Out:
    """A text leaf."""
    return Out(text=text, kind=kind, var=var, fmt=fmt)


_TAG = re.compile(r"<[^>]*>")
_ENDPUNCT = ".,;:!?"


@dataclass(frozen=True, slots=True)
class _State:
    italic: bool = False
    bold: bool = False
    smallcaps: bool = False
    quote_level: int = 0


_HTML_ESC = str.maketrans({"&": "&#38;", "<": "&#60;", ">": "&#62;"})
_MD_ESC = re.compile(r"([\\*_`\[\]])")


@functools.lru_cache(maxsize=4096)
def _superscript(ch: str) -> str:
    """A Unicode superscript character as ``<sup>base</sup>`` (as citeproc-js writes ª, ², ʳ ...)."""
    dec = unicodedata.decomposition(ch)
    if dec.startswith("<super> "):
        return "<sup>" + "".join(chr(int(c, 16)) for c in dec.split()[1:]) + "</sup>"
    return ch


def combine(p1: str, p2: str) -> str:
    """Mark ``p2`` after mark ``p1``: ``both`` stay, ``drop`` p2, or p2 ``replace``s p1."""
    if p1 == p2:
        return "drop"
    if p2 == "." and p1 in ":;!?":
        return "drop"
    if p2 == ":" and p1 in ";!?":
        return "drop"
    if p2 in "!?" and p1 in ":;":
        return "replace"
    return "both"


class Renderer:
    """Turns an output tree into text in one format (``html``, ``text``, ``markdown``)."""

    def __init__(
        self,
        fmt: str = "html",
        quotes: tuple[str, str, str, str] = ("\u201c", "\u201d", "\u2018", "\u2019"),
        punctuation_in_quote: bool = False,
    ) -> None:
        self.format = fmt
        self.quotes = quotes
        self.piq = punctuation_in_quote
        self.closers = {quotes[1], quotes[3]}
        self.base = _State()
        self._typed: Renderer | None = None
        self._esc_cache: dict[str, str] = {}

    # ---------------------------------------------------------- joins
    def visible(self, s: str) -> str:
        """``s`` without markup (html tags) - for punctuation decisions at joins."""
        if self.format == "html" and "<" in s:
            return _TAG.sub("", s)
        return s

    def join(self, a: str, b: str, hold: bool = False) -> str:
        """Concatenate applying citeproc-js's punctuation rules at the seam.

        Two marks meeting are reduced by :func:`combine` (``.`` after ``?`` goes,
        ``!`` replaces ``:``); with punctuation-in-quote, ``. , ! ?`` after a closing
        quote move inside it (``:`` and ``;`` stay outside), unless ``hold``: ``b`` is
        the next sibling of a font-formatted element (see :meth:`concat`).
        """
        if not a:
            return b
        if not b:
            return a
        if b[0] == " " and a[-1] == " ":
            # a suffix's space meeting a delimiter's or prefix's: one space, as citeproc-js
            # ("in" suffix=" " in a group delimited by " " is "in Title", not "in  Title")
            return a + b[1:]
        if b[0] != "<" and b[0] not in _ENDPUNCT:
            # the common seam: ``b`` opens with visible text that is no punctuation
            return a + b
        vb = self.visible(b)
        if not vb or vb[0] not in _ENDPUNCT:
            return a + b
        va = self.visible(a).rstrip("\u00a0")
        if not va:
            return a + b
        p2 = vb[0]
        last = va[-1]
        if last in self.closers and len(va) >= 2:
            # the marks inside a run of closing quotes ("…‘The One’”")
            k = len(va) - 1
            while k > 0 and va[k - 1] in self.closers:
                k -= 1
            inner = va[k - 1] if k > 0 else ""
            rule = combine(inner, p2) if inner in _ENDPUNCT and inner else "both"
            if rule == "drop":
                return a + self._drop_first(b)
            if self.piq and p2 in ".,!?" and not hold:
                body, tail = self._split_tail(a)
                cut = len(body)
                while cut > 0 and body[cut - 1] in self.closers:
                    cut -= 1
                if 0 < cut < len(body):
                    head = body[:cut]
                    if rule == "replace":
                        head = self._drop_last(head)
                    return head + p2 + body[cut:] + tail + self._drop_first(b)
            return a + b
        if last in _ENDPUNCT:
            rule = combine(last, p2)
            if rule == "drop":
                return a + self._drop_first(b)
            if rule == "replace":
                return self.join(self._drop_last(a), b)
        return a + b

    def _drop_last(self, a: str) -> str:
        """``a`` without its last visible character (trailing closing tags kept)."""
        body, tail = self._split_tail(a)
        return body[:-1] + tail

    def _split_tail(self, s: str) -> tuple[str, str]:
        """Split trailing markup (closing tags) from ``s``."""
        if self.format != "html":
            return s, ""
        m = re.search(r"(?:</[^>]+>)+$", s)
        if m:
            return s[: m.start()], s[m.start() :]
        return s, ""

    def _drop_first(self, b: str) -> str:
        """``b`` without its first visible character."""
        if self.format == "html" and b.startswith("<"):
            m = re.match(r"(?:<[^>]+>)+", b)
            if m:
                return b[: m.end()] + b[m.end() + 1 :]
        return b[1:]

    def concat(self, parts: list[str], delim: str = "", holds: list[bool] | None = None) -> str:
        """Join non-empty parts with ``delim`` applying the punctuation rules.

        ``holds[i]`` True: part ``i`` follows a sibling with font formatting, whose
        closing quote keeps part ``i``'s leading mark outside (citeproc-js moves a
        sibling's prefix punctuation into a quote only when the element before it
        is unformatted: ``<i>“De Motu”</i>, PUP`` but ``“De Motu,” PUP``; a
        delimiter and the element's own suffix move in either way).
        """
        out = ""
        first = True
        for i, p in enumerate(parts):
            if not p:
                continue
            if not first and delim:
                out = self.join(out, self.esc_affix(delim))
            out = self.join(out, p, holds is not None and holds[i] and not delim)
            first = False
        return out

    # ---------------------------------------------------------- escaping
    def esc_affix(self, s: str) -> str:
        """:meth:`esc` for affixes and delimiters: few distinct strings, asked for at every node."""
        hit = self._esc_cache.get(s)
        if hit is None:
            if len(self._esc_cache) > 4096:
                self._esc_cache.clear()
            hit = self._esc_cache[s] = self.esc(s)
        return hit

    def esc(self, s: str) -> str:
        """Escape user or style text for the output format (HTML: superscript letters as <sup>)."""
        if self.format == "html":
            s = s.translate(_HTML_ESC)
            if not s.isascii():
                s = "".join(_superscript(ch) for ch in s)
            return s
        if self.format == "markdown":
            return _MD_ESC.sub(r"\\\1", s)
        return s

    # ---------------------------------------------------------- render
    def as_typed(self) -> Renderer:
        """The same renderer without punctuation-in-quote moves (for text a user typed, e.g. cite affixes)."""
        if not self.piq:
            return self
        if self._typed is None:
            self._typed = Renderer(self.format, self.quotes, False)
        self._typed.base = self.base
        return self._typed

    def set_layout(self, f: Fmt) -> None:
        """The formatting of the cs:layout around what is rendered next (for flip-flop inside it)."""
        self.base = _State(
            italic=f.font_style in ("italic", "oblique"),
            bold=f.font_weight == "bold",
            smallcaps=f.font_variant == "small-caps",
        )

    def render(self, node: Out, state: _State | None = None) -> str:
        """The whole tree as text."""
        return self._render(node, state or self.base)

    def _render(self, node: Out, st: _State) -> str:
        f = node.fmt
        if f is EMPTY and node.text is not None:
            # the most common node: an unformatted leaf
            return self.esc(node.text) if node.kind != "raw" else node.text
        if f is not EMPTY and f.quotes:
            if node.kind == "inner-quote" and st.quote_level == 0:
                # citeproc-js's flip-flop: a quote in the data keeps its own (inner) form
                # when no quote is around it
                st = _State(st.italic, st.bold, st.smallcaps, 1)
            st2 = _State(st.italic, st.bold, st.smallcaps, st.quote_level + 1)
        else:
            st2 = st
        if f is not EMPTY and f.has_format:
            inner_state = _State(
                italic=(not st.italic)
                if f.font_style in ("italic", "oblique")
                else (False if f.font_style == "normal" else st.italic),
                bold=(not st.bold)
                if f.font_weight == "bold"
                else (False if f.font_weight == "normal" else st.bold),
                smallcaps=(not st.smallcaps)
                if f.font_variant == "small-caps"
                else (False if f.font_variant == "normal" else st.smallcaps),
                quote_level=st2.quote_level,
            )
        else:
            inner_state = st2
        if node.text is not None:
            text = node.text
            if f is not EMPTY and f.strip_periods:
                text = text.replace(".", "")
            body = self.esc(text) if node.kind != "raw" else text
        else:
            kids = [self._render(c, inner_state) for c in node.children]
            holds: list[bool] | None = None
            if self.piq and len(kids) > 1:
                # which parts follow a font-formatted sibling (see concat)
                holds = []
                after_format = False
                for c, k in zip(node.children, kids, strict=True):
                    holds.append(after_format and bool(k))
                    if k:
                        after_format = c.fmt is not EMPTY and c.fmt.has_format
            body = self.concat(kids, node.delim, holds)
        if not body:
            return ""
        if f is EMPTY:
            return body
        if f.has_format:
            body = self._decorate(body, f, st)
        if f.quotes:
            if st.quote_level % 2 == 0:
                body = self.quotes[0] + body + self.quotes[1]
            else:
                body = self.quotes[2] + body + self.quotes[3]
        if f.prefix:
            body = self.join(self.esc_affix(f.prefix), body)
        if f.suffix:
            body = self.join(body, self.esc_affix(f.suffix))
        if f.display:
            body = self._display(body, f.display)
        return body

    def render_layout(self, body: str, f: Fmt) -> str:
        """A citation or entry inside cs:layout: affixes go inside its formatting (as citeproc-js)."""
        if self.format != "html":
            body = body.lstrip(" ")
        if not body:
            return ""
        if f.prefix:
            body = self.join(self.esc_affix(f.prefix), body)
        if f.suffix:
            body = self.join(body, self.esc_affix(f.suffix))
        if f.has_format:
            body = self._decorate(body, f, _State())
        return body

    def _display(self, body: str, display: str) -> str:
        if self.format == "html":
            return f'<div class="csl-{display}">{body}</div>'
        if display == "left-margin":
            return body + " "
        if display in ("block", "indent"):
            # citeproc-js starts a new line here; plain text and Markdown keep one entry a
            # line, so a space stands for the break ("… implications. 10 pages", not
            # "… implications.10 pages"); render_layout trims it at the entry's start
            return " " + body
        return body

    def _decorate(self, body: str, f: Fmt, st: _State) -> str:
        fmt = self.format
        if fmt == "text":
            return body
        if fmt == "markdown":
            if f.font_style in ("italic", "oblique") and not st.italic:
                body = f"*{body}*"
            if f.font_weight == "bold" and not st.bold:
                body = f"**{body}**"
            return body
        if f.font_style == "italic":
            body = f"<i>{body}</i>" if not st.italic else f'<span style="font-style:normal;">{body}</span>'
        elif f.font_style == "oblique":
            body = (
                f'<span style="font-style:oblique;">{body}</span>'
                if not st.italic
                else f'<span style="font-style:normal;">{body}</span>'
            )
        elif f.font_style == "normal" and st.italic:
            body = f'<span style="font-style:normal;">{body}</span>'
        if f.font_variant == "small-caps":
            if st.smallcaps:
                body = f'<span style="font-variant:normal;">{body}</span>'
            else:
                body = f'<span style="font-variant:small-caps;">{body}</span>'
        elif f.font_variant == "normal" and st.smallcaps:
            body = f'<span style="font-variant:normal;">{body}</span>'
        if f.font_weight == "bold":
            body = f"<b>{body}</b>" if not st.bold else f'<span style="font-weight:normal;">{body}</span>'
        elif f.font_weight == "light":
            body = f'<span style="font-weight:light;">{body}</span>'
        elif f.font_weight == "normal" and st.bold:
            body = f'<span style="font-weight:normal;">{body}</span>'
        if f.text_decoration == "underline":
            body = f'<span style="text-decoration:underline;">{body}</span>'
        elif f.text_decoration == "none":
            body = f'<span style="text-decoration:none;">{body}</span>'
        if f.vertical_align == "sup":
            body = f"<sup>{body}</sup>"
        elif f.vertical_align == "sub":
            body = f"<sub>{body}</sub>"
        elif f.vertical_align == "baseline":
            body = f'<span style="baseline">{body}</span>'
        return body
