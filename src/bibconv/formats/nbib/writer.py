"""Records → MEDLINE / PubMed tagged records (``.nbib``) that reference managers import."""

from __future__ import annotations

from typing import ClassVar

from bibconv.formats.nbib import NBIB_INFO
from bibconv.formats.nbib.dialect import NBIB
from bibconv.formats.tagged import Dialect, TaggedWriter
from bibconv.registry import FormatInfo

__all__ = ["NbibWriter", "Writer"]


class NbibWriter(TaggedWriter):
    """Writes MEDLINE tagged records; the exact rest goes to a ``GN`` catch-all note."""

    info: ClassVar[FormatInfo] = NBIB_INFO

    dialect: ClassVar[Dialect] = NBIB
    carries: ClassVar[frozenset[str]] = NBIB.carries()


Writer = NbibWriter
