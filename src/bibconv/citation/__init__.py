"""Formatted bibliographies and in-text citations in any CSL style.

>>> import bibconv
>>> from bibconv.citation import bibliography, cite
>>> records = bibconv.read("refs.json").records          # doctest: +SKIP
>>> print(bibliography(records, style="apa", format="text"))  # doctest: +SKIP
>>> cite(records, ["smith2020"], style="apa")             # doctest: +SKIP
['(Smith, 2020)']

Two processors are behind this API.  ``"new"`` is bibconv's own CSL 1.0.2
processor (:mod:`bibconv.csl`, through :mod:`bibconv.citation.processor`);
``"old"`` is citeproc-py with bibconv's corrections
(:mod:`bibconv.citation.fixes`).  :data:`DEFAULT_PROCESSOR` says which one is
used when a call does not choose; :func:`process` (locators, prefixes, note
numbers, several citations) always runs the new one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from bibconv.ir import Record

if TYPE_CHECKING:
    from bibconv.csl.engine import Citation, Result

__all__ = [
    "DEFAULT_PROCESSOR",
    "FORMATS",
    "PROCESSORS",
    "bibliography",
    "cite",
    "convert_marked",
    "default_processor",
    "process",
]

FORMATS = ("text", "html", "markdown")

#: ``"new"``: bibconv's own processor (:mod:`bibconv.csl`); ``"old"``: citeproc-py with fixes.
PROCESSORS = ("new", "old")

#: The processor used when a call does not choose.  Stays ``"old"`` until the new
#: one is at least as close to citeproc-js on the fidelity test (see docs/citations.md).
DEFAULT_PROCESSOR = "old"


def default_processor() -> str:
    """The processor when a call does not choose: ``$BIBCONV_PROCESSOR``, else :data:`DEFAULT_PROCESSOR`."""
    import os

    return os.environ.get("BIBCONV_PROCESSOR") or DEFAULT_PROCESSOR


def _which(processor: str | None) -> str:
    chosen = processor or default_processor()
    if chosen not in PROCESSORS:
        raise ValueError(f"unknown processor {chosen!r}; use one of {', '.join(PROCESSORS)}")
    return chosen


def process(
    records: Sequence[Record],
    citations: Iterable[Citation | Mapping[str, Any] | Sequence[Mapping[str, Any]]] = (),
    *,
    style: str = "apa",
    locale: str | None = None,
    format: str = "html",
    empty: Literal["omit", "print"] = "omit",
) -> Result:
    """Citations and bibliography of ``records`` in one pass of bibconv's own processor.

    ``citations``: :class:`bibconv.csl.Citation` objects (cites with locator,
    label, prefix, suffix, suppress-author, author-only; an optional note
    number) or citeproc-js's JSON shape.  Returns a :class:`bibconv.csl.Result`
    (``citations``, ``bibliography``, ``bibliography_ids``, ``diagnostics``).
    ``empty`` decides whether a record with nothing to cite is printed (BC450).
    """
    if format not in FORMATS:
        raise ValueError(f"unknown output format {format!r}; use one of {', '.join(FORMATS)}")
    from bibconv.citation import processor

    return processor.process(records, citations, style=style, locale=locale, format=format, empty=empty)


def convert_marked(text: str, format: str) -> str:
    """Marked text → ``text``, ``html`` or ``markdown``."""
    from bibconv.citation import markup

    if format == "text":
        return markup.to_text(text)
    if format == "html":
        return markup.to_html(text)
    if format == "markdown":
        return markup.to_markdown(text)
    raise ValueError(f"unknown output format {format!r}; use one of {', '.join(FORMATS)}")


def bibliography(
    records: Sequence[Record],
    style: str = "apa",
    locale: str | None = None,
    format: str = "text",
    *,
    processor: str | None = None,
) -> list[str]:
    """The formatted, sorted bibliography entries of ``records``."""
    if _which(processor) == "new":
        if format not in FORMATS:
            raise ValueError(f"unknown output format {format!r}; use one of {', '.join(FORMATS)}")
        from bibconv.citation.processor import bibliography_entries

        return bibliography_entries(records, style, locale, format).texts
    from bibconv.citation.render import render_bibliography

    rendered = render_bibliography(records, style, locale)
    return [convert_marked(e.text, format) for e in rendered.entries]


def cite(
    records: Sequence[Record],
    keys: Sequence[str] | Sequence[Sequence[str]],
    style: str = "apa",
    locale: str | None = None,
    format: str = "text",
    *,
    processor: str | None = None,
) -> list[str]:
    """In-text citations: one string per key (or per list of keys cited together)."""
    if _which(processor) == "new":
        if format not in FORMATS:
            raise ValueError(f"unknown output format {format!r}; use one of {', '.join(FORMATS)}")
        from bibconv.citation.processor import cite_texts

        return cite_texts(records, keys, style, locale, format)[0]
    from bibconv.citation.render import cite_marked

    texts, _ = cite_marked(records, keys, style, locale)
    return [convert_marked(t, format) for t in texts]
