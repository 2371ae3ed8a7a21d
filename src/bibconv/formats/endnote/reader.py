"""EndNote tagged / refer → records; detection by ``%0`` and the refer tags."""

from __future__ import annotations

from typing import ClassVar

from bibconv.formats.endnote import ENDNOTE_INFO
from bibconv.formats.endnote.dialect import ENDNOTE
from bibconv.formats.tagged import Dialect, TaggedReader
from bibconv.registry import FormatInfo

__all__ = ["EndnoteReader", "Reader"]


class EndnoteReader(TaggedReader):
    """Reads EndNote tagged exports and refer files (``.enw``)."""

    info: ClassVar[FormatInfo] = ENDNOTE_INFO

    dialect: ClassVar[Dialect] = ENDNOTE


Reader = EndnoteReader
