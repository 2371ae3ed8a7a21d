"""bibconv's own CSL processor (:mod:`bibconv.csl`) behind :mod:`bibconv.citation`'s API.

This module is the only place where bibconv Records meet the processor: the
records become items through :mod:`bibconv.csl.records` (data facts settled
once), style names resolve as everywhere in bibconv (names, ``.csl`` paths,
dependent styles followed), and the diagnostics of both steps come back
together.  :func:`process` is the batch entry point; the bibliography, the
citations and the ``-t text|html|markdown`` writers are views of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from bibconv.diagnostics import Diagnostic
from bibconv.ir import Record

if TYPE_CHECKING:
    from bibconv.csl.engine import Citation, Result
    from bibconv.progress import Progress

__all__ = ["Entries", "bibliography_entries", "cite_texts", "process"]


def _style(style: str | Any) -> Any:
    """A compiled style from a name, a path or an already loaded style (cached by the core)."""
    from pathlib import Path

    from bibconv.citation.styles import StyleParseError, resolve_style
    from bibconv.csl.style import Style, StyleError, load_style

    if isinstance(style, Style):
        return style
    path = Path(style) if isinstance(style, Path) else resolve_style(str(style))
    try:
        return load_style(path)
    except StyleError as exc:  # the CLI prints one line and exits 4, as for a style not found
        where = f" (line {exc.line})" if exc.line else ""
        raise StyleParseError(f"style {path.name} could not be loaded{where}: {exc}") from exc


def _locale(locale: str | None) -> str | None:
    """The locale after bibconv's check (an unknown one is a clean error, as in the old layer)."""
    if locale is None:
        return None
    from bibconv.citation.styles import check_locale

    return check_locale(locale)


def process(
    records: Sequence[Record],
    citations: Iterable[Citation | Mapping[str, Any] | Sequence[Mapping[str, Any]]] = (),
    *,
    style: str | Any = "apa",
    locale: str | None = None,
    format: str = "html",
    empty: Literal["omit", "print"] = "omit",
    progress: Progress | None = None,
) -> Result:
    """Format ``citations`` and the bibliography of ``records`` in ``style``.

    ``citations`` are :class:`bibconv.csl.Citation` objects or citeproc-js's JSON
    shape (``{"citationItems": [{"id": "a", "locator": "33"}], "properties":
    {"noteIndex": 1}}``).  ``empty``: what to do with a record that has nothing
    to cite (BC450 either way): ``"omit"`` it or ``"print"`` it.  The result's
    diagnostics include those of the records' mapping (BC450-BC452).  ``progress``
    (:mod:`bibconv.progress`) hears of bibliography entries as they are rendered.
    """
    from dataclasses import replace

    from bibconv.csl.engine import process as run
    from bibconv.csl.records import records_to_items

    loc = _locale(locale)
    mapped = records_to_items(records, locale=loc, empty=empty)
    cits = _expand_sets(citations, mapped.sets)
    result = run(mapped.items, cits, style=_style(style), locale=loc, format=format, progress=progress)
    if mapped.diagnostics:
        result = replace(result, diagnostics=(*mapped.diagnostics, *result.diagnostics))
    return result


def _expand_sets(
    citations: Iterable[Citation | Mapping[str, Any] | Sequence[Mapping[str, Any]]],
    sets: Mapping[str, tuple[str, ...]],
) -> list[Citation]:
    """Citations with a cite of a biblatex ``@set`` replaced by cites of its members (as biblatex cites it).

    The first member keeps the cite's prefix, the last its suffix and locator.
    """
    from dataclasses import replace

    from bibconv.csl import Citation

    out = []
    for c in citations:
        cit = c if isinstance(c, Citation) else Citation.from_json(c)
        if sets and any(ci.id in sets for ci in cit.items):
            cites = []
            for ci in cit.items:
                members = sets.get(ci.id)
                if not members:
                    cites.append(ci)
                    continue
                for n, m in enumerate(members):
                    first, last = n == 0, n == len(members) - 1
                    cites.append(
                        replace(
                            ci,
                            id=m,
                            prefix=ci.prefix if first else "",
                            suffix=ci.suffix if last else "",
                            locator=ci.locator if last else None,
                            label=ci.label if last else None,
                        )
                    )
            cit = replace(cit, items=tuple(cites))
        out.append(cit)
    return out


@dataclass(frozen=True, slots=True)
class Entries:
    """Formatted bibliography entries with the records they came from."""

    texts: list[str]
    records: list[Record]
    diagnostics: list[Diagnostic]


def bibliography_entries(
    records: Sequence[Record],
    style: str = "apa",
    locale: str | None = None,
    format: str = "text",
    *,
    empty: Literal["omit", "print"] = "omit",
    progress: Progress | None = None,
) -> Entries:
    """The sorted bibliography; a style without one (some note styles) gives each record's citation."""
    from bibconv.csl import Citation, Cite
    from bibconv.csl.records import records_to_items

    compiled = _style(style)
    by_id = records_to_items(records, empty=empty).records
    if compiled.bibliography is None:
        ids = list(by_id)
        cits = [Citation((Cite(k),)) for k in ids]
        result = process(records, cits, style=compiled, locale=locale, format=format, empty=empty)
        texts = [c.text for c in result.citations]
        chosen = ids
    else:
        result = process(
            records, (), style=compiled, locale=locale, format=format, empty=empty, progress=progress
        )
        texts = list(result.bibliography)
        chosen = list(result.bibliography_ids)
    if progress is not None:
        progress("entries", len(chosen), len(chosen))
    return Entries(texts, [by_id[k] for k in chosen], list(result.diagnostics))


def cite_texts(
    records: Sequence[Record],
    keys: Sequence[str] | Sequence[Sequence[str]],
    style: str = "apa",
    locale: str | None = None,
    format: str = "text",
) -> tuple[list[str], list[Diagnostic]]:
    """One citation per key (or per list of keys cited together), numbered as cited."""
    from bibconv.csl import Citation, Cite

    groups = [[k] if isinstance(k, str) else list(k) for k in keys]
    cits = [Citation(tuple(Cite(k) for k in g)) for g in groups]
    result = process(records, cits, style=style, locale=locale, format=format)
    return [c.text for c in result.citations], list(result.diagnostics)
