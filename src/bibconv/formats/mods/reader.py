"""MODS XML → records; detection by the MODS namespace and root element."""

from __future__ import annotations

from typing import Any, ClassVar

from bibconv.formats.mods import MODS_INFO
from bibconv.registry import DeclaredReader, FormatInfo, NoOptions, OptionsArg, ReadResult, make_options

__all__ = ["ModsReader", "Reader", "read_mods"]


def read_mods(text: str, file: str | None) -> ReadResult:
    """Every ``<mods>`` of a document (root ``<mods>`` or ``<modsCollection>``)."""
    from bibconv.formats.mods.dialect import element_to_record
    from bibconv.formats.xml import build_each, check_root, elements_named, local, parse_document
    from bibconv.keys import settle_keys

    result = ReadResult()
    diags = result.diagnostics
    root = parse_document(text, file, diags)
    if root is None:
        return result
    if local(root) == "mods":
        elements: list[Any] = [root]
    else:
        elements = list(elements_named(root, "mods"))
        check_root(root, ("modsCollection",), "modsCollection", diags, file)
    built = build_each(elements, element_to_record, diags, file)
    result.records += settle_keys(built, diags, file)
    return result


class ModsReader(DeclaredReader):
    """Reads MODS XML (``<modsCollection>`` or a single ``<mods>``), as bibutils and libraries write it."""

    info: ClassVar[FormatInfo] = MODS_INFO

    Options: ClassVar[type[NoOptions]] = NoOptions

    def read(self, text: str, *, file: str | None = None, options: OptionsArg = None) -> ReadResult:
        """Parse with a safe parser; XML errors are diagnostics and the rest is still read."""
        make_options(type(self), options)  # takes none: refuses any
        return read_mods(text, file)


Reader = ModsReader
