"""Exceptions: they stop work, while diagnostics only report.

::

    BibconvError
    ├── FormatError
    │   ├── UnknownFormatError      no reader/writer of that name
    │   └── AmbiguousFormatError    detection could not choose (lists candidates)
    ├── ReadError                   strict reading found errors (carries diagnostics)
    ├── WriteError                  a writer could not produce output
    ├── StyleNotFoundError          no CSL style of that name (names close matches)
    └── MissingDependencyError      an optional package is not installed

The CLI maps each branch to an exit code (see ``bibconv.cli``).
"""

from __future__ import annotations

from collections.abc import Sequence

from bibconv.diagnostics import Diagnostic

__all__ = [
    "AmbiguousFormatError",
    "BibconvError",
    "FormatError",
    "MissingDependencyError",
    "ReadError",
    "StyleNotFoundError",
    "UnknownFormatError",
    "WriteError",
]


class BibconvError(Exception):
    """Base of every error bibconv raises on purpose."""


class FormatError(BibconvError):
    """A format name or the detection of one failed."""


class UnknownFormatError(FormatError):
    """No plugin answers to this name; the message lists the known ones."""


class AmbiguousFormatError(FormatError):
    """Several readers fit the input about equally well."""

    def __init__(self, message: str, candidates: Sequence[tuple[str, float]] = ()) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


class ReadError(BibconvError):
    """Reading found errors and the caller asked for strictness."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics)


class WriteError(BibconvError):
    """A writer could not produce output (or, with strict, would lose data)."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics)


class StyleNotFoundError(BibconvError):
    """A CSL style name or path did not resolve."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.suggestions = list(suggestions)


class MissingDependencyError(BibconvError):
    """An optional dependency is needed for this feature."""
