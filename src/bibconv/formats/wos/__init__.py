"""Web of Science / ISI tagged export (``FN``/``VR`` header, ``PT J`` … ``ER``, ``EF``)."""

from __future__ import annotations

from bibconv.registry import FormatInfo

__all__ = ["FORMATS", "WOS_INFO"]

WOS_INFO = FormatInfo(
    name="wos",
    description="Web of Science / ISI tagged export (FN/VR header, PT … ER)",
    aliases=("isi", "web-of-science"),
    extensions=(".ciw", ".isi"),
    reader="bibconv.formats.wos.reader:WosReader",
    writer="bibconv.formats.wos.writer:WosWriter",
    sniff="bibconv.formats.wos.sniff:sniff_wos",
)

#: What this package adds to the registry (see bibconv.registry.BUILTIN_PACKAGES).
FORMATS = (WOS_INFO,)
