"""CSL-YAML: pandoc's ``references:`` YAML, the CSL-JSON items written as YAML."""

from __future__ import annotations

from bibconv.registry import FormatInfo

__all__ = ["CSLYAML_INFO", "FORMATS"]

CSLYAML_INFO = FormatInfo(
    name="cslyaml",
    description="CSL-YAML, pandoc's references: metadata",
    aliases=("csl-yaml", "yaml"),
    extensions=(".yaml", ".yml"),
    reader="bibconv.formats.cslyaml.reader:CslYamlReader",
    writer="bibconv.formats.cslyaml.writer:CslYamlWriter",
    sniff="bibconv.formats.cslyaml.sniff:sniff_cslyaml",
)

#: What this package adds to the registry (see bibconv.registry.BUILTIN_PACKAGES).
FORMATS = (CSLYAML_INFO,)
