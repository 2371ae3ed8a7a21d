"""MODS XML (Library of Congress Metadata Object Description Schema), as bibutils writes it."""

from __future__ import annotations

from bibconv.registry import FormatInfo

__all__ = ["FORMATS", "MODS_INFO"]

MODS_INFO = FormatInfo(
    name="mods",
    description="MODS XML (Library of Congress), as bibutils writes it",
    aliases=("mods-xml",),
    extensions=(".mods", ".mods.xml"),
    reader="bibconv.formats.mods.reader:ModsReader",
    writer="bibconv.formats.mods.writer:ModsWriter",
    sniff="bibconv.formats.mods.sniff:sniff_mods",
)

#: What this package adds to the registry (see bibconv.registry.BUILTIN_PACKAGES).
FORMATS = (MODS_INFO,)
