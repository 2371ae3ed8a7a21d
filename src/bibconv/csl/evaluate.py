"""Evaluation of cs:layout for one cite or bibliography entry into an output tree.

An :class:`Evaluator` is built once per (style, locale, context) and holds
no per-item state between calls except caches; :class:`ItemState` carries
what the whole-document passes decided for one item (added names, given-name
level, year suffix, ``disambiguate``) and :class:`CiteInfo` what the citation
says (position, locator, label, suppress-author).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bibconv.csl.locale import Locale
from bibconv.csl.output import Out, leaf
from bibconv.csl.style import (
    EMPTY,
    Choose,
    Context,
    DateNode,
    DatePart,
    Fmt,
    Group,
    Label,
    Names,
    Node,
    Number,
    Style,
    Text,
)
from bibconv.csl.textrules import case, dates, numbers, runs
from bibconv.csl.textrules import names as names_rules
from bibconv.ir import Name

__all__ = ["CiteInfo", "Evaluator", "ItemState", "is_numeric", "parse_date"]


def _words(*lines: str) -> list[str]:
    return [w for line in lines for w in line.split()]


NAME_VARS = frozenset(
    _words(
        "author chair collection-editor compiler composer container-author contributor curator director",
        "editor",
        "editorial-director editor-translator executive-producer guest host illustrator interviewer narrator",
        "organizer original-author performer producer recipient reviewed-author script-writer series-creator",
        "translator",
    )
)
DATE_VARS = frozenset(["accessed", "available-date", "event-date", "issued", "original-date", "submitted"])
NUMBER_VARS = frozenset(
    _words(
        "chapter-number citation-number collection-number edition first-reference-note-number issue locator",
        "number number-of-pages number-of-volumes page part-number printing-number section supplement-number",
        "version volume",
    )
)
#: Inheritable name options whose name on cs:name differs.
_INHERITED_AS = {"name-form": "form", "name-delimiter": "delimiter"}
_SPECIAL_VARS = frozenset(
    [
        "locator",
        "citation-number",
        "first-reference-note-number",
        "year-suffix",
        "page-first",
        "citation-label",
    ]
)
#: Variables whose condition test needs more than the item's value (dates, the passes' ones).
_COND_SLOW_VARS = DATE_VARS | _SPECIAL_VARS
_AMPERSAND = re.compile(r"\s*&\s*")
_ROMAN_WORD = re.compile(r"^[ivxlcdm]+$", re.I)
_WORD_JOINED = re.compile(r"\d[,;]?\s+[^\W\d]+\s+\d")
#: CSL-JSON spellings that name the same variable (citeproc-js accepts both).
_ALIASES = {"container-title-short": "journalAbbreviation", "title-short": "shortTitle"}
LOCATOR_TERMS = {"sub verbo": "sub-verbo", "sub-verbo": "sub-verbo"}


_ALT_KEYS: dict[str, tuple[str, ...]] = {}


def _present(item: Mapping[str, Any], name: str) -> bool:
    """Whether a plain (not date, not special) variable has a value, as ``Evaluator._var`` reads it.

    Conditions see variables that cs:substitute used up, so no suppression applies.  The
    alternative spellings (aliases, ``_`` for ``-``) are worked out once per name.
    """
    v = item.get(name)
    if v is None:
        alts = _ALT_KEYS.get(name)
        if alts is None:
            alias = _ALIASES.get(name)
            alts = _ALT_KEYS[name] = tuple(
                a for a in (alias, name.replace("-", "_") if "-" in name else None) if a
            )
        for a in alts:
            v = item.get(a)
            if v is not None:
                break
        if v is None:
            return False
    return bool(v != "" and v != [])


def is_numeric(value: object) -> bool:
    """CSL's numeric test (the text-rules library's reading)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, str) and numbers.is_numeric(value)


@dataclass(frozen=True, slots=True)
class DateVal:
    """A parsed date: start and optional end parts (year, month, day), season, circa, literal."""

    start: tuple[int, ...]
    end: tuple[int, ...] | None
    season: int | str | None
    circa: bool
    literal: str | None


def _ints(row: Sequence[Any]) -> tuple[int, ...]:
    out = []
    for v in row[:3]:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            break
    return tuple(out)


def parse_date(value: Any) -> DateVal | None:
    """A CSL-JSON date (date-parts, raw, literal, season, circa)."""
    if not isinstance(value, Mapping):
        if isinstance(value, str):
            value = {"raw": value}
        else:
            return None
    circa = bool(value.get("circa"))
    season = value.get("season")
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list):
        start = _ints(parts[0])
        end = _ints(parts[1]) if len(parts) > 1 and isinstance(parts[1], list) else None
        if start:
            if end is not None and (not end or end == start):
                end = None
            return DateVal(start, end, season, circa, None)
    raw = value.get("raw")
    if isinstance(raw, str) and raw.strip():
        # EDTF / ISO text (ranges, open ranges, seasons, circa) read by the text-rules library
        parsed = dates.normalise_date(raw)
        if parsed is not None and parsed.start is not None:
            first = parsed.start_parts
            last = (0,) if parsed.open_end else parsed.end_parts
            return DateVal(
                first, None if last == first else last, season or parsed.season, circa or parsed.circa, None
            )
        return DateVal((), None, season, circa, raw.strip())
    lit = value.get("literal")
    if isinstance(lit, str) and lit:
        return DateVal((), None, season, circa, lit)
    if season:
        return None
    return None


def date_key(d: DateVal, parts: int = 3) -> str:
    """A string that sorts dates chronologically (BCE years too); a range after its start.

    ``parts`` limits the key to year (1), year-month (2) or the full date (3), as
    the rendering element shows it.
    """
    if not d.start:
        return d.literal or ""
    s = (*d.start[:parts], 0, 0, 0)
    e = (*d.end[:parts], 0, 0, 0) if d.end else (-10000, 0, 0)
    return f"{s[0] + 10000:05d}{s[1]:02d}{s[2]:02d}{e[0] + 10000:05d}{e[1]:02d}{e[2]:02d}"


@dataclass(slots=True)
class ItemState:
    """What the document passes decided for one item."""

    add_names: int = 0
    givenname: dict[tuple[str, int], int] = field(default_factory=dict)
    year_suffix: str = ""
    disambiguate: bool = False
    disambiguate_subsequent: bool = False
    citation_number: int | None = None
    first_note: int | None = None


@dataclass(frozen=True, slots=True)
class CiteInfo:
    """What a citation says about one cite."""

    position: str = "first"
    near_note: bool = False
    locator: str | None = None
    label: str | None = None
    suppress_author: bool = False
    author_only: bool = False
    first_note: int | None = None


FIRST = CiteInfo()


@dataclass(slots=True)
class _Run:
    """Per-evaluation mutable bookkeeping (variables called/rendered, substituted ones)."""

    item: Mapping[str, Any]
    cite: CiteInfo
    state: ItemState
    sorting: bool = False
    sort_names: tuple[int | None, int | None, bool | None] = (None, None, None)
    suppressed: set[str] = field(default_factory=set)
    called: int = 0
    rendered: int = 0
    names_seen: int = 0
    depth: int = 0
    suffix_placed: bool = False
    first_names: bool = True
    in_substitute: int = 0
    substituting: Names | None = None
    dates: dict[str, DateVal | None] = field(default_factory=dict)


# ------------------------------------------------------------------ rich text


_SPAN_FMT = {
    "i": Fmt(font_style="italic"),
    "b": Fmt(font_weight="bold"),
    "sc": Fmt(font_variant="small-caps"),
    "sup": Fmt(vertical_align="sup"),
    "sub": Fmt(vertical_align="sub"),
    "nodecor": Fmt(font_style="normal", font_weight="normal", font_variant="normal"),
    "quote": Fmt(quotes=True),
}


def _to_out(nodes: runs.Rich, parent: Out) -> None:
    for n in nodes:
        if isinstance(n, str):
            if n:
                parent.children.append(leaf(n))
            continue
        if n.kind == "nocase":
            child = Out(kind="nocase")
        elif n.kind == "quote" and not n.outer:
            # a quote typed with the locale's inner marks stays inner when nothing quotes it
            child = Out(fmt=_SPAN_FMT["quote"], kind="inner-quote")
        else:
            child = Out(fmt=_SPAN_FMT.get(n.kind, EMPTY))
        _to_out(n.children, child)
        parent.children.append(child)


def rich(
    text: str,
    var: str | None = None,
    quotes: runs.QuoteTerms = runs.ENGLISH_QUOTES,
    text_case: str | None = None,
    lang: str | None = None,
) -> Out:
    """A field value (inline markup, quotes, apostrophes parsed) as an output subtree, text-cased."""
    parsed = runs.parse(text, quotes)
    if text_case:
        parsed = case.apply_case(parsed, text_case, lang)
    if len(parsed) == 1 and isinstance(parsed[0], str):
        return leaf(parsed[0], var=var)
    root = Out(var=var)
    _to_out(parsed, root)
    return root


def _leaves(node: Out, out: list[tuple[Out, bool]], nocase: bool = False) -> None:
    if node.kind == "nocase":
        nocase = True
    if node.text is not None:
        out.append((node, nocase))
        return
    for c in node.children:
        _leaves(c, out, nocase)


def apply_case(node: Out, text_case: str, lang: str | None) -> None:
    """text-case over the leaves of an already built subtree (terms, affix-free groups, macros).

    Only the first leaf with letters takes capitalize-first/sentence; every other
    case applies leaf by leaf through the text-rules library; nocase spans keep their text.
    """
    leaves: list[tuple[Out, bool]] = []
    _leaves(node, leaves)
    first = True
    for lf, nocase in leaves:
        t = lf.text or ""
        if not t.strip():
            continue
        if nocase:
            first = False
            continue
        if text_case in ("capitalize-first", "sentence"):
            if first:
                lf.text = case.apply_case_text(t, text_case, lang)
        else:
            lf.text = case.apply_case_text(t, text_case, lang)
        first = False


# ------------------------------------------------------------------ names


# ------------------------------------------------------------------ evaluator


class Evaluator:
    """Evaluates one context (citation or bibliography) of a style."""

    def __init__(self, style: Style, locale: Locale, ctx: Context, context_name: str) -> None:
        self._name_cache: dict[int, tuple[Mapping[str, Any], Name]] = {}
        self._dispatch: dict[type, Callable[[Any, _Run], Out | None]] = {
            Text: self._text,
            Group: self._group,
            Choose: self._choose,
            Names: self._names,
            DateNode: self._date,
            Number: self._number,
            Label: self._label,
        }
        self._layout_cache: dict[tuple[Any, ...], tuple[Mapping[str, Any], names_rules.NameLayout]] = {}
        # parsed dates by the identity of the item's value (kept alive with it), shared by the
        # several evaluations of one item (sort keys, disambiguation, the entry itself)
        self._date_cache: dict[int, tuple[Any, DateVal | None]] = {}
        self._opts_cache: dict[int, tuple[Any, dict[str, str]]] = {}
        # the name-part formats of a cs:name without their affixes (per style node)
        self._part_fmt_cache: dict[int, tuple[Any, dict[str, Fmt]]] = {}
        self.style = style
        self.locale = locale
        self.ctx = ctx
        self.context_name = context_name
        self.opts = ctx.options
        self.name_opts = ctx.name_options
        self.demote = style.options.get("demote-non-dropping-particle", "display-and-sort")
        self.init_hyphen = style.options.get("initialize-with-hyphen", "true") != "false"
        self.page_range = style.options.get("page-range-format")
        self.lang = locale.lang
        self.quotes = runs.QuoteTerms(
            locale.text("open-quote") or "\u201c",
            locale.text("close-quote") or "\u201d",
            locale.text("open-inner-quote") or "\u2018",
            locale.text("close-inner-quote") or "\u2019",
        )

    # ---- entry points
    def render(
        self,
        item: Mapping[str, Any],
        cite: CiteInfo = FIRST,
        state: ItemState | None = None,
        sorting: bool = False,
    ) -> Out:
        """The layout (without the layout's affixes) for one item."""
        run = _Run(item, cite, state or ItemState(), sorting=sorting)
        out = Out(kind="entry", delim=self.ctx.layout.delimiter if False else "")
        out.children = self._seq(self.ctx.layout.children, run)
        if run.state.year_suffix and not self.style.uses_year_suffix and not run.suffix_placed:
            pass
        return out

    def render_macro(
        self,
        name: str,
        item: Mapping[str, Any],
        state: ItemState,
        cite: CiteInfo,
        names: tuple[int | None, int | None, bool | None],
    ) -> Out:
        """A macro for a sort key (names honour the key's names-min/use-first/use-last)."""
        run = _Run(item, cite, state, sorting=True, sort_names=names)
        return Out(children=self._seq(self.style.macros.get(name, ()), run))

    # ---- generic
    def _seq(self, nodes: Sequence[Node], run: _Run) -> list[Out]:
        """Evaluated children; empty results are dropped here, so every node kept is non-empty."""
        out: list[Out] = []
        dispatch = self._dispatch
        for n in nodes:
            if type(n) is Choose:
                # cs:choose is transparent: its branch's output joins this sequence
                item_type = run.item.get("type")
                for br in n.branches:
                    conds = br.conditions
                    if conds and len(conds) == 1 and conds[0].kind == "type" and br.match in ("any", "none"):
                        # the most common test, inline: one type condition (any / none)
                        if (item_type in conds[0].values) != (br.match == "any"):
                            continue
                    elif conds and not self._test(conds, br.match, run):
                        continue
                    out.extend(self._seq(br.children, run))
                    break
                continue
            handler = dispatch.get(type(n))
            r = handler(n, run) if handler is not None else None
            if r is not None and (r.children if r.text is None else r.text):
                if r.kind == "choose":
                    # cs:choose is transparent: its branch's output joins the parent's sequence
                    out.extend(r.children)
                else:
                    out.append(r)
        return out

    def _eval(self, n: Node, run: _Run) -> Out | None:
        """One element, dispatched on its node class."""
        handler = self._dispatch.get(type(n))
        return handler(n, run) if handler is not None else None

    def _finish(self, out: Out, fmt: Fmt, cased: bool = False, run: _Run | None = None) -> Out:
        out.fmt = fmt
        if fmt.text_case and not cased:
            lang = self._lang(run)
            if fmt.text_case != "title" or self._title_ok(lang):
                apply_case(out, fmt.text_case, lang)
        return out

    def _used(self, run: _Run, var: str) -> None:
        """A variable rendered: counts for group suppression; inside cs:substitute it is used up."""
        run.rendered += 1
        if run.in_substitute:
            run.suppressed.add(var)
            if var == "editortranslator":
                run.suppressed.update(("editor", "translator"))

    def _lang(self, run: _Run | None) -> str | None:
        if run is not None:
            lang = run.item.get("language")
            if isinstance(lang, str) and lang:
                return lang
        return None

    def _title_ok(self, lang: str | None) -> bool:
        return case.title_case_applies(lang, self.style.default_locale)

    def _var(self, run: _Run, name: str) -> Any:
        """A variable's value for this cite (None when absent, empty or used up by cs:substitute)."""
        if name in run.suppressed:
            return None
        if name in _SPECIAL_VARS:
            return self._special_var(run, name)
        item = run.item
        v = item.get(name)
        if v is None:
            if name in _ALIASES:
                v = item.get(_ALIASES[name])
            if v is None and "-" in name:
                v = item.get(name.replace("-", "_"))
        if v == "" or v == []:
            return None
        return v

    def _date_var(self, run: _Run, name: str) -> DateVal | None:
        """A date variable parsed once per evaluation."""
        if name in run.suppressed:
            return None
        if name in run.dates:
            return run.dates[name]
        d = run.dates[name] = self._parse_date(self._var(run, name))
        return d

    def _parse_date(self, value: Any) -> DateVal | None:
        """:func:`parse_date`, once per value object (DateVal is immutable)."""
        if value is None:
            return None
        hit = self._date_cache.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        d = parse_date(value)
        self._date_cache[id(value)] = (value, d)
        return d

    def _special_var(self, run: _Run, name: str) -> Any:
        """Variables that come from the citation or the passes rather than from the item."""
        item = run.item
        if name == "locator":
            loc = run.cite.locator
            return loc.strip() or None if loc is not None else None
        if name == "citation-number":
            return run.state.citation_number
        if name == "first-reference-note-number":
            return run.cite.first_note
        if name == "year-suffix":
            return run.state.year_suffix or None
        if name == "page-first" and not item.get("page-first"):
            page = item.get("page")
            m = re.match(r"\s*([^\s,\-\u2013&]+)", str(page)) if page else None
            return m.group(1) if m else None
        if name == "citation-label":
            label = item.get("citation-label") or self._citation_label(item)
            if label and run.state.year_suffix and not self.style.uses_year_suffix:
                return f"{label}{run.state.year_suffix}"
            return label
        v = item.get(name)
        return None if v == "" or v == [] else v

    def _citation_label(self, item: Mapping[str, Any]) -> str | None:
        names = item.get("author") or item.get("editor") or []
        fam = [str(ir_name_of(n).family or n.get("literal") or "") for n in names if isinstance(n, Mapping)]
        d = parse_date(item.get("issued"))
        year = f"{d.start[0] % 100:02d}" if d and d.start else ""
        if not fam:
            return None
        # citeproc-js's default trigraph: Aaaa00 / AaAa00 / AaAA00 / AAAA00 (family names, no particles)
        if len(fam) == 1:
            key = fam[0][:4]
        elif len(fam) == 2:
            key = "".join(f[:2] for f in fam)
        elif len(fam) == 3:
            key = fam[0][:2] + "".join(f[:1] for f in fam[1:3])
        else:
            key = "".join(f[:1] for f in fam[:4])
        return key + year

    # ---- text
    def _text(self, n: Text, run: _Run) -> Out | None:
        src = n.source
        if src == "value":
            return self._finish(rich(n.value, None, self.quotes), n.fmt, run=run)
        if src == "term":
            t = self.locale.text(n.value, n.form, n.plural)
            if not t:
                return None
            out = self._finish(leaf(t, kind="term", var=n.value), n.fmt, run=run)
            if (
                n.value == "no date"
                and run.state.year_suffix
                and not self.style.uses_year_suffix
                and not run.suffix_placed
            ):
                # "n.d.-a": an undated item's year suffix follows the no-date term
                run.suffix_placed = True
                out = Out(children=[out, leaf("-"), leaf(run.state.year_suffix, kind="year-suffix")])
            return out
        if src == "macro":
            body = self.style.macros.get(n.value)
            if body is None or run.depth > 30:
                return None
            run.depth += 1
            before_c, before_r = run.called, run.rendered
            kids = self._seq(body, run)
            run.depth -= 1
            # a macro behaves like an implicit group for suppression
            if (run.called > before_c and run.rendered == before_r) or not kids:
                return None
            run.rendered += 1  # like a group, a macro that printed something is content around it
            out = Out(children=kids, kind="macro", var=n.value)
            return self._finish(out, n.fmt, run=run)
        # variable
        var = n.value
        if var != "year-suffix":
            # an empty year-suffix does not suppress its group (it is filled in late, as in citeproc-js)
            run.called += 1
        if var == "title" and n.form == "short":
            value = self._var(run, "title-short") or self._var(run, "shortTitle") or self._var(run, "title")
        elif n.form == "short" and var not in ("citation-number", "year-suffix", "locator"):
            value = self._var(run, var + "-short") or self._var(run, var)
            if var == "container-title" and self._var(run, "container-title-short"):
                value = self._var(run, "container-title-short")
            if (
                var == "container-title"
                and not self._var(run, "container-title-short")
                and self._var(run, "journalAbbreviation")
            ):
                value = self._var(run, "journalAbbreviation")
        else:
            value = self._var(run, var)
        if value is None or value == "":
            return None
        self._used(run, var)
        if var == "year-suffix":
            if run.sorting:
                return None
            run.suffix_placed = True
            return self._finish(leaf(str(value), kind="year-suffix", var=var), n.fmt, run=run)
        if var == "citation-number":
            out = leaf(str(value), kind="citation-number", var=var)
            return self._finish(out, n.fmt, run=run)
        if var == "locator" and (run.cite.label or "page") != "page" and not is_numeric(str(value)):
            return self._finish(rich(str(value), var, self.quotes), n.fmt, run=run)
        if var in ("page", "locator") and isinstance(value, str | int):
            text = self._page(str(value), var, run)
            return self._finish(
                leaf(text, var=var, kind="locator" if var == "locator" else ""), n.fmt, run=run
            )
        text = str(value)
        if var in NUMBER_VARS and "-" in text and is_numeric(text):
            # a numeric range in a number variable (issue 3-4) takes the range dash, as cs:number would
            text = numbers.format_page_range(text, None, "\u2013")
        if var in ("URL", "DOI", "url", "doi"):
            # an identifier keeps its periods whatever strip-periods says (a DOI without
            # them is another DOI); citeproc-js does the same
            fmt = replace(n.fmt, strip_periods=False) if n.fmt.strip_periods else n.fmt
            return self._finish(leaf(text, var=var), fmt, run=run)
        tc = n.fmt.text_case
        lang = self._lang(run)
        if tc == "title" and not self._title_ok(lang):
            tc = None
        node = rich(text, var, self.quotes, tc, lang)
        node.var = var
        return self._finish(node, n.fmt, cased=True)

    def _page(self, text: str, var: str, run: _Run) -> str:
        """page-range-format for pages (and locators labelled page); hyphens become the range delimiter."""
        delim = self.locale.text("page-range-delimiter") or "\u2013"
        if "&" in text and is_numeric(text):
            # "213 & 235": the ampersand is the locale's symbol for "and"
            symbol = self.locale.text("and", "symbol") or "&"
            text = _AMPERSAND.sub(f" {symbol} ", text)
        if var == "locator" and (run.cite.label or "page") != "page":
            return numbers.format_page_range(text, None, delim) if is_numeric(text) else text
        return numbers.format_page_range(text, self.page_range, delim)

    # ---- group / choose
    def _group(self, n: Group, run: _Run) -> Out | None:
        before_c, before_r = run.called, run.rendered
        kids = self._seq(n.children, run)
        if (run.called > before_c and run.rendered == before_r) or not kids:
            return None
        # a group that printed something counts as content for the groups around it
        run.rendered += 1
        out = Out(children=kids, delim=n.delimiter, kind="group")
        return self._finish(out, n.fmt, run=run)

    def _choose(self, n: Choose, run: _Run) -> Out | None:
        for br in n.branches:
            if not br.conditions or self._test(br.conditions, br.match, run):
                kids = self._seq(br.children, run)
                return Out(children=kids, kind="choose") if kids else None
        return None

    def _test(self, conds: Sequence[Any], match: str, run: _Run) -> bool:
        """match all/any/none over every value of every condition, stopping at the first decisive one."""
        if match == "all":
            for c in conds:
                if c.kind == "type":
                    # an item has one type, so several types in one test mean "one of
                    # these" whatever ``match`` says: citeproc-js reads them so, and
                    # styles in the official repository rely on it
                    # (``<if type="thesis manuscript">``)
                    if run.item.get("type") not in c.values:
                        return False
                    continue
                for v in c.values:
                    if not self._cond(c.kind, v, run):
                        return False
            return True
        item = run.item
        for c in conds:
            kind = c.kind
            if kind == "type":
                if item.get("type") in c.values:
                    return match == "any"
                continue
            if kind == "variable":
                for v in c.values:
                    if v in _COND_SLOW_VARS:
                        if self._cond(kind, v, run):
                            return match == "any"
                    elif _present(item, v):
                        return match == "any"
                continue
            for v in c.values:
                if self._cond(kind, v, run):
                    return match == "any"
        return match == "none"

    def _cond(self, kind: str, v: str, run: _Run) -> bool:
        if kind == "type":
            return run.item.get("type") == v
        if kind == "variable":
            # conditions see variables used up by cs:substitute (only their printing is suppressed)
            if v in DATE_VARS:
                d = self._parse_date(run.item.get(v))
                return d is not None and bool(d.start or d.literal)
            if v not in _SPECIAL_VARS:
                val = run.item.get(v)
                if val is not None:
                    return bool(val != "" and val != [])
            hidden = v in run.suppressed
            run.suppressed.discard(v)
            present = self._var(run, v) is not None
            if hidden:
                run.suppressed.add(v)
            return present
        if kind == "is-numeric":
            return is_numeric(self._var(run, v))
        if kind == "is-uncertain-date":
            d = self._date_var(run, v)
            return bool(d and d.circa)
        if kind == "locator":
            lab = run.cite.label or ("page" if run.cite.locator else None)
            return lab == v or (v == "sub-verbo" and lab == "sub verbo")
        if kind == "position":
            if self.context_name == "bibliography":
                return False
            pos = run.cite.position
            if v == "first":
                return pos == "first"
            if v == "subsequent":
                return pos != "first"
            if v == "ibid":
                return pos in ("ibid", "ibid-with-locator")
            if v == "ibid-with-locator":
                return pos == "ibid-with-locator"
            if v == "near-note":
                return run.cite.near_note and pos != "first"
            return False
        if kind == "disambiguate":
            flag = run.state.disambiguate or (
                run.state.disambiguate_subsequent
                and run.cite.position != "first"
                and self.context_name == "citation"
            )
            return flag == (v == "true")
        return False

    # ---- number / label
    def _number(self, n: Number, run: _Run) -> Out | None:
        run.called += 1
        value = self._var(run, n.variable)
        if value is None or value == "":
            return None
        self._used(run, n.variable)
        text = str(value)
        if not is_numeric(text):
            return self._finish(rich(text, n.variable, self.quotes), n.fmt, run=run)
        gender = self.locale.gender(n.variable) if n.form in ("ordinal", "long-ordinal") else None
        text = numbers.render_number(text, n.form, self.locale.ordinal_lookup, gender)
        return self._finish(leaf(text, var=n.variable), n.fmt, run=run)

    def _plural(self, value: Any) -> bool:
        """Plural for a label: more than one number (``213, and 235``, ``1-2``, ``i–ix``, ``1 et 2``)."""
        if isinstance(value, int):
            return value != 1
        text = str(value)
        parts = numbers.split_number(text)
        counted = [p for p in parts if p.number is not None or _ROMAN_WORD.match(p.text)]
        if len(counted) > 1:
            return True
        # numbers joined by a word of another language ("213 et 235")
        return bool(_WORD_JOINED.search(text))

    def _label(self, n: Label, run: _Run) -> Out | None:
        var = n.variable
        if var == "locator":
            value = run.cite.locator
            term = run.cite.label or "page"
            if " " in term and self.locale.term(term) is None:
                term = term.replace(" ", "-")
        else:
            value = self._var(run, var)
            term = var
        if value is None or value == "":
            if var == "locator" or run.sorting:
                return None
            # citeproc-js prints the label of an absent variable in its singular form (a group
            # around it still needs a rendered variable to show), e.g. "(3 vol)" where a style
            # pairs number-of-volumes with the label of volume
            t = self.locale.text(term, n.form, n.plural == "always")
            return self._finish(leaf(t, kind="label"), n.fmt, run=run) if t else None
        if n.plural == "always":
            plural = True
        elif n.plural == "never":
            plural = False
        elif var == "number-of-pages" or var == "number-of-volumes":
            plural = is_numeric(value) and str(value).strip() not in ("1",) and self._num_plural(value)
        else:
            plural = self._plural(value)
        t = self.locale.text(term, n.form, plural)
        if not t:
            return None
        return self._finish(leaf(t, kind="label"), n.fmt, run=run)

    def _num_plural(self, value: Any) -> bool:
        try:
            return int(str(value).strip()) != 1
        except ValueError:
            return self._plural(value)

    # ---- dates
    def _date(self, n: DateNode, run: _Run) -> Out | None:
        run.called += 1
        d = self._date_var(run, n.variable)
        if d is None:
            return None
        if run.sorting:
            run.rendered += 1
            # in a sort key a date is its chronological key (no names of months, no year suffix)
            if n.form:
                shown = {"year-month": 2, "year": 1}.get(n.date_parts, 3)
            else:
                names = {p.name for p in n.parts}
                shown = 3 if "day" in names else 2 if "month" in names else 1
            return leaf(date_key(d, shown), kind="date", var=n.variable)
        if d.literal is not None and not d.start:
            self._used(run, n.variable)
            return self._finish(leaf(d.literal, var=n.variable, kind="date"), n.fmt, run=run)
        if n.form:
            fmt_parts = self.locale.date_format(n.form)
            if fmt_parts is None:
                return None
            base, base_fmt, locale_delim = fmt_parts
            wanted = {
                "year-month-day": ("year", "month", "day"),
                "year-month": ("year", "month"),
                "year": ("year",),
            }.get(n.date_parts, ("year", "month", "day"))
            over = {p.name: p for p in n.parts}
            parts = []
            for p in base:
                if p.name not in wanted:
                    continue
                o = over.get(p.name)
                if o is not None:
                    f = o.fmt
                    merged = Fmt(
                        prefix=p.fmt.prefix,
                        suffix=p.fmt.suffix,
                        font_style=f.font_style or p.fmt.font_style,
                        font_variant=f.font_variant or p.fmt.font_variant,
                        font_weight=f.font_weight or p.fmt.font_weight,
                        text_decoration=f.text_decoration or p.fmt.text_decoration,
                        vertical_align=f.vertical_align or p.fmt.vertical_align,
                        quotes=f.quotes,
                        text_case=f.text_case or p.fmt.text_case,
                        strip_periods=f.strip_periods or p.fmt.strip_periods,
                    )
                    parts.append(
                        DatePart(p.name, o.form or p.form, merged, o.range_delimiter or p.range_delimiter)
                    )
                else:
                    parts.append(p)
            delim = locale_delim
            outer = Fmt(
                prefix=n.fmt.prefix,
                suffix=n.fmt.suffix,
                font_style=n.fmt.font_style,
                font_variant=n.fmt.font_variant,
                font_weight=n.fmt.font_weight,
                text_decoration=n.fmt.text_decoration,
                vertical_align=n.fmt.vertical_align,
                display=n.fmt.display,
                quotes=n.fmt.quotes,
                text_case=n.fmt.text_case,
            )
            fmt = outer
            del base_fmt
        else:
            parts = list(n.parts)
            delim = n.delimiter
            fmt = n.fmt
        out = self._date_body(parts, d, delim, run)
        if out is None:
            return None
        self._used(run, n.variable)
        out.kind = "date"
        out.var = n.variable
        return self._finish(out, fmt, run=run)

    def _date_body(self, parts: list[DatePart], d: DateVal, delim: str, run: _Run) -> Out | None:
        start = d.start
        end = d.end
        if end is not None and len(end) < len(start):
            end = end + start[len(end) :]
        if end is not None:
            end = tuple(end[: len(start)]) if len(end) >= len(start) else end
        if end is not None and end and end[0] == 0:
            # an open range ("1987–"): the start and the range delimiter
            opened = [k for k in (self._dpart(p, start, d, run) for p in parts) if k is not None]
            if not opened:
                return None
            rd = (
                next((p.range_delimiter for p in parts if p.name == "year" and p.range_delimiter), None)
                or "\u2013"
            )
            return Out(children=[Out(children=opened, delim=delim), leaf(rd, kind="range")])
        if end is None or end == start:
            kids2 = [k for k in (self._dpart(p, start, d, run) for p in parts) if k is not None]
            if not kids2:
                return None
            return Out(children=kids2, delim=delim)
        names = ["year", "month", "day"]
        diff = next((i for i in range(min(len(start), len(end))) if start[i] != end[i]), len(start) - 1)
        level = names[diff]
        diffset = set(names[diff:])
        present = [p for p in parts if self._dpart(p, start, d, run, suffix_here=False) is not None]
        idx = [i for i, p in enumerate(present) if p.name in diffset]
        if not idx:
            same = [k for k in (self._dpart(p, start, d, run) for p in present) if k is not None]
            return Out(children=same, delim=delim)
        lo, hi = idx[0], idx[-1]
        rdelim = (
            next((p.range_delimiter for p in present if p.name == level and p.range_delimiter), None)
            or "\u2013"
        )
        before = [self._dpart(p, start, d, run) for p in present[:lo]]
        # a range's year suffix follows its end ("1984–1986a")
        seg_a = [self._dpart(p, start, d, run, suffix_here=False) for p in present[lo : hi + 1]]
        seg_b = [self._dpart(p, end, d, run, end_side=True) for p in present[lo : hi + 1]]
        after = [self._dpart(p, start, d, run) for p in present[hi + 1 :]]
        a_nodes: list[Out] = [k for k in seg_a if k is not None]
        b_nodes: list[Out] = [k for k in seg_b if k is not None]
        if a_nodes:
            last = a_nodes[-1]
            last.fmt = _strip_affix(last.fmt, suffix=True)
        if b_nodes:
            first = b_nodes[0]
            first.fmt = _strip_affix(first.fmt, prefix=True)
        rng = Out(
            children=[
                Out(children=a_nodes, delim=delim),
                leaf(rdelim, kind="range"),
                Out(children=b_nodes, delim=delim),
            ]
        )
        whole: list[Out] = [k for k in before if k is not None] + [rng] + [k for k in after if k is not None]
        return Out(children=whole, delim=delim)

    def _part_leaf(self, text: str, f: Fmt) -> Out:
        out = leaf(text, fmt=f)
        if f.text_case:
            apply_case(out, f.text_case, None)
        return out

    def _dpart(
        self,
        p: DatePart,
        ymd: tuple[int, ...],
        d: DateVal,
        run: _Run,
        end_side: bool = False,
        suffix_here: bool = True,
    ) -> Out | None:
        """One date part; ``suffix_here``: an implicit year suffix may follow this year."""
        name = p.name
        form = p.form
        if name == "year":
            if not ymd:
                return None
            y = ymd[0]
            if y < 0:
                text = f"{-y}{self.locale.text('bc')}"
            elif form == "short":
                text = f"{y % 100:02d}"
            elif 0 < y < 1000:
                text = f"{y}{self.locale.text('ad')}"
            else:
                text = str(y)
            out = leaf(text, kind="year")
            if (
                run.state.year_suffix
                and not self.style.uses_year_suffix
                and not run.suffix_placed
                and suffix_here
            ):
                run.suffix_placed = True
                out = Out(children=[out, leaf(run.state.year_suffix, kind="year-suffix")])
            return Out(children=[out], fmt=p.fmt)
        if name == "month":
            season: int | str | None = None
            if len(ymd) >= 2 and 13 <= ymd[1] <= 24:
                season = (ymd[1] - 13) % 4 + 1
            elif len(ymd) < 2 and d.season and not end_side:
                season = d.season
            if season is not None:
                if isinstance(season, int) or (isinstance(season, str) and season.isdigit()):
                    text = self.locale.text(f"season-{int(season):02d}")
                else:
                    text = str(season)
                return leaf(text, fmt=_no_case_strip(p.fmt)) if text else None
            if len(ymd) < 2 or not 1 <= ymd[1] <= 12:
                return None
            m = ymd[1]
            if form == "numeric":
                text = str(m)
            elif form == "numeric-leading-zeros":
                text = f"{m:02d}"
            elif form == "short":
                text = self.locale.text(f"month-{m:02d}", "short")
            else:
                text = self.locale.text(f"month-{m:02d}", "long")
            return self._part_leaf(text, p.fmt)
        if name == "day":
            if len(ymd) < 3 or not ymd[2]:
                return None
            day = ymd[2]
            if form == "numeric-leading-zeros":
                text = f"{day:02d}"
            elif form == "ordinal":
                if self.locale.limit_day_ordinals and day != 1:
                    text = str(day)
                else:
                    gender = self.locale.gender(f"month-{ymd[1]:02d}") if len(ymd) > 1 else None
                    text = numbers.ordinal(day, self.locale.ordinal_lookup, gender)
            else:
                text = str(day)
            return self._part_leaf(text, p.fmt)
        return None

    # ---- names
    def _name_opts(self, n: Names) -> dict[str, str]:
        """cs:name's options: inherited ones (``name-form``, ``name-delimiter`` renamed) under its own.

        They depend only on the cs:name element (a style node, kept alive in the cache), so
        they are merged once per element; callers only read the dict.
        """
        hit = self._opts_cache.get(id(n.name))
        if hit is not None and hit[0] is n.name:
            return hit[1]
        opts = {_INHERITED_AS.get(k, k): v for k, v in self.name_opts.items()}
        if n.name is not None:
            opts.update(n.name.attrs)
        self._opts_cache[id(n.name)] = (n.name, opts)
        return opts

    def _names(self, n: Names, run: _Run, parent: Names | None = None) -> Out | None:
        run.called += 1
        if parent is None and n.name is None and run.substituting is not None:
            # a shorthand cs:names anywhere inside cs:substitute (also within cs:choose)
            parent = run.substituting
        if parent is not None and n.name is None:
            n = Names(
                n.fmt,
                n.line,
                n.variables,
                parent.name,
                parent.et_al,
                parent.et_al_term,
                parent.label if n.label is None else n.label,
                parent.label_first,
                None,
                n.delimiter if n.delimiter is not None else parent.delimiter,
            )
        if (
            run.cite.suppress_author
            and run.first_names
            and self.context_name == "citation"
            and parent is None
        ):
            run.first_names = False
            return None
        lists: list[tuple[str, list[Mapping[str, Any]]]] = []
        for var in n.variables:
            v = self._var(run, var)
            if isinstance(v, list) and v:
                lists.append((var, [x for x in v if isinstance(x, Mapping)]))
        # editor + translator with the same names render once with the editortranslator term
        if len(lists) >= 2:
            vs = [v for v, _ in lists]
            if "editor" in vs and "translator" in vs:
                ed = dict(lists)["editor"]
                tr = dict(lists)["translator"]
                # combined only when the locale has a word for the combined role
                combined_term = n.label is None or bool(self.locale.text("editortranslator", n.label.form))
                if ed == tr and combined_term:
                    lists = [
                        (v, names) if v != "editor" else ("editortranslator", names)
                        for v, names in lists
                        if v != "translator"
                    ]
        if not lists:
            if n.substitute:
                for sub in n.substitute:
                    before = run.rendered
                    run.in_substitute += 1
                    outer, run.substituting = run.substituting, n
                    r = self._names(sub, run, parent=n) if isinstance(sub, Names) else self._eval(sub, run)
                    run.substituting = outer
                    run.in_substitute -= 1
                    if r is not None and not r.is_empty():
                        # (the variables it rendered are used up already, see _used)
                        run.rendered = before + 1
                        r = Out(children=[r], kind="names", var="substitute")
                        r.data = getattr(r.children[0], "data", None) or _find_data(r)
                        return self._finish(r, n.fmt, run=run)
            return None
        run.first_names = False
        for var, _names in lists:
            self._used(run, var)
        opts = self._name_opts(n)
        name_fmt = n.name.fmt if n.name else EMPTY
        outs = []
        all_names: list[tuple[str, list[Mapping[str, Any]]]] = []
        for var, names in lists:
            rendered = self._name_list(var, names, n, opts, run, name_fmt)
            all_names.append((var, names))
            if rendered is None:
                continue
            if n.label is not None and not run.sorting:  # labels are no part of a sort key
                term_var = var
                lab_plural = len(names) > 1
                if n.label.plural == "always":
                    lab_plural = True
                elif n.label.plural == "never":
                    lab_plural = False
                t = self.locale.text(term_var, n.label.form, lab_plural)
                if t:
                    lab = leaf(t, fmt=n.label.fmt, kind="label")
                    if n.label.fmt.text_case:
                        apply_case(lab, n.label.fmt.text_case, "en")
                    rendered = Out(children=[lab, rendered] if n.label_first else [rendered, lab])
            outs.append(rendered)
        if not outs:
            return None
        if opts.get("form") == "count" or (n.name and n.name.attrs.get("form") == "count"):
            total = sum(int(o.text or "0") for o in outs if o.text is not None)
            if not total:
                return None
            out = leaf(str(total), kind="names")
            return self._finish(out, n.fmt, run=run)
        delim = n.delimiter if n.delimiter is not None else opts.get("names-delimiter", "")
        out = Out(children=outs, delim=delim, kind="names", var=lists[0][0])
        out.data = all_names
        return self._finish(out, n.fmt, run=run)

    def _name_list(
        self,
        var: str,
        names: list[Mapping[str, Any]],
        n: Names,
        opts: Mapping[str, str],
        run: _Run,
        name_fmt: Fmt,
    ) -> Out | None:
        form = opts.get("form", "long")
        delim = opts.get("delimiter", opts.get("name-delimiter", ", "))
        et_al_min = _int(opts.get("et-al-min"))
        use_first = _int(opts.get("et-al-use-first"))
        if run.cite.position != "first" and self.context_name == "citation":
            et_al_min = _int(opts.get("et-al-subsequent-min")) or et_al_min
            use_first = _int(opts.get("et-al-subsequent-use-first")) or use_first
        use_last = opts.get("et-al-use-last") == "true"
        if run.sorting:
            mn, uf, ul = run.sort_names
            if mn is not None:
                et_al_min = mn
            if uf is not None:
                use_first = uf
            if ul is not None:
                use_last = ul
        count = len(names)
        truncated_data = var in _truncated(run.item) or (
            var == "editortranslator" and "editor" in _truncated(run.item)
        )
        shown = count
        et_al = False
        if et_al_min and use_first is not None and count >= et_al_min:
            shown = min(count, max(use_first, 0) + run.state.add_names)
            et_al = shown < count
        if truncated_data:
            et_al = True
        if form == "count":
            return leaf(str(shown))
        if shown == 0:
            return None
        idx = list(range(shown))
        pieces: list[Out] = []
        for i in idx:
            pieces.append(self._one_name(var, names[i], i, opts, run, n))
        if run.sorting:
            # a sort key: the names alone, in order (no connectors, no et-al term);
            # with et-al-use-last (or the key's names-use-last) the last name too,
            # as it is printed, so "A, … Z" sorts after "A, … B"
            if et_al and use_last and not truncated_data and 1 <= shown < count - 1:
                pieces.append(self._one_name(var, names[-1], count - 1, opts, run, n))
            keyed: list[Out] = []
            for p in pieces:
                if keyed:
                    keyed.append(leaf(" "))
                keyed.append(p)
            return Out(children=[Out(children=keyed, kind="namelist", var=var)])
        and_t = opts.get("and")
        and_word = ""
        if and_t == "text":
            and_word = self.locale.text("and")
        elif and_t == "symbol":
            and_word = "&"
        children: list[Out] = []
        sort_order = opts.get("name-as-sort-order")

        def inverted(i: int) -> bool:
            if i < len(names) and names[i].get("literal") and not names[i].get("family"):
                return False  # an organisation's name is never inverted
            return sort_order == "all" or (sort_order == "first" and i == 0)

        for i, p in enumerate(pieces):
            if i > 0:
                last = i == len(pieces) - 1 and not et_al
                if last and and_word:
                    dpl = opts.get("delimiter-precedes-last", "contextual")
                    use_delim = (
                        dpl == "always"
                        or (dpl == "contextual" and len(pieces) >= 3)
                        or (dpl == "after-inverted-name" and inverted(i - 1))
                    )
                    sep = (delim if use_delim else " ") + and_word + " "
                    if use_delim and delim.endswith(" "):
                        sep = delim + and_word + " "
                    children.append(leaf(sep, kind="delim"))
                else:
                    children.append(leaf(delim, kind="delim"))
            children.append(p)
        if et_al:
            if use_last and not truncated_data and shown < count - 1 and shown >= 1:
                children.append(leaf(delim + "\u2026 ", kind="delim"))
                children.append(self._one_name(var, names[-1], count - 1, opts, run, n))
            else:
                term = self.locale.text(n.et_al_term)
                if term:
                    dpe = opts.get("delimiter-precedes-et-al", "contextual")
                    use_delim = (
                        dpe == "always"
                        or (dpe == "contextual" and shown >= 2)
                        or (dpe == "after-inverted-name" and inverted(shown - 1))
                    )
                    # a CJK et-al term ("等") follows the name without a space
                    space = "" if term[:1] >= "\u2e80" else " "
                    children.append(leaf(delim if use_delim else space, kind="delim"))
                    children.append(leaf(term, fmt=n.et_al or EMPTY, kind="etal"))
        out = Out(children=children, kind="namelist", var=var)
        out.fmt = name_fmt
        if name_fmt.text_case:
            apply_case(out, name_fmt.text_case, "en")
        return Out(children=[out])

    def _one_name(
        self, var: str, name: Mapping[str, Any], i: int, opts: Mapping[str, str], run: _Run, n: Names
    ) -> Out:
        """One name as a subtree: given and family parts carry their cs:name-part formatting."""
        nn = n.name
        given_fmt = nn.given if nn else None
        family_fmt = nn.family if nn else None
        hit = self._name_cache.get(id(name))
        if hit is not None and hit[0] is name:
            ir_name = hit[1]
        else:
            ir_name = ir_name_of(name)
            self._name_cache[id(name)] = (name, ir_name)
        if ir_name.literal is not None:
            # an institution's name takes the family name-part's formatting
            lit = _name_part(ir_name.literal)
            if family_fmt is not None:
                lit = Out(children=[lit], fmt=family_fmt)
                if family_fmt.text_case:
                    apply_case(lit, family_fmt.text_case, self._lang(run))
            return Out(children=[lit], kind="name")
        if ir_name.family is None and ir_name.given:
            return leaf(ir_name.given, kind="name")
        form = opts.get("form", "long")
        level = run.state.givenname.get((var, i), 0)
        # given-name disambiguation: level 1 adds initials (or the given name when the
        # style does not initialise), level 2 the full given name
        if level >= 1 and form == "short":
            form = "long"
        init_with = opts.get("initialize-with")
        if level >= 2:
            init_with = None
        lang = self._lang(run)
        inverted = run.sorting or names_rules.is_inverted(opts.get("name-as-sort-order"), i)
        initialize = opts.get("initialize", "true") != "false"
        sep = opts.get("sort-separator", ", ")
        key = (id(name), form, init_with, initialize, inverted, run.sorting, sep, lang)
        cached = self._layout_cache.get(key)
        if cached is not None and cached[0] is name:
            lay = cached[1]
        else:
            given = None
            if ir_name.given and init_with is not None and names_rules.name_script(ir_name, lang) == 2:
                given = names_rules.initialize(
                    ir_name.given, init_with, initialize=initialize, hyphen=self.init_hyphen
                )
            lay = names_rules.layout(
                ir_name,
                inverted=inverted,
                given=given,
                short=form == "short",
                demote="display-and-sort" if run.sorting and self.demote == "sort-only" else self.demote,
                sort_separator=sep,
                language=lang,
            )
            self._layout_cache[key] = (name, lay)
        # cs:name-part: formatting and text-case on each part it covers (given → given and
        # dropping particle; family → family and non-dropping particle), affixes around its span
        part_hit = self._part_fmt_cache.get(id(nn))
        if part_hit is not None and part_hit[0] is nn:
            part_fmt = part_hit[1]
        else:
            part_fmt = {}
            if given_fmt is not None:
                inner_given = replace(given_fmt, prefix="", suffix="")
                part_fmt["given"] = part_fmt["dropping"] = inner_given
            if family_fmt is not None:
                inner_family = replace(family_fmt, prefix="", suffix="")
                part_fmt["family"] = part_fmt["non-dropping"] = inner_family
            self._part_fmt_cache[id(nn)] = (nn, part_fmt)
        pieces: list[Out] = []
        for kind, text in lay.parts:
            node = _name_part(text)
            f = part_fmt.get(kind)
            if f is not None:
                node = Out(children=[node], fmt=f)
                if f.text_case:
                    apply_case(node, f.text_case, lang)
            pieces.append(node)
        kids: list[Out] = []
        spans = []
        if lay.given_span is not None and given_fmt is not None and (given_fmt.prefix or given_fmt.suffix):
            spans.append((lay.given_span, Fmt(prefix=given_fmt.prefix, suffix=given_fmt.suffix)))
        if (
            lay.family_span is not None
            and family_fmt is not None
            and (family_fmt.prefix or family_fmt.suffix)
        ):
            spans.append((lay.family_span, Fmt(prefix=family_fmt.prefix, suffix=family_fmt.suffix)))
        if not spans:
            return Out(children=pieces, kind="name")
        k = 0
        while k < len(pieces):
            span = next((sp for sp in spans if sp[0][0] == k), None)
            if span is not None:
                (lo, hi), f = span
                kids.append(Out(children=pieces[lo:hi], fmt=f))
                k = max(hi, k + 1)
                continue
            kids.append(pieces[k])
            k += 1
        return Out(children=kids, kind="name")


def _name_part(text: str) -> Out:
    """A piece of a name: markup in it is honoured, straight apostrophes become typographic."""
    if "<" in text:
        return rich(text)
    return leaf(text.replace("'", "\u2019"))


def ir_name_of(name: Mapping[str, Any]) -> Name:
    """A CSL-JSON name as the IR's Name, particles split out of family/given as citeproc-js reads them."""

    def get(key: str) -> str | None:
        v = name.get(key)
        return str(v) if v is not None and v != "" else None

    lit = get("literal")
    family = get("family")
    if family and len(family) > 2 and family[0] == family[-1] == '"':
        # a quoted family name is taken as written (no particles split off)
        return Name(family=family[1:-1], given=get("given"), suffix=get("suffix"))
    given = get("given")
    if lit is not None and family is None and given is None:
        return Name(literal=lit)
    ir = Name(
        family=family,
        given=given,
        dropping_particle=get("dropping-particle"),
        non_dropping_particle=get("non-dropping-particle"),
        suffix=get("suffix"),
        comma_suffix=bool(name.get("comma-suffix")),
        static_ordering=bool(name.get("static-ordering")),
    )
    if given and ", " in given and not ir.suffix:
        # "John, III" / "John,! Jr." in given: a suffix (the "!" asks for a comma before it)
        head, _, tail = given.partition(", ")
        comma = tail.startswith("! ")
        ir = replace(
            ir, given=head or None, suffix=tail[2:] if comma else tail, comma_suffix=comma or ir.comma_suffix
        )
    if given and ",! " in given and not ir.suffix:
        head, _, tail = given.partition(",! ")
        ir = replace(ir, given=head or None, suffix=tail, comma_suffix=True)
    if name.get("parse-names") is False or name.get("parse-names") == "false":
        return ir
    return names_rules.split_particles(ir)


def _strip_affix(f: Fmt, prefix: bool = False, suffix: bool = False) -> Fmt:
    from dataclasses import replace

    return replace(f, prefix="" if prefix else f.prefix, suffix="" if suffix else f.suffix)


def _no_case_strip(f: Fmt) -> Fmt:
    return f


def _int(v: str | None) -> int | None:
    if v is None:
        return None
    try:
        return int(v)
    except ValueError:
        return None


def _truncated(item: Mapping[str, Any]) -> frozenset[str]:
    custom = item.get("custom")
    if isinstance(custom, Mapping):
        t = custom.get("truncated")
        if isinstance(t, list):
            return frozenset(str(x) for x in t)
    return frozenset()


def _find_data(node: Out) -> object:
    if node.data is not None:
        return node.data
    for c in node.children:
        d = _find_data(c)
        if d is not None:
            return d
    return None


def normalize(text: str) -> str:
    """NFC form (used for comparisons)."""
    return unicodedata.normalize("NFC", text)
