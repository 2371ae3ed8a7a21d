"""Records → EndNote tagged (``.enw``), which EndNote, Zotero and bibutils import."""

from __future__ import annotations

from typing import ClassVar

from bibconv.formats.endnote.dialect import ENDNOTE
from bibconv.formats.tagged import Dialect, TaggedWriter

__all__ = ["EndnoteWriter", "Writer"]


class EndnoteWriter(TaggedWriter):
    """Writes EndNote tagged records; the key is ``%F``, the exact rest a ``%Z`` catch-all."""

    name: ClassVar[str] = "endnote"
    aliases: ClassVar[tuple[str, ...]] = ("enw", "refer")
    extensions: ClassVar[tuple[str, ...]] = (".enw", ".refer")
    description: ClassVar[str] = "EndNote tagged / refer format (%0 Journal Article, %A, %T, …)"
    dialect: ClassVar[Dialect] = ENDNOTE
    carries: ClassVar[frozenset[str]] = ENDNOTE.carries() | {"ISSN", "number-of-pages"}


Writer = EndnoteWriter
