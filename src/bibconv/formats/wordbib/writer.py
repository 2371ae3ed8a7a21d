"""Records → Word bibliography XML (``Sources.xml``) that Word and bibutils' ``wordbib2xml`` read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from bibconv.diagnostics import Diagnostic
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

        from bibconv.formats.tagged import mismatch
        from bibconv.formats.wordbib.dialect import dump_catch, element_to_record, record_to_element
        from bibconv.formats.wordbib.mapping import NS
        from bibconv.keys import make_key

        catch_all = bool((options or {}).get("catch_all", True))
        root = etree.Element(f"{{{NS}}}Sources", nsmap={"b": NS, None: NS})  # type: ignore[dict-item]
        root.set("SelectedStyle", "")
        diags: list[Diagnostic] = []
        for record in records:
            el = record_to_element(record)
            back, key = element_to_record(etree.fromstring(etree.tostring(el)), [], None)
            with_id = (key if key is not None else make_key(record)) != record.id
            item, unset = mismatch(record, back, with_id)
            caught = sorted(k for k in item if k not in ("custom", "id")) + sorted(item.get("custom", {}))
            native = sorted({k for k in caught if k in self.carries or k == "type" or not catch_all})
            if native:
                how = "kept in the bibconv-csl element" if catch_all else "dropped"
                diags.append(
                    Diagnostic.make(
                        "BC205" if catch_all else "BC204",
                        f"Word bibliography XML cannot carry the exact {', '.join(native)}; {how}",
                        record_id=record.id,
                    )
                )
            if catch_all and (item or unset):
                el = record_to_element(record, dump_catch({**item, "unset": unset} if unset else item))
            root.append(el)
        body = etree.tostring(root, encoding="unicode", pretty_print=True)
        return WriteResult('<?xml version="1.0" encoding="UTF-8"?>\n' + body, diags)


Writer = WordbibWriter
