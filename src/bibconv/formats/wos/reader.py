"""Web of Science tagged export → records; detection by its header and tags."""

from __future__ import annotations

import re
from typing import ClassVar

from bibconv.formats.tagged import Dialect, TaggedReader
from bibconv.formats.wos.dialect import WOS

__all__ = ["Reader", "WosReader"]

_HEADER = re.compile(r"\A\s*FN .{0,80}\n\s*VR \d", re.IGNORECASE)
_PT = re.compile(r"^PT [A-Z]\s*$", re.MULTILINE)
_TAG = re.compile(r"^(?:AU|AF|TI|SO|PY|DT|UT|ER|DI|VL|BP|AB|CR|NR|TC|PD|SN)(?: |\s*$)", re.MULTILINE)


class WosReader(TaggedReader):
    """Reads Web of Science / ISI tagged exports (``savedrecs.txt``, ``.ciw``)."""

    name: ClassVar[str] = "wos"
    aliases: ClassVar[tuple[str, ...]] = ("isi", "web-of-science")
    extensions: ClassVar[tuple[str, ...]] = (".ciw", ".isi")
    description: ClassVar[str] = "Web of Science / ISI tagged export (FN/VR header, PT … ER)"
    dialect: ClassVar[Dialect] = WOS

    def sniff(self, head: str) -> float:
        """1.0 for the ``FN``/``VR`` header; high for ``PT`` plus WoS tags."""
        if _HEADER.match(head):
            return 1.0
        m = _PT.search(head)
        if m is None:
            return 0.0
        tags = len(_TAG.findall(head, m.end(), m.end() + 4000))
        return 0.9 if tags >= 3 else 0.6 if tags else 0.3


Reader = WosReader
