"""Records → MODS XML (``<modsCollection>``) that bibutils' xml2* tools read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from bibconv.diagnostics import Diagnostic
from bibconv.formats.mods import MODS_INFO
from bibconv.formats.options import CatchAllOptions
from bibconv.ir import Record
from bibconv.registry import DeclaredWriter, FormatInfo, OptionsArg, WriteResult, make_options

__all__ = ["ModsWriter", "Writer"]


class ModsWriter(DeclaredWriter):
    """Writes MODS 3 XML; what MODS elements cannot carry exactly goes to an ``<extension>``."""

    info: ClassVar[FormatInfo] = MODS_INFO

    carries: ClassVar[frozenset[str]] = frozenset(
        {
            "title",
            "title-short",
            "author",
            "editor",
            "translator",
            "illustrator",
            "composer",
            "director",
            "interviewer",
            "recipient",
            "contributor",
            "container-author",
            "collection-editor",
            "issued",
            "accessed",
            "publisher",
            "publisher-place",
            "edition",
            "language",
            "abstract",
            "note",
            "keyword",
            "container-title",
            "container-title-short",
            "collection-title",
            "collection-number",
            "volume",
            "issue",
            "number",
            "chapter-number",
            "page",
            "number-of-pages",
            "DOI",
            "ISBN",
            "ISSN",
            "PMID",
            "PMCID",
            "arxiv",
            "call-number",
            "URL",
        }
    )
    catch_all: ClassVar[bool] = True
    #: ``catch_all=False`` drops what the format cannot carry (BC204 instead of BC205).
    catch_all_option: ClassVar[str] = "catch_all"
    Options: ClassVar[type[CatchAllOptions]] = CatchAllOptions

    def write(self, records: Sequence[Record], *, options: OptionsArg = None) -> WriteResult:
        """Serialise; each record is read back and the difference kept in the catch-all."""
        from lxml import etree

        from bibconv.formats.mods.dialect import add_catch_all, element_to_record, record_to_element
        from bibconv.formats.mods.mapping import NS
        from bibconv.formats.tagged import read_back_loss, report_loss

        opts: CatchAllOptions = make_options(type(self), options)
        catch_all = opts.catch_all
        root = etree.Element(f"{{{NS}}}modsCollection", nsmap={None: NS})  # type: ignore[dict-item]
        diags: list[Diagnostic] = []
        for record in records:
            el = record_to_element(record)
            # Read back from the element itself: its text is what serialising writes
            # (lxml escapes what XML would change), without a parse per record.
            back, key = element_to_record(el, [], None)
            note, caught = read_back_loss(record, back, key)
            report_loss(
                diags,
                "MODS",
                caught,
                self.carries,
                catch_all=catch_all,
                kept_in="the bibconv-csl extension",
                record_id=record.id,
            )
            if catch_all and note is not None:
                add_catch_all(el, note)
            root.append(el)
        body = etree.tostring(root, encoding="unicode", pretty_print=True)
        return WriteResult('<?xml version="1.0" encoding="UTF-8"?>\n' + body, diags)


Writer = ModsWriter
