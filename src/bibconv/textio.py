"""Decoding input bytes once, the same way for every reader.

Readers see ``str`` with ``\\n`` line ends only.  Files from decades of tools
arrive as UTF-8 with or without a BOM, UTF-16 with a BOM, CRLF or lone CR, or
Windows-1252; the last is decoded with a warning rather than refused, since
refusing would leave the user with nothing.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from bibconv.diagnostics import Diagnostic, plural

__all__ = [
    "MAX_STREAM_BYTES",
    "InputTooLargeError",
    "LineIndex",
    "NamedBytes",
    "atomic_write",
    "atomic_writer",
    "decode",
    "decode_utf8",
    "open_input",
    "read_path",
    "read_stream",
]

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
    # strict UTF-8 decoding never gives a lone surrogate: no need to look for one
    return normalise_newlines(text, diags, file, surrogates=False), diags


_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> tuple[str, int]:
    """Lone surrogates (which no encoder writes) → U+FFFD; the text and how many were replaced.

    Why: a ``str`` handed in by a caller, or a JSON ``\\ud800`` escape, can hold
    them, and every writer would then fail at its first ``encode``.
    """
    if _SURROGATE.search(text) is None:
        return text, 0
    return _SURROGATE.subn("\ufffd", text)


def normalise_newlines(
    text: str, diags: list[Diagnostic], file: str | None = None, *, surrogates: bool = True
) -> str:
    """CRLF and lone CR → LF; NUL bytes removed and lone surrogates replaced, with a warning.

    ``surrogates``: False when ``text`` cannot hold any (it was decoded from UTF-8).
    """
    found = _SURROGATE.search(text) if surrogates else None
    if found is not None:
        pos = found.start()
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
        text = text.replace("\r\n", "\n")
        if "\r" in text:  # lone CRs (old Mac files) as well
            text = text.replace("\r", "\n")
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


#: The most a non-seekable input (stdin, a pipe, ``<(...)``, a device) may hold.
#: Such a stream has no size to check first, so it is read up to this bound and
#: refused past it; that keeps ``/dev/zero`` or an endless pipe from eating memory.
MAX_STREAM_BYTES = 256 * 1024 * 1024


class InputTooLargeError(OSError):
    """A stream input went past :data:`MAX_STREAM_BYTES` (an ``OSError``: exit 5 on the CLI)."""


def read_stream(stream: BinaryIO, name: str, limit: int = MAX_STREAM_BYTES) -> bytes:
    """Read a non-seekable stream whole, in chunks, refusing more than ``limit`` bytes.

    Pipes and process substitution (``/dev/fd/N``) cannot seek and report no
    size, so nothing here asks for either.
    """
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(1 << 20, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise InputTooLargeError(errno.EFBIG, f"input is larger than {limit} bytes; refused", name)


class NamedBytes(bytes):
    """The bytes of a stream input, with the name it was given (diagnostics cite ``/dev/fd/63``)."""

    name: str

    def __new__(cls, data: bytes, name: str) -> NamedBytes:
        self = super().__new__(cls, data)
        self.name = name
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # pickled for worker processes like any bytes
        return (NamedBytes, (bytes(self), self.name))


def open_input(name: str) -> Path | bytes:
    """A command-line input: a regular file as a ``Path``, a pipe/FIFO/device read as bytes.

    Each kind of unusable path gets its own error (with ``name`` as the file
    name), rather than every one being "no such file": a directory, a dangling
    symlink, a symlink loop, an unreadable file.
    """
    import stat

    if not name:
        raise FileNotFoundError(errno.ENOENT, "empty file name", name)
    try:
        st = os.stat(name)
    except FileNotFoundError:
        if os.path.islink(name):
            raise FileNotFoundError(errno.ENOENT, "dangling symbolic link", name) from None
        raise FileNotFoundError(errno.ENOENT, "no such file", name) from None
    except OSError as exc:  # ELOOP (a symlink loop), ENAMETOOLONG, EACCES on a directory …
        raise OSError(exc.errno, exc.strerror or str(exc), name) from None
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory, not a file", name)
    if stat.S_ISREG(st.st_mode):
        if not os.access(name, os.R_OK):
            raise PermissionError(errno.EACCES, "permission denied", name)
        return Path(name)
    # a FIFO, a pipe from process substitution, a character device: a stream
    with open(name, "rb") as fh:
        return NamedBytes(read_stream(fh, name), name)


#: How :func:`atomic_writer` turns the temporary file's descriptor into a text stream
#: (``os.fdopen``'s signature); tests pass one that fails like a full disk.
Opener = Callable[..., TextIO]


def _read_only(st: os.stat_result) -> bool:
    """No write bit at all: refused even for root, who ``os.access`` would let write."""
    return not st.st_mode & 0o222


def atomic_write(path: str | os.PathLike[str], text: str, *, opener: Opener | None = None) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename.

    An existing file is replaced only once the new content is complete on
    disk, so a failed or interrupted conversion never leaves half a file.
    """
    with atomic_writer(path, opener=opener) as fh:
        fh.write(text)


def _named(exc: OSError, name: str) -> OSError:
    """The same error, naming the file the user asked for (not a temporary one)."""
    out = type(exc)(exc.errno, exc.strerror or str(exc), name) if exc.errno else OSError(str(exc))
    out.filename = name
    return out


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], *, opener: Opener | None = None) -> Iterator[TextIO]:
    """A text file to write in pieces that replaces ``path`` only on success.

    The one write path of every command (``convert -o``, ``format``):

    * a symlink is written through: the *resolved* target is replaced, with
      the temporary file in the target's directory, and the link stays a link;
    * the target's permission bits are kept (new files get 0644);
    * a target with no write bit is refused (``PermissionError``, exit 5);
    * a target with several hard links is rewritten in place once the new
      content is complete in the temporary file, so every link sees it (the
      final copy is not atomic, the rest of the promise holds);
    * every error names ``path``, never the temporary file;
    * an exception, SIGINT or SIGTERM (the CLI turns it into an exception)
      removes the temporary file and leaves ``path`` untouched.
    """
    import tempfile  # it imports shutil and random: only for commands that write files

    name = os.fspath(path)
    target = Path(os.path.realpath(name))
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _named(exc, name) from None
    if st is not None:
        import stat

        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", name)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file; refusing to replace it", name)
        if _read_only(st) or not os.access(target, os.W_OK):
            raise PermissionError(errno.EACCES, "file is read-only; not replaced", name)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _named(exc, name) from None
    try:
        try:
            with (opener or os.fdopen)(fd, "w", encoding="utf-8", newline="") as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            if st is not None and st.st_nlink > 1:
                _copy_in_place(tmp, target)
                os.unlink(tmp)
                return
            os.chmod(tmp, st.st_mode & 0o7777 if st is not None else 0o644)
            os.replace(tmp, target)
        except OSError as exc:
            raise _named(exc, name) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _copy_in_place(source: str, target: Path) -> None:
    """Overwrite ``target``'s content (same inode: hard links keep sharing it)."""
    with open(source, "rb") as src, open(target, "r+b") as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)
        dst.truncate()
        dst.flush()
        os.fsync(dst.fileno())
