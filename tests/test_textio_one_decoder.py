"""One decoder and one line index: streamed blocks decode and count lines as a whole file does."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from bibconv.blocks import BlockSource, NotStreamable
from bibconv.textio import LineIndex, decode, decode_utf8

DATA = codecs.BOM_UTF8 + "@misc{a,\r\n title = {Caf\u00e9\x00}}\r@misc{b}\n".encode()


def test_a_block_decodes_as_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "x.bib"
    path.write_bytes(DATA)
    whole_text, whole_diags = decode(DATA, str(path))
    (block,) = BlockSource(path).blocks(lambda buf: 0)
    assert block.text == whole_text == "@misc{a,\n title = {Caf\u00e9}}\n@misc{b}\n"
    assert [(d.code, d.line) for d in block.diagnostics] == [(d.code, d.line) for d in whole_diags]
    assert [d.code for d in whole_diags] == ["BC006"]


def test_only_the_file_start_drops_a_bom() -> None:
    # a BOM byte sequence met later in a file is text; normalise_newlines still drops one U+FEFF at the start
    assert decode_utf8(codecs.BOM_UTF8 * 2 + b"x")[0] == "x"
    assert decode_utf8(codecs.BOM_UTF8 * 2 + b"x", file_start=False)[0] == "\ufeffx"


def test_invalid_utf8_falls_back_whole_but_a_block_refuses(tmp_path: Path) -> None:
    data = b"@misc{a, title = {Caf\xe9}}\n"
    text, diags = decode(data)
    assert text == "@misc{a, title = {Caf\u00e9}}\n"
    assert [(d.code, d.line, d.column) for d in diags] == [("BC003", 1, 22)]
    with pytest.raises(UnicodeDecodeError):
        decode_utf8(data)
    path = tmp_path / "x.bib"
    path.write_bytes(data)
    with pytest.raises(NotStreamable):
        list(BlockSource(path).blocks(lambda buf: 0))


def test_the_line_index_numbers_from_a_first_line_in_both_directions() -> None:
    index = LineIndex("ab\ncd\n\nef", first_line=10)
    assert index.position(4) == (11, 2)  # counted forward
    assert index.position(7) == (13, 1)
    assert index.position(0) == (10, 1)  # backwards: the table, built once
    assert index.position(7) == (13, 1)
