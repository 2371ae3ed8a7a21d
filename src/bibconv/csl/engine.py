"""Whole-document processing: positions, sorting, citation numbers, disambiguation,
collapsing, subsequent-author-substitute, second-field-align, and the public API.

:func:`process` takes CSL-JSON items and citations and returns the formatted
citations and bibliography.  Each pass works on :class:`ItemState` values or
on the output trees of the evaluator; nothing re-parses rendered strings
except the plain-text comparisons that decide ambiguity.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bibconv.csl.evaluate import (
    CiteInfo,
    Evaluator,
    ItemState,
    date_key,
    ir_name_of,
    is_numeric,
    parse_date,
    rich,
)
from bibconv.csl.locale import Locale, LocaleError, get_locale
from bibconv.csl.output import Out, Renderer, leaf
from bibconv.csl.style import EMPTY, Context, Fmt, SortKey, Style, StyleError, load_style
from bibconv.csl.textrules import names as names_rules
from bibconv.diagnostics import Diagnostic
from bibconv.progress import Progress

__all__ = ["Citation", "CitationResult", "Cite", "Result", "process", "process_records"]


@dataclass(frozen=True, slots=True)
class Cite:
    """One cited item inside a citation."""

    id: str
    locator: str | None = None
    label: str | None = None
    prefix: str = ""
    suffix: str = ""
    suppress_author: bool = False
    author_only: bool = False


@dataclass(frozen=True, slots=True)
class Citation:
    """A citation cluster: cites and an optional note number (note styles, positions)."""

    items: tuple[Cite, ...]
    note_index: int | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> Citation:
        """citeproc-js's shape ``{"citationItems": [...], "properties": {"noteIndex": 1}}`` or a bare list."""
        if isinstance(data, Mapping):
            raw_items = data.get("citationItems") or []
            props = data.get("properties") or {}
            note = props.get("noteIndex") if isinstance(props, Mapping) else None
        else:
            raw_items = list(data)
            note = None
        cites = []
        for it in raw_items:
            loc = it.get("locator")
            cites.append(
                Cite(
                    id=str(it.get("id")),
                    locator=None if loc is None or loc == "" else str(loc),
                    label=it.get("label"),
                    prefix=str(it.get("prefix") or ""),
                    suffix=str(it.get("suffix") or ""),
                    suppress_author=bool(it.get("suppress-author") or it.get("suppress_author")),
                    author_only=bool(it.get("author-only") or it.get("author_only")),
                )
            )
        return cls(
            tuple(cites), note if isinstance(note, int) and not isinstance(note, bool) and note >= 0 else None
        )


@dataclass(frozen=True, slots=True)
class CitationResult:
    """One formatted citation."""

    text: str
    note_index: int | None


@dataclass(frozen=True, slots=True)
class Result:
    """Formatted citations, bibliography entries (in order) and diagnostics."""

    citations: tuple[CitationResult, ...]
    bibliography: tuple[str, ...]
    bibliography_ids: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    format: str = "html"
    second_field_align: bool = False

    def bibliography_html(self) -> str:
        """The bibliography wrapped as citeproc-js wraps it."""
        body = "\n".join(f'  <div class="csl-entry">{e}</div>' for e in self.bibliography)
        return f'<div class="csl-bib-body">\n{body}\n</div>'


# ------------------------------------------------------------------ sorting


def _sort_text(s: str) -> str:
    """A sort string that orders as citeproc-js's collation does.

    citeproc-js compares keys with the locale collation at base strength, ignoring
    punctuation, with numbers compared as numbers, after writing every space as a
    separator symbol.  So accents, case and punctuation do not count (``x-z`` is
    ``xz``), each space does (``a b`` sorts before ``ab``, ``2023. . Online`` before
    ``2023. In: …``), symbols sort before digits and digits before letters, and
    ``a9`` before ``a10``.  Here: accents dropped, case folded, punctuation
    deleted, a space → ``\x01``, a symbol → ``\x02``, digit runs zero-padded.
    """
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s)
        s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.strip().casefold().translate(_SORT_TABLE)
    if _SORT_DIGITS.search(s) is None:
        return s
    return _SORT_DIGITS.sub(_pad_number, s)


_SORT_DIGITS = re.compile(r"\d+")


def _pad_number(m: re.Match[str]) -> str:
    """A digit run, zero-padded so that numbers compare by value (up to 30 digits)."""
    return m.group().lstrip("0").rjust(30, "0")


class _SortTable(dict[int, "int | None"]):
    """str.translate table for :func:`_sort_text`, filled as characters are met:
    punctuation and white space other than the space deleted, the space → 1,
    symbols → 2, everything else kept."""

    def __missing__(self, cp: int) -> int | None:
        cat = unicodedata.category(chr(cp))
        out: int | None = cp
        if cp == 0x20:
            out = 1
        elif cat[0] in "PZ" or cat == "Cc":
            out = None
        elif cat[0] == "S":
            out = 2
        self[cp] = out
        return out


_SORT_TABLE = _SortTable()


class _Key:
    """A sort value: empty values last in either direction."""

    __slots__ = ("desc", "empty", "value")

    def __init__(self, value: Any, desc: bool) -> None:
        self.empty = value is None or value == ""
        self.value = value
        self.desc = desc


def _cmp_keys(a: list[_Key], b: list[_Key]) -> int:
    for x, y in zip(a, b, strict=False):
        if x.empty and y.empty:
            continue
        if x.empty:
            return 1
        if y.empty:
            return -1
        xv, yv = x.value, y.value
        if type(xv) is not type(yv):
            xv, yv = str(xv), str(yv)
        if xv == yv:
            continue
        r = -1 if xv < yv else 1
        return -r if x.desc else r
    return 0


class _Doc:
    """One processing run."""

    def __init__(
        self, style: Style, locale: Locale, items: Mapping[str, Mapping[str, Any]], fmt: str
    ) -> None:
        self.style = style
        self.locale = locale
        self.items = items
        self.cit = Evaluator(style, locale, style.citation, "citation")
        self.bib = (
            Evaluator(style, locale, style.bibliography, "bibliography") if style.bibliography else None
        )
        self.states: dict[str, ItemState] = {k: ItemState() for k in items}
        quotes = (
            locale.text("open-quote") or "\u201c",
            locale.text("close-quote") or "\u201d",
            locale.text("open-inner-quote") or "\u2018",
            locale.text("close-inner-quote") or "\u2019",
        )
        self.renderer = Renderer(fmt, quotes, locale.punctuation_in_quote)
        self.plain = Renderer("text", quotes, locale.punctuation_in_quote)
        self._prev_name_texts: tuple[str, ...] = ()
        self.diagnostics: list[Diagnostic] = []

    # ---- sort keys
    def sort_keys(
        self, ev: Evaluator, ctx: Context, item_id: str, cite: CiteInfo | None = None
    ) -> list[_Key]:
        return [self.sort_key(ev, k, item_id, cite) for k in ctx.sort]

    def sort_key(self, ev: Evaluator, k: SortKey, item_id: str, cite: CiteInfo | None = None) -> _Key:
        """One sort key of one item (a macro is rendered as text, a variable read directly)."""
        item = self.items[item_id]
        state = self.states[item_id]
        if k.macro is not None:
            out = ev.render_macro(
                k.macro,
                item,
                state,
                cite or CiteInfo(),
                (k.names_min, k.names_use_first, k.names_use_last),
            )
            val: Any = _sort_text(self.plain.render(out))
        else:
            val = self._var_key(ev, item, state, k)
        return _Key(val, k.descending)

    def _var_key(self, ev: Evaluator, item: Mapping[str, Any], state: ItemState, k: SortKey) -> Any:
        var = k.variable or ""
        if var == "citation-number":
            return state.citation_number
        v = item.get(var)
        if v is None or v == "":
            return None
        if isinstance(v, list):
            parts = []
            for n in v:
                if not isinstance(n, Mapping):
                    continue
                fam, giv, suf = names_rules.sort_key(ir_name_of(n), ev.demote)
                parts.append(f"{fam}, {giv} {suf}".strip())
            return _sort_text(" ; ".join(parts)) or None
        if isinstance(v, Mapping):
            d = parse_date(v)
            if d is None or not d.start:
                return None
            return date_key(d)
        if is_numeric(v):
            m = re.match(r"\D*(\d+)", str(v))
            return int(m.group(1)) if m else _sort_text(str(v))
        return _sort_text(re.sub(r"<[^>]+>", "", str(v)))


_CAT = re.compile(r"\d+")


def _letters(n: int) -> str:
    s = ""
    n += 1
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(97 + r) + s
    return s


def process(
    items: Iterable[Mapping[str, Any]],
    citations: Iterable[Citation | Mapping[str, Any] | Sequence[Mapping[str, Any]]] = (),
    *,
    style: str | Path | bytes | Style,
    locale: str | None = None,
    format: str = "html",
    bibliography_ids: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Result:
    """Format ``citations`` and the bibliography of ``items`` (CSL-JSON dicts) in ``style``.

    Every item is registered (it takes part in disambiguation and appears in the
    bibliography unless ``bibliography_ids`` says otherwise); citations may be
    :class:`Citation` objects or citeproc-js's JSON shape.  ``progress`` (the
    :mod:`bibconv.progress` hook) hears of bibliography entries as they are
    rendered: thousands of entries take seconds.
    """
    diags: list[Diagnostic] = []
    if not isinstance(style, Style):
        try:
            style = load_style(style)
        except StyleError as exc:
            diags.append(
                Diagnostic.make(
                    "BC401",
                    str(exc),
                    file=str(style) if isinstance(style, str | Path) else None,
                    line=exc.line,
                )
            )
            return Result((), (), (), tuple(diags), format)
        except OSError as exc:
            diags.append(Diagnostic.make("BC400", f"style could not be read: {exc}"))
            return Result((), (), (), tuple(diags), format)
    lang = locale or style.default_locale or "en-US"
    try:
        loc = get_locale(lang, style.locales)
    except LocaleError:
        diags.append(Diagnostic.make("BC403", f"no locale file for {lang!r}; en-US used"))
        loc = get_locale("en-US", style.locales)
    item_map: dict[str, Mapping[str, Any]] = {}
    for it in items:
        item_map[str(it.get("id"))] = _note_variables(it)
    cits = [c if isinstance(c, Citation) else Citation.from_json(c) for c in citations]
    doc = _Doc(style, loc, item_map, format)
    return _run(doc, cits, diags, bibliography_ids, progress)


_NOTE_LINE = re.compile(r"^\s*([a-z][a-z-]*[a-z])\s*:\s*(.+?)\s*$", re.M)


def _note_variables(item: Mapping[str, Any]) -> Mapping[str, Any]:
    """Variables written as ``name: value`` lines in ``note`` (Zotero's and citeproc-js's convention).

    Only variables the item does not already have are taken; dates are read as
    EDTF/ISO text, names as ``Family || Given``.  The item itself is not changed.
    """
    note = item.get("note")
    if not isinstance(note, str) or ":" not in note:
        return item
    from bibconv.vocab import DATE_VARS, NAME_VARS, TEXT_VARS

    extra: dict[str, Any] = {}
    for key, value in _NOTE_LINE.findall(note):
        if key in item or key in ("id", "note"):
            continue
        if key in DATE_VARS:
            extra[key] = {"raw": value}
        elif key in NAME_VARS:
            family, _, given = value.partition("||")
            name = (
                {"family": family.strip(), "given": given.strip()} if given else {"literal": family.strip()}
            )
            extra.setdefault(key, []).append(name)
        elif key == "type" or key in TEXT_VARS:
            extra[key] = value
    if not extra:
        return item
    return {**item, **extra}


def _run(
    doc: _Doc,
    cits: list[Citation],
    diags: list[Diagnostic],
    bib_ids: Sequence[str] | None,
    progress: Progress | None = None,
) -> Result:
    style = doc.style
    items = doc.items
    for c in cits:
        for ci in c.items:
            if ci.id not in items:
                diags.append(Diagnostic.make("BC405", f"cited key {ci.id!r} has no record", record_id=ci.id))
    # citation numbers: order of first citation, then the rest in input order
    order: list[str] = []
    seen: set[str] = set()
    for c in cits:
        for ci in c.items:
            if ci.id in items and ci.id not in seen:
                seen.add(ci.id)
                order.append(ci.id)
    for k in items:
        if k not in seen:
            order.append(k)
    for i, k in enumerate(order):
        doc.states[k].citation_number = i + 1
    # bibliography order (also the order of year suffixes)
    bib_order = list(order)
    if doc.bib is not None and style.bibliography is not None and style.bibliography.sort:
        bib_order = _sorted(doc, doc.bib, style.bibliography, bib_order)
        uses_number = any(k.variable == "citation-number" for k in style.bibliography.sort)
        if not uses_number:
            for i, k in enumerate(bib_order):
                doc.states[k].citation_number = i + 1
    # positions
    infos = _positions(doc, cits)
    # disambiguation: among the cited items (all items when nothing is cited)
    cited = [k for k in order if k in seen]
    later = any(inf.position != "first" for cit in infos for inf in cit)
    _disambiguate(doc, cited or order, bib_order, later)
    # citations
    out_cits = []
    doc.renderer.set_layout(style.citation.layout.fmt)
    for c, inf in zip(cits, infos, strict=True):
        out_cits.append(CitationResult(_render_citation(doc, c, inf), c.note_index))
    # bibliography
    bib: list[str] = []
    ids: list[str] = []
    sfa = False
    if doc.bib is not None and style.bibliography is not None:
        chosen = [k for k in bib_order if bib_ids is None or k in set(bib_ids)]
        bib, ids, sfa = _render_bibliography(doc, chosen, progress)
    diags.extend(doc.diagnostics)
    return Result(tuple(out_cits), tuple(bib), tuple(ids), tuple(diags), doc.renderer.format, sfa)


def _sorted(doc: _Doc, ev: Evaluator, ctx: Context, ids: list[str]) -> list[str]:
    """``ids`` in the order of ``ctx``'s sort keys (ties keep their order).

    A later key is computed only when the earlier ones tie (most bibliography entries
    differ in their first key, and a macro key is a whole evaluation); the sort itself
    runs before any pass changes an item's state, so the result is the same as with
    every key computed up front.
    """
    sort = ctx.sort
    cache: dict[str, list[_Key]] = {k: [] for k in ids}

    def key(item_id: str, j: int) -> _Key:
        got = cache[item_id]
        while len(got) <= j:
            got.append(doc.sort_key(ev, sort[len(got)], item_id))
        return got[j]

    def cmp(a: tuple[int, str], b: tuple[int, str]) -> int:
        for j in range(len(sort)):
            r = _cmp_keys([key(a[1], j)], [key(b[1], j)])
            if r:
                return r
        return (a[0] > b[0]) - (a[0] < b[0])

    keyed = list(enumerate(ids))
    keyed.sort(key=functools.cmp_to_key(cmp))
    return [k for _, k in keyed]


# ------------------------------------------------------------------ positions


def _positions(doc: _Doc, cits: list[Citation]) -> list[list[CiteInfo]]:
    """first / subsequent / ibid / ibid-with-locator and near-note for every cite, in document order.

    The first cite of a citation is ibid only when the preceding note (all the
    citations that share its note number) holds exactly one cite, of the same item.
    In-text citations (note number 0) and footnote citations are two streams for
    ibid, as citeproc-js keeps them.
    """
    dist = int(doc.style.citation.options.get("near-note-distance", "5") or 5)
    last_note: dict[str, int] = {}
    first_note: dict[str, int] = {}
    seen: set[str] = set()
    prev_cite: dict[bool, Cite | None] = {True: None, False: None}
    prev_group_size: dict[bool, int] = {True: 0, False: 0}
    prev_note: dict[bool, int | None] = {True: None, False: None}
    out: list[list[CiteInfo]] = []
    for c in cits:
        infos = []
        note = c.note_index
        stream = note == 0
        same_note = note is not None and note == prev_note[stream] and note != 0
        for j, ci in enumerate(c.items):
            pos = "first"
            before = prev_cite[stream]
            if ci.id in seen:
                prev_same = before is not None and before.id == ci.id
                if j == 0 and not same_note:
                    prev_same = prev_same and prev_group_size[stream] == 1
                pos = "subsequent"
                if prev_same and before is not None:
                    if ci.locator is None:
                        pos = "ibid" if before.locator is None else "subsequent"
                    elif ci.locator != before.locator or ci.label != before.label:
                        pos = "ibid-with-locator"
                    else:
                        pos = "ibid"
            near = False
            if ci.id in last_note and note:
                near = note - last_note[ci.id] <= dist
            elif ci.id in seen and not note:
                near = True
            infos.append(
                CiteInfo(
                    position=pos,
                    near_note=near,
                    locator=ci.locator,
                    label=ci.label,
                    suppress_author=ci.suppress_author,
                    author_only=ci.author_only,
                    first_note=first_note.get(ci.id) if pos != "first" else None,
                )
            )
            seen.add(ci.id)
            if note:
                last_note[ci.id] = note
                first_note.setdefault(ci.id, note)
            prev_cite[stream] = ci
        prev_group_size[stream] = (prev_group_size[stream] if same_note else 0) + len(c.items)
        prev_note[stream] = note
        out.append(infos)
    return out


# ------------------------------------------------------------------ disambiguation


def _disambiguate(doc: _Doc, order: list[str], bib_order: list[str], later: bool = False) -> None:
    """CSL's disambiguation steps in order: add names, add given names, year suffix, ``disambiguate``.

    Ambiguity is judged on the first-position cite of every registered item.  A
    step is kept for a group only when it makes more cites distinct; added names
    that do not help are taken back (citeproc-js does the same).
    """
    opts = doc.style.citation.options
    add_names = opts.get("disambiguate-add-names") == "true"
    add_given = opts.get("disambiguate-add-givenname") == "true"
    rule = opts.get("givenname-disambiguation-rule", "by-cite")
    add_suffix = opts.get("disambiguate-add-year-suffix") == "true"
    ev = doc.cit
    ids = [k for k in order if k in doc.items]

    memo: dict[tuple[Any, ...], str] = {}

    def text(k: str) -> str:
        st = doc.states[k]
        key = (k, st.add_names, tuple(sorted(st.givenname.items())), st.year_suffix, st.disambiguate)
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = doc.plain.render(ev.render(doc.items[k], CiteInfo(), st))
        return hit

    def groups(members: list[str]) -> list[list[str]]:
        by: dict[str, list[str]] = {}
        for k in members:
            by.setdefault(text(k), []).append(k)
        return [g for g in by.values() if len(g) > 1]

    def distinct(g: list[str]) -> int:
        return len({text(k) for k in g})

    def unique_names(k: str, g: list[str]) -> bool:
        """True when ``k`` differs from every other cite of ``g`` (given names available)."""
        saved = {o: dict(doc.states[o].givenname) for o in g}
        if add_given:
            for o in g:
                for slot in _name_slots(doc.items[o]):
                    doc.states[o].givenname[slot] = 2
        mine = text(k)
        ok = all(text(o) != mine for o in g if o != k)
        for o in g:
            doc.states[o].givenname = saved[o]
        return ok

    def distinct_names(g: list[str]) -> int:
        """Distinct cites when every shown name could show its full given name (add-givenname on)."""
        if not add_given:
            return distinct(g)
        saved = {k: dict(doc.states[k].givenname) for k in g}
        for k in g:
            for slot in _name_slots(doc.items[k]):
                doc.states[k].givenname[slot] = 2
        d = distinct(g)
        for k in g:
            doc.states[k].givenname = saved[k]
        return d

    global_rule = add_given and rule != "by-cite"
    if global_rule:
        _global_givennames(doc, ids, rule)
    amb = groups(ids)
    for g in amb:
        if add_names:
            most = max(_name_count(doc.items[k]) for k in g)
            best, best_d = 0, distinct_names(g)
            for extra in range(1, most + 1):
                for k in g:
                    doc.states[k].add_names = extra
                d = distinct_names(g)
                if d > best_d:
                    best, best_d = extra, d
                if d == len(g):
                    break
            for k in g:
                doc.states[k].add_names = best
            # each cite keeps only the names it needs to stand apart from the others
            # (compared with the others showing as many names as it does)
            minima = dict.fromkeys(g, best)
            for m in range(best - 1, -1, -1):
                for o in g:
                    doc.states[o].add_names = m
                for k in g:
                    if minima[k] == m + 1 and unique_names(k, g):
                        minima[k] = m
            for k in g:
                doc.states[k].add_names = minima[k]
        if add_given and rule == "by-cite" and distinct(g) < len(g):
            before = {k: dict(doc.states[k].givenname) for k in g}
            d0 = distinct(g)
            for sub in groups(g):
                _expand_clashes(doc, sub)
            if distinct(g) <= d0:
                for k in g:
                    doc.states[k].givenname = before[k]
    if global_rule and add_names:
        _global_givennames(doc, ids, rule)
    amb = groups(ids)
    if add_suffix and amb:
        pos = {k: i for i, k in enumerate(bib_order)}
        for g in groups(ids):
            for i, k in enumerate(sorted(g, key=lambda x: pos.get(x, 0))):
                doc.states[k].year_suffix = _letters(i)
        amb = groups(ids)
    for g in amb:
        for k in g:
            doc.states[k].disambiguate = True
    # the subsequent form of a cite (short names, no title) is judged on its own
    by_sub: dict[str, list[str]] = {}
    for k in ids if later else ():
        st = doc.states[k]
        form = doc.plain.render(ev.render(doc.items[k], CiteInfo(position="subsequent"), st))
        by_sub.setdefault(form, []).append(k)
    for g in by_sub.values():
        if len(g) > 1:
            for k in g:
                doc.states[k].disambiguate_subsequent = True


_NAME_VARS = (
    "author",
    "editor",
    "translator",
    "composer",
    "director",
    "container-author",
    "interviewer",
    "recipient",
)


def _name_count(item: Mapping[str, Any]) -> int:
    return max((len(item[v]) for v in _NAME_VARS if isinstance(item.get(v), list)), default=0)


def _name_slots(item: Mapping[str, Any]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for var in _NAME_VARS:
        v = item.get(var)
        if isinstance(v, list):
            out.extend((var, i) for i in range(len(v)))
    return out


def _given(n: Any) -> str:
    return str(n.get("given") or "") if isinstance(n, Mapping) else ""


def _initials(g: str) -> str:
    return "".join(w[:1] for w in re.split(r"[\s.\-]+", g) if w)


def _expand_clashes(doc: _Doc, group: list[str]) -> None:
    """by-cite: expand a name where another cite of the group has the same family but another given name."""
    shown = _shown_names(doc)
    for k in group:
        item = doc.items[k]
        state = doc.states[k]
        for var, i in _name_slots(item):
            if i >= shown + state.add_names:
                continue
            n = item[var][i]
            if not isinstance(n, Mapping):
                continue
            level = 0
            for o in group:
                if o == k:
                    continue
                other = doc.items[o].get(var)
                if not isinstance(other, list) or i >= len(other) or not isinstance(other[i], Mapping):
                    continue
                on = other[i]
                if on.get("family") != n.get("family") or _given(on) == _given(n):
                    continue
                need = 1 if _initials(_given(on)) != _initials(_given(n)) else 2
                level = max(level, need)
            if level:
                state.givenname[(var, i)] = max(level, state.givenname.get((var, i), 0))


def _shown_names(doc: _Doc) -> int:
    """How many names a first cite shows (et-al-use-first when a list is long enough; else all)."""
    o = doc.style.citation.name_options
    uf = o.get("et-al-use-first")
    return int(uf) if uf and uf.isdigit() and o.get("et-al-min") else 1000


def _family_key(n: Mapping[str, Any]) -> str:
    """The family name with its non-dropping particle: ``dos Santos`` and ``Santos`` are different people."""
    ir = ir_name_of(n)
    return f"{ir.non_dropping_particle or ''} {ir.family or ''}".strip()


def _global_givennames(doc: _Doc, ids: list[str], rule: str) -> None:
    """all-names / primary-name rules: expand each shown name whose family is shared by another person."""
    primary_only = rule.startswith("primary-name")
    initials_only = rule.endswith("with-initials")
    shown = _shown_names(doc)
    slots: list[tuple[str, str, int, str, str]] = []  # item, variable, index, family key, given
    people: dict[str, set[str]] = {}
    for k in ids:
        item = doc.items[k]
        limit = 1 if primary_only else shown + doc.states[k].add_names
        for var in _NAME_VARS:
            names = item.get(var)
            if not isinstance(names, list):
                continue
            for i, n in enumerate(names[:limit]):
                if isinstance(n, Mapping) and n.get("family"):
                    fam, giv = _family_key(n), _given(n)
                    slots.append((k, var, i, fam, giv))
                    people.setdefault(fam, set()).add(giv)
    for k, var, i, fam, giv in slots:
        givens = people[fam]
        if len(givens) < 2:
            continue
        mine = _initials(giv)
        clash_initial = sum(1 for g in givens if _initials(g) == mine) > 1
        if initials_only:
            if not clash_initial:
                doc.states[k].givenname[(var, i)] = 1
        else:
            doc.states[k].givenname[(var, i)] = 2 if clash_initial else 1


# ------------------------------------------------------------------ citations


def _render_cite(doc: _Doc, ci: Cite, info: CiteInfo) -> Out | None:
    item = doc.items.get(ci.id)
    if item is None:
        return None
    tree = doc.cit.render(item, info, doc.states[ci.id])
    if info.author_only:
        names = tree.find("names")
        tree = Out(children=[names]) if names is not None else Out()
    return tree


#: A prefix ending a sentence of more than one word ("See also Smith. "): a term after it is capitalised.
_SENTENCE_END = re.compile(r"\S\s+\S[^.!?]*[.!?][\u201d\u2019\"']?\s*$")


def _capitalize_leading_term(t: Out, any_term: bool) -> None:
    """A term opening a note citation (in-text: ``ibid.`` only) starts with a capital, as citeproc-js."""
    for n in _iter(t):
        if n.text is not None and n.text.strip():
            if n.kind == "term" and (any_term or n.var == "ibid"):
                n.text = n.text[:1].upper() + n.text[1:]
            return


def _capitalize_entry_term(t: Out) -> None:
    """A term opening a bibliography entry starts with a capital (citeproc-js: ``In FAccT ...``).

    The citation number is no predecessor: citeproc-js capitalises the first term also in
    ``[104] In ...``.  Anything else printed before the term (a name, a title) is one.
    """
    for n in _iter(t):
        if n.text is not None and n.text.strip():
            if n.kind == "citation-number":
                continue
            if n.kind == "term":
                n.text = n.text[:1].upper() + n.text[1:]
            return


def _affix(text: str) -> Out:
    return rich(text) if text else Out()


def _render_citation(doc: _Doc, c: Citation, infos: list[CiteInfo]) -> str:
    style = doc.style
    ctx = style.citation
    layout = ctx.layout
    pairs = list(zip(c.items, infos, strict=True))
    pairs = [(ci, inf) for ci, inf in pairs if ci.id in doc.items]
    if ctx.sort and len(pairs) > 1:
        keyed = [(doc.sort_keys(doc.cit, ctx, ci.id, inf), i, (ci, inf)) for i, (ci, inf) in enumerate(pairs)]

        def cmp(a: Any, b: Any) -> int:
            r = _cmp_keys(a[0], b[0])
            return r if r else (a[1] > b[1]) - (a[1] < b[1])

        keyed.sort(key=functools.cmp_to_key(cmp))
        pairs = [p for _, _, p in keyed]
    trees = []
    for n, (ci, inf) in enumerate(pairs):
        t = _render_cite(doc, ci, inf)
        if t is not None and ((n == 0 and not ci.prefix) or _SENTENCE_END.search(ci.prefix)):
            _capitalize_leading_term(t, doc.style.cls == "note")
        trees.append((ci, inf, t))
    collapse = ctx.options.get("collapse")
    delim = layout.delimiter
    r = doc.renderer
    if ctx.sort and (collapse or "cite-group-delimiter" in ctx.options):
        # a sorted citation gathers the cites of the same names (unsorted ones keep the author's order)
        trees = _group_cites(doc, trees)
    if collapse:
        body = _collapse(doc, trees, collapse)
    elif "cite-group-delimiter" in ctx.options:
        body = _joined_groups(doc, trees, ctx.options["cite-group-delimiter"], delim)
    else:
        body = _join_cites(r, [(ci, _with_affixes(r, ci, t)) for ci, _, t in trees if t is not None], delim)
    if not body:
        return ""
    if pairs and all(inf.author_only for _, inf in pairs):
        # author-only cites stand in running text: no layout affixes or formatting
        return body
    return r.render_layout(body, layout.fmt)


def _join_cites(r: Renderer, cites: list[tuple[Cite, str]], delim: str) -> str:
    """Cites joined by the layout delimiter; cite affixes with their own punctuation take its place.

    A prefix that starts with punctuation (``, and``) replaces the delimiter; after a
    suffix that ends with punctuation only the delimiter's spacing remains.
    """
    out = ""
    prev: Cite | None = None
    for ci, text in cites:
        if not text:
            continue
        if not out:
            out = text
        elif ci.prefix and ci.prefix[0] in _PUNCT:
            out = out + text
        elif prev is not None and prev.suffix.rstrip() and prev.suffix.rstrip()[-1] in _PUNCT:
            out = out + r.esc(delim.lstrip(_PUNCT)) + text
        else:
            out = r.join(r.join(out, r.esc(delim)), text)
        prev = ci
    return out


_PUNCT = ".,;:!?"


def _with_affixes(r: Renderer, ci: Cite, t: Out | None) -> str:
    if t is None:
        return ""
    body = r.render(t)
    if not body:
        return body
    # the user's own affix text keeps its punctuation where it was typed
    literal = r.as_typed()
    if ci.prefix:
        pre = literal.render(rich(ci.prefix))
        body = pre + body if ci.prefix.endswith((" ", "\u00a0")) or not body else r.join(pre, body)
    if ci.suffix:
        body = r.join(body, literal.render(rich(ci.suffix)))
    return body


def _names_key(doc: _Doc, t: Out | None) -> str | None:
    """The rendered names of a cite: cites with equal keys are grouped ("" when a cite prints no names)."""
    if t is None:
        return None
    names = t.find("names")
    return doc.plain.render(names) if names is not None else ""


def _group_cites(
    doc: _Doc, trees: list[tuple[Cite, CiteInfo, Out | None]]
) -> list[tuple[Cite, CiteInfo, Out | None]]:
    """Cite grouping: cites with the same rendered names move next to the first of them."""
    order: list[list[tuple[Cite, CiteInfo, Out | None]]] = []
    index: dict[str, int] = {}
    for entry in trees:
        key = _names_key(doc, entry[2])
        if key is not None and key in index:
            order[index[key]].append(entry)
            continue
        if key is not None:
            index[key] = len(order)
        order.append([entry])
    return [e for g in order for e in g]


def _joined_groups(
    doc: _Doc, trees: list[tuple[Cite, CiteInfo, Out | None]], group_delim: str, delim: str
) -> str:
    """Grouped (not collapsed) cites: cite-group-delimiter inside a group, the layout delimiter between."""
    r = doc.renderer
    out = ""
    prev: str | None = None
    for ci, _inf, t in trees:
        text = _with_affixes(r, ci, t)
        if not text:
            continue
        key = _names_key(doc, t)
        if out:
            out = r.join(r.join(out, r.esc(group_delim if key is not None and key == prev else delim)), text)
        else:
            out = text
        prev = key
    return out


def _collapse(doc: _Doc, trees: list[tuple[Cite, CiteInfo, Out | None]], mode: str) -> str:
    """Collapse a sorted citation: number ranges, or adjacent cites of the same names by year/suffix."""
    r = doc.renderer
    ctx = doc.style.citation
    delim = ctx.layout.delimiter
    group_delim = ctx.options.get("cite-group-delimiter", ", ")
    after = ctx.options.get("after-collapse-delimiter", delim)
    suffix_delim = ctx.options.get("year-suffix-delimiter", ctx.options.get("cite-group-delimiter", delim))
    cites = [(ci, t) for ci, _inf, t in trees if t is not None]
    if mode == "citation-number":
        return _collapse_numbers(doc, cites, delim)
    groups: list[list[tuple[Cite, Out]]] = []
    last_key: str | None = None
    for ci, t in cites:
        names = t.find("names")
        key = doc.plain.render(names) if names is not None else ""
        if key is not None and key == last_key and not ci.prefix and groups:
            groups[-1].append((ci, t))
        else:
            groups.append([(ci, t)])
        last_key = key
    s = ""
    for gi, g in enumerate(groups):
        text = _collapse_group(doc, g, mode, group_delim, suffix_delim, after)
        if not text:
            continue
        d = after if gi and len(groups[gi - 1]) > 1 else delim
        s = text if not s else r.join(r.join(s, r.esc(d)), text)
    return s


def _collapse_group(
    doc: _Doc, g: list[tuple[Cite, Out]], mode: str, group_delim: str, suffix_delim: str, after: str
) -> str:
    """One run of cites with the same names: names once, then years (and suffixes) only."""
    r = doc.renderer
    if len(g) == 1:
        return _with_affixes(r, g[0][0], g[0][1])
    subs: list[tuple[Cite, Out, list[str]]] = []
    prev_year: str | None = None
    for i, (ci, t) in enumerate(g):
        year = _year_text(doc, t)
        if (
            mode.startswith("year-suffix")
            and i > 0
            and year is not None
            and year == prev_year
            and not ci.locator
        ):
            ys = t.find("year-suffix")
            prev_ci = subs[-1][0]
            if ys is not None and ys.text and not prev_ci.locator and not ci.suffix:
                subs[-1][2].append(ys.text)
                continue
        subs.append((ci, t if i == 0 else _without_names(t), []))
        prev_year = year
    out = ""
    for j, (ci, t, letters) in enumerate(subs):
        text = _with_affixes(r, ci, t)
        if not text:
            continue
        if letters:
            first = t.find("year-suffix")
            head = [first.text] if first is not None and first.text else []
            text = r.join(text, _suffix_runs(r, head + letters, suffix_delim, mode == "year-suffix-ranged"))
        if not out:
            out = text
        else:
            # after a cite with a locator or a run of collapsed suffixes: the after-collapse delimiter
            d = after if subs[j - 1][0].locator or subs[j - 1][2] else group_delim
            out = r.join(r.join(out, r.esc(d)), text)
    return out


def _suffix_runs(r: Renderer, letters: list[str], delim: str, ranged: bool) -> str:
    """What follows the first cite's suffix: the other letters, runs of 3+ as ranges when ``ranged``."""
    pieces: list[str] = []
    i = 0
    while i < len(letters):
        j = i
        while (
            ranged
            and j + 1 < len(letters)
            and len(letters[j]) == len(letters[j + 1]) == 1
            and ord(letters[j + 1]) == ord(letters[j]) + 1
        ):
            j += 1
        if j - i >= 2:
            pieces.append(letters[i] + "\u2013" + letters[j])
            i = j + 1
        else:
            pieces.append(letters[i])
            i += 1
    out = ""
    head = pieces[0]
    if len(head) > len(letters[0]):  # the first cite's suffix starts a range
        out = r.esc(head[len(letters[0]) :])
    for p in pieces[1:]:
        out += r.esc(delim) + r.esc(p)
    return out


def _collapse_numbers(doc: _Doc, cites: list[tuple[Cite, Out]], delim: str) -> str:
    """Runs of three or more consecutive citation numbers become first–last."""
    r = doc.renderer
    out: list[str] = []
    run: list[tuple[int, str]] = []

    def flush() -> None:
        if len(run) >= 3:
            out.append(run[0][1] + "\u2013" + run[-1][1])
        else:
            out.extend(txt for _, txt in run)
        run.clear()

    for ci, t in cites:
        num = doc.states[ci.id].citation_number
        txt = _with_affixes(r, ci, t)
        ok = not ci.prefix and not ci.suffix and not ci.locator and num is not None
        if ok and run and num == run[-1][0] + 1:
            run.append((num or 0, txt))
            continue
        flush()
        if ok:
            run.append((num or 0, txt))
        else:
            out.append(txt)
    flush()
    return r.concat(out, delim)


def _year_text(doc: _Doc, t: Out) -> str | None:
    d = t.find("date")
    if d is None:
        return None
    y = d.find("year")
    return y.text if y is not None else doc.plain.render(d)


def _without_names(t: Out) -> Out:
    """A copy of the cite tree with its first names element removed."""
    done = [False]

    def copy(n: Out) -> Out:
        if not done[0] and n.kind == "names":
            done[0] = True
            return Out()
        m = Out(
            children=[copy(c) for c in n.children],
            fmt=n.fmt,
            delim=n.delim,
            text=n.text,
            kind=n.kind,
            var=n.var,
        )
        m.data = n.data
        return m

    return copy(t)


# ------------------------------------------------------------------ bibliography


def _render_bibliography(
    doc: _Doc, ids: list[str], progress: Progress | None = None
) -> tuple[list[str], list[str], bool]:
    style = doc.style
    assert style.bibliography is not None and doc.bib is not None
    ctx = style.bibliography
    opts = ctx.options
    sas = opts.get("subsequent-author-substitute")
    sas_rule = opts.get("subsequent-author-substitute-rule", "complete-all")
    sfa = opts.get("second-field-align")
    r = doc.renderer
    r.set_layout(ctx.layout.fmt)
    out = []
    kept: list[str] = []
    prev_names: tuple[Any, ...] | None = None
    step = max(1, len(ids) // 100)  # the progress hook hears of about a hundred steps
    for n, k in enumerate(ids):
        if progress is not None and n % step == 0:
            progress("entries", n, len(ids))
        st = doc.states[k]
        tree = doc.bib.render(
            doc.items[k],
            CiteInfo(),
            ItemState(
                add_names=st.add_names,
                year_suffix=st.year_suffix,
                citation_number=st.citation_number,
                disambiguate=st.disambiguate,
            ),
        )
        _capitalize_entry_term(tree)
        if sas is not None:
            names = tree.find("names")
            if names is not None:
                cur = _name_lists(doc, names)
                lists = [n for n in _iter(names) if n.kind == "namelist"]
                texts = (
                    tuple(doc.plain.render(c) for c in lists[0].children if c.kind == "name") if lists else ()
                )
                if prev_names is not None:
                    _substitute(doc, names, prev_names, sas, sas_rule)
                prev_names = cur
                doc._prev_name_texts = texts
            else:
                prev_names = None
                doc._prev_name_texts = ()
        if sfa:
            kids = [c for c in tree.children if not c.is_empty()]
            if kids:
                first = kids[0]
                rest = kids[1:]
                lm = Out(children=[first], fmt=Fmt(display="left-margin"))
                ri = Out(children=rest, fmt=Fmt(display="right-inline", suffix=ctx.layout.fmt.suffix))
                tree = Out(children=[lm, ri])
                lay = replace(ctx.layout.fmt, suffix="")
                out.append(_trim(r.render_layout(r.render(tree), lay)))
                kept.append(k)
                continue
        if tree.is_empty():
            doc.diagnostics.append(
                Diagnostic.make(
                    "BC406", f"{k!r} prints nothing in the bibliography of this style", record_id=k
                )
            )
            continue
        out.append(r.render_layout(r.render(tree), ctx.layout.fmt))
        kept.append(k)
    return out, kept, bool(sfa)


def _trim(entry: str) -> str:
    """A second-field-aligned entry without trailing white space (inside its closing tags too)."""
    return _TRAILING_SPACE.sub(r"\1", entry)


_TRAILING_SPACE = re.compile(r"\s+((?:</[^>]+>)*)$")


def _no_display(f: Fmt) -> Fmt:
    return f


def _name_lists(doc: _Doc, names: Out) -> tuple[Any, ...]:
    """What subsequent-author-substitute compares: per name list the names it printed ("et al."
    and the "and" between names do not count, as in citeproc-js: "A, B, et al." then "A, and B"
    is the same author list), or the whole text when cs:substitute printed something else (a
    title)."""
    lists = tuple(
        tuple(doc.plain.render(c) for c in n.children if c.kind == "name")
        for n in _iter(names)
        if n.kind == "namelist"
    )
    return lists or (doc.plain.render(names),)


def _substitute(doc: _Doc, names: Out, prev: tuple[Any, ...], sub: str, rule: str) -> None:
    """subsequent-author-substitute on the first names element of an entry (all four rules)."""
    lists = [n for n in _iter(names) if n.kind == "namelist"]
    cur = _name_lists(doc, names)
    if not lists:
        if prev == cur:
            names.children = [leaf(sub)] if sub else []
        return
    if rule == "complete-all":
        if prev == cur:
            lists[0].children = [leaf(sub)] if sub else []
            lists[0].fmt = EMPTY
            for extra in lists[1:]:
                extra.children = []
        return
    name_nodes = [c for c in lists[0].children if c.kind == "name"]
    if rule == "complete-each":
        if prev == cur:
            for n in name_nodes:
                n.children = [leaf(sub)]
        return
    prev_doc = doc._prev_name_texts
    for i, n in enumerate(name_nodes):
        if i < len(prev_doc) and prev_doc[i] == doc.plain.render(n):
            n.children = [leaf(sub)]
            if rule == "partial-first":
                break
        else:
            break


def _iter(n: Out) -> Iterable[Out]:
    yield n
    for c in n.children:
        yield from _iter(c)


def process_records(records: Iterable[Any], citations: Iterable[Any] = (), **kw: Any) -> Result:
    """The same as :func:`process` for bibconv Records (through the CSL-JSON writer)."""
    from bibconv.formats.csljson.writer import record_to_item

    return process([record_to_item(r) for r in records], citations, **kw)


_ = (field, _CAT, _affix)
