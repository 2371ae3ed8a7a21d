"""CSL-YAML has no mapping of its own: an item is a CSL-JSON item.

Both directions use the CSL-JSON item mapping (``bibconv.formats.csljson.reader.item_to_record``
and ``bibconv.formats.csljson.writer.record_to_item``), so the two formats cannot
drift apart; this module only names the YAML-specific limits and loads PyYAML
for both directions (the writer does not reach into the reader for it).
"""

from __future__ import annotations

from typing import Any

from bibconv.errors import MissingDependencyError

__all__ = ["MAX_NODES", "REFERENCES_KEY", "yaml_module"]

#: Expanding aliases beyond this many nodes is refused (a "billion laughs" document).
MAX_NODES = 1_000_000
#: The key that holds the list of items (pandoc's metadata field).
REFERENCES_KEY = "references"


def yaml_module() -> Any:
    """PyYAML, imported on first use (``import bibconv`` and detection never load it)."""
    try:
        import yaml
    except ImportError as exc:  # pragma: no cover - PyYAML is a dependency
        raise MissingDependencyError("CSL-YAML needs PyYAML (pip install pyyaml)") from exc
    return yaml
