"""Formatted bibliographies: ``-t text``, ``-t html`` and ``-t markdown``.

All three render once through :mod:`bibconv.citation` (bibconv's own CSL
processor) and differ only in how
the formatting is spelled: plain text drops it, HTML escapes the user's text
and uses tags, Markdown keeps italics as ``*x*`` and escapes Markdown's own
characters in the user's text.

Options: ``style`` (a name, a ``.csl`` path or a bundled style; default
``apa``), ``locale`` (``de-DE`` ...; default: the style's own), ``empty``
(``print`` keeps records with nothing to cite, BC450; default ``omit``) and
``progress`` (a ``progress(stage, done, total)`` callable).  Entries are
rendered in one process (``-j N`` does not apply).

A formatted bibliography is a rendering, not a data format: it "carries"
every variable in the sense that nothing is reported as lost, because the
style, not the writer, decides what is shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

from bibconv.ir import Record
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
    #: Renders in one process (``-j N`` does not apply).
    parallel: ClassVar[bool] = False
    #: Takes ``options['progress']`` (see :mod:`bibconv.progress`): thousands of entries take seconds.
    reports_progress: ClassVar[bool] = True

    def _entries(self, records: Sequence[Record], options: Mapping[str, Any] | None) -> tuple[list[str], Any]:
        from bibconv.citation.processor import bibliography_entries

        opts = options or {}
        style = str(opts.get("style") or DEFAULT_STYLE)
        locale = opts.get("locale")
        progress = opts.get("progress")
        empty: Literal["omit", "print"] = "print" if opts.get("empty") == "print" else "omit"
        got = bibliography_entries(
            records,
            style,
            str(locale) if locale else None,
            self.name,
            empty=empty,
            progress=progress if callable(progress) else None,
        )
        return got.texts, got.diagnostics


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
