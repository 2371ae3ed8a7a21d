"""Records → Word bibliography XML (``Sources.xml``) that Word and bibutils' ``wordbib2xml`` read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from bibconv.formats.options import CatchAllOptions
from bibconv.formats.wordbib import WORDBIB_INFO
from bibconv.formats.wordbib.mapping import ROLES, TEXT
from bibconv.ir import Record
from bibconv.registry import DeclaredWriter, FormatInfo, OptionsArg, WriteResult, make_options

__all__ = ["WordbibWriter", "Writer"]


class WordbibWriter(DeclaredWriter):
    """Writes ``<b:Sources>``; what Word's elements cannot carry goes to a ``<b:BibconvCsl>`` element."""

    info: ClassVar[FormatInfo] = WORDBIB_INFO

    carries: ClassVar[frozenset[str]] = frozenset(
        {var for _, var in ROLES} | {var for _, var in TEXT} | {"ISSN", "issued", "accessed"}
    )
    catch_all: ClassVar[bool] = True
    #: ``catch_all=False`` drops what the format cannot carry (BC204 instead of BC205).
    catch_all_option: ClassVar[str] = "catch_all"
    Options: ClassVar[type[CatchAllOptions]] = CatchAllOptions

    def write(self, records: Sequence[Record], *, options: OptionsArg = None) -> WriteResult:
        """Serialise; each source is read back and the difference kept in the catch-all."""
        from lxml import etree

        from bibconv.formats.tagged import read_back_loss, report_loss
        from bibconv.formats.wordbib.dialect import element_to_record, record_to_element
        from bibconv.formats.wordbib.mapping import NS
        from bibconv.formats.xml import dump_catch
        from bibconv.keys import unique_ids

        opts: CatchAllOptions = make_options(type(self), options)
        catch_all = opts.catch_all
        root = etree.Element(f"{{{NS}}}Sources", nsmap={"b": NS, None: NS})  # type: ignore[dict-item]
        root.set("SelectedStyle", "")
        records, diags = unique_ids(records)  # a repeated tag is renamed (BC211): Word tells sources by tag
        for record in records:
            el = record_to_element(record)
            back, key = element_to_record(el, [], None)  # the element's text is what serialising writes
            note, caught = read_back_loss(record, back, key)
            report_loss(
                diags,
                "Word bibliography XML",
                caught,
                self.carries,
                catch_all=catch_all,
                kept_in="the bibconv-csl element",
                record_id=record.id,
            )
            if catch_all and note is not None:
                el = record_to_element(record, dump_catch(note))
            root.append(el)
        body = etree.tostring(root, encoding="unicode", pretty_print=True)
        return WriteResult('<?xml version="1.0" encoding="UTF-8"?>\n' + body, diags)


Writer = WordbibWriter
