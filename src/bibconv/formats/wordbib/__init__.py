"""Word 2007+ bibliography XML (``<b:Sources>``, Word's ``Sources.xml``)."""

from __future__ import annotations

from bibconv.registry import FormatInfo

__all__ = ["FORMATS", "WORDBIB_INFO"]

WORDBIB_INFO = FormatInfo(
    name="wordbib",
    description="Word 2007+ bibliography XML (b:Sources)",
    aliases=("word", "msbib"),
    reader="bibconv.formats.wordbib.reader:WordbibReader",
    writer="bibconv.formats.wordbib.writer:WordbibWriter",
    sniff="bibconv.formats.wordbib.sniff:sniff_wordbib",
)

#: What this package adds to the registry (see bibconv.registry.BUILTIN_PACKAGES).
FORMATS = (WORDBIB_INFO,)
