"""EndNote XML → records; detection by ``<xml><records><record>``."""

from __future__ import annotations

import re
from typing import ClassVar

from bibconv.registry import NoOptions, OptionsArg, ReadResult, make_options

__all__ = ["EndnoteXmlReader", "Reader"]

_SNIFF = re.compile(r"<xml>\s*<records>\s*<record>")
_REF = re.compile(r"<ref-type name=")


def read_endnote_xml(text: str, file: str | None) -> ReadResult:
    """Every ``<record>`` of the export."""
    from bibconv.formats.endnote_xml.dialect import element_to_record
    from bibconv.formats.xml import build_each, check_root, elements_named, parse_document
    from bibconv.keys import settle_keys

    result = ReadResult()
    diags = result.diagnostics
    root = parse_document(text, file, diags)
    if root is None:
        return result
    check_root(root, ("xml",), "xml", diags, file)
    built = build_each(elements_named(root, "record"), element_to_record, diags, file)
    result.records += settle_keys(built, diags, file, label="label")
    return result


class EndnoteXmlReader:
    """Reads EndNote XML exports (EndNote X9/20/21 "XML" output)."""

    name: ClassVar[str] = "endnote-xml"
    aliases: ClassVar[tuple[str, ...]] = ("endnotexml", "enx")
    extensions: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = "EndNote XML export (<xml><records><record>, styled text)"
    Options: ClassVar[type[NoOptions]] = NoOptions

    def sniff(self, head: str) -> float:
        """1.0 for ``<xml><records><record>``; lower for ``<ref-type name=`` alone."""
        if _SNIFF.search(head):
            return 1.0
        return 0.7 if _REF.search(head) and "<record" in head else 0.0

    def read(self, text: str, *, file: str | None = None, options: OptionsArg = None) -> ReadResult:
        """Parse with the safe parser; errors are diagnostics and the rest is still read."""
        make_options(type(self), options)  # takes none: refuses any
        return read_endnote_xml(text, file)


Reader = EndnoteXmlReader
