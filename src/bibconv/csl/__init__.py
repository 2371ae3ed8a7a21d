"""bibconv's own CSL 1.0.2 processor (see docs/csl-processor.md).

Importing this package is light; the processor (lxml) loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bibconv.csl.engine import Citation, Cite, Result, process, process_records

__all__ = ["Citation", "Cite", "Result", "process", "process_records"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from bibconv.csl import engine

        return getattr(engine, name)
    raise AttributeError(name)
