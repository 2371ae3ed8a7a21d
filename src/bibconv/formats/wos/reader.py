"""Web of Science tagged export → records; detection by its header and tags."""

from __future__ import annotations

from typing import ClassVar

from bibconv.formats.tagged import Dialect, TaggedReader
from bibconv.formats.wos import WOS_INFO
from bibconv.formats.wos.dialect import WOS
from bibconv.registry import FormatInfo

__all__ = ["Reader", "WosReader"]


class WosReader(TaggedReader):
    """Reads Web of Science / ISI tagged exports (``savedrecs.txt``, ``.ciw``)."""

    info: ClassVar[FormatInfo] = WOS_INFO

    dialect: ClassVar[Dialect] = WOS


Reader = WosReader
