"""Records → MEDLINE / PubMed tagged records (``.nbib``) that reference managers import."""

from __future__ import annotations

from typing import ClassVar

from bibconv.formats.nbib.dialect import NBIB
from bibconv.formats.tagged import Dialect, TaggedWriter

__all__ = ["NbibWriter", "Writer"]


class NbibWriter(TaggedWriter):
    """Writes MEDLINE tagged records; the exact rest goes to a ``GN`` catch-all note."""

    name: ClassVar[str] = "nbib"
    aliases: ClassVar[tuple[str, ...]] = ("medline", "pubmed")
    extensions: ClassVar[tuple[str, ...]] = (".nbib", ".medline")
    description: ClassVar[str] = "MEDLINE / PubMed tagged format (.nbib)"
    dialect: ClassVar[Dialect] = NBIB
    carries: ClassVar[frozenset[str]] = NBIB.carries()


Writer = NbibWriter
