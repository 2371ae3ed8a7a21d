"""Records → EndNote tagged (``.enw``), which EndNote, Zotero and bibutils import."""

from __future__ import annotations

from typing import ClassVar

from bibconv.formats.endnote import ENDNOTE_INFO
from bibconv.formats.endnote.dialect import ENDNOTE
from bibconv.formats.tagged import Dialect, TaggedWriter
from bibconv.registry import FormatInfo

__all__ = ["EndnoteWriter", "Writer"]


class EndnoteWriter(TaggedWriter):
    """Writes EndNote tagged records; the key is ``%F``, the exact rest a ``%Z`` catch-all."""

    info: ClassVar[FormatInfo] = ENDNOTE_INFO

    dialect: ClassVar[Dialect] = ENDNOTE
    carries: ClassVar[frozenset[str]] = ENDNOTE.carries() | {"ISSN", "number-of-pages"}


Writer = EndnoteWriter
