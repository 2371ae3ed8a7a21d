"""CSL-JSON read in blocks of items gives exactly what the whole read gives.

Blocks are shrunk so that a small file is cut after nearly every item; the
records, the written text and every diagnostic (with its line and column)
must equal the whole read's.  Files the whole read complains about as JSON
(syntax errors, another shape than an array of objects) are read whole.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bibconv
from bibconv import blocks
from bibconv.blocks import BlockSource, NotStreamable
from bibconv.formats.csljson.reader import CslJsonReader
from bibconv.stream import convert_stream

from .strategies import hostile_csl_json

TRICKY = """[
  {"id": "a", "type": "book", "title": "Plain", "issued": {"date-parts": [[2001]]}},
  {
    "type": "article-journal",
    "title": "No id, an odd key and a bad date",
    "unknownKey": "kept in extra",
    "issued": {"date-parts": [["x"]]}
  },
  {"id": "c", "type": "nonsense", "author": [{"family": "Doe", "given": "J"}, 7],
   "note": "two lines \\n inside", "custom": 3},
  {"id": "d", "type": "book", "title": "lone \\ud800 surrogate", "volume": true},
  {"id": "a", "type": "book", "title": "Again a, on a line with a \\"quote\\", and ] [ { } ,"},
    {"id": "e", "type": "chapter", "editor": "Roe, R", "issued": "Spring 2003"}
]
"""


@pytest.fixture
def tiny_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 40 bytes: a cut after nearly every item."""
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 40)


class WriteOnly:
    """A sink that cannot seek (a pipe): the file is proven valid by a pre-scan before any block."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def getvalue(self) -> str:
        return "".join(self.parts)


#: a buffer can take back what it got, so the file is checked in the one pass that reads it
SINKS = [io.StringIO, WriteOnly]


def streamed(
    path: Path, to: str = "csljson", sink: type[io.StringIO] | type[WriteOnly] = io.StringIO
) -> tuple[str, list[bibconv.Diagnostic], bool]:
    out = sink()
    stats = convert_stream(path, to, out, from_format="csljson")
    return out.getvalue(), stats.diagnostics, stats.streamed == [True]


@pytest.mark.parametrize("sink", SINKS)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("to", ["csljson", "ris"])
def test_tricky_file_streams_identically(
    tmp_path: Path, tiny_blocks: None, newline: str, bom: bytes, to: str, sink: type[io.StringIO]
) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(bom + TRICKY.replace("\n", newline).encode())
    conv = bibconv.convert(path, to, from_format="csljson")
    text, diags, was_streamed = streamed(path, to, sink)
    assert was_streamed
    assert text == conv.text
    if to == "csljson":
        assert diags == conv.diagnostics  # same order, lines and columns
    else:  # a streamed writer reports each chunk's losses after that chunk's reading
        key = lambda d: (d.line or 0, d.column or 0, d.code, d.message)  # noqa: E731
        assert sorted(diags, key=key) == sorted(conv.diagnostics, key=key)
    codes = {d.code for d in diags}
    assert {"BC103", "BC200", "BC201", "BC202", "BC118", "BC124"} <= codes
    # positions come from the file, not from the block: the item on line 3 warns on line 7 (its date)
    (bad_date,) = [d for d in diags if d.code == "BC202" and d.record_id == "item2"]
    assert (bad_date.line, bad_date.column) == (7, 5)


def test_blocks_are_cut_at_line_starts_between_items(tmp_path: Path, tiny_blocks: None) -> None:
    path = tmp_path / "t.json"
    path.write_text(TRICKY, encoding="utf-8")
    plan = CslJsonReader().plan(BlockSource(path), file=str(path))
    pieces = list(BlockSource(path).raw_blocks(plan.cut))
    assert b"".join(pieces) == path.read_bytes()
    assert len(pieces) == 6  # a cut after every item (each ends its line) but the last
    for piece in pieces[:-1]:
        assert piece.rstrip(b" \t").endswith(b",\n")
    # each block's first item number is the count of items before it (item ids stay file-wide)
    assert sorted(plan.first_items.values()) == [0, 1, 2, 3, 4, 5]


def test_minified_file_is_one_block(tmp_path: Path, tiny_blocks: None) -> None:
    path = tmp_path / "t.json"
    items = [{"id": f"k{i}", "type": "book", "title": f"T{i}"} for i in range(10)]
    path.write_text(json.dumps(items), encoding="utf-8")
    plan = CslJsonReader().plan(BlockSource(path), file=str(path))
    assert plan.offsets == []
    text, _, was_streamed = streamed(path)
    assert was_streamed and text == bibconv.convert(path, "csljson").text


@pytest.mark.parametrize(
    "content",
    [
        '[\n  {"id": "a", "type": "book"},\n  {"id": "b", "type": tru}\n]\n',  # syntax error
        '[\n  {"id": "a", "type": "book"},\n  {"id": "b"}\n] extra\n',  # data after the list
        '[\n  {"id": "a", "type": "book"},\n  {"id": "b"}\n',  # not closed
        '[\n  {"id": "a", "type": "book"},\n  3\n]\n',  # an item that is not an object
        '{"id": "a", "type": "book"}\n',  # a single object
        '{"a": {"type": "book"}}\n',  # keyed by id
        "[]\n",
        "",
        '[\n  {"id": "a", "type": "book"},\r  {"id": "b"}\n]\n',  # a lone CR line end
        '[\n  {"id": "a", "type": "book"},\n  {"id": "b", "title": "x\x00y"}\n]\n',  # NUL
    ],
)
@pytest.mark.parametrize("sink", SINKS)
def test_what_the_whole_read_complains_about_is_read_whole(
    tmp_path: Path, tiny_blocks: None, content: str, sink: type[io.StringIO]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8", newline="")
    with pytest.raises(NotStreamable):
        CslJsonReader().plan(BlockSource(path), file=str(path))
    text, diags, was_streamed = streamed(path, sink=sink)
    conv = bibconv.convert(path, "csljson", from_format="csljson")
    assert not was_streamed
    assert text == conv.text and diags == conv.diagnostics


@settings(max_examples=60, deadline=None)
@given(hostile_csl_json(), st.sampled_from([None, 1, 2, "\t"]), st.integers(1, 120))
def test_any_block_size_reads_like_the_whole_file(doc: str, indent: int | str | None, size: int) -> None:
    """Hostile items, in any layout, cut at any block size: the same records and diagnostics."""
    text = json.dumps(json.loads(doc), indent=indent)
    old = blocks.BLOCK_BYTES
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.json"
        path.write_text(text, encoding="utf-8")
        blocks.BLOCK_BYTES = size
        try:
            out, diags, was_streamed = streamed(path)
        finally:
            blocks.BLOCK_BYTES = old
        conv = bibconv.convert(path, "csljson", from_format="csljson")
        assert was_streamed
        assert out == conv.text
        assert diags == conv.diagnostics


def test_the_single_pass_decodes_each_item_once_and_hands_out_the_file_in_blocks(
    tmp_path: Path, tiny_blocks: None
) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(b"\xef\xbb\xbf" + TRICKY.replace("\n", "\r\n").encode())
    plan = CslJsonReader().single_pass(BlockSource(path), file=str(path))
    jobs = list(plan.jobs())
    assert len(jobs) == 6
    # the blocks are the file as the whole read decodes it (no BOM, LF), each with its items
    assert "".join(j.text for j in jobs) == TRICKY
    assert [len(j.items) for j in jobs] == [1, 1, 1, 1, 1, 1]
    assert [j.before for j in jobs] == [0, 1, 2, 3, 4, 5]
    assert [j.first_line for j in jobs] == [1, 3, 9, 11, 12, 13]
    for job in jobs:
        value, start, end = job.items[0]
        assert json.loads(job.text[start:end]) == value


def test_a_file_that_breaks_late_is_taken_back_and_read_whole(tmp_path: Path, tiny_blocks: None) -> None:
    good = "".join(f'  {{"id": "k{i}", "type": "book", "title": "T{i}"}},\n' for i in range(20))
    path = tmp_path / "late.json"
    path.write_text("[\n" + good + '  {"id": "bad", "type": tru}\n]\n', encoding="utf-8")
    plan = CslJsonReader().single_pass(BlockSource(path), file=str(path))
    handed_out = 0
    with pytest.raises(NotStreamable):
        for _ in plan.jobs():
            handed_out += 1
    assert handed_out >= 10  # blocks went out before the error was seen
    out = io.StringIO("kept: ")
    out.seek(0, io.SEEK_END)  # what the sink held before the conversion stays
    stats = convert_stream(path, "bibtex", out, from_format="csljson")
    conv = bibconv.convert(path, "bibtex", from_format="csljson")
    assert out.getvalue() == "kept: " + conv.text
    assert stats.streamed == [False] and stats.diagnostics == conv.diagnostics
    assert [d.code for d in stats.diagnostics if d.code == "BC100"] == ["BC100"]


def test_two_workers_give_the_same_output(tmp_path: Path, tiny_blocks: None) -> None:
    path = tmp_path / "t.json"
    path.write_text(TRICKY, encoding="utf-8")
    one, two = io.StringIO(), io.StringIO()
    d1 = convert_stream(path, "bibtex", one, from_format="csljson").diagnostics
    d2 = convert_stream(path, "bibtex", two, from_format="csljson", jobs=2).diagnostics
    assert one.getvalue() == two.getvalue() == bibconv.convert(path, "bibtex", from_format="csljson").text
    assert d1 == d2
