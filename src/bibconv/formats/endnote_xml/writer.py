"""Records → EndNote XML that EndNote, Zotero and bibutils' ``endx2xml`` import."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from bibconv.diagnostics import Diagnostic
from bibconv.ir import Record
from bibconv.registry import WriteResult

__all__ = ["EndnoteXmlWriter", "Writer"]


class EndnoteXmlWriter:
    """Writes EndNote XML; the key is ``<label>``, what elements cannot carry a research note."""

    name: ClassVar[str] = "endnote-xml"
    aliases: ClassVar[tuple[str, ...]] = ("endnotexml", "enx")
    extensions: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = "EndNote XML export (<xml><records><record>, styled text)"
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

    def write(self, records: Sequence[Record], *, options: Mapping[str, Any] | None = None) -> WriteResult:
        """Serialise; each record is read back and the difference kept in the catch-all."""
        from lxml import etree

        from bibconv.formats.endnote_xml.dialect import element_to_record, record_to_element
        from bibconv.formats.tagged import mismatch
        from bibconv.keys import make_key

        catch_all = bool((options or {}).get("catch_all", True))
        lines: list[str] = []
        diags: list[Diagnostic] = []
        for record in records:
            el = record_to_element(record)
            back, key = element_to_record(etree.fromstring(etree.tostring(el)), [], None)
            with_id = (key if key is not None else make_key(record)) != record.id
            item, unset = mismatch(record, back, with_id)
            caught = sorted(k for k in item if k not in ("custom", "id")) + sorted(item.get("custom", {}))
            native = sorted({k for k in caught if k in self.carries or k == "type" or not catch_all})
            if native:
                how = "kept in a bibconv-csl research note" if catch_all else "dropped"
                diags.append(
                    Diagnostic.make(
                        "BC205" if catch_all else "BC204",
                        f"EndNote XML cannot carry the exact {', '.join(native)}; {how}",
                        record_id=record.id,
                    )
                )
            if catch_all and (item or unset):
                blob = json.dumps(
                    {**item, "unset": unset} if unset else item, ensure_ascii=True, sort_keys=True
                )
                el = record_to_element(record, blob)
            # one record a line: indenting would add white space between style runs
            lines.append(etree.tostring(el, encoding="unicode"))
        body = "".join(f"{line}\n" for line in lines)
        return WriteResult(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<xml><records>\n{body}</records></xml>\n', diags
        )


Writer = EndnoteXmlWriter
