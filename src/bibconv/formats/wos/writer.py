"""Records → Web of Science tagged export that isi2xml, VOSviewer and bibliometrix read."""

from __future__ import annotations

from typing import ClassVar

from bibconv.formats.tagged import Dialect, TaggedWriter
from bibconv.formats.wos.dialect import WOS

__all__ = ["WosWriter", "Writer"]


class WosWriter(TaggedWriter):
    """Writes Web of Science tagged records; the exact rest goes to an ``XB`` catch-all."""

    name: ClassVar[str] = "wos"
    aliases: ClassVar[tuple[str, ...]] = ("isi", "web-of-science")
    extensions: ClassVar[tuple[str, ...]] = (".ciw", ".isi")
    description: ClassVar[str] = "Web of Science / ISI tagged export (FN/VR header, PT … ER)"
    dialect: ClassVar[Dialect] = WOS
    carries: ClassVar[frozenset[str]] = WOS.carries()


Writer = WosWriter
