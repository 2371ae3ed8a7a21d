"""RIS → records, tolerant of what databases and reference managers really export.

Own parser rather than rispy: it keeps line numbers for diagnostics, keeps a
last record that lacks ``ER`` (rispy drops it; tests/test_ris.py shows this),
and keeps unknown tags instead of needing a mapping for them.

Quirks handled: ``TAG - value`` with one space, lower-case ``er``/``ty``, a
missing ``ER`` (the next ``TY`` starts a new record), continuation lines
(joined with a space), preamble text before the first record (EBSCO's
"Provider:" lines), empty tags, a BOM, CRLF and Windows-1252 (the last three
handled by :mod:`bibconv.textio` before the text gets here).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from bibconv.diagnostics import Diagnostic, Severity
from bibconv.formats.ris import RIS_INFO
from bibconv.formats.ris.dialect import CATCH_ALL_PREFIX, TagLine, build_record, ris_id
from bibconv.ir import Record
from bibconv.keys import make_key, settle_keys, unique_keys
from bibconv.registry import (
    ChunkResult,
    DeclaredReader,
    FormatInfo,
    NoOptions,
    OptionsArg,
    ReadResult,
    make_options,
)
from bibconv.textio import decode_utf8

if TYPE_CHECKING:
    from bibconv.blocks import Block, BlockSource

__all__ = ["CATCH_ALL_PREFIX", "RisReader", "TagLine", "build_record", "scan"]

_TAG_LINE = re.compile(r"[ \t]{0,3}([A-Z][A-Z0-9]) {1,3}-(?:[ \t]+(.*)|[ \t]*)")
_LOWER_STRUCTURAL = re.compile(r"[ \t]{0,3}(er|ty|Er|Ty|eR|tY) {1,3}-(?:[ \t]+(.*)|[ \t]*)")


@dataclass(slots=True)
class _Raw:
    """A record's tag lines while it is being collected."""

    line: int
    tags: list[TagLine] = field(default_factory=list)


_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_UPPER_DIGIT = _UPPER | frozenset("0123456789")


def _match(line: str) -> tuple[str, str] | None:
    # ``XX  - value``, the shape of nearly every line, decided without a regex (the
    # same answer as _TAG_LINE: two spaces, a dash, then blanks or the end)
    if (
        line[2:5] == "  -"
        and line[:1] in _UPPER
        and line[1:2] in _UPPER_DIGIT
        and (len(line) == 5 or line[5] in " \t")
    ):
        return line[:2], line[5:].strip()
    m = _TAG_LINE.fullmatch(line) or _LOWER_STRUCTURAL.fullmatch(line)
    if m is None:
        return None
    return m.group(1).upper(), (m.group(2) or "").strip()


#: One line of plain RIS: a tag line (``XX  -`` then a blank and the value, or nothing), or a
#: blank line (tag and value empty).  Matched line by line by findall.
_PLAIN_LINE = re.compile(r"^(?:([A-Z][A-Z0-9])  -(?:[ \t](.*))?|[^\S\n]*)$", re.MULTILINE)


def _rows(text: str) -> list[tuple[str | None, str]]:
    """One row per line of ``text``: ``(tag, value)``, ``("", "")`` when blank, ``(None, line)`` else.

    Why two ways: in RIS as reference managers write it every line is a tag
    line or blank, and one C-level ``findall`` then splits all of them (one
    row per line, so a row's index is its line; values still to strip).  Any
    other line (a continuation, a lower-case or indented tag, a BOM) has no
    row, so the rows no longer match the lines one for one, and then the
    lines are classified one by one.  Both ways classify a tag line or a
    blank line alike.
    """
    rows: list[tuple[str | None, str]] = _PLAIN_LINE.findall(text)
    if len(rows) == text.count("\n") + 1:
        return rows
    rows = []
    for raw_line in text.split("\n"):
        line = raw_line.rstrip().removeprefix("\ufeff")
        if not line or line.isspace():
            rows.append(("", ""))
            continue
        found = _match(line)
        rows.append((None, line) if found is None else found)
    return rows


def scan(text: str, diags: list[Diagnostic], file: str | None, first_line: int = 1) -> list[_Raw]:
    """Lines → raw records.  Linear; never raises.

    ``first_line`` numbers the text's first line (a block of a streamed file).
    One loop over :func:`_rows`, as tight as it can be: it runs once per
    line of every RIS file read.
    """
    records: list[_Raw] = []
    current: _Raw | None = None
    tags: list[TagLine] = []  # current's
    closed = True  # no record open (none yet, or the last one's ER seen)
    outside: int | None = None  # first line of ignored text before a record
    for number, (tag, value) in enumerate(_rows(text), start=first_line):
        if tag == "TY":
            if not closed:
                diags.append(
                    Diagnostic.make(
                        "BC115",
                        "record has no ER line; a new TY starts the next record",
                        file=file,
                        line=current.line,  # type: ignore[union-attr]
                    )
                )
            current = _Raw(line=number)
            tags = current.tags
            tags.append(TagLine("TY", value.strip(), number))
            records.append(current)
            closed = False
            continue
        if tag == "":
            continue  # a blank line
        if closed:
            if tag == "ER":
                continue
            if outside is None:
                outside = number
                diags.append(
                    Diagnostic.make(
                        "BC107",
                        "text outside a record (before TY or after ER) was ignored",
                        severity=Severity.INFO if tag is None else None,
                        file=file,
                        line=number,
                    )
                )
            continue
        outside = None
        if tag is None:  # a line of the value above it
            if tags:
                last = tags[-1]
                sep = "\n" if last.tag == "N1" else " "  # a note keeps its lines
                last.value = f"{last.value}{sep}{value.strip()}".strip()
            continue
        if tag == "ER":
            closed = True
            continue
        tags.append(TagLine(tag, value.strip(), number))
    if current is not None and not closed:
        diags.append(
            Diagnostic.make(
                "BC115",
                "the last record has no ER line; it was kept",
                file=file,
                line=current.line,
            )
        )
    return records


def _build(
    raws: list[_Raw], diags: list[Diagnostic], file: str | None
) -> list[tuple[int, Record, str | None]]:
    """Each raw record that builds: (its number in ``raws``, the record, its own ``ID`` or None)."""
    built: list[tuple[int, Record, str | None]] = []
    for n, raw in enumerate(raws):
        try:
            rec, has_id = build_record(raw.tags, diags, file=file, line=raw.line)
        except (ValueError, TypeError) as exc:
            diags.append(
                Diagnostic.make("BC117", f"record could not be read: {exc}", file=file, line=raw.line)
            )
            continue
        built.append((n, rec, rec.id if has_id else None))
    return built


#: The end of a record where a block may end: an ``ER`` line, blank lines, then a
#: ``TY`` line.  A new block then starts in the state the scan is in after any
#: ``ER`` (no open record), so blocks read as the whole file does.  Conservative:
#: only ASCII blanks and LF or CRLF line ends (other shapes are not cut there).
_RECORD_CUT = re.compile(
    rb"(?m)^[ \t]{0,3}(?:ER|er|Er|eR) {1,3}-(?:[ \t][^\r\n]*)?\r?\n(?:[ \t]*\r?\n)*"
    rb"(?=[ \t]{0,3}(?:TY|ty|Ty|tY) {1,3}-[ \t\r\n])"
)


def cut_before_record(buf: bytes) -> int:
    """Where ``buf`` may be cut (the start of its last record after an ``ER``), or 0."""
    start = max(0, len(buf) - 65536)
    while True:
        last = 0
        for m in _RECORD_CUT.finditer(buf, start):
            last = m.end()
        if last or not start:
            return last
        start = 0


#: A line (after the ``\n`` that starts it) that is neither blank nor a plain tag line.
#: Anchored on a literal ``\n``, so the regex engine jumps from line end to line end.
#: On bytes, so blank means ASCII blanks only (a line of other white space is irregular).
_IRREGULAR_LINE = re.compile(rb"\n(?![A-Z][A-Z0-9]  -(?:[ \t]|\n|\Z))(?![^\S\n]*(?:\n|\Z))")
_STRUCTURE = re.compile(rb"\n(TY|ER|ID)  -([^\n]*)")


def _plain_ids(buf: bytes) -> list[str] | None:
    """Every record's ``ID`` when each record has one and every line is blank or a plain tag line.

    Why: the pre-scan needs only the keys, and for such text (what bibconv
    and most reference managers write) the records and their ``ID`` are
    found with two C-level regex passes instead of :func:`scan`'s loop
    over lines: with no continuation line, no indented or lower-case tag
    and no other text, :func:`scan` starts a record at each ``TY``, closes
    it at ``ER`` and ignores an ``ID`` outside a record.  None otherwise
    (the caller decodes, scans and builds).

    On the raw bytes, so a plain block is never decoded by the pre-scan:
    bytes with no lone CR and no NUL decode (:func:`bibconv.textio.decode_utf8`)
    to the same lines (CRLF turned LF here as there), so the answer is the decoded text's; a BOM makes the
    first line irregular, and so does any non-ASCII blank.
    """
    if b"\r" in buf:
        if buf.count(b"\r") != buf.count(b"\r\n"):
            return None  # a lone CR ends a line when decoded
        buf = buf.replace(b"\r\n", b"\n")  # as decoding does (RIS is written with CRLF)
    if b"\x00" in buf:
        return None  # decoding removes it
    data = b"\n" + buf  # every line starts after a "\n"
    if _IRREGULAR_LINE.search(data) is not None:
        return None
    ids: list[str | None] = []
    open_ = False
    for tag, raw in _STRUCTURE.findall(data):
        if tag == b"TY":
            ids.append(None)
            open_ = True
        elif tag == b"ER":
            open_ = False
        elif open_ and ids[-1] is None:
            value = raw.decode("utf-8").strip()
            if value:
                # printable with no two spaces in a row: nothing for ris_id to fold
                plain = value.isprintable() and "  " not in value
                ids[-1] = value if plain else ris_id([TagLine("ID", value, 0)])
    if any(key is None for key in ids):
        return None
    return ids  # type: ignore[return-value]


class _RisPlan:
    """Reads a RIS file in blocks of records (see :class:`bibconv.registry.StreamPlan`).

    Keys are settled over the whole file as the whole read settles them (a
    missing ``ID`` generated, a repeated one suffixed, never taking another
    record's own key): the pre-scan reads every record's ``ID`` (and builds
    the records that have none, for their generated key), and keeps only the
    keys that change.  Picklable, for public chunks (:mod:`bibconv.chunks`).
    """

    reader_name = "ris"
    #: where blocks end, so a chunk plan can name blocks by byte range
    cut = staticmethod(cut_before_record)

    def __init__(self, source: BlockSource, file: str | None) -> None:
        from bibconv.blocks import NotStreamable

        self.source, self.file = source, file
        #: a block's first line → how many raw records come before it
        self.first_raws: dict[int, int] = {}
        wanted: list[str] = []
        numbers: list[int] = []
        count = 0
        # raw blocks: a plain one is never decoded here (see _plain_ids); the line numbers
        # count as BlockSource.blocks counts them, on the decoded text of the others
        line, first = 1, True
        for piece in source.raw_blocks(cut_before_record, validate=True):
            self.first_raws[line] = count
            ids = _plain_ids(piece)
            if ids is not None:  # the common case: no record to build here
                wanted += ids
                numbers += range(count, count + len(ids))
                count += len(ids)
                line += piece.count(b"\n")
                first = False
                continue
            try:
                text = decode_utf8(piece, file, file_start=first)[0]
            except UnicodeDecodeError as exc:  # raw_blocks has validated it: a net only
                raise NotStreamable("not valid UTF-8") from exc
            raws = scan(text, [], file, line)
            line += text.count("\n")
            first = False
            for n, raw in enumerate(raws, start=count):
                key = ris_id(raw.tags)
                if key is None:
                    try:
                        key = make_key(build_record(raw.tags, [], file=file, line=raw.line)[0])
                    except (ValueError, TypeError):
                        continue  # not read (BC117), so it takes no key
                wanted.append(key)
                numbers.append(n)
            count += len(raws)
        if not count:
            raise NotStreamable("no record: the whole read says why (empty input, another format)")
        #: raw record number → its key, where the key is not the record's own (or generated) one
        self.renames = {
            n: key for n, want, key in zip(numbers, wanted, unique_keys(wanted), strict=True) if key != want
        }

    def jobs(self) -> Iterator[Block]:
        return self.source.blocks(cut_before_record)

    def process(self, job: Block) -> ChunkResult:
        out = ChunkResult(diagnostics=list(job.diagnostics))
        raws = scan(job.text, out.diagnostics, self.file, job.first_line)
        built = _build(raws, out.diagnostics, self.file)
        first = self.first_raws.get(job.first_line, 0)
        keys = [
            self.renames.get(first + n, given if given is not None else make_key(rec))
            for n, rec, given in built
        ]
        out.records = settle_keys(
            [(rec, given) for _, rec, given in built], out.diagnostics, self.file, keys=keys
        )
        return out

    def fold(self, result: ChunkResult) -> list[Diagnostic]:
        return []

    def finish(self) -> list[Diagnostic]:
        return []


class RisReader(DeclaredReader):
    """Reads RIS (``.ris``), the tagged format of databases and reference managers."""

    info: ClassVar[FormatInfo] = RIS_INFO

    Options: ClassVar[type[NoOptions]] = NoOptions

    def read(self, text: str, *, file: str | None = None, options: OptionsArg = None) -> ReadResult:
        """Parse every record; records without ``ID`` get generated keys."""
        make_options(type(self), options)  # takes none: refuses any
        result = ReadResult()
        diags = result.diagnostics
        if not text or text.isspace():  # not text.strip(): that copies the whole text
            diags.append(Diagnostic.make("BC005", "input is empty", file=file))
            return result
        raws = scan(text, diags, file)
        built = _build(raws, diags, file)
        result.records += settle_keys([(rec, given) for _, rec, given in built], diags, file)
        return result

    def plan(self, source: BlockSource, *, file: str | None = None, options: OptionsArg = None) -> _RisPlan:
        """Read ``source`` block by block, in flat memory (see :mod:`bibconv.stream`)."""
        make_options(type(self), options)  # takes none: refuses any
        return _RisPlan(source, file or source.file)
