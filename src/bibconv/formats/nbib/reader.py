"""MEDLINE / PubMed ``.nbib`` → records; detection by ``PMID-`` and MEDLINE's own tags."""

from __future__ import annotations

from typing import ClassVar

from bibconv.formats.nbib import NBIB_INFO
from bibconv.formats.nbib.dialect import NBIB
from bibconv.formats.tagged import Dialect, TaggedReader
from bibconv.registry import FormatInfo

__all__ = ["NbibReader", "Reader"]


class NbibReader(TaggedReader):
    """Reads MEDLINE/PubMed tagged records (PubMed's "Save → PubMed format")."""

    info: ClassVar[FormatInfo] = NBIB_INFO

    dialect: ClassVar[Dialect] = NBIB


Reader = NbibReader
