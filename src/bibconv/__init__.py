"""bibconv: convert bibliographic records between formats, correctly, and check them.

>>> import bibconv
>>> result = bibconv.read('[{"id": "a", "type": "book", "title": "T"}]')
>>> result.records[0].text["title"]
'T'
>>> print(bibconv.write(result.records, "csljson", indent=0))
[{"id": "a", "type": "book", "title": "T"}]

Names are resolved lazily (PEP 562) so ``import bibconv`` loads no reader,
writer or citation processor until one is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "AmbiguousFormatError": "bibconv.errors",
    "BibconvError": "bibconv.errors",
    "Candidate": "bibconv.registry",
    "Chunk": "bibconv.chunks",
    "ChunkResult": "bibconv.registry",
    "Conversion": "bibconv.api",
    "Date": "bibconv.ir",
    "Diagnostic": "bibconv.diagnostics",
    "FormatError": "bibconv.errors",
    "MissingDependencyError": "bibconv.errors",
    "MergeResult": "bibconv.merging",
    "Name": "bibconv.ir",
    "ReadError": "bibconv.errors",
    "ReadResult": "bibconv.registry",
    "Record": "bibconv.ir",
    "Registry": "bibconv.registry",
    "Severity": "bibconv.diagnostics",
    "SourceSpan": "bibconv.ir",
    "StreamStats": "bibconv.stream",
    "StyleNotFoundError": "bibconv.errors",
    "UnknownFormatError": "bibconv.errors",
    "WriteError": "bibconv.errors",
    "WriteResult": "bibconv.registry",
    "bulk_allocation": "bibconv.bulk",
    "convert": "bibconv.api",
    "convert_stream": "bibconv.stream",
    "detect": "bibconv.api",
    "fold_chunks": "bibconv.chunks",
    "iter_read": "bibconv.stream",
    "merge": "bibconv.merging",
    "plan": "bibconv.chunks",
    "read": "bibconv.api",
    "read_chunk": "bibconv.chunks",
    "write": "bibconv.api",
    "write_chunk": "bibconv.chunks",
}

__all__ = sorted([*_EXPORTS, "__version__"])

if TYPE_CHECKING:  # re-exported names, for type checkers and IDEs
    from bibconv.api import Conversion, convert, detect, read, write
    from bibconv.bulk import bulk_allocation
    from bibconv.chunks import Chunk, fold_chunks, plan, read_chunk, write_chunk
    from bibconv.diagnostics import Diagnostic, Severity
    from bibconv.errors import (
        AmbiguousFormatError,
        BibconvError,
        FormatError,
        MissingDependencyError,
        ReadError,
        StyleNotFoundError,
        UnknownFormatError,
        WriteError,
    )
    from bibconv.ir import Date, Name, Record, SourceSpan
    from bibconv.merging import MergeResult, merge
    from bibconv.registry import Candidate, ChunkResult, ReadResult, Registry, WriteResult
    from bibconv.stream import StreamStats, convert_stream, iter_read


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'bibconv' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
