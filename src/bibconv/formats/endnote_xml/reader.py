"""EndNote XML → records; detection by ``<xml><records><record>``."""

from __future__ import annotations

from typing import ClassVar

from bibconv.formats.endnote_xml import ENDNOTE_XML_INFO
from bibconv.registry import DeclaredReader, FormatInfo, NoOptions, OptionsArg, ReadResult, make_options

__all__ = ["EndnoteXmlReader", "Reader"]


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


class EndnoteXmlReader(DeclaredReader):
    """Reads EndNote XML exports (EndNote X9/20/21 "XML" output)."""

    info: ClassVar[FormatInfo] = ENDNOTE_XML_INFO

    Options: ClassVar[type[NoOptions]] = NoOptions

    def read(self, text: str, *, file: str | None = None, options: OptionsArg = None) -> ReadResult:
        """Parse with the safe parser; errors are diagnostics and the rest is still read."""
        make_options(type(self), options)  # takes none: refuses any
        return read_endnote_xml(text, file)


Reader = EndnoteXmlReader
