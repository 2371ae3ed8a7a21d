"""Corrections to citeproc-py, so bibconv prints what citeproc-js (Zotero) prints.

citeproc-py builds a Python object per CSL element through lxml's class
lookup.  bibconv registers its own subclasses for a few element kinds when it
parses a style, which changes only styles bibconv loads (citeproc-py itself is
left untouched for other users in the process).  Each fix names the defect it
corrects; ``tests/test_citation_fixes.py`` has a test per fix.

Fixes made here, on the element tree:

* ``text-case``: citeproc-js rules (:mod:`bibconv.citation.textcase`), so
  ``capitalize-first`` leaves ``arXiv`` alone and ``title`` capitalises
  ``Fine-tuning`` → ``Fine-Tuning``.
* ``initialize="false"`` on ``cs:name``: given names stay whole (Chicago, MLA
  print "Jane" not "J."); only existing initials get the ``initialize-with``
  punctuation.
* a ``cs:label`` whose term is empty (``p .`` in American Chemical Society when
  a page term is missing for a number) renders nothing, affixes included.
* ``second-field-align``: citeproc-js separates the number column from the
  entry with a space (``[1] W. Hawkins``, not ``[1]W. Hawkins``).
* names in sort keys: sorted as citeproc-js does, family name first, ignoring
  case and leading punctuation.

Fixes made after rendering (:mod:`bibconv.citation.render`): year-suffix
disambiguation (2023a/2023b) and punctuation inside quotation marks.
"""

from __future__ import annotations

import copy
import re
import threading
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from citeproc import model
from citeproc.source import VariableError
from citeproc.string import String, join
from lxml import etree

from bibconv.citation.markup import FORMATTER
from bibconv.citation.speed import attr
from bibconv.citation.styles import CSL_NS, LoadedStyle, StyleParseError, safe_parser
from bibconv.citation.textcase import apply_case

__all__ = ["build_style", "sort_key_text"]


class CaseFix:
    """citeproc-js text-case (replaces ``TextCased.case``)."""

    get: Any  # lxml's attribute getter, on the element class this is mixed into

    def case(self: Any, text: Any, language: str | None = None) -> Any:
        # a date part's attributes change while rendering (see bibconv.citation.speed)
        text_case = self.get("text-case") if isinstance(self, model.Date_Part) else attr(self, "text-case")
        if text_case is None:
            return text
        if text_case == "title" and language is not None and not language.lower().startswith("en"):
            return text
        return apply_case(text, text_case)


class PageRanges:
    """CSL page-range-format done right for short numbers (citeproc-py turns 1-163 into 1–3)."""

    def _format_last_page(self: Any, first: str, last: str) -> str:
        fmt = self.get_root().get_option("page-range-format")
        if not (first.isdigit() and last.isdigit()) or fmt in (None, "expanded"):
            return last
        if len(last) < len(first):  # "321-28" means 321–328
            last = first[: len(first) - len(last)] + last
        if len(last) != len(first) or int(last) <= int(first):
            return last
        common = 0
        while common < len(first) and first[common] == last[common]:
            common += 1
        if fmt in ("chicago", "chicago-15", "chicago-16"):
            n = int(first)
            if n < 100 or n % 100 == 0:
                return last
            if fmt != "chicago-16" and len(first) == 4 and common < 2:
                return last  # 1496–1504: three digits change
            fmt = "minimal" if n % 100 < 10 else "minimal-two"
        if fmt == "minimal":
            return last[common:]
        if fmt == "minimal-two":
            return last[min(common, max(0, len(last) - 2)) :]
        return last


class Text(PageRanges, CaseFix, model.Text):  # type: ignore[misc]
    def _variable(self: Any, item: Any, context: Any) -> Any:
        var = self.get("variable") or ""
        if var != "year-suffix":  # generated, so it never makes a group print or vanish
            _attempt(var)
        if var in _hidden(context) and var != "citation-number":
            return None
        text = super()._variable(item, context)
        if text is not None and str(text) != "":
            _record(var)
        if text is not None and var in _RANGE_VARS:
            plain = str(text)
            if _NUMBER_RANGE.match(plain):
                # citeproc-js prints a numeric range in a number variable with an en dash
                from citeproc.string import String

                text = String(_NUMBER_RANGE.sub("\\1\u2013\\2", plain))
        return text

    def markup(self: Any, text: Any, language: Any) -> Any:
        """``model.Text.markup`` (strip periods, case, format, quote, affixes), deciding once
        per element which steps apply; the steps themselves are the usual methods."""
        if not text:
            return None
        steps = self.__dict__.get("_bc_markup")
        if steps is None:
            strip = attr(self, "strip-periods", "false").lower() == "true"
            cased = attr(self, "text-case") is not None
            quoted = attr(self, "quotes", "false").lower() == "true"
            if not quoted:
                _punctuation_in_quote(self)  # read (and may fail) as citeproc-py's quote() does
            steps = self.__dict__["_bc_markup"] = (strip, cased, quoted)
        strip, cased, quoted = steps
        if strip:
            text = self.strip_periods(text)
        if cased:
            text = self.case(text, language)
        text = self.format(text)
        if quoted:
            text = self.quote(text)
        return self.wrap(text)

    def quote(self: Any, string: Any) -> Any:
        """Quotation marks inside a quoted text become inner quotes (“‘x’”), as in citeproc-js."""
        if attr(self, "quotes", "false").lower() != "true":
            # citeproc-py's quote() reads this locale option first; it never changes
            _punctuation_in_quote(self)
            return string
        if string is not None:
            string = _inner_quotes(self, string)
        return super().quote(string)

    def process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        # citeproc-py's, without raising an exception for every item lacking a language
        if context is None:
            context = self
        source = self.__dict__.get("_bc_source")
        if source is None:  # which of variable/macro/term/value the element prints
            attrib = self.attrib
            found = [(key, attrib[key]) for key in ("variable", "macro", "term", "value") if key in attrib]
            kind, value = found[0] if found else ("", "")
            source = self.__dict__["_bc_source"] = (kind, value, _default_language(self))
        kind, value, default_language = source
        raw = item.reference.get("language")
        language = _language_code(str(raw)) if raw else default_language
        text: Any = None
        if kind == "variable":
            text = self._variable(item, context)
        elif kind == "macro":
            macro = self.__dict__.get("_bc_macro")
            if macro is None:
                macro = self.__dict__["_bc_macro"] = self.get_macro(value)
            text = macro.render(item, context)
        elif kind == "term":
            text = self._term(item)
        elif kind == "value":
            text = String(self.preformat(value))
        return text, language


def _default_language(element: Any) -> str:
    """The style's default language (``default-locale``, two letters), read once per style."""
    root = element.get_root()
    found = root.__dict__.get("_bc_language")
    if found is None:
        found = root.__dict__["_bc_language"] = root.get("default-locale", "en")[:2]
    return str(found)


def _punctuation_in_quote(element: Any) -> bool:
    """The locale's ``punctuation-in-quote`` (as citeproc-py reads it), once per style."""
    root = element.get_root()
    found = root.__dict__.get("_bc_piq")
    if found is None:
        found = root.__dict__["_bc_piq"] = element.get_locale_option("punctuation-in-quote").lower() == "true"
    return bool(found)


_RANGE_VARS = frozenset(
    [
        "number",
        "issue",
        "volume",
        "edition",
        "chapter-number",
        "collection-number",
        "number-of-pages",
        "section",
    ]
)
_NUMBER_RANGE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")


def _inner_quotes(element: Any, text: Any) -> Any:
    from citeproc.string import MixedString, NoCase, String

    open_inner = str(element.get_single_term(name="open-inner-quote") or "\u2018")
    close_inner = str(element.get_single_term(name="close-inner-quote") or "\u2019")
    open_outer = str(element.get_single_term(name="open-quote") or "\u201c")
    close_outer = str(element.get_single_term(name="close-quote") or "\u201d")
    state = {"open": False}

    def swap(run: str) -> str:
        if '"' not in run and open_outer not in run and close_outer not in run:
            return run
        out = []
        for ch in run:
            if ch == open_outer:
                out.append(open_inner)
            elif ch == close_outer:
                out.append(close_inner)
            elif ch == '"':
                out.append(close_inner if state["open"] else open_inner)
                state["open"] = not state["open"]
            else:
                out.append(ch)
        return "".join(out)

    if isinstance(text, MixedString):
        return MixedString(
            [NoCase(swap(str(p))) if isinstance(p, NoCase) else String(swap(str(p))) for p in text]
        )
    return type(text)(swap(str(text))) if isinstance(text, String) else String(swap(str(text)))


class Date_Part(CaseFix, model.Date_Part):  # type: ignore[misc]
    pass


class Name_Part(CaseFix, model.Name_Part):  # type: ignore[misc]
    def format_part(self: Any, given: Any, family: Any) -> tuple[Any, Any]:
        # citeproc-py joins name parts with str.join, so they must stay plain strings
        given, family = super().format_part(given, family)
        return (None if given is None else str(given)), (None if family is None else str(family))


class Label(CaseFix, model.Label):  # type: ignore[misc]
    def process(self: Any, item: Any, variable: Any = None, plural: Any = None, **kwargs: Any) -> Any:
        # citeproc-js leaves labels out of names in sort keys ("Gaonkar (Ed.)" sorts as "Gaonkar")
        if _SORTING and self.getparent() is not None and self.getparent().tag == _NAMES_TAG:
            return None
        return super().process(item, variable, plural, **kwargs)

    def _is_plural(self: Any, item: Any) -> bool:
        variable = self.get("variable") or ""
        if variable.startswith("number-of"):
            try:
                return int(str(item.reference[variable.replace("-", "_")]).strip()) > 1
            except Exception:
                return False
        return bool(super()._is_plural(item))

    def markup(self: Any, text: Any) -> Any:
        # an empty term must not leave its affixes behind ("p ." in ACS)
        if text is None or not str(text).strip():
            return None
        return super().markup(text)


_NAMES_TAG = f"{{{CSL_NS}}}names"
#: Non-zero while sort keys are rendered.
_SORTING: list[int] = []


#: A pseudo-variable: "a nested group or macro printed something".
_CONTENT = "<content>"
#: The variables tried and printed while at least one ``render_tracked`` is open,
#: in order.  What a ``render_tracked`` call reports is what was appended during
#: it: everything nested elements tried or printed counts for the enclosing ones.
_CALLED: list[str] = []
_PRINTED: list[str] = []
#: How many ``render_tracked`` calls are open (nothing is recorded outside them).
_OPEN: list[int] = [0]


def _attempt(variable: str) -> None:
    if _OPEN[0]:
        _CALLED.append(variable)


def _record(variable: str) -> None:
    if _OPEN[0]:
        _CALLED.append(variable)
        _PRINTED.append(variable)


def render_tracked(child: Any, *args: Any, **kwargs: Any) -> tuple[Any, bool, bool]:
    """Render ``child``; report whether it tried to print a variable and whether one printed.

    citeproc-py decides whether a group is empty from the *kind* of its
    children (any ``cs:text`` with a variable counts as printed); CSL and
    citeproc-js look at what actually printed, so "Preprint at" with no DOI
    or URL disappears.
    """
    text, called, printed, _ = _tracked(child, args, kwargs, False)
    return text, called, printed


def _tracked(child: Any, args: Any, kwargs: Any, names: bool) -> tuple[Any, bool, bool, set[str]]:
    """``render_tracked``, plus (with ``names``) the variables that printed, CSL-spelled.

    The records are two append-only lists, not a set per call: a call's share
    is what was appended since it began.  A call that fails with anything but
    ``VariableError`` takes back what it recorded (the failure may be caught
    further up, by a ``cs:choose`` for instance, and must then count for nothing).
    """
    called_at = len(_CALLED)
    printed_at = len(_PRINTED)
    _OPEN[0] += 1
    try:
        text = child.render(*args, **kwargs)
    except VariableError:
        text = None
    except BaseException:
        del _CALLED[called_at:]
        del _PRINTED[printed_at:]
        raise
    finally:
        _OPEN[0] -= 1
    called = len(_CALLED) > called_at
    printed = len(_PRINTED) > printed_at
    used = {v.replace("_", "-") for v in _PRINTED[printed_at:]} if names else _NO_NAMES
    if not _OPEN[0]:  # the outermost call: nobody asks for these any more
        _CALLED.clear()
        _PRINTED.clear()
    return text, called, printed, used


_NO_NAMES: set[str] = set()


def _hidden(context: Any) -> frozenset[str]:
    """Variables already used as a substitute in this entry (CSL: suppressed after that)."""
    try:
        repressed = context.get_layout().repressed
    except Exception:
        return _NOTHING
    used = repressed.get("*")
    return frozenset(used) if used else _NOTHING


_NOTHING: frozenset[str] = frozenset()


class _ItemView:
    """A citation item whose reference hides some variables (for substitution)."""

    def __init__(self, item: Any, hidden: frozenset[str]) -> None:
        from citeproc.source import Reference

        self._item = item
        ref = item.reference
        view = Reference.__new__(Reference)
        dict.__init__(view, {k: v for k, v in ref.items() if k not in hidden})
        self.reference = view

    def __getattr__(self, name: str) -> Any:
        return getattr(self._item, name)

    def __contains__(self, key: object) -> bool:
        return key in self._item


def _child(element: Any, key: str, path: str) -> Any:
    found = element.__dict__.get(key, _NOT_LOOKED_UP)
    if found is _NOT_LOOKED_UP:
        found = element.__dict__[key] = element.find(path, element.nsmap)
    return found


_NOT_LOOKED_UP = object()


def _hide(item: Any, context: Any) -> Any:
    hidden = _hidden(context)
    if not hidden:
        return item
    keys = {h.replace("-", "_") for h in hidden}
    return _ItemView(item, frozenset(keys))


#: The first top-level names output of the entry being rendered (subsequent-author-substitute).
_NAMES_CAPTURE: list[list[str]] = []
_NAMES_DEPTH: list[int] = [0]


def capture_names() -> list[str]:
    """Start capturing the first names output of an entry; pop with ``end_capture``."""
    box: list[str] = []
    _NAMES_CAPTURE.append(box)
    return box


def end_capture() -> None:
    _NAMES_CAPTURE.pop()


class Names(model.Names):  # type: ignore[misc]
    @property
    def name(self: Any) -> Any:
        """The ``cs:name`` child, found once (citeproc-py: an lxml ``find`` on every use).

        citeproc-py inserts a ``Name()`` into a ``cs:names`` that has none, but
        that element's tag is ``Name``, outside the CSL namespace, so the answer
        never changes.
        """
        return _child(self, "_bc_name", "cs:name")

    @property
    def label(self: Any) -> Any:
        """The ``cs:label`` child, found once."""
        return _child(self, "_bc_label", "cs:label")

    def render(self: Any, *args: Any, **kwargs: Any) -> Any:
        _NAMES_DEPTH[0] += 1
        try:
            text = super().render(*args, **kwargs)
        finally:
            _NAMES_DEPTH[0] -= 1
        if _NAMES_DEPTH[0] == 0 and _NAMES_CAPTURE and not _SORTING and text is not None:
            box = _NAMES_CAPTURE[-1]
            if not box:
                box.append(str(text))
        return text

    def process(self: Any, item: Any, names_context: Any = None, context: Any = None, **kwargs: Any) -> Any:
        if names_context is None and self.name is None:
            # a bare cs:names anywhere inside cs:substitute (even within cs:choose)
            # inherits the cs:name and cs:label of the cs:names being substituted
            outer = self.xpath_search("./ancestor::cs:substitute[1]/parent::cs:names[1]")
            if outer:
                names_context = outer[0]
        view = _hide(item, context if context is not None else self)
        roles = (self.get("variable") or "").split()
        for role in roles:
            _attempt(role)
        text = super().process(view, names_context, context, **kwargs)
        if text is not None and _OPEN[0]:
            for role in roles:
                if role.replace("-", "_") in view.reference:
                    _record(role)
        return text


class Date(model.Date):  # type: ignore[misc]
    def process(
        self: Any, item: Any, variable: Any = None, show_parts: Any = None, context: Any = None, **kw: Any
    ) -> Any:
        var = variable or self.get("variable")
        if var:
            _attempt(var)
        if var and var.replace("-", "_") in {
            h.replace("-", "_") for h in _hidden(context if context is not None else self)
        }:
            return None
        text = super().process(item, variable, show_parts, context, **kw)
        if text is not None and var:
            _record(var)
        return text


class Number(PageRanges, CaseFix, model.Number):  # type: ignore[misc]
    def process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        var = self.get("variable") or ""
        _attempt(var)
        if var.replace("-", "_") in {
            h.replace("-", "_") for h in _hidden(context if context is not None else self)
        }:
            return None
        if var in ("locator", "page-first", "page"):
            text = super().process(item, context, **kwargs)
        else:
            # citeproc-py looks up "number-of-volumes" with the hyphen and never finds it
            text = self._process(item.reference[var.replace("-", "_")], var)
        if text is not None and str(text) != "":
            _record(var)
        return text


_NUMERIC = re.compile(
    r"^\s*[A-Za-z]{0,4}\d+[A-Za-z]{0,4}(?:\s*(?:[-\u2013&,]|and)\s*[A-Za-z]{0,4}\d+[A-Za-z]{0,4})*\s*$"
)


class NumericTest:
    """CSL ``is-numeric``: ranges and lists of numbers ("99-02", "2, 4") count as numeric."""

    get: Any

    def _is_numeric(self: Any, item: Any) -> list[bool]:
        out = []
        for var in self.get("is-numeric").split():
            value = item.reference.get(var.replace("-", "_"))
            out.append(value is not None and _NUMERIC.match(str(value)) is not None)
        return out


class TypeTest:
    """``type="book chapter"`` split once per element, not once per item."""

    get: Any

    def _type(self: Any, item: Any) -> list[bool]:
        types = self.__dict__.get("_bc_types")
        if types is None:
            types = self.__dict__["_bc_types"] = [t.lower() for t in self.get("type").split()]
        kind = item.reference.type
        return [t == kind for t in types]


class If(TypeTest, NumericTest, model.If):  # type: ignore[misc]
    pass


class Else_If(TypeTest, NumericTest, model.Else_If):  # type: ignore[misc]
    pass


class Macro(model.Macro):  # type: ignore[misc]
    """citeproc-js treats a macro like a group: it prints nothing when it called
    variables and none of them printed (so a lone label, "p .", disappears)."""

    def render(self: Any, item: Any, context: Any = None, sort_options: Any = None) -> Any:

        return _group_like(self, item, join, "", context=context, sort_options=sort_options)


_VARIABLE_TAGS = frozenset(f"{{{CSL_NS}}}{t}" for t in ("names", "date", "number"))


def _may_call_variables(element: Any, seen: frozenset[str] = frozenset()) -> bool:
    """Whether ``element`` (or a macro it calls) can print a variable; cached per element."""
    cached = element.__dict__.get("_bc_calls")
    if cached is not None:
        return bool(cached)
    result = False
    for el in element.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _VARIABLE_TAGS or (el.get("variable") and el.tag != f"{{{CSL_NS}}}label"):
            result = True
            break
        macro = el.get("macro")
        if macro and macro not in seen:
            try:
                target = el.get_macro(macro)
            except IndexError:
                continue
            if _may_call_variables(target, seen | {macro}):
                result = True
                break
    element.__dict__["_bc_calls"] = result
    return result


def _child_plan(element: Any) -> tuple[tuple[Any, bool, bool, bool, bool], ...]:
    """Per child of a group or macro, once: (child, tracked, is a choose, is a group,
    counts as printed content when it prints)."""
    plan = element.__dict__.get("_bc_child_plan")
    if plan is None:
        rows = []
        for child in element.iterchildren():
            is_group = isinstance(child, model.Group)
            content = is_group or (isinstance(child, model.Text) and child.get("macro") is not None)
            tracked = _may_call_variables(child)
            rows.append((child, tracked, isinstance(child, model.Choose), is_group, content))
        plan = element.__dict__["_bc_child_plan"] = tuple(rows)
    return plan  # type: ignore[no-any-return]


def _group_like(element: Any, item: Any, join: Any, delimiter: Any, **kwargs: Any) -> Any:
    output = []
    called = rendered = False
    for child, tracked, choose, is_group, content in _child_plan(element):
        if not tracked:
            # terms, values and labels: nothing to track (and tracking is costly)
            try:
                if choose:
                    text = child.render(item, delimiter=delimiter, **kwargs)
                else:
                    text = child.render(item, **kwargs)
            except VariableError:
                text = None
            if text is not None and (text != "" if isinstance(text, str) else str(text) != ""):
                output.append(text)
                rendered = rendered or is_group
            continue
        # render_tracked(child), inlined: this loop is the hottest of a bibliography
        called_at = len(_CALLED)
        printed_at = len(_PRINTED)
        _OPEN[0] += 1
        try:
            if choose:
                text = child.render(item, delimiter=delimiter, **kwargs)
            else:
                text = child.render(item, **kwargs)
        except VariableError:
            text = None
        except BaseException:
            del _CALLED[called_at:]
            del _PRINTED[printed_at:]
            raise
        finally:
            _OPEN[0] -= 1
        called = called or len(_CALLED) > called_at
        child_printed = len(_PRINTED) > printed_at
        if not _OPEN[0]:
            _CALLED.clear()
            _PRINTED.clear()
        if text is not None and (text != "" if isinstance(text, str) else str(text) != ""):
            output.append(text)
            # citeproc-js counts a non-empty nested group or macro as printed content
            # ("[Online]", "Preprint")
            rendered = rendered or child_printed or content
    if not output or (called and not rendered):
        return None
    # a printed group or macro counts as printed content for every enclosing one
    _record(_CONTENT)
    return join(output, delimiter)


class Group(model.Group):  # type: ignore[misc]
    """A group prints only if a variable in it printed (or it calls none)."""

    def _join_output(self: Any, output: list[Any], delimiter: Any) -> Any:
        return self.join(output)

    def process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:

        text = _group_like(
            self, item, self._join_output, attr(self, "delimiter", ""), context=context, **kwargs
        )
        if text is None:
            raise VariableError
        return text


class Substitute(model.Substitute):  # type: ignore[misc]
    def render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:

        for child in self.getchildren():
            if isinstance(child, model.Names) and child.name is None:
                names = self.xpath_search("./parent::cs:names[1]")[0]
                args = dict(names_context=names, context=context, **kwargs)
                text, _, _, used = _tracked(child, (item,), args, True)
            else:
                text, _, _, used = _tracked(child, (item,), dict(context=context, **kwargs), True)
            if text:
                try:
                    layout = (context if context is not None else self).get_layout()
                except Exception:
                    return text
                layout.repressed.setdefault("*", []).extend(used)
                return text
        return None


class Name(model.Name):  # type: ignore[misc]
    def get_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        """citeproc-py's option look-up (element, then citation/bibliography, then style), kept.

        Only sort keys override options (``sort_options``); everything else is
        fixed once the style is parsed, so the answer is cached per option and context.
        """
        if sort_options is not None and name in sort_options:
            return super().get_option(name, context, sort_options)
        cache = self.__dict__.get("_bc_options")
        if cache is None:
            cache = self.__dict__["_bc_options"] = {}
        key = (name, context)
        try:
            return cache[key]
        except KeyError:
            value = cache[key] = super().get_option(name, context, None)
            return value

    def initialize(self: Any, given: str, mark: str, context: Any) -> str:
        if self.get("initialize", "true").lower() == "false":
            return _keep_given(given, mark)
        # citeproc-js drops a lowercase part after a hyphen: "Jean-baptiste" → "J."
        parts = given.split("-")
        if len(parts) > 1:
            given = "-".join([parts[0]] + [p for p in parts[1:] if not p[:1].islower()])
        return str(super().initialize(given, mark, context))


class Layout(model.Layout):  # type: ignore[misc]
    def render_bibliography(self: Any, citation_items: Any) -> list[Any]:
        bib = self.getparent()
        if bib.get("second-field-align") is None:
            return list(super().render_bibliography(citation_items))
        return [_render_with_margin(self, item) for item in citation_items]


def _sort_value(value: Any) -> tuple[int, Any] | None:
    """citeproc-py's comparison as a key: numbers numerically, text case-insensitively."""
    if value is None:
        return None
    if isinstance(value, int):
        return (0, value)
    text = str(value).lower()
    try:
        return (0, int(text))
    except ValueError:
        return (1, text)


class Sort(model.Sort):  # type: ignore[misc]
    """Lexicographic sort that renders a key only for items still tied on the keys before.

    Same order as evaluating every key for every item (what citeproc-py does),
    but the costly macro keys are rendered for few items: after the author key
    most items are already in place.  Empty keys sort last in either direction.
    """

    def sort(self: Any, items: Any, context: Any) -> list[Any]:
        keys = self.findall("cs:key", self.nsmap)

        def order(group: list[Any], level: int) -> list[Any]:
            if level == len(keys) or len(group) <= 1:
                return group
            key = keys[level]
            descending = key.get("sort", "ascending").lower() == "descending"
            values = [_sort_value(v) for v in key.sort_keys(group, context)]
            present = [i for i, v in enumerate(values) if v is not None]
            present.sort(key=lambda i: values[i], reverse=descending)  # type: ignore[arg-type,return-value]
            out: list[Any] = []
            run: list[Any] = []
            previous: Any = None
            for i in present:
                if run and values[i] != previous:
                    out.extend(order(run, level + 1))
                    run = []
                run.append(group[i])
                previous = values[i]
            out.extend(order(run, level + 1))
            out.extend(order([group[i] for i, v in enumerate(values) if v is None], level + 1))
            return out

        return order(list(items), 0)


class Key(model.Key):  # type: ignore[misc]
    def _format_name(self: Any, item: Any, variable: str) -> Any:
        value = super()._format_name(item, variable)
        return sort_key_text(value) if value is not None else None

    def sort_keys(self: Any, items: Any, context: Any) -> list[Any]:
        _SORTING.append(1)
        try:
            keys = super().sort_keys(items, context)
        finally:
            _SORTING.pop()
        return [sort_key_text(k) if k is not None and not isinstance(k, int) else k for k in keys]


def _classes() -> dict[str, type[Any]]:
    """The element classes bibconv uses: citeproc-py's, with the fixes mixed in."""
    return {
        "text": Text,
        "date-part": Date_Part,
        "number": Number,
        "name-part": Name_Part,
        "label": Label,
        "name": Name,
        "layout": Layout,
        "key": Key,
        "sort": Sort,
        "names": Names,
        "date": Date,
        "substitute": Substitute,
        "macro": Macro,
        "group": Group,
        "if": If,
        "else-if": Else_If,
    }


def _language_code(raw: str) -> str:
    """'english', 'en-US', 'British' → 'en'; 'ngerman', 'de-DE' → not English."""
    low = raw.strip().lower()
    if low in ("english", "american", "british", "canadian", "australian", "usenglish", "ukenglish"):
        return "en"
    return low[:2]


def _keep_given(given: str, mark: str) -> str:
    """Given names kept whole; lone initials ("J", "J.") get the initialize-with mark."""
    words = given.replace(".", ". ").split()
    out = []
    for word in words:
        bare = word.rstrip(".")
        if len(bare) == 1 and bare.isalpha() and bare.isupper():
            out.append(bare + mark.rstrip())
        else:
            out.append(word)
    return " ".join(out)


def sort_key_text(value: Any) -> str:
    """A sort key the way citeproc-js compares: case-folded, accents and punctuation ignored."""
    from bibconv.citation.markup import to_text

    text = to_text(str(value))
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = "".join(ch if ch.isalnum() or ch.isspace() or ch == "," else " " for ch in base)
    return " ".join(cleaned.casefold().split())


def _render_with_margin(layout: Any, item: Any) -> Any:
    """A bibliography entry whose first field is a margin column, followed by a space."""

    layout.repressed = {}
    pieces: list[Any] = []
    for child in layout.iterchildren():
        try:
            text = child.render(item)
        except VariableError:
            continue
        if text is not None and str(text) != "":
            pieces.append(text)
    if not pieces:
        return None
    margin = pieces[0]
    if len(pieces) == 1:  # citeproc-js leaves the layout suffix off a lone number
        return layout.format(margin)
    rest = join(pieces[1:])
    # no space before punctuation that opens the rest ("(100). https://...")
    gap = String("") if str(rest)[:1] in ".,;:" else String(" ")
    return layout.format(layout.wrap(join([margin, rest], gap)))


# -- loading -----------------------------------------------------------------


class Cached:
    """Memoised tree look-ups (speed only: the answers never change for a parsed style).

    citeproc-py asks lxml XPath for a macro, the enclosing layout or a locale
    term every time one is needed, which is most of its running time on large
    bibliographies.  Answers are kept on the element; every element of a
    loaded style is kept alive (see :class:`ParsedStyle`), so they persist.
    """

    def get_macro(self: Any, name: str) -> Any:
        root = self.get_root()
        cache = root.__dict__.setdefault("_bc_macros", {})
        found = cache.get(name)
        if found is None:
            found = cache[name] = super().get_macro(name)  # type: ignore[misc]
        return found

    def get_layout(self: Any) -> Any:
        found = self.__dict__.get("_bc_layout")
        if found is None:
            found = self.__dict__["_bc_layout"] = super().get_layout()  # type: ignore[misc]
        return found

    def get_term(
        self: Any, name: str, form: Any = None, fallback_locale: bool = True, zero_padded: bool = False
    ) -> Any:
        if isinstance(self, model.Locale):  # cs:locale has its own, shorter signature
            return super().get_term(name, form, zero_padded=zero_padded)  # type: ignore[misc]
        root = self.get_root()
        if not hasattr(root, "locales"):  # a locale tree itself
            return super().get_term(name, form, fallback_locale, zero_padded)  # type: ignore[misc]
        cache = root.__dict__.setdefault("_bc_terms", {})
        key = (name, form, fallback_locale, zero_padded)
        if key not in cache:
            cache[key] = super().get_term(name, form, fallback_locale, zero_padded)  # type: ignore[misc]
        return cache[key]

    def get_formatter(self: Any) -> Any:
        return FORMATTER  # every style bibconv loads renders with the marker formatter

    def get_root(self: Any) -> Any:
        found = self.__dict__.get("_bc_root")
        if found is None:
            found = self.__dict__["_bc_root"] = self.getroottree().getroot()
        return found

    def xpath_search(self: Any, expression: str) -> Any:
        cache = self.__dict__.setdefault("_bc_xpath", {})
        found = cache.get(expression)
        if found is None:
            found = cache[expression] = super().xpath_search(expression)  # type: ignore[misc]
        return found


@cache
def _element_classes() -> dict[str | None, type[Any]]:
    """Tag → class: citeproc-py's element classes (with bibconv's fixes), plus caching."""
    from bibconv.citation import speed

    def mixins(tag: str | None) -> tuple[type[Any], ...]:
        extra: tuple[type[Any], ...] = (Cached,)
        if tag != "date-part":  # its attributes change while rendering
            extra += (speed.Static,)
        if tag in _STRUCTURAL:
            extra += (speed.KeptChildren,)
        if tag in ("if", "else-if"):
            extra += (speed.Conditional,)
        if tag == "choose":
            extra += (speed.FastChoose,)
        if tag == "term":
            extra += (speed.KeptTerm,)
        return extra

    base = [c for c in model.CitationStylesElement.__subclasses__() if not issubclass(c, Cached)]
    table: dict[str | None, type[Any]] = {
        None: type("CitationStylesElement", (*mixins(None), model.CitationStylesElement), {})
    }
    for cls in base:
        tag = cls.__name__.replace("_", "-").lower()
        table[tag] = type(cls.__name__, (*mixins(tag), cls), {})
    for tag, cls in _classes().items():
        table[tag] = type(cls.__name__, (*mixins(tag), cls), {})
    return table


#: Elements that lay out the others; citeproc-py never changes their children.
_STRUCTURAL = frozenset(["layout", "group", "macro", "choose", "if", "else-if", "else"])


def _lookup() -> Any:
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(CSL_NS)
    for tag, cls in _element_classes().items():
        namespace[tag] = cls
    return lookup


_PARSER_LOCAL = threading.local()

#: One lock for all rendering: the fixes keep per-render state in module-level
#: stacks (recorders, the names capture), so renders in one process take turns.
RENDER_LOCK = threading.RLock()


def _parser() -> etree.XMLParser:
    parser = getattr(_PARSER_LOCAL, "parser", None)
    if parser is None:
        parser = safe_parser(_lookup())
        _PARSER_LOCAL.parser = parser
    return parser


@cache
def _locale_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


_LOCALES: dict[str, Any] = {}
_LOCALES_LOCK = threading.Lock()


def _system_locale(path: str, lang: str) -> Any:
    """A bundled locale file: parsed once per process, then copied for each style.

    Each style needs its own copy: citeproc-py writes a style's date-part
    attributes into the locale's date formats while rendering, which must not
    leak into another style ("January 11th" in a style that never asked for it).
    """
    with _LOCALES_LOCK:
        template = _LOCALES.get(path)
        if template is None:
            template = _LOCALES[path] = _parse(_locale_bytes(path), f"locale {lang}").getroot()
    return copy.deepcopy(template)


def _parse(data: bytes | str, what: str) -> Any:
    try:
        if isinstance(data, bytes):
            return etree.fromstring(data, _parser()).getroottree()
        return etree.parse(data, _parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise StyleParseError(f"{what} is not well-formed XML: {exc}") from exc


def _set_locales(root: Any, output_locale: str) -> None:
    """citeproc-py's locale search order, with locale files parsed safely and once."""
    import citeproc

    root.locales = []
    added: set[str] = set()

    def in_style(lang: str | None) -> None:
        expr = f'./cs:locale[@xml:lang="{lang}"]' if lang else "./cs:locale[not(@xml:lang)]"
        root.locales.extend(root.xpath_search(expr)[:1])

    def system(lang: str) -> None:
        if lang in added:
            return
        path = Path(citeproc.LOCALES_PATH) / f"locales-{lang}.xml"
        if not path.is_file():
            return
        root.locales.append(_system_locale(str(path), lang))
        added.add(lang)

    in_style(output_locale)
    language = output_locale.split("-")[0]
    in_style(language)
    in_style(None)
    if output_locale in citeproc.LANGUAGE_NAMES:
        system(output_locale)
    if language in citeproc.PRIMARY_DIALECTS:
        system(citeproc.PRIMARY_DIALECTS[language])
    system("en-US")
    for loc in root.locales:
        loc.style = root


class ParsedStyle:
    """What citeproc-py's ``CitationStylesStyle`` offers, built from a safely parsed tree."""

    def __init__(self, tree: Any, locale: str | None) -> None:
        self.xml = tree
        self.root = tree.getroot()
        if self.root.tag != f"{{{CSL_NS}}}style":
            raise StyleParseError("not a CSL style (the root element is not cs:style)")
        self.locale = locale or self.root.get("default-locale") or "en-US"
        _set_locales(self.root, self.locale)
        self.root.formatter = FORMATTER
        # keep every element proxy alive, so the look-ups cached on them persist
        self._alive = list(self.root.iter())
        for loc in self.root.locales:
            self._alive.extend(loc.getroottree().getroot().iter())

    def has_bibliography(self) -> bool:
        return self.root.bibliography is not None

    def render_citation(self, citation: Any, cites: Any, callback: Any = None) -> Any:
        return self.root.citation.render(citation, cites, callback)

    def sort_bibliography(self, citation_items: Any) -> Any:
        return self.root.bibliography.sort(citation_items)

    def render_bibliography(self, citation_items: Any) -> Any:
        return self.root.bibliography.render(citation_items)


def build_style(path: Path, locale: str | None) -> LoadedStyle:
    """Parse ``path`` with bibconv's element classes and read the options bibconv needs."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StyleParseError(f"style {path} could not be read: {exc}") from exc
    tree = _parse(data, f"style {path.name}")
    style = ParsedStyle(tree, locale)
    root = style.root
    citation = root.find(f"{{{CSL_NS}}}citation")
    if citation is None:
        raise StyleParseError(f"style {path.name} has no cs:citation element")
    bibliography = root.find(f"{{{CSL_NS}}}bibliography")
    piq = False
    for loc in root.locales:
        opts = loc.find(f"{{{CSL_NS}}}style-options")
        if opts is not None and opts.get("punctuation-in-quote") is not None:
            piq = opts.get("punctuation-in-quote") == "true"
            break
    return LoadedStyle(
        path=path,
        locale=style.locale,
        style=style,
        has_bibliography=bibliography is not None,
        add_year_suffix=citation.get("disambiguate-add-year-suffix") == "true",
        add_names=citation.get("disambiguate-add-names") == "true",
        second_field_align=bibliography is not None and bibliography.get("second-field-align") is not None,
        punctuation_in_quote=piq,
        lock=RENDER_LOCK,
        leading_terms=_leading_terms(root),
        explicit_year_suffix=bool(
            root.xpath('//cs:text[@variable="year-suffix"]', namespaces={"cs": CSL_NS})
        ),
    )


def _leading_terms(root: Any) -> tuple[str, ...]:
    out: list[str] = []
    for name, form in (("no date", "short"), ("no date", None), ("in", None)):
        try:
            term = root.get_single_term(name=name, form=form)
        except Exception:
            continue
        text = str(term or "")
        if text and text not in out:
            out.append(text + " " if name == "in" else text)
    return tuple(out)
