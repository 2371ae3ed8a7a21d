"""Records → CSL-YAML: a ``---`` block holding ``references:``, as pandoc reads it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from bibconv.formats.cslyaml import CSLYAML_INFO
from bibconv.formats.cslyaml.mapping import REFERENCES_KEY, yaml_module
from bibconv.ir import Record
from bibconv.registry import DeclaredWriter, FormatInfo, NoOptions, OptionsArg, WriteResult, make_options
from bibconv.vocab import DATE_VARS, NAME_VARS, TEXT_VARS

__all__ = ["CslYamlWriter", "Writer"]


class _Flow(dict[str, Any]):
    """A mapping written on one line (``custom: {arxiv: ..., ...}``).

    Extension keys such as ``arxiv`` would otherwise start lines of their own,
    and a line ``arxiv: 1234`` is what a pasted arXiv listing looks like to
    detection.
    """


_DUMPERS: dict[int, Any] = {}


def _dumper(yaml: Any) -> Any:
    """The safe dumper (C when available) that writes :class:`_Flow` in flow style."""
    cached = _DUMPERS.get(id(yaml))
    if cached is not None:
        return cached
    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    dumper: Any = type("CslYamlDumper", (base,), {})
    dumper.add_representer(
        _Flow, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", dict(data), flow_style=True)
    )
    _DUMPERS[id(yaml)] = dumper
    return dumper


class CslYamlWriter(DeclaredWriter):
    """Writes the CSL-JSON items as YAML (safe_dump: plain scalars, lists and mappings only)."""

    info: ClassVar[FormatInfo] = CSLYAML_INFO

    carries: ClassVar[frozenset[str]] = NAME_VARS | DATE_VARS | TEXT_VARS | {"extra", "truncated"}
    catch_all: ClassVar[bool] = True
    Options: ClassVar[type[NoOptions]] = NoOptions

    def write(self, records: Sequence[Record], *, options: OptionsArg = None) -> WriteResult:
        """Serialise every record; nothing is lost (the CSL-JSON item, as YAML)."""
        make_options(type(self), options)  # takes none: refuses any
        from bibconv.formats.csljson.writer import record_to_item
        from bibconv.keys import unique_ids

        yaml = yaml_module()
        dumper = _dumper(yaml)
        records, diags = unique_ids(records)  # a repeated id is renamed (BC211), as in CSL-JSON
        items = [record_to_item(r) for r in records]
        for item in items:
            if "custom" in item:
                item["custom"] = _Flow(item["custom"])
        body = yaml.dump(
            {REFERENCES_KEY: items},
            Dumper=dumper,
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=False,
            width=1_000_000,
        )
        return WriteResult(f"---\n{body}---\n", diags)


Writer = CslYamlWriter
