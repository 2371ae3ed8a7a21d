"""Decoding input bytes once, the same way for every reader.

Readers see ``str`` with ``\\n`` line ends only.  Files from decades of tools
arrive as UTF-8 with or without a BOM, UTF-16 with a BOM, CRLF or lone CR, or
Windows-1252; the last is decoded with a warning rather than refused, since
refusing would leave the user with nothing.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from bibconv.diagnostics import Diagnostic, plural

__all__ = ["LineIndex", "atomic_write", "atomic_writer", "decode", "decode_utf8", "read_path"]

# Bytes cp1252 leaves undefined; they decode as their Latin-1 code points.
_CP1252_HOLES = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def _cp1252(data: bytes) -> str:
    if not any(b in _CP1252_HOLES for b in data):
        return data.decode("cp1252")
    return "".join(chr(b) if b in _CP1252_HOLES else bytes([b]).decode("cp1252") for b in data)


def decode(data: bytes, file: str | None = None) -> tuple[str, list[Diagnostic]]:
    """Bytes → text with ``\\n`` line ends, plus diagnostics about the encoding."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        diags: list[Diagnostic] = []
        return normalise_newlines(data.decode("utf-16", errors="replace"), diags, file), diags
    try:
        return decode_utf8(data, file)
    except UnicodeDecodeError as exc:
        data = data.removeprefix(codecs.BOM_UTF8)  # the offsets of ``exc`` are after the BOM
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diags = [
            Diagnostic.make(
                "BC003",
                f"input is not valid UTF-8 (first bad byte 0x{data[exc.start]:02x}); decoded as Windows-1252",
                file=file,
                line=line,
                column=col,
            )
        ]
        return normalise_newlines(_cp1252(data), diags, file), diags


def decode_utf8(
    data: bytes, file: str | None = None, *, file_start: bool = True
) -> tuple[str, list[Diagnostic]]:
    """UTF-8 bytes → text as :func:`decode` gives it (a BOM is dropped at ``file_start``).

    Raises :class:`UnicodeDecodeError` instead of falling back to Windows-1252:
    a streamed block (:mod:`bibconv.blocks`) cannot choose an encoding for the
    whole file, so it lets the caller read the file whole instead.  The one
    place UTF-8 is decoded, so a block and a whole file agree byte for byte.
    """
    text = (data.removeprefix(codecs.BOM_UTF8) if file_start else data).decode("utf-8")
    diags: list[Diagnostic] = []
    return normalise_newlines(text, diags, file), diags


_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> tuple[str, int]:
    """Lone surrogates (which no encoder writes) → U+FFFD; the text and how many were replaced.

    Why: a ``str`` handed in by a caller, or a JSON ``\\ud800`` escape, can hold
    them, and every writer would then fail at its first ``encode``.
    """
    if _SURROGATE.search(text) is None:
        return text, 0
    return _SURROGATE.subn("\ufffd", text)


def normalise_newlines(text: str, diags: list[Diagnostic], file: str | None = None) -> str:
    """CRLF and lone CR → LF; NUL bytes removed and lone surrogates replaced, with a warning."""
    if _SURROGATE.search(text) is not None:
        pos = _SURROGATE.search(text).start()  # type: ignore[union-attr]
        text, count = replace_surrogates(text)
        diags.append(
            Diagnostic.make(
                "BC124",
                f"input contains {count} lone surrogate(s), which no encoding can write; "
                "replaced with U+FFFD",
                file=file,
                line=LineIndex(text).line(pos),
            )
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        pos = text.index("\x00")
        line = LineIndex(text).line(pos)
        diags.append(
            Diagnostic.make(
                "BC006",
                f"input contains {plural(text.count(chr(0)), 'NUL character')}; removed",
                file=file,
                line=line,
            )
        )
        text = text.replace("\x00", "")
    return text


def read_path(path: str | os.PathLike[str]) -> tuple[str, list[Diagnostic]]:
    """Read and decode a file (``.gz`` files are decompressed)."""
    p = Path(path)
    data = p.read_bytes()
    if p.suffix == ".gz":
        import gzip

        data = gzip.decompress(data)
    return decode(data, str(path))


class LineIndex:
    """Offset → (line, column), 1-based: the one offset-to-position helper of bibconv.

    Readers work on offsets (fast); positions are computed only for the few
    offsets that end up in records and diagnostics.  Most callers ask in file
    order (a reader walks its entries), so a lookup at or after the previous
    one counts newlines since it, in C, and builds nothing.  The first lookup
    that goes backwards builds a table of line starts once, and every later
    lookup bisects it (O(log n)).
    """

    __slots__ = ("_base", "_line", "_off", "_starts", "_text")

    def __init__(self, text: str, first_line: int = 1) -> None:
        """``first_line`` numbers the text's first line (a block of a streamed file)."""
        self._text = text
        self._base = first_line
        self._off, self._line = 0, first_line
        self._starts: list[int] | None = None

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of ``offset``."""
        text = self._text
        if self._starts is None:
            if offset >= self._off:
                self._line += text.count("\n", self._off, offset)
                self._off = offset
                return self._line, offset - text.rfind("\n", 0, offset)
            starts = [0]
            find = text.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._starts = starts
        from bisect import bisect_right

        i = bisect_right(self._starts, offset) - 1
        return i + self._base, offset - self._starts[i] + 1

    def line(self, offset: int) -> int:
        """The 1-based line of ``offset``."""
        return self.position(offset)[0]


def atomic_write(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename.

    An existing file is replaced only once the new content is complete on
    disk, so a failed or interrupted conversion never leaves half a file.
    """
    with atomic_writer(path) as fh:
        fh.write(text)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A text file to write in pieces that replaces ``path`` only on success.

    Streaming conversions write as they go; the rename at the end keeps the
    promise of :func:`atomic_write` (an exception leaves ``path`` untouched).
    """
    import tempfile  # it imports shutil and random: only for commands that write files

    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
