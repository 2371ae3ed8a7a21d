"""Formatted bibliographies and in-text citations in any CSL style.

>>> import bibconv
>>> from bibconv.citation import bibliography, cite
>>> records = bibconv.read("refs.json").records          # doctest: +SKIP
>>> print(bibliography(records, style="apa", format="text"))  # doctest: +SKIP
>>> cite(records, ["smith2020"], style="apa")             # doctest: +SKIP
['(Smith, 2020)']

Everything is formatted by bibconv's own CSL 1.0.2 processor
(:mod:`bibconv.csl`, through :mod:`bibconv.citation.processor`);
:func:`process` is the batch entry point (locators, prefixes, note numbers,
several citations), :func:`bibliography` and :func:`cite` are views of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from bibconv.ir import Record

if TYPE_CHECKING:
    from bibconv.csl.engine import Citation, Result

__all__ = ["FORMATS", "bibliography", "cite", "process"]

FORMATS = ("text", "html", "markdown")


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise ValueError(f"unknown output format {format!r}; use one of {', '.join(FORMATS)}")


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
    _check_format(format)
    from bibconv.citation import processor

    return processor.process(records, citations, style=style, locale=locale, format=format, empty=empty)


def bibliography(
    records: Sequence[Record], style: str = "apa", locale: str | None = None, format: str = "text"
) -> list[str]:
    """The formatted, sorted bibliography entries of ``records``."""
    _check_format(format)
    from bibconv.citation.processor import bibliography_entries

    return bibliography_entries(records, style, locale, format).texts


def cite(
    records: Sequence[Record],
    keys: Sequence[str] | Sequence[Sequence[str]],
    style: str = "apa",
    locale: str | None = None,
    format: str = "text",
) -> list[str]:
    """In-text citations: one string per key (or per list of keys cited together)."""
    _check_format(format)
    from bibconv.citation.processor import cite_texts

    return cite_texts(records, keys, style, locale, format)[0]
