"""CSL-YAML has no mapping of its own: an item is a CSL-JSON item.

Both directions use the CSL-JSON item mapping (``bibconv.formats.csljson.reader.item_to_record``
and ``bibconv.formats.csljson.writer.record_to_item``), so the two formats cannot
drift apart; this module only names the YAML-specific limits.
"""

from __future__ import annotations

#: Expanding aliases beyond this many nodes is refused (a "billion laughs" document).
MAX_NODES = 1_000_000
#: The key that holds the list of items (pandoc's metadata field).
REFERENCES_KEY = "references"
