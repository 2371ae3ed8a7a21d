"""Word bibliography XML → records; detection by ``<b:Sources>`` in Word's namespace."""

from __future__ import annotations

from typing import ClassVar

from bibconv.formats.wordbib import WORDBIB_INFO
from bibconv.registry import DeclaredReader, FormatInfo, NoOptions, OptionsArg, ReadResult, make_options

__all__ = ["Reader", "WordbibReader"]


class WordbibReader(DeclaredReader):
    """Reads Word 2007+ bibliography XML (``Sources.xml``, ``customXml/item1.xml``)."""

    info: ClassVar[FormatInfo] = WORDBIB_INFO

    Options: ClassVar[type[NoOptions]] = NoOptions

    def read(self, text: str, *, file: str | None = None, options: OptionsArg = None) -> ReadResult:
        """Every ``<b:Source>``; errors are diagnostics and the rest is still read."""
        make_options(type(self), options)  # takes none: refuses any
        from bibconv.formats.wordbib.dialect import element_to_record
        from bibconv.formats.xml import build_each, check_root, elements_named, parse_document
        from bibconv.keys import settle_keys

        result = ReadResult()
        diags = result.diagnostics
        root = parse_document(text, file, diags)
        if root is None:
            return result
        check_root(root, ("Sources",), "b:Sources", diags, file)
        built = build_each(elements_named(root, "Source"), element_to_record, diags, file, "source")
        result.records += settle_keys(built, diags, file, noun="source", label="tag")
        return result


Reader = WordbibReader
