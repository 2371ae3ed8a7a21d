"""Records → Web of Science tagged export that isi2xml, VOSviewer and bibliometrix read."""

from __future__ import annotations

from typing import ClassVar

from bibconv.formats.tagged import Dialect, TaggedWriter
from bibconv.formats.wos import WOS_INFO
from bibconv.formats.wos.dialect import WOS
from bibconv.registry import FormatInfo

__all__ = ["WosWriter", "Writer"]


class WosWriter(TaggedWriter):
    """Writes Web of Science tagged records; the exact rest goes to an ``XB`` catch-all."""

    info: ClassVar[FormatInfo] = WOS_INFO

    dialect: ClassVar[Dialect] = WOS
    carries: ClassVar[frozenset[str]] = WOS.carries()


Writer = WosWriter
