"""CSL-JSON, the citeproc-js input format: reader and writer.

The IR is in CSL vocabulary, so the mapping is close to the identity; what is
left is coercion of wrongly typed values and the loss report.
"""

from __future__ import annotations

from bibconv.registry import FormatInfo

__all__ = ["CSLJSON_INFO", "FORMATS"]

CSLJSON_INFO = FormatInfo(
    name="csljson",
    description="CSL-JSON, the citeproc input format (Zotero, pandoc, citation-js)",
    aliases=("csl-json", "csl", "json"),
    extensions=(".json", ".csl.json", ".csljson"),
    reader="bibconv.formats.csljson.reader:CslJsonReader",
    writer="bibconv.formats.csljson.writer:CslJsonWriter",
    sniff="bibconv.formats.csljson.sniff:sniff_csljson",
)

#: What this package adds to the registry (see bibconv.registry.BUILTIN_PACKAGES).
FORMATS = (CSLJSON_INFO,)
