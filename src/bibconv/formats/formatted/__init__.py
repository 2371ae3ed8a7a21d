"""Formatted bibliographies (text, HTML, Markdown) from bibconv's own CSL processor, as writers."""

from __future__ import annotations

from bibconv.registry import FormatInfo

__all__ = ["FORMATS", "HTML_INFO", "MARKDOWN_INFO", "TEXT_INFO"]

TEXT_INFO = FormatInfo(
    name="text",
    description="formatted bibliography as plain text (CSL style, --style)",
    aliases=("txt", "plain"),
    extensions=(".txt",),
    writer="bibconv.formats.formatted.writer:TextWriter",
)

HTML_INFO = FormatInfo(
    name="html",
    description="formatted bibliography as HTML (CSL style, --style)",
    aliases=("htm",),
    extensions=(".html", ".htm"),
    writer="bibconv.formats.formatted.writer:HtmlWriter",
)

MARKDOWN_INFO = FormatInfo(
    name="markdown",
    description="formatted bibliography as Markdown (CSL style, --style)",
    aliases=("md",),
    extensions=(".md", ".markdown"),
    writer="bibconv.formats.formatted.writer:MarkdownWriter",
)

#: What this package adds to the registry (see bibconv.registry.BUILTIN_PACKAGES).
FORMATS = (TEXT_INFO, HTML_INFO, MARKDOWN_INFO)
