"""Records → EndNote XML that EndNote, Zotero and bibutils' ``endx2xml`` import."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from bibconv.formats.endnote_xml import ENDNOTE_XML_INFO
from bibconv.formats.options import CatchAllOptions
from bibconv.ir import Record
from bibconv.registry import DeclaredWriter, FormatInfo, OptionsArg, WriteResult, make_options

__all__ = ["EndnoteXmlWriter", "Writer"]


class EndnoteXmlWriter(DeclaredWriter):
    """Writes EndNote XML; the key is ``<label>``, what elements cannot carry a research note."""

    info: ClassVar[FormatInfo] = ENDNOTE_XML_INFO

    carries: ClassVar[frozenset[str]] = frozenset(
        {
            "author",
            "editor",
            "collection-editor",
            "translator",
            "title",
            "container-title",
            "collection-title",
            "title-short",
            "container-title-short",
            "page",
            "number-of-pages",
            "volume",
            "number",
            "issue",
            "edition",
            "section",
            "number-of-volumes",
            "publisher-place",
            "publisher",
            "ISBN",
            "ISSN",
            "DOI",
            "abstract",
            "note",
            "language",
            "genre",
            "call-number",
            "archive",
            "keyword",
            "URL",
            "issued",
            "accessed",
        }
    )
    catch_all: ClassVar[bool] = True
    #: ``catch_all=False`` drops what the format cannot carry (BC204 instead of BC205).
    catch_all_option: ClassVar[str] = "catch_all"
    Options: ClassVar[type[CatchAllOptions]] = CatchAllOptions

    def write(self, records: Sequence[Record], *, options: OptionsArg = None) -> WriteResult:
        """Serialise; each record is read back and the difference kept in the catch-all."""
        from lxml import etree

        from bibconv.formats.endnote_xml.dialect import element_to_record, record_to_element
        from bibconv.formats.tagged import read_back_loss, report_loss
        from bibconv.formats.xml import dump_catch
        from bibconv.keys import unique_ids

        opts: CatchAllOptions = make_options(type(self), options)
        catch_all = opts.catch_all
        lines: list[str] = []
        records, diags = unique_ids(records)  # a repeated label is renamed (BC211), as in CSL-JSON and RIS
        for record in records:
            el = record_to_element(record)
            back, key = element_to_record(el, [], None)  # the element's text is what serialising writes
            note, caught = read_back_loss(record, back, key)
            report_loss(
                diags,
                "EndNote XML",
                caught,
                self.carries,
                catch_all=catch_all,
                kept_in="a bibconv-csl research note",
                record_id=record.id,
            )
            if catch_all and note is not None:
                el = record_to_element(record, dump_catch(note))
            # one record a line: indenting would add white space between style runs
            lines.append(etree.tostring(el, encoding="unicode"))
        body = "".join(f"{line}\n" for line in lines)
        return WriteResult(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<xml><records>\n{body}</records></xml>\n', diags
        )


Writer = EndnoteXmlWriter
