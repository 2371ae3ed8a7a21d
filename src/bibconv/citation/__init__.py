"""Formatted bibliographies and in-text citations in any CSL style.

>>> import bibconv
>>> from bibconv.citation import bibliography, cite
>>> records = bibconv.read("refs.json").records          # doctest: +SKIP
>>> print(bibliography(records, style="apa", format="text"))  # doctest: +SKIP
>>> cite(records, ["smith2020"], style="apa")             # doctest: +SKIP
['(Smith, 2020)']

Built on citeproc-py with bibconv's corrections (:mod:`bibconv.citation.fixes`)
so that the output matches citeproc-js, the processor behind Zotero.
"""

from __future__ import annotations

from collections.abc import Sequence

from bibconv.ir import Record

__all__ = ["FORMATS", "bibliography", "cite", "convert_marked"]

FORMATS = ("text", "html", "markdown")


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
    records: Sequence[Record], style: str = "apa", locale: str | None = None, format: str = "text"
) -> list[str]:
    """The formatted, sorted bibliography entries of ``records``."""
    from bibconv.citation.render import render_bibliography

    rendered = render_bibliography(records, style, locale)
    return [convert_marked(e.text, format) for e in rendered.entries]


def cite(
    records: Sequence[Record],
    keys: Sequence[str] | Sequence[Sequence[str]],
    style: str = "apa",
    locale: str | None = None,
    format: str = "text",
) -> list[str]:
    """In-text citations: one string per key (or per list of keys cited together)."""
    from bibconv.citation.render import cite_marked

    texts, _ = cite_marked(records, keys, style, locale)
    return [convert_marked(t, format) for t in texts]
