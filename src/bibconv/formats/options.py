"""Typed options shared by several formats (see :class:`bibconv.registry.Options`).

Light on purpose (only :mod:`dataclasses` and the registry): ``bibconv
formats NAME`` and the CLI read these without loading a reader or writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bibconv.registry import Options

__all__ = ["CatchAllOptions"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CatchAllOptions(Options):
    """The options of writers whose catch-all is on by default (tagged and XML formats)."""

    catch_all: bool = field(
        default=True,
        metadata={
            "help": "keep what the format has no place for in a catch-all note (bibconv-csl:) that "
            "bibconv reads back exactly; false drops it and reports the loss (BC204)"
        },
    )
