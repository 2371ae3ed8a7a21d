"""Speed-ups for citeproc-py's element classes: the same output with less work per entry.

citeproc-py renders a bibliography by walking the style's element tree once
per entry, and on every visit it reads the element's attributes back from lxml
(``prefix``, ``suffix``, five formatting attributes, ``quotes`` ...), looks
its children up again, evaluates ``cs:if`` conditions by raising an exception
for every branch not taken, and searches the locales for options that never
change.  For a large bibliography in a long style (APA has ~90 conditions per
entry) that bookkeeping is most of the running time.

The mixins here answer those questions once per element and keep the answer
on the element (bibconv keeps every element of a loaded style alive, so the
answers persist; see :class:`bibconv.citation.fixes.ParsedStyle`).  They are
speed only: every method computes exactly what the citeproc-py method it
replaces computes, which ``tests/test_citation_speed.py`` checks against the
originals.

One thing in citeproc-py changes a style's tree while it renders: a
``cs:date-part`` of a localized date takes over the attributes of the style's
own ``cs:date-part`` (``model.Date_Part.process``).  Date parts therefore get
none of these caches.  The other run-time change, ``cs:names`` inserting a
``cs:name`` child, is why children are cached only for the elements that
structure the layout (groups, macros, choose branches, the layout).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from citeproc import model
from citeproc.source import VariableError
from citeproc.string import MixedString, normalize_seam

__all__ = ["Conditional", "FastChoose", "KeptChildren", "KeptTerm", "Static", "attr"]

_MISSING = object()


def attr(element: Any, name: str, default: Any = None) -> Any:
    """``element.get(name, default)``, read from lxml once per element and name.

    Only for elements whose attributes never change while rendering (not
    ``cs:date-part``).
    """
    cache = element.__dict__.get("_bc_attrs")
    if cache is None:
        cache = element.__dict__["_bc_attrs"] = {}
    key = (name, default)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = cache[key] = element.get(name, default)
    return value


#: (attribute, its default, value → formatter method) in the order citeproc-py
#: applies them (``model.Formatted.format``).
_FORMATTING = (
    ("font-style", "normal", {"italic": "Italic", "oblique": "Oblique"}),
    ("font-variant", "normal", {"small-caps": "SmallCaps"}),
    ("font-weight", "normal", {"bold": "Bold", "light": "Light"}),
    ("text-decoration", "none", {"underline": "Underline"}),
    ("vertical-align", "baseline", {"sup": "Superscript", "sub": "Subscript"}),
)


def _formatting_plan(element: Any) -> tuple[Any, ...] | None:
    """The formatter functions ``format`` applies, in order; None when an
    attribute has a value citeproc-py does not know (it fails on those, and so
    the original method is left to fail the same way)."""
    formatter = element.get_formatter()
    plan = []
    for name, default, methods in _FORMATTING:
        value = element.get(name, default)
        if value == default:
            continue
        method = methods.get(value)
        if method is None:
            return None
        plan.append(getattr(formatter, method))
    return tuple(plan)


class Static:
    """Formatting, affixes and period stripping from attributes read once.

    Mixed into every element class except ``cs:date-part`` (whose attributes
    citeproc-py rewrites while rendering).
    """

    def format(self: Any, string: Any) -> Any:
        """``model.Formatted.format`` with the formatting attributes read once."""
        plan = self.__dict__.get("_bc_format", _MISSING)
        if plan is _MISSING:
            plan = self.__dict__["_bc_format"] = _formatting_plan(self)
        if plan is None:
            return super().format(string)  # type: ignore[misc]
        if isinstance(string, (int, float)):
            string = str(string)
        for step in plan:
            string = step(string)
        return string

    def wrap(self: Any, string: Any) -> Any:
        """``model.Affixed.wrap`` with the affixes read once.

        Without affixes citeproc-py's concatenations with ``""`` hand back the
        string itself (``String``/``MixedString`` discard an empty operand), so
        it is returned at once.
        """
        if string is None:
            return None
        affixes = self.__dict__.get("_bc_affixes")
        if affixes is None:
            affixes = self.__dict__["_bc_affixes"] = (self.get("prefix", ""), self.get("suffix", ""))
        prefix, suffix = affixes
        if not prefix and not suffix and isinstance(string, (str, MixedString)):
            return string
        string = normalize_seam(prefix, string)
        text = prefix + string
        return text + normalize_seam(text, suffix)

    def strip_periods(self: Any, string: Any) -> Any:
        """``model.StrippedPeriods.strip_periods`` with the attribute read once."""
        if attr(self, "strip-periods", "false").lower() == "true":
            string = string.replace(".", "")
        return string


class KeptTerm:
    """A locale term's singular and plural text, built once (citeproc-py: a ``find`` and a
    new ``String`` on every use; ``String`` is immutable, so one is shared)."""

    @property
    def single(self: Any) -> Any:
        found = self.__dict__.get("_bc_single")
        if found is None:
            found = self.__dict__["_bc_single"] = super().single  # type: ignore[misc]
        return found

    @property
    def multiple(self: Any) -> Any:
        found = self.__dict__.get("_bc_multiple")
        if found is None:
            found = self.__dict__["_bc_multiple"] = super().multiple  # type: ignore[misc]
        return found


class KeptChildren:
    """``iterchildren()`` from a list made once (lxml builds a new iterator of proxies each time).

    For the structural elements only (layout, group, macro, choose and its
    branches), whose children citeproc-py never adds to or removes.
    """

    def iterchildren(self: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return super().iterchildren(*args, **kwargs)  # type: ignore[misc]
        kids = self.__dict__.get("_bc_kids")
        if kids is None:
            kids = self.__dict__["_bc_kids"] = tuple(super().iterchildren())  # type: ignore[misc]
        return iter(kids)

    def getchildren(self: Any) -> list[Any]:
        return list(self.iterchildren())


#: The tests of ``model.If.render``, in its order: attribute → method.
_TESTS = (
    ("type", "_type"),
    ("variable", "_variable"),
    ("is-numeric", "_is_numeric"),
    ("is-uncertain-date", "_is_uncertain_date"),
    ("locator", "_locator"),
)


class Conditional:
    """``cs:if``/``cs:else-if``: the condition compiled once into a function of the item.

    ``model.If.render`` checks six attributes and the match mode on every
    visit, then raises ``ConditionFailed`` when the branch is not taken;
    :class:`FastChoose` asks :meth:`passes` instead.  The two everyday
    conditions, on the item type only and on the presence of variables only,
    get a function of their own; any other runs citeproc-py's tests in its order.
    """

    def condition(self: Any) -> Callable[[Any, Any], bool]:
        """The branch's test as ``f(item, context) -> bool``, made once per element."""
        test = self.__dict__.get("_bc_condition")
        if test is None:
            test = self.__dict__["_bc_condition"] = _compile_condition(self)
        return test  # type: ignore[no-any-return]

    def passes(self: Any, item: Any, context: Any = None) -> bool:
        """Whether the branch is taken (``model.If.render``'s test, same results)."""
        return bool(self.condition()(item, context))

    def render(self: Any, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        if not self.passes(item, context):
            raise model.ConditionFailed
        return self.render_children(item, context=context, delimiter=delimiter, **kwargs)


def _combine(match: str | None) -> Callable[[Any], bool]:
    """How ``model.If.render`` combines the test results for a ``match`` value."""
    if match == "any":
        return any
    if match == "none":
        return lambda results: not any(results)
    return all


def _item_type(item: Any) -> Any:
    """``item.reference.type`` without two Python-level look-ups (VariableError when missing)."""
    try:
        return dict.__getitem__(item.reference, "type")
    except KeyError:
        raise VariableError from None


def _compile_condition(element: Any) -> Callable[[Any, Any], bool]:
    attrib = element.attrib
    tests = tuple(method for name, method in _TESTS if name in attrib)
    position = "position" in attrib
    match = element.get("match")
    combine = _combine(match)
    if tests == ("_type",) and not position:
        types = tuple(t.lower() for t in element.get("type").split())
        if match == "any":
            return lambda item, context: _item_type(item) in types
        if match == "none":
            return lambda item, context: _item_type(item) not in types

        distinct = set(types)
        if len(distinct) == 1:  # the usual type="book" (match="all" by default)
            (only,) = distinct
            return lambda item, context: _item_type(item) == only

        def every_type(item: Any, context: Any) -> bool:
            # an item has one type: "all" of several distinct types never holds
            _item_type(item)  # but a missing type still fails as in citeproc-py
            return not distinct

        return every_type
    if tests == ("_variable",) and not position:
        names = tuple(v.replace("-", "_") for v in element.get("variable").split())
        if "locator" not in names:
            return lambda item, context: combine([name in item.reference for name in names])

    def general(item: Any, context: Any) -> bool:
        results: list[Any] = []
        for method in tests:
            results += getattr(element, method)(item)
        if position:
            results += element._position(item, context)
        return bool(combine(results))

    return general


class FastChoose:
    """``cs:choose`` that tests its branches instead of catching an exception per branch not taken.

    Most chooses start with branches that test the item type only (APA has
    chains of a dozen).  Which of those a type takes is remembered per type,
    so an item skips straight to that branch, or past all of them.
    """

    def render(self: Any, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        plan = self.__dict__.get("_bc_branches")
        if plan is None:
            plan = self.__dict__["_bc_branches"] = _choose_plan(self)
        branches, by_type = plan
        start = 0
        if by_type is not None:
            kind = dict.get(item.reference, "type", _MISSING)
            if kind is not _MISSING:  # (a missing type fails the tests below, as it should)
                start = by_type.get(kind, -1)
                if start < 0:
                    start = by_type[kind] = _first_type_branch(branches, item, context)
        for child, test in branches[start:] if start else branches:
            try:
                if test is None:  # cs:else
                    return child.render(item, context=context, delimiter=delimiter, **kwargs)
                if test(item, context):
                    return child.render_children(item, context=context, delimiter=delimiter, **kwargs)
            except model.ConditionFailed:  # a stray cs:if directly inside a branch
                continue
        return None


def _type_only(child: Any) -> bool:
    """A ``cs:if``/``cs:else-if`` that tests the item type and nothing else."""
    if not isinstance(child, Conditional):
        return False
    attrib = child.attrib  # type: ignore[attr-defined]
    return "type" in attrib and "position" not in attrib and not any(name in attrib for name, _ in _TESTS[1:])


def _choose_plan(choose: Any) -> tuple[tuple[tuple[Any, Any], ...], dict[Any, int] | None]:
    """The branches with their tests, and (when it opens with type-only tests) a
    memo type → index of the first branch to look at."""
    branches = tuple(
        (child, child.condition() if isinstance(child, Conditional) else None)
        for child in choose.iterchildren()
    )
    opens_with_type = bool(branches) and _type_only(branches[0][0])
    return branches, ({} if opens_with_type else None)


def _first_type_branch(branches: Any, item: Any, context: Any) -> int:
    """The first type-only branch ``item``'s type takes, or the first branch after them.

    Type-only tests depend on nothing but the type, so the answer holds for
    every item of that type.
    """
    index = 0
    while index < len(branches) and _type_only(branches[index][0]):
        if branches[index][1](item, context):
            return index
        index += 1
    return index
