"""Rich-text runs: in-field markup, quotes and apostrophes of a CSL-JSON value.

CSL-JSON values may carry ``<i>``, ``<b>``, ``<sup>``, ``<sub>``, ``<sc>``,
``<span class="nocase">``, ``<span class="nodecor">`` and
``<span style="font-variant:small-caps;">``; straight and locale quotes mark quoted
runs.  citeproc-js reads them with a tag stack that is forgiving in a precise way
(a mismatched closer turns the pending opener into literal text, a lone ``'`` is an
apostrophe), and users expect the same reading from every processor, so
:func:`parse` follows those rules:

* the whole value is read as if preceded by a space, so a leading quote opens;
* ``"``/``'`` open a quote only after a space or ``(`` (or right after another
  opening tag), and close one otherwise;
* a ``'`` that closes nothing and is followed by a word character is an apostrophe
  (``’``), as is an unclosed opening ``'`` (``ETFA '09`` → ``ETFA ’09``);
* a closer that does not match the innermost opener makes that opener literal text,
  then is tried again one level out; unknown tags are literal text.

:func:`resolve` then applies flip-flop against the formatting the style already puts
around the value: italics inside italics become ``font-style:normal``, a quote inside
a quote alternates outer/inner, ``nodecor`` resets whatever is in effect.  The result
is a tree of :class:`Styled` and :class:`Quoted` nodes with the locale's quote marks,
which :func:`to_html` / :func:`to_plain` (or the core's own renderer) print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, TypeAlias

__all__ = [
    "ENGLISH_QUOTES",
    "NO_DECOR",
    "Decor",
    "Node",
    "Out",
    "QuoteTerms",
    "Quoted",
    "Rich",
    "Span",
    "Styled",
    "html_escape",
    "parse",
    "resolve",
    "text_content",
    "to_html",
    "to_plain",
]


class QuoteTerms(NamedTuple):
    """The locale's ``open-quote``, ``close-quote``, ``open-inner-quote``, ``close-inner-quote``."""

    open: str
    close: str
    open_inner: str
    close_inner: str


#: The en-US quote terms.
ENGLISH_QUOTES = QuoteTerms("\u201c", "\u201d", "\u2018", "\u2019")


@dataclass(frozen=True, slots=True)
class Span:
    """A marked-up run of a parsed value.

    ``kind`` is ``i``, ``b``, ``sc``, ``sup``, ``sub``, ``nocase``, ``nodecor`` or
    ``quote``.  For a quote, ``outer`` says whether this quote's own form is the
    outer one when nothing around it is quoted (the first straight form seen in a
    value is outer, as are the locale's outer marks; the locale's inner marks are
    inner).  ``keep_case`` marks a straight single quote whose closing ``'`` is followed
    by more words (``'callous' rules``): citeproc-js's text-case reads such a quote as
    unclosed and keeps the case of the first letter inside it, and so does
    :mod:`~bibconv.csl.textrules.case`.
    """

    kind: str
    children: tuple[Node, ...]
    outer: bool = False
    keep_case: bool = False


Node: TypeAlias = "str | Span"
Rich: TypeAlias = "tuple[Node, ...]"

_STRAIGHT = (' "', " '", '("', "('")
_SPAN_NORMALISE = re.compile(
    r'<span\s+(?:style="font-variant:\s*small-caps;?"[^>]*|class="no(case|decor)"[^>]*)>'
)
# open tag → (kind, closer)
_MARKUP_OPEN: dict[str, tuple[str, str]] = {
    '<span class="nocase">': ("nocase", "</span>"),
    '<span class="nodecor">': ("nodecor", "</span>"),
    '<span style="font-variant:small-caps;">': ("sc", "</span>"),
    "<sc>": ("sc", "</sc>"),
    "<i>": ("i", "</i>"),
    "<b>": ("b", "</b>"),
    "<sup>": ("sup", "</sup>"),
    "<sub>": ("sub", "</sub>"),
}
# Characters that are letters/digits for the "’ between words is an apostrophe" rule
# (Latin, Greek, Cyrillic, Hebrew, Arabic, Thai, as citeproc-js's romanesque class).
_ROMANESQUE = (
    "\\-0-9a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff"
    "\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218-\u021b\u202a-\u202e"
)
_INNER_APOSTROPHE = re.compile(f"(?<=[{_ROMANESQUE}])\u2019(?=[{_ROMANESQUE}])")
_APOSTROPHE_FOLLOWS = re.compile(r"[^,.?:; ]")
# what starts a new segment in citeproc-js's text-case reading (punctuation, quotes, tags)
_CASE_TAG_START = re.compile("[-\u2013\u2014/.,;?!:\\[\\]()\u2018\u2019\u201c\u201d\"'<]| [\"']")


class _Grammar(NamedTuple):
    splitter: re.Pattern[str]
    trigger: re.Pattern[str]
    openers: dict[
        str, tuple[str, str, int]
    ]  # tag → (kind, closer, form) form: 0 none, 1 ", 2 ', 3 outer, 4 inner


@lru_cache(maxsize=32)
def _grammar(quotes: QuoteTerms) -> _Grammar:
    openers: dict[str, tuple[str, str, int]] = {tag: (k, c, 0) for tag, (k, c) in _MARKUP_OPEN.items()}
    openers[' "'] = openers['("'] = ("quote", '"', 1)
    openers[" '"] = openers["('"] = ("quote", "'", 2)
    straight = {'"', "'", ' "', " '"}
    if quotes.open and quotes.close and quotes.open not in straight:
        openers[quotes.open] = ("quote", quotes.close, 3)
    if quotes.open_inner and quotes.close_inner and quotes.open_inner not in straight:
        openers.setdefault(quotes.open_inner, ("quote", quotes.close_inner, 4))
    closers = {c for _, c, _ in openers.values()}
    tags = sorted(openers, key=len, reverse=True) + sorted(closers - set(openers), key=len, reverse=True)
    splitter = re.compile("(" + "|".join(re.escape(t) for t in tags) + ")")
    chars = set("<\"'") | {t[0] for t in tags}
    trigger = re.compile("[" + re.escape("".join(sorted(chars))) + "]")
    return _Grammar(splitter, trigger, openers)


def parse(text: str, quotes: QuoteTerms = ENGLISH_QUOTES) -> Rich:
    """The runs of one field value, with citeproc-js's reading of tags, quotes and apostrophes.

    Example: ``parse('<span class="nocase">Parkinson</span>\\'s "law"')`` is
    ``(Span("nocase", ("Parkinson",)), "’s ", Span("quote", ("law",), outer=True))``.
    """
    if not text:
        return ()
    grammar = _grammar(quotes)
    if grammar.trigger.search(text) is None:
        return (text,)
    if "\u2019" in text:
        text = _INNER_APOSTROPHE.sub("'", text)
    if "<span" in text:
        text = _SPAN_NORMALISE.sub(_normalise_span, text)
    parts = grammar.splitter.split(" " + text)
    if len(parts) == 1:
        return (text,)
    strings = parts[0::2]
    tags = parts[1::2]
    openers = grammar.openers
    forced = [False] * len(tags)
    for i in range(len(tags) - 1):
        if tags[i] in openers and strings[i + 1] == "" and tags[i + 1] in ('"', "'"):
            tags[i + 1] = " " + tags[i + 1]
            forced[i + 1] = True

    def literal(pos: int) -> None:
        tag = tags[pos]
        if forced[pos]:
            tag = tag[1:]
        strings[pos + 1] = tag + strings[pos + 1]
        tags[pos] = ""

    stack: list[int] = []  # positions of pending openers
    locked: set[int] = set()  # openers of quotes that text-case treats as unclosed
    for i, tag in enumerate(tags):
        following = strings[i + 1]
        if tag == "'" and following and _APOSTROPHE_FOLLOWS.match(following):
            strings[i + 1] = "\u2019" + following
            tags[i] = ""
            continue
        if tag == " '" and following.startswith(" "):
            strings[i + 1] = " \u2019" + following
            tags[i] = ""
            continue
        if tag in openers:
            stack.append(i)
            continue
        while True:
            if stack and openers[tags[stack[-1]]][1] == tag:
                opener = stack.pop()
                if tag == "'" and following and _CASE_TAG_START.match(following) is None:
                    locked.add(opener)
                break
            if tag == "'":
                strings[i + 1] = "\u2019" + following
                tags[i] = ""
                break
            if stack:
                literal(stack.pop())
                continue
            literal(i)
            break
    for pos in reversed(stack):
        if tags[pos] in (" '", "'"):
            strings[pos + 1] = " \u2019" + strings[pos + 1]
            tags[pos] = ""
        else:
            literal(pos)

    # Restore the space or parenthesis a straight quote opener consumed, and settle
    # which straight form (the first one seen) is the outer one.
    outer_form = 0
    for i, tag in enumerate(tags):
        if tag in _STRAIGHT:
            if not outer_form:
                outer_form = openers[tag][2]
            if not forced[i]:
                strings[i] += tag[0]
    if not outer_form:
        outer_form = 1
    return _build(strings, tags, openers, outer_form, locked)


def _normalise_span(match: re.Match[str]) -> str:
    kind = match.group(1)
    if kind is None:
        return '<span style="font-variant:small-caps;">'
    return f'<span class="no{kind}">'


def _build(
    strings: list[str],
    tags: list[str],
    openers: dict[str, tuple[str, str, int]],
    outer_form: int,
    locked: set[int],
) -> Rich:
    root: list[Node] = []
    stack: list[tuple[list[Node], str, bool, bool]] = []
    current = root
    first = True

    def add(text: str) -> None:
        nonlocal first
        if first:
            # drop the space parse() put in front of the value
            if not text:
                return
            first = False
            text = text[1:] if text[0] == " " else text
        if text:
            if current and isinstance(current[-1], str):
                current[-1] = current[-1] + text
            else:
                current.append(text)

    add(strings[0])
    for i, tag in enumerate(tags):
        if tag:
            if tag in openers:
                kind, _closer, form = openers[tag]
                stack.append((current, kind, form in (3, outer_form), i in locked))
                current = []
            else:
                parent, kind, outer, keep = stack.pop()
                parent.append(Span(kind, tuple(current), outer, keep))
                current = parent
        add(strings[i + 1])
    return tuple(root)


def text_content(rich: Rich) -> str:
    """The characters of a value without markup or quote marks (for sort keys and tests)."""
    out: list[str] = []
    _collect(rich, out)
    return "".join(out)


def _collect(rich: Rich, out: list[str]) -> None:
    for node in rich:
        if isinstance(node, str):
            out.append(node)
        else:
            _collect(node.children, out)


# ---------------------------------------------------------------------------- flip-flop


@dataclass(frozen=True, slots=True)
class Decor:
    """The formatting in effect around a value (from the style's nodes).

    ``quotes`` is ``None`` (nothing said), ``"outer"``, ``"inner"`` or ``"off"``
    (an explicit ``quotes="false"``, which flips to outer like nothing does).
    """

    italic: bool = False
    bold: bool = False
    small_caps: bool = False
    quotes: str | None = None


NO_DECOR = Decor()


@dataclass(frozen=True, slots=True)
class Styled:
    """A run with one property: ``font-style``, ``font-weight``, ``font-variant`` or ``vertical-align``."""

    attr: str
    value: str
    children: tuple[Out, ...]


@dataclass(frozen=True, slots=True)
class Quoted:
    """A quoted run with the locale's marks already chosen (``inner`` says which pair)."""

    inner: bool
    open: str
    close: str
    children: tuple[Out, ...]


Out: TypeAlias = "str | Styled | Quoted"

_TAG_ATTR = {
    "i": ("font-style", "italic"),
    "b": ("font-weight", "bold"),
    "sc": ("font-variant", "small-caps"),
    "sup": ("vertical-align", "sup"),
    "sub": ("vertical-align", "sub"),
}


def resolve(rich: Rich, decor: Decor = NO_DECOR, quotes: QuoteTerms = ENGLISH_QUOTES) -> tuple[Out, ...]:
    """Flip-flop ``rich`` against ``decor``: the runs as they print inside the style's formatting.

    Example: ``resolve(parse("A <i>B</i>"), Decor(italic=True))`` is
    ``("A ", Styled("font-style", "normal", ("B",)))``.
    """
    if len(rich) == 1 and isinstance(rich[0], str):
        return rich  # type: ignore[return-value]
    return tuple(_resolve(rich, decor, quotes))


def _resolve(rich: Rich, decor: Decor, quotes: QuoteTerms) -> list[Out]:
    out: list[Out] = []
    for node in rich:
        if isinstance(node, str):
            out.append(node)
            continue
        kind = node.kind
        if kind == "nocase":
            out.extend(_resolve(node.children, decor, quotes))
        elif kind == "quote":
            if decor.quotes == "outer":
                inner = True
            elif decor.quotes in ("inner", "off"):
                inner = False
            else:
                inner = not node.outer
            sub = Decor(decor.italic, decor.bold, decor.small_caps, "inner" if inner else "outer")
            children = tuple(_resolve(node.children, sub, quotes))
            if inner:
                out.append(Quoted(True, quotes.open_inner, quotes.close_inner, children))
            else:
                out.append(Quoted(False, quotes.open, quotes.close, children))
        elif kind == "nodecor":
            sub = Decor(False, False, False, decor.quotes)
            nodes: tuple[Out, ...] = tuple(_resolve(node.children, sub, quotes))
            for attr, active in (
                ("font-variant", decor.small_caps),
                ("font-weight", decor.bold),
                ("font-style", decor.italic),
            ):
                if active:
                    nodes = (Styled(attr, "normal", nodes),)
            out.extend(nodes)
        else:
            attr, on = _TAG_ATTR[kind]
            if kind == "i":
                value = "normal" if decor.italic else on
                sub = Decor(not decor.italic, decor.bold, decor.small_caps, decor.quotes)
            elif kind == "b":
                value = "normal" if decor.bold else on
                sub = Decor(decor.italic, not decor.bold, decor.small_caps, decor.quotes)
            elif kind == "sc":
                value = "normal" if decor.small_caps else on
                sub = Decor(decor.italic, decor.bold, not decor.small_caps, decor.quotes)
            else:
                value, sub = on, decor
            out.append(Styled(attr, value, tuple(_resolve(node.children, sub, quotes))))
    return out


_HTML_ESCAPE = str.maketrans({"&": "&#38;", "<": "&#60;", ">": "&#62;"})
_DOUBLE_SPACE = re.compile(r"\s\s")


def _superscripts() -> tuple[re.Pattern[str], dict[str, str]]:
    """Characters Unicode defines as superscript forms (``²``, ``ª``, ``ᵉ``, ``™``) and their base text."""
    import unicodedata

    table: dict[str, str] = {}
    for code in (
        *range(0x00A0, 0x0300),
        *range(0x1D00, 0x1DC0),
        *range(0x2070, 0x2130),
        *range(0x3190, 0x31A0),
    ):
        char = chr(code)
        decomposition = unicodedata.decomposition(char)
        if decomposition.startswith("<super> "):
            table[char] = "".join(chr(int(h, 16)) for h in decomposition.split()[1:])
    return re.compile("[" + "".join(sorted(table)) + "]"), table


_SUPERSCRIPT, _SUPERSCRIPT_BASE = _superscripts()


def html_escape(text: str) -> str:
    """Text as citeproc-js writes it into HTML.

    ``&``, ``<``, ``>`` become numeric entities (the output may be read as XML), a
    double space keeps its width as ``\u00a0`` + space, and superscript characters
    (``1ᵉʳ``, ``m²``) become ``<sup>`` runs of their base letters, as citeproc-js does.
    """
    text = text.translate(_HTML_ESCAPE)
    if "  " in text or "\u00a0" in text or "\t" in text or "\n" in text:
        text = _DOUBLE_SPACE.sub("\u00a0 ", text)
    if _SUPERSCRIPT.search(text) is not None:
        text = _SUPERSCRIPT.sub(lambda m: f"<sup>{_SUPERSCRIPT_BASE[m.group()]}</sup>", text)
    return text


_HTML_OPEN = {
    ("font-style", "italic"): ("<i>", "</i>"),
    ("font-weight", "bold"): ("<b>", "</b>"),
    ("vertical-align", "sup"): ("<sup>", "</sup>"),
    ("vertical-align", "sub"): ("<sub>", "</sub>"),
}


def to_html(nodes: tuple[Out, ...]) -> str:
    """citeproc-js's HTML for resolved runs (text escaped with :func:`html_escape`)."""
    out: list[str] = []
    _html(nodes, out)
    return "".join(out)


def _html(nodes: tuple[Out, ...], out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(html_escape(node))
        elif isinstance(node, Quoted):
            out.append(html_escape(node.open))
            _html(node.children, out)
            out.append(html_escape(node.close))
        else:
            pair = _HTML_OPEN.get((node.attr, node.value))
            if pair is None:
                pair = (f'<span style="{node.attr}:{node.value};">', "</span>")
            out.append(pair[0])
            _html(node.children, out)
            out.append(pair[1])


def to_plain(nodes: tuple[Out, ...]) -> str:
    """The resolved runs as plain text, quote marks included."""
    out: list[str] = []
    _plain(nodes, out)
    return "".join(out)


def _plain(nodes: tuple[Out, ...], out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, Quoted):
            out.append(node.open)
            _plain(node.children, out)
            out.append(node.close)
        else:
            _plain(node.children, out)
