"""Records → MODS XML (``<modsCollection>``) that bibutils' xml2* tools read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

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
        """Serialise; what each record's elements would not give back goes to the catch-all.

        The read-back is the one :func:`.dialect.record_lines` notes beside
        the lines it writes, so no XML is built or parsed here.
        """
        from bibconv.formats.mods.dialect import catch_all_line, record_lines
        from bibconv.formats.mods.mapping import NS
        from bibconv.formats.tagged import read_back_loss, report_loss
        from bibconv.keys import unique_ids

        opts: CatchAllOptions = make_options(type(self), options)
        catch_all = opts.catch_all
        if not records:
            return WriteResult(f'{_DECLARATION}<modsCollection xmlns="{NS}"/>\n', [])
        out = [f'{_DECLARATION}<modsCollection xmlns="{NS}">']
        # a repeated ID is renamed (BC211): MODS IDs are XML IDs, unique in a document
        records, diags = unique_ids(records)
        for record in records:
            lines, back, key = record_lines(record)
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
            out += lines
            if catch_all and note is not None:
                out.append(catch_all_line(note))
            out.append("  </mods>")
        out.append("</modsCollection>\n")
        return WriteResult("\n".join(out), diags)


_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

Writer = ModsWriter
