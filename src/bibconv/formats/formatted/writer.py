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

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from bibconv.formats.formatted import HTML_INFO, MARKDOWN_INFO, TEXT_INFO
from bibconv.ir import Record
from bibconv.progress import Progress
from bibconv.registry import DeclaredWriter, FormatInfo, Options, OptionsArg, WriteResult, make_options
from bibconv.vocab import DATE_VARS, NAME_VARS, TEXT_VARS

__all__ = ["FormattedOptions", "HtmlWriter", "MarkdownWriter", "TextWriter"]

DEFAULT_STYLE = "apa"


@dataclass(frozen=True, slots=True, kw_only=True)
class FormattedOptions(Options):
    """The formatted writers' options (text, HTML, Markdown)."""

    style: str = field(
        default=DEFAULT_STYLE, metadata={"help": "CSL style: a bundled name (apa, ieee, ...) or a .csl path"}
    )
    locale: str | None = field(
        default=None, metadata={"help": "locale such as de-DE (default: the style's own)"}
    )
    empty: Literal["omit", "print"] = field(
        default="omit",
        metadata={"help": "print: keep records with nothing to cite (BC450); omit: leave them out"},
    )
    progress: Progress | None = field(
        default=None, metadata={"help": "a progress(stage, done, total) callable (Python only)"}
    )

    def __post_init__(self) -> None:
        if self.empty not in ("omit", "print"):
            raise ValueError(f"empty must be 'omit' or 'print', not {self.empty!r}")


class _CitationWriter(DeclaredWriter):
    """What the three formatted writers share; each names its declaration (``info``)."""

    carries: ClassVar[frozenset[str]] = NAME_VARS | DATE_VARS | TEXT_VARS | {"extra", "truncated"}
    catch_all: ClassVar[bool] = False
    #: Renders in one process (``-j N`` does not apply).
    parallel: ClassVar[bool] = False
    #: Takes ``options['progress']`` (see :mod:`bibconv.progress`): thousands of entries take seconds.
    reports_progress: ClassVar[bool] = True
    Options: ClassVar[type[FormattedOptions]] = FormattedOptions

    def _entries(self, records: Sequence[Record], options: OptionsArg) -> tuple[list[str], Any]:
        from bibconv.citation.processor import bibliography_entries

        opts: FormattedOptions = make_options(type(self), options)
        got = bibliography_entries(
            records, opts.style, opts.locale or None, self.name, empty=opts.empty, progress=opts.progress
        )
        return got.texts, got.diagnostics


class TextWriter(_CitationWriter):
    """One plain-text bibliography entry per line."""

    info: ClassVar[FormatInfo] = TEXT_INFO

    def write(self, records: Sequence[Record], *, options: OptionsArg = None) -> WriteResult:
        """The bibliography, one entry per line."""
        entries, diags = self._entries(records, options)
        return WriteResult("".join(f"{e}\n" for e in entries), diags)


class HtmlWriter(_CitationWriter):
    """An HTML fragment in citeproc-js's layout (``csl-bib-body`` / ``csl-entry``)."""

    info: ClassVar[FormatInfo] = HTML_INFO

    def write(self, records: Sequence[Record], *, options: OptionsArg = None) -> WriteResult:
        """A ``div.csl-bib-body`` with one ``div.csl-entry`` per entry; ids are escaped too."""
        entries, diags = self._entries(records, options)
        lines = ['<div class="csl-bib-body">']
        lines.extend(f'  <div class="csl-entry">{e}</div>' for e in entries)
        lines.append("</div>")
        return WriteResult("\n".join(lines) + "\n", diags)


class MarkdownWriter(_CitationWriter):
    """Markdown paragraphs, one per entry, italics kept as ``*x*``."""

    info: ClassVar[FormatInfo] = MARKDOWN_INFO

    def write(self, records: Sequence[Record], *, options: OptionsArg = None) -> WriteResult:
        """Entries separated by blank lines."""
        entries, diags = self._entries(records, options)
        return WriteResult("\n\n".join(entries) + ("\n" if entries else ""), diags)
