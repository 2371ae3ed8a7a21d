"""EndNote tagged / refer format (``%0 Journal Article``, ``%A``, ``%T``, …; ``.enw``)."""

from __future__ import annotations

from bibconv.registry import FormatInfo

__all__ = ["ENDNOTE_INFO", "FORMATS"]

ENDNOTE_INFO = FormatInfo(
    name="endnote",
    description="EndNote tagged / refer format (%0 Journal Article, %A, %T, …)",
    aliases=("enw", "refer"),
    extensions=(".enw", ".refer"),
    reader="bibconv.formats.endnote.reader:EndnoteReader",
    writer="bibconv.formats.endnote.writer:EndnoteWriter",
    sniff="bibconv.formats.endnote.sniff:sniff_endnote",
)

#: What this package adds to the registry (see bibconv.registry.BUILTIN_PACKAGES).
FORMATS = (ENDNOTE_INFO,)
