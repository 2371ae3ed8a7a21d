"""Records → Word bibliography XML (``Sources.xml``) that Word and bibutils' ``wordbib2xml`` read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from bibconv.formats.wordbib.mapping import ROLES, TEXT
from bibconv.ir import Record
from bibconv.registry import WriteResult

__all__ = ["WordbibWriter", "Writer"]


class WordbibWriter:
    """Writes ``<b:Sources>``; what Word's elements cannot carry goes to a ``<b:BibconvCsl>`` element."""

    name: ClassVar[str] = "wordbib"
    aliases: ClassVar[tuple[str, ...]] = ("word", "msbib")
    extensions: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = "Word 2007+ bibliography XML (b:Sources)"
    carries: ClassVar[frozenset[str]] = frozenset(
        {var for _, var in ROLES} | {var for _, var in TEXT} | {"ISSN", "issued", "accessed"}
    )
    catch_all: ClassVar[bool] = True

    def write(self, records: Sequence[Record], *, options: Mapping[str, Any] | None = None) -> WriteResult:
        """Serialise; each source is read back and the difference kept in the catch-all."""
        from lxml import etree

        from bibconv.formats.tagged import read_back_loss, report_loss
        from bibconv.formats.wordbib.dialect import element_to_record, record_to_element
        from bibconv.formats.wordbib.mapping import NS
        from bibconv.formats.xml import dump_catch
        from bibconv.keys import unique_ids

        catch_all = bool((options or {}).get("catch_all", True))
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
