"""EndNote tagged / refer → records; detection by ``%0`` and the refer tags."""

from __future__ import annotations

import re
from typing import ClassVar

from bibconv.formats.endnote.dialect import ENDNOTE
from bibconv.formats.tagged import Dialect, TaggedReader

__all__ = ["EndnoteReader", "Reader"]

_TYPE = re.compile(r"^%0 \S", re.MULTILINE)
_TAGS = re.compile(r"^%[ABCDEIJKNPRTUVX@8] \S", re.MULTILINE)


class EndnoteReader(TaggedReader):
    """Reads EndNote tagged exports and refer files (``.enw``)."""

    name: ClassVar[str] = "endnote"
    aliases: ClassVar[tuple[str, ...]] = ("enw", "refer")
    extensions: ClassVar[tuple[str, ...]] = (".enw", ".refer")
    description: ClassVar[str] = "EndNote tagged / refer format (%0 Journal Article, %A, %T, …)"
    dialect: ClassVar[Dialect] = ENDNOTE

    def sniff(self, head: str) -> float:
        """1.0 when a ``%0`` line starts the first record; lower on refer tags alone."""
        tags = len(_TAGS.findall(head))
        m = _TYPE.search(head)
        if m is not None:
            before = head[: m.start()].strip()
            return 1.0 if not before else 0.9 if tags >= 2 else 0.6
        return 0.7 if tags >= 3 else 0.0


Reader = EndnoteReader
