"""Formatted bibliographies: ``-t text``, ``-t html`` and ``-t markdown``.

All three render once through :mod:`bibconv.citation` (citeproc-py plus
bibconv's fixes) and differ only in how the formatting is spelled: plain text
drops it, HTML escapes the user's text and uses tags, Markdown keeps italics
as ``*x*`` and escapes Markdown's own characters in the user's text.

Options: ``style`` (a name, a ``.csl`` path or a bundled style; default
``apa``) and ``locale`` (``de-DE`` ...; default: the style's own).

A formatted bibliography is a rendering, not a data format: it "carries"
every variable in the sense that nothing is reported as lost, because the
style, not the writer, decides what is shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from bibconv.diagnostics import Diagnostic, Severity
from bibconv.ir import Record, set_members
from bibconv.registry import WriteResult
from bibconv.vocab import DATE_VARS, NAME_VARS, TEXT_VARS

__all__ = ["HtmlWriter", "MarkdownWriter", "TextWriter"]

DEFAULT_STYLE = "apa"


class _CitationWriter:
    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    extensions: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""
    carries: ClassVar[frozenset[str]] = NAME_VARS | DATE_VARS | TEXT_VARS | {"extra", "truncated"}
    catch_all: ClassVar[bool] = False
    #: Takes ``options['jobs']``: entries are rendered in that many forked processes.
    parallel: ClassVar[bool] = True
    #: Takes ``options['progress']`` (see :mod:`bibconv.progress`): thousands of entries take seconds.
    reports_progress: ClassVar[bool] = True

    def _entries(self, records: Sequence[Record], options: Mapping[str, Any] | None) -> tuple[list[str], Any]:
        from bibconv.citation import convert_marked
        from bibconv.citation.render import render_bibliography

        opts = options or {}
        style = str(opts.get("style") or DEFAULT_STYLE)
        locale = opts.get("locale")
        jobs = int(opts.get("jobs", 1) or 1)
        works, notes = _without_sets(records)
        rendered = render_bibliography(
            works, style, str(locale) if locale else None, jobs=jobs, progress=opts.get("progress")
        )
        return [convert_marked(e.text, self.name) for e in rendered.entries], [*notes, *rendered.diagnostics]


def _without_sets(records: Sequence[Record]) -> tuple[list[Record], list[Diagnostic]]:
    """The works among ``records``, and a note for each grouping (``@set``) left out.

    A set printed beside its members would show each member twice (issue 14);
    BibLaTeX prints a set's members, never the set as a work of its own.
    """
    if not any(r.extra for r in records):
        return list(records), []
    works: list[Record] = []
    notes: list[Diagnostic] = []
    ids = {r.id for r in records}
    for record in records:
        members = set_members(record)
        if members is None:
            works.append(record)
            continue
        missing = [m for m in members if m not in ids]
        message = (
            f"{record.id!r} is a set (a grouping of {', '.join(members) or 'no entries'}), "
            "not a work: its members are listed, the set itself is not"
        )
        if missing:
            message += f"; members not in the input: {', '.join(missing)}"
        span = record.span
        notes.append(
            Diagnostic.make(
                "BC127",
                message,
                severity=Severity.WARNING if missing else None,
                file=span.file if span else None,
                line=span.line if span else None,
                record_id=record.id,
            )
        )
    return works, notes


class TextWriter(_CitationWriter):
    """One plain-text bibliography entry per line."""

    name: ClassVar[str] = "text"
    aliases: ClassVar[tuple[str, ...]] = ("txt", "plain")
    extensions: ClassVar[tuple[str, ...]] = (".txt",)
    description: ClassVar[str] = "formatted bibliography as plain text (CSL style, --style)"

    def write(self, records: Sequence[Record], *, options: Mapping[str, Any] | None = None) -> WriteResult:
        """The bibliography, one entry per line."""
        entries, diags = self._entries(records, options)
        return WriteResult("".join(f"{e}\n" for e in entries), diags)


class HtmlWriter(_CitationWriter):
    """An HTML fragment in citeproc-js's layout (``csl-bib-body`` / ``csl-entry``)."""

    name: ClassVar[str] = "html"
    aliases: ClassVar[tuple[str, ...]] = ("htm",)
    extensions: ClassVar[tuple[str, ...]] = (".html", ".htm")
    description: ClassVar[str] = "formatted bibliography as HTML (CSL style, --style)"

    def write(self, records: Sequence[Record], *, options: Mapping[str, Any] | None = None) -> WriteResult:
        """A ``div.csl-bib-body`` with one ``div.csl-entry`` per entry; ids are escaped too."""
        entries, diags = self._entries(records, options)
        lines = ['<div class="csl-bib-body">']
        lines.extend(f'  <div class="csl-entry">{e}</div>' for e in entries)
        lines.append("</div>")
        return WriteResult("\n".join(lines) + "\n", diags)


class MarkdownWriter(_CitationWriter):
    """Markdown paragraphs, one per entry, italics kept as ``*x*``."""

    name: ClassVar[str] = "markdown"
    aliases: ClassVar[tuple[str, ...]] = ("md",)
    extensions: ClassVar[tuple[str, ...]] = (".md", ".markdown")
    description: ClassVar[str] = "formatted bibliography as Markdown (CSL style, --style)"

    def write(self, records: Sequence[Record], *, options: Mapping[str, Any] | None = None) -> WriteResult:
        """Entries separated by blank lines."""
        entries, diags = self._entries(records, options)
        return WriteResult("\n\n".join(entries) + ("\n" if entries else ""), diags)
