"""A file read in blocks that end on record boundaries, for streaming readers.

Why: a reader that holds a whole bibliography and all of its records at once
needs about twenty times the file's size in memory, so a file ten times larger
needs ten times the memory.  A :class:`BlockSource` hands a reader the file a
block (about a MiB) at a time, each block ending where a record starts, so a
streaming reader's memory stays flat however large the file grows.

Decoding is :func:`bibconv.textio.decode_utf8`, the UTF-8 path of
:func:`bibconv.textio.decode`: a UTF-8 BOM is dropped, line ends become
``\\n`` and NUL characters are removed (BC006 per block).  What
that function handles by looking at the whole file (UTF-16 and the Windows-1252
fallback for invalid UTF-8) raises :class:`NotStreamable`, and the caller reads
the file whole instead.
"""

from __future__ import annotations

import codecs
import dataclasses
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from bibconv.diagnostics import Diagnostic
from bibconv.textio import decode_utf8

__all__ = ["BLOCK_BYTES", "Block", "BlockSource", "Cut", "NotStreamable"]

#: Bytes read per step; a block is this size, or larger when one record is.
BLOCK_BYTES = 1 << 20

#: Where a buffer may be cut: the offset where its last complete part ends (0 = nowhere yet).
#: The buffer always starts at the previous cut, so a cut rule can follow brace depth from
#: there; a record far larger than a block is searched again with each read (C-level scans).
Cut = Callable[[bytes], int]


class NotStreamable(Exception):
    """The file needs whole-file decoding (UTF-16, or not valid UTF-8)."""


@dataclass(frozen=True, slots=True)
class Block:
    """One piece of the file: text starting at a line start, its first line number, and notes."""

    text: str
    first_line: int
    diagnostics: list[Diagnostic] = field(default_factory=list)


class BlockSource:
    """A file to read as blocks, any number of times (readers may pre-scan).

    ``.gz`` files are decompressed on the fly.  ``checked`` turns True after
    one complete pass, which also proves the file decodes as UTF-8.
    """

    def __init__(self, path: str | os.PathLike[str], *, block_bytes: int | None = None) -> None:
        self.path = os.fspath(path)
        self.file = str(path)
        self.block_bytes = block_bytes or BLOCK_BYTES
        self.checked = False

    def _open(self) -> BinaryIO:
        if self.path.endswith(".gz"):
            import gzip

            return gzip.open(self.path, "rb")  # type: ignore[return-value]
        return open(self.path, "rb")

    def head(self, size: int = 8192) -> str:
        """The start of the file as text, for format detection."""
        with self._open() as fh:
            data = fh.read(size)
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise NotStreamable("UTF-16 input is read whole")
        return data.decode("utf-8", errors="ignore").lstrip("\ufeff")

    def check(self) -> None:
        """Raise :class:`NotStreamable` unless the whole file is UTF-8 (one cheap pass)."""
        if not self.checked:
            for _ in self.raw_blocks(len, validate=True):  # every read is its own piece
                pass

    def raw_blocks(self, cut: Cut, *, validate: bool = False) -> Iterator[bytes]:
        """The file's bytes in pieces cut where ``cut`` says (no decoding: cheap pre-scans).

        With ``validate``, the pass also proves the file is UTF-8 (or raises
        :class:`NotStreamable`), so a later :meth:`check` costs nothing.
        """
        carry = b""
        chunks: list[bytes] = []  # a record larger than a block, gathered without re-copying
        decoder = codecs.getincrementaldecoder("utf-8")("strict") if validate else None
        first = True
        with self._open() as fh:
            while True:
                data = fh.read(self.block_bytes)
                if first and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    raise NotStreamable("UTF-16 input is read whole")
                first = False
                if decoder is not None:
                    try:
                        decoder.decode(data, final=not data)
                    except UnicodeDecodeError as exc:
                        raise NotStreamable("not valid UTF-8") from exc
                if data:
                    # ``cut`` sees everything since the last cut, which is where an entry
                    # starts, so it can follow brace depth from a known point
                    joined = b"".join([carry, *chunks, data])
                    at = cut(joined)
                    if at <= 0:
                        chunks, carry = [joined], b""  # no boundary yet: the record is larger than a block
                        continue
                    piece, carry, chunks = joined[:at], joined[at:], []
                else:
                    piece, carry, chunks = b"".join([carry, *chunks]), b"", []
                if piece:
                    yield piece
                if not data:
                    break
        if validate:
            self.checked = True

    def blocks(self, cut: Cut) -> Iterator[Block]:
        """The file in decoded blocks cut where ``cut`` says; :class:`NotStreamable` on bad encoding."""
        line = 1
        first = True
        for piece in self.raw_blocks(cut):
            block = self._decode(piece, line, first)
            first = False
            line += block.text.count("\n")
            yield block
        self.checked = True

    def ranges(self, cut: Cut) -> Iterator[tuple[int, int, int]]:
        """``(start, end, first line)`` of each block :meth:`blocks` would yield.

        Why: a public chunk plan (:mod:`bibconv.chunks`) names blocks by byte
        range, so a worker reads its own block (:meth:`block_at`) instead of
        being sent its text.  Offsets count bytes of the file (of the
        decompressed stream for ``.gz``); each block is decoded here once to
        count its lines exactly as :meth:`blocks` does, which also proves the
        file is UTF-8 (:class:`NotStreamable` otherwise).
        """
        start, line, first = 0, 1, True
        for piece in self.raw_blocks(cut):
            block = self._decode(piece, line, first)
            first = False
            yield start, start + len(piece), line
            start += len(piece)
            line += block.text.count("\n")
        self.checked = True

    def block_at(self, start: int, end: int, first_line: int) -> Block:
        """The block of bytes ``start:end`` (from :meth:`ranges`), decoded as :meth:`blocks` does.

        A ``.gz`` file is decompressed from its start up to ``start`` (gzip
        cannot seek), so many chunks of one large ``.gz`` cost more than one.
        """
        with self._open() as fh:
            fh.seek(start)
            piece = fh.read(end - start)
        return self._decode(piece, first_line, start == 0)

    def _decode(self, piece: bytes, line: int, first: bool) -> Block:
        try:
            text, diags = decode_utf8(piece, self.file, file_start=first)
        except UnicodeDecodeError as exc:
            raise NotStreamable("not valid UTF-8") from exc
        if line > 1:
            diags = [
                dataclasses.replace(d, line=d.line + line - 1) if d.line is not None else d for d in diags
            ]
        return Block(text, line, diags)
