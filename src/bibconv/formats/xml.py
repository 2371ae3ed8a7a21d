"""Safe XML parsing shared by the XML formats (MODS, EndNote XML, PubMed XML, Word).

lxml with a parser that never resolves entities, never touches the network,
never loads a DTD and keeps lxml's limits on huge documents; with
``recover`` it reads past errors, and every error libxml2 reported becomes
a diagnostic with its line and column, so the rest of the file is still read.
Element lookups ignore namespace prefixes: files in the wild use a default
namespace, a ``mods:`` prefix, or none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar, TypeVar

from bibconv.diagnostics import Diagnostic

__all__ = [
    "ElementContext",
    "build_each",
    "check_root",
    "child",
    "children",
    "dump_catch",
    "elements_named",
    "local",
    "parse",
    "parse_document",
    "squash",
    "text_of",
    "xml_safe",
]

_T = TypeVar("_T")

_DECLARATION = re.compile(r"\A\s*<\?xml[^>]{0,200}\?>")
#: Characters XML 1.0 cannot hold (controls other than tab/newline/return, U+FFFE/F, surrogates).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(r"\s+")


def xml_safe(value: str) -> bool:
    """True when ``value`` can be written as XML text."""
    return _ILLEGAL.search(value) is None


def parse(text: str, file: str | None, code: str) -> tuple[Any, list[Diagnostic]]:
    """(root element or None, diagnostics); never raises, never resolves entities."""
    from lxml import etree

    diags: list[Diagnostic] = []
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )
    body = _DECLARATION.sub("", text, count=1)
    offset = 0
    root = None
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        diags.append(Diagnostic.make(code, f"XML could not be parsed: {exc}", file=file))
    for seen, err in enumerate(parser.error_log):
        if seen >= 20:
            diags.append(Diagnostic.make(code, "more XML errors were not listed", file=file))
            break
        diags.append(
            Diagnostic.make(
                code,
                f"XML error: {err.message}",
                file=file,
                line=err.line + offset if err.line else None,
                column=err.column or None,
            )
        )
    if root is None and not diags:
        diags.append(Diagnostic.make(code, "no XML element found", file=file))
    return root, diags


def parse_document(text: str, file: str | None, diags: list[Diagnostic]) -> Any:
    """The root element of an XML export, or None; problems go to ``diags``.

    The start every XML reader shares: empty input is BC005, and whatever
    libxml2 reports is BC141 (the rest of the document is still read).
    """
    if not text or text.isspace():  # not text.strip(): that copies the whole text
        diags.append(Diagnostic.make("BC005", "input is empty", file=file))
        return None
    root, problems = parse(text, file, "BC141")
    diags += problems
    return root


def check_root(
    root: Any, names: tuple[str, ...], shown: str, diags: list[Diagnostic], file: str | None
) -> None:
    """BC142 when the root is none of ``names`` (``shown`` is how the message names it).

    A warning, not a refusal: the records are looked for anywhere below.
    """
    if local(root) not in names:
        diags.append(
            Diagnostic.make(
                "BC142",
                f"root element is <{local(root)}>, not <{shown}>",
                file=file,
                line=root.sourceline,
            )
        )


def elements_named(root: Any, *names: str) -> Iterator[Any]:
    """``root`` and its descendants whose local name is one of ``names``, in document order."""
    return (el for el in root.iter() if local(el) in names)


def build_each(
    elements: Iterable[Any],
    convert: Callable[[Any, list[Diagnostic], str | None], _T],
    diags: list[Diagnostic],
    file: str | None,
    noun: str = "record",
) -> list[_T]:
    """``convert`` applied to each element; one that fails is BC117 and the rest are still read.

    ValueError/TypeError mean a value no CSL record can hold; catching them
    per element keeps one bad record from losing the file.
    """
    built: list[_T] = []
    for el in elements:
        try:
            built.append(convert(el, diags, file))
        except (ValueError, TypeError) as exc:
            diags.append(
                Diagnostic.make("BC117", f"{noun} could not be read: {exc}", file=file, line=el.sourceline)
            )
    return built


class ElementContext:
    """What reading one record element collects: text variables and the extras kept for lost values.

    The XML readers share the rule for a value they cannot place: it goes to
    ``extra`` under ``<prefix>:<where>`` (values of one key joined by lines)
    with one BC201 per key and record, so nothing is dropped silently.
    """

    #: The format's prefix of extra keys (``mods`` gives ``mods:genre``).
    prefix: ClassVar[str]

    def __init__(self, diags: list[Diagnostic], file: str | None, line: int | None) -> None:
        self.diags, self.file, self.line = diags, file, line
        self.text: dict[str, str] = {}
        self.extra: dict[str, str] = {}
        self.reported: set[str] = set()

    def shown(self, where: str) -> str:
        """How a message names the place ``where`` (a subclass may add brackets)."""
        return where

    def set(self, var: str, value: str, where: str, line: int | None) -> None:
        """Set a text variable; a second, different value is kept in extra."""
        if not value:
            return
        old = self.text.get(var)
        if old is None:
            self.text[var] = value
        elif old != value:
            self.keep(where, value, line, f"repeats {var} with another value")

    def keep(self, where: str, value: str, line: int | None, why: str) -> None:
        """Keep ``value`` in extra under the format's key for ``where``; BC201 once per key."""
        if not value:
            return
        key = f"{self.prefix}:{where}"
        self.extra[key] = f"{self.extra[key]}\n{value}" if key in self.extra else value
        if key not in self.reported:
            self.reported.add(key)
            self.diags.append(
                Diagnostic.make(
                    "BC201",
                    f"{self.shown(where)} {why}; kept in extra as {key!r}",
                    file=self.file,
                    line=line or self.line,
                )
            )


def local(el: Any) -> str:
    """An element's name without its namespace ("" for comments and the like)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def children(el: Any, name: str) -> Iterator[Any]:
    """The child elements called ``name`` (any namespace); none of a missing element."""
    if el is None:
        return iter(())
    it: Iterator[Any] = el.iterchildren(f"{{*}}{name}")  # lxml's namespace wildcard, in C
    return it


def child(el: Any, name: str) -> Any:
    """The first child element called ``name``, or None."""
    if el is None:
        return None
    return el.find(f"{{*}}{name}")


def text_of(el: Any) -> str:
    """All text inside ``el`` with white space runs made one space, stripped."""
    if el is None:
        return ""
    return squash("".join(el.itertext()))


def squash(value: str) -> str:
    """``value`` with white space runs made one space, stripped: what :func:`text_of` reads
    from an element holding it (the MODS writer predicts its read-back with it)."""
    if value.isprintable() and "  " not in value:
        return value.strip(" ")  # printable text has no white space but the plain space
    return _SPACES.sub(" ", value).strip()


def dump_catch(item: dict[str, Any]) -> str:
    """A catch-all object as ASCII JSON: always valid XML text, and the same bytes each run.

    The one encoding of the MODS, EndNote XML and Word writers' bibconv-csl payload.
    """
    return json.dumps(item, ensure_ascii=True, sort_keys=True)
