"""The style model: a CSL style parsed once into typed, immutable nodes.

Evaluation never walks the lxml tree: every element is compiled here into a
frozen dataclass whose fields are already the parsed attribute values, so the
per-item work is attribute access only.  Macros are kept in one table and a
``Text`` node that calls a macro holds its name; the evaluator looks it up
(the table is built before any node is evaluated, so a call is a dict lookup).

Parsing is safe: no entity resolution, no DTD, no network.  A style that is
not well-formed XML, or not a CSL style, raises :class:`StyleError` carrying
the style file's line so that the caller can report a ``BC401`` diagnostic.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "NS",
    "Branch",
    "Choose",
    "Condition",
    "Context",
    "DateNode",
    "DatePart",
    "Fmt",
    "Group",
    "Label",
    "NameNode",
    "Names",
    "Node",
    "Number",
    "SortKey",
    "Style",
    "StyleError",
    "Text",
    "load_style",
    "parse_style",
]

NS = "http://purl.org/net/xbiblio/csl"
_P = "{" + NS + "}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: Name options that cs:style, cs:citation and cs:bibliography pass down to cs:name.
NAME_INHERIT = (
    "and",
    "delimiter-precedes-et-al",
    "delimiter-precedes-last",
    "et-al-min",
    "et-al-use-first",
    "et-al-use-last",
    "et-al-subsequent-min",
    "et-al-subsequent-use-first",
    "initialize",
    "initialize-with",
    "name-as-sort-order",
    "sort-separator",
    "name-form",
    "name-delimiter",
)
NAMES_INHERIT = ("names-delimiter",)


class StyleError(Exception):
    """A style that cannot be used; ``line`` is its line in the style file."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class Fmt:
    """Affixes, font formatting, quotes, text-case and display of one element."""

    prefix: str = ""
    suffix: str = ""
    font_style: str | None = None
    font_variant: str | None = None
    font_weight: str | None = None
    text_decoration: str | None = None
    vertical_align: str | None = None
    display: str | None = None
    quotes: bool = False
    text_case: str | None = None
    strip_periods: bool = False
    #: True when the element changes fonts (so its output needs markup); computed once,
    #: the renderer asks for every node
    has_format: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "has_format",
            bool(
                self.font_style
                or self.font_variant
                or self.font_weight
                or self.text_decoration
                or self.vertical_align
            ),
        )


EMPTY = Fmt()


@dataclass(frozen=True, slots=True)
class Node:
    """Base of every rendering element."""

    fmt: Fmt
    line: int


@dataclass(frozen=True, slots=True)
class Text(Node):
    """cs:text; ``source`` is one of variable, macro, term, value."""

    source: str
    value: str
    form: str = "long"
    plural: bool = False


@dataclass(frozen=True, slots=True)
class Number(Node):
    """cs:number."""

    variable: str
    form: str = "numeric"


@dataclass(frozen=True, slots=True)
class Label(Node):
    """cs:label (standalone or inside cs:names)."""

    variable: str
    form: str = "long"
    plural: str = "contextual"


@dataclass(frozen=True, slots=True)
class NamePart:
    """cs:name-part formatting for the given or family part."""

    fmt: Fmt


@dataclass(frozen=True, slots=True)
class NameNode:
    """cs:name: the element's own attributes (inheritance applied at evaluation)."""

    attrs: Mapping[str, str]
    fmt: Fmt
    given: Fmt | None = None
    family: Fmt | None = None


@dataclass(frozen=True, slots=True)
class Names(Node):
    """cs:names."""

    variables: tuple[str, ...]
    name: NameNode | None
    et_al: Fmt | None
    et_al_term: str
    label: Label | None
    label_first: bool
    substitute: tuple[Node, ...] | None
    delimiter: str | None


@dataclass(frozen=True, slots=True)
class DatePart:
    """cs:date-part."""

    name: str
    form: str | None
    fmt: Fmt
    range_delimiter: str | None


@dataclass(frozen=True, slots=True)
class DateNode(Node):
    """cs:date, localized (``form``) or not."""

    variable: str
    form: str | None
    date_parts: str
    parts: tuple[DatePart, ...]
    delimiter: str


@dataclass(frozen=True, slots=True)
class Group(Node):
    """cs:group (also used for cs:layout and cs:substitute bodies)."""

    children: tuple[Node, ...]
    delimiter: str


@dataclass(frozen=True, slots=True)
class Condition:
    """One test of cs:if/cs:else-if: ``kind`` (type, variable, ...) and its values."""

    kind: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Branch:
    """One cs:if/else-if/else; ``conditions`` empty means cs:else."""

    conditions: tuple[Condition, ...]
    match: str
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Choose(Node):
    """cs:choose."""

    branches: tuple[Branch, ...]


@dataclass(frozen=True, slots=True)
class SortKey:
    """cs:key: a variable or a macro, with optional name overrides."""

    variable: str | None
    macro: str | None
    descending: bool
    names_min: int | None
    names_use_first: int | None
    names_use_last: bool | None


@dataclass(frozen=True, slots=True)
class Context:
    """cs:citation or cs:bibliography."""

    layout: Group
    options: Mapping[str, str]
    sort: tuple[SortKey, ...]
    name_options: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class LocaleOverride:
    """A cs:locale inside the style (raw element text kept, parsed by the locale module)."""

    lang: str | None
    xml: bytes


@dataclass(frozen=True, slots=True)
class Style:
    """A whole style."""

    cls: str
    default_locale: str | None
    options: Mapping[str, str]
    name_options: Mapping[str, str]
    macros: Mapping[str, tuple[Node, ...]]
    citation: Context
    bibliography: Context | None
    locales: tuple[LocaleOverride, ...]
    uses_year_suffix: bool
    title: str = ""
    variables: frozenset[str] = field(default_factory=frozenset)


# ---------------------------------------------------------------- compiling


def _fmt(el: Any) -> Fmt:
    a = el.attrib
    if not a:
        return EMPTY
    f = Fmt(
        prefix=a.get("prefix", ""),
        suffix=a.get("suffix", ""),
        font_style=a.get("font-style"),
        font_variant=a.get("font-variant"),
        font_weight=a.get("font-weight"),
        text_decoration=a.get("text-decoration"),
        vertical_align=a.get("vertical-align"),
        display=a.get("display"),
        quotes=a.get("quotes") == "true",
        text_case=a.get("text-case"),
        strip_periods=a.get("strip-periods") == "true",
    )
    # an element without formatting shares EMPTY (the renderer's fast path asks by identity)
    return EMPTY if f == EMPTY else f


def _line(el: Any) -> int | None:
    line = el.sourceline
    return line if isinstance(line, int) else None


def _tag(el: Any) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag[len(_P) :] if tag.startswith(_P) else tag


def _children(el: Any, seen: set[str]) -> tuple[Node, ...]:
    out = []
    for ch in el:
        node = _compile(ch, seen)
        if node is not None:
            out.append(node)
    return tuple(out)


_COND_KINDS = (
    "type",
    "variable",
    "is-numeric",
    "is-uncertain-date",
    "locator",
    "position",
    "disambiguate",
)


def _compile(el: Any, seen: set[str]) -> Node | None:
    tag = _tag(el)
    a = el.attrib
    line = el.sourceline or 0
    if tag == "text":
        for source in ("variable", "macro", "term", "value"):
            if source in a:
                if source == "variable":
                    seen.add(a["variable"])
                return Text(
                    _fmt(el),
                    line,
                    source=source,
                    value=a[source],
                    form=a.get("form", "long"),
                    plural=a.get("plural") == "true",
                )
        raise StyleError("cs:text needs variable, macro, term or value", line)
    if tag == "number":
        seen.add(a.get("variable", ""))
        return Number(_fmt(el), line, variable=a.get("variable", ""), form=a.get("form", "numeric"))
    if tag == "label":
        return Label(
            _fmt(el),
            line,
            variable=a.get("variable", ""),
            form=a.get("form", "long"),
            plural=a.get("plural", "contextual"),
        )
    if tag == "group":
        return Group(_fmt(el), line, children=_children(el, seen), delimiter=a.get("delimiter", ""))
    if tag == "choose":
        branches = []
        for br in el:
            btag = _tag(br)
            if btag not in ("if", "else-if", "else"):
                continue
            conds = []
            if btag != "else":
                for kind in _COND_KINDS:
                    if kind in br.attrib:
                        conds.append(Condition(kind, tuple(br.attrib[kind].split())))
                if not conds:
                    raise StyleError(f"cs:{btag} has no condition", _line(br))
            branches.append(Branch(tuple(conds), br.attrib.get("match", "all"), _children(br, seen)))
        return Choose(EMPTY, line, branches=tuple(branches))
    if tag == "date":
        parts = []
        for dp in el:
            if _tag(dp) == "date-part":
                parts.append(
                    DatePart(
                        name=dp.attrib.get("name", ""),
                        form=dp.attrib.get("form"),
                        fmt=_fmt(dp),
                        range_delimiter=dp.attrib.get("range-delimiter"),
                    )
                )
        seen.add(a.get("variable", ""))
        return DateNode(
            _fmt(el),
            line,
            variable=a.get("variable", ""),
            form=a.get("form"),
            date_parts=a.get("date-parts", "year-month-day"),
            parts=tuple(parts),
            delimiter=a.get("delimiter", ""),
        )
    if tag == "names":
        name = None
        et_al: Fmt | None = None
        et_al_term = "et-al"
        label = None
        label_first = False
        substitute = None
        for ch in el:
            ctag = _tag(ch)
            if ctag == "name":
                given = family = None
                for np in ch:
                    if _tag(np) == "name-part":
                        if np.attrib.get("name") == "given":
                            given = _fmt(np)
                        elif np.attrib.get("name") == "family":
                            family = _fmt(np)
                attrs = {str(k): str(v) for k, v in ch.attrib.items()}
                name = NameNode(attrs, _fmt(ch), given, family)
                if label is None:
                    label_first = False
            elif ctag == "et-al":
                et_al = _fmt(ch)
                et_al_term = ch.attrib.get("term", "et-al")
            elif ctag == "label":
                lab = _compile(ch, seen)
                assert isinstance(lab, Label)
                label = lab
                label_first = name is None
            elif ctag == "substitute":
                substitute = _children(ch, seen)
        if name is None:
            label_first = False  # the implicit cs:name stands first: "Pires J, editors", as citeproc-js
        variables = tuple(a.get("variable", "").split())
        seen.update(variables)
        return Names(
            _fmt(el),
            line,
            variables=variables,
            name=name,
            et_al=et_al,
            et_al_term=et_al_term,
            label=label,
            label_first=label_first,
            substitute=substitute,
            delimiter=a.get("delimiter"),
        )
    if tag in ("", "info"):
        return None
    raise StyleError(f"unknown element cs:{tag}", line)


def _digits(v: str | None) -> int | None:
    return int(v) if v and v.isdigit() else None


def _inherit(el: Any | None, keys: tuple[str, ...]) -> dict[str, str]:
    if el is None:
        return {}
    return {k: el.attrib[k] for k in keys if k in el.attrib}


def _context(el: Any, seen: set[str], parent_names: dict[str, str]) -> Context:
    layout = None
    sort: list[SortKey] = []
    for ch in el:
        t = _tag(ch)
        if t == "layout":
            layout = Group(_fmt(ch), ch.sourceline or 0, _children(ch, seen), ch.attrib.get("delimiter", ""))
        elif t == "sort":
            for k in ch:
                if _tag(k) != "key":
                    continue
                ka = k.attrib

                ul = ka.get("names-use-last")
                sort.append(
                    SortKey(
                        variable=ka.get("variable"),
                        macro=ka.get("macro"),
                        descending=ka.get("sort") == "descending",
                        names_min=_digits(ka.get("names-min")),
                        names_use_first=_digits(ka.get("names-use-first")),
                        names_use_last=None if ul is None else ul == "true",
                    )
                )
    if layout is None:
        raise StyleError(f"cs:{_tag(el)} has no cs:layout", _line(el))
    names = dict(parent_names)
    names.update(_inherit(el, NAME_INHERIT + NAMES_INHERIT))
    return Context(layout, {str(k): str(v) for k, v in el.attrib.items()}, tuple(sort), names)


def parse_style(data: bytes | str) -> Style:
    """Compile a style's XML; raises :class:`StyleError` with the line of the fault."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise StyleError(f"style is not well-formed XML: {exc.msg}", exc.lineno) from None
    if _tag(root) != "style" or not str(root.tag).startswith(_P):
        raise StyleError("root element is not a CSL cs:style", _line(root))
    seen: set[str] = set()
    macros_el = {}
    for ch in root:
        if _tag(ch) == "macro":
            macros_el[ch.attrib.get("name", "")] = ch
    macros = {name: _children(el, seen) for name, el in macros_el.items()}
    for sub in root.iter(_P + "text", _P + "key"):
        if True:
            m = sub.attrib.get("macro")
            if m is not None and m not in macros:
                raise StyleError(f"macro {m!r} is not defined", _line(sub))
    style_names = _inherit(root, NAME_INHERIT + NAMES_INHERIT)
    citation = bibliography = None
    locales = []
    for ch in root:
        t = _tag(ch)
        if t == "citation":
            citation = _context(ch, seen, style_names)
        elif t == "bibliography":
            bibliography = _context(ch, seen, style_names)
        elif t == "locale":
            locales.append(LocaleOverride(ch.attrib.get(XML_LANG), etree.tostring(ch)))
    if citation is None:
        raise StyleError("style has no cs:citation", _line(root))
    title = ""
    for info in root:
        if _tag(info) == "info":
            for t_el in info:
                if _tag(t_el) == "title":
                    title = (t_el.text or "").strip()
    return Style(
        cls=root.attrib.get("class", "in-text"),
        default_locale=root.attrib.get("default-locale"),
        options={str(k): str(v) for k, v in root.attrib.items()},
        name_options=style_names,
        macros=macros,
        citation=citation,
        bibliography=bibliography,
        locales=tuple(locales),
        uses_year_suffix="year-suffix" in seen,
        title=title,
        variables=frozenset(seen),
    )


_CACHE: dict[str, Style] = {}
_LOCK = threading.Lock()


def load_style(source: str | Path | bytes) -> Style:
    """A compiled style from a path or XML text, cached by content digest."""
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, Path) or (isinstance(source, str) and not source.lstrip().startswith("<")):
        data = Path(source).read_bytes()
    else:
        data = source.encode("utf-8")
    key = hashlib.sha1(data).hexdigest()
    with _LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return hit
    style = parse_style(data)
    with _LOCK:
        if len(_CACHE) > 256:
            _CACHE.clear()
        _CACHE[key] = style
    return style
