"""RIS read in blocks of records gives exactly what the whole read gives.

Blocks are shrunk so that a small file is cut at nearly every record end;
records (keys settled over the whole file: generated, suffixed, never taking
a later record's own key), written text and diagnostics must equal the
whole read's.
"""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bibconv
from bibconv import blocks
from bibconv.blocks import BlockSource
from bibconv.formats.ris.reader import cut_before_record
from bibconv.stream import convert_stream

TRICKY = """Provider: a database
Content: text/plain

TY  - JOUR
ID  - dup
AU  - Doe, Jane
TI  - First
PY  - 2001
ER  -|

TY  - BOOK
AU  - Roe, Ray
TI  - Generated key
PY  - 1999
ER  -

TY  - JOUR
ID  - dup
TI  - Second copy of dup, whose suffixed key must not take the later record's own
  continued on a second line
ER  -|
text after a record
TY  - CHAP
ID  - dupa
TI  - Owns dupa
XX  - unknown tag
ty  - jour
TI  - lower-case TY and no ER before it
er  -

TY  - BOOK
AU  - Roe, Ray
TI  - Generated key
PY  - 1999
ER  -|
TY  - BOOK
ID  - roe1999generated
TI  - Owns the generated key
PY  - 1999
ER  -|
TY  - JOUR
TI  - last record without ER
""".replace("|", " ")  # "ER  - " with its trailing space, as most exports write it


@pytest.fixture
def tiny_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 30)


def streamed(path: Path, to: str = "csljson") -> tuple[str, list[bibconv.Diagnostic], bool]:
    out = io.StringIO()
    stats = convert_stream(path, to, out, from_format="ris")
    return out.getvalue(), stats.diagnostics, stats.streamed == [True]


def same_diagnostics(a: list[bibconv.Diagnostic], b: list[bibconv.Diagnostic]) -> None:
    key = lambda d: (d.line or 0, d.column or 0, d.code, d.message, d.record_id or "")  # noqa: E731
    assert sorted(a, key=key) == sorted(b, key=key)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("to", ["csljson", "ris"])
def test_tricky_file_streams_identically(tmp_path: Path, tiny_blocks: None, newline: str, to: str) -> None:
    path = tmp_path / "t.ris"
    path.write_bytes(b"\xef\xbb\xbf" + TRICKY.replace("\n", newline).encode())
    conv = bibconv.convert(path, to, from_format="ris")
    text, diags, was_streamed = streamed(path, to)
    assert was_streamed
    assert text == conv.text
    same_diagnostics(diags, conv.diagnostics)
    ids = [r.id for r in bibconv.read(path, "ris").records]
    # the second "dup" skips "dupa" (a later record's own key), as the whole read decides
    assert ids[:4] == ["dup", "roe1999generated", "dupb", "dupa"]
    assert {"BC107", "BC115", "BC201", "BC210", "BC211"} <= {d.code for d in diags}


def test_blocks_end_after_er_before_ty(tmp_path: Path, tiny_blocks: None) -> None:
    path = tmp_path / "t.ris"
    path.write_text(TRICKY, encoding="utf-8")
    pieces = list(BlockSource(path).raw_blocks(cut_before_record))
    assert len(pieces) > 4
    assert b"".join(pieces) == path.read_bytes()
    for piece in pieces[1:]:
        assert piece.startswith(b"TY  -")
    for piece in pieces[:-1]:
        assert re.search(rb"(?mi)^ER  -[ ]?\n\n?\Z", piece)


def test_cut_only_after_an_er_line() -> None:
    assert cut_before_record(b"TY  - A\nER  - \n\nTY  - B\n") == 16
    assert cut_before_record(b"TY  - A\nER  - \nTY  - B\nER  -\nTY  -x\n") == 15  # "TY  -x" is no TY
    assert cut_before_record(b"TY  - A\nTY  - B\n") == 0  # no ER: the scan must see both
    assert cut_before_record(b"TY  - A\nN1  - x\rER  -\nTY  - B\n") == 0  # a lone CR ends a line too
    assert cut_before_record(b"TY  - A\nER  -\n\xc2\xa0\nTY  - B\n") == 0  # not an ASCII blank line


def test_empty_and_recordless_files_are_read_whole(tmp_path: Path) -> None:
    for content in ("\n\n", "Provider: nothing else\n"):
        path = tmp_path / "e.ris"
        path.write_text(content, encoding="utf-8")
        text, diags, was_streamed = streamed(path)
        conv = bibconv.convert(path, "csljson", from_format="ris")
        assert not was_streamed and text == conv.text and diags == conv.diagnostics


_RIS_PIECES = st.sampled_from(
    [
        "TY  - JOUR\nID  - a\nTI  - T\nER  - \n",
        "TY  - BOOK\nAU  - Doe, J\nPY  - 2000\nTI  - Gen\nER  -\n\n",
        "TY  - BOOK\nID  - doe2000gen\nER  - \n",
        "TY  - JOUR\nID  - aa\nER  - \n",
        "TY  - JOUR\nTI  - no end\n",
        "ty  - jour\nER  - \n",
        "ER  - \n",
        "between records\n",
        "  continued line\n",
        "\n",
        "TY  - JOUR\nID  - a\nN1  - note\n  second line\ner  -\n",
    ]
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_RIS_PIECES, min_size=1, max_size=20).map("".join), st.integers(1, 90))
def test_any_block_size_reads_like_the_whole_file(text: str, block_bytes: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.ris"
        path.write_text(text, encoding="utf-8")
        old = blocks.BLOCK_BYTES
        blocks.BLOCK_BYTES = block_bytes
        try:
            out, diags, _ = streamed(path)
        finally:
            blocks.BLOCK_BYTES = old
        conv = bibconv.convert(path, "csljson", from_format="ris")
        assert out == conv.text
        same_diagnostics(diags, conv.diagnostics)


def test_plain_blocks_give_their_ids_without_a_scan() -> None:
    from bibconv.formats.ris.reader import _plain_ids

    plain = b"TY  - JOUR\nID  - a  b\nTI  - T\nER  -\n\nID  - outside\nTY  - BOOK\nID  -\nID  - c\nER  - \n"
    assert _plain_ids(plain) == ["a b", "c"]
    assert _plain_ids(b"TY  - JOUR\nTI  - no id\nER  -\n") is None  # its key is generated: built
    assert _plain_ids(b"TY  - JOUR\nID  - a\n  continued\nER  -\n") is None  # a continuation line
    assert _plain_ids(b"ty  - jour\nID  - a\ner  -\n") is None  # lower-case structure
    # on raw bytes: a non-ASCII key is decoded; whatever decoding would change is scanned instead
    assert _plain_ids("TY  - JOUR\nID  - Müller\u00a02020\nER  -\n".encode()) == ["Müller\u00a02020"]
    assert _plain_ids(b"TY  - JOUR\r\nID  - a \r\nER  -\r\n") == ["a"]  # CRLF, as bibconv writes RIS
    assert _plain_ids(b"TY  - JOUR\rID  - a\r\nER  -\r\n") is None  # a lone CR
    assert _plain_ids(b"TY  - JOUR\nID  - a\x00b\nER  -\n") is None  # NUL is removed when decoded
    assert _plain_ids(b"\xef\xbb\xbfTY  - JOUR\nID  - a\nER  -\n") is None  # a BOM
    assert _plain_ids("TY  - JOUR\nID  - a\n\u2028\nER  -\n".encode()) is None  # a non-ASCII blank line


def test_stream_line_numbers_with_crlf_and_plain_blocks(tmp_path: Path, tiny_blocks: None) -> None:
    """Blocks counted on bytes (plain) and on decoded text (CRLF) number lines as one read does."""
    path = tmp_path / "mixed.ris"
    plain = "".join(f"TY  - JOUR\nID  - p{n}\nTI  - T{n}\nER  -\n\n" for n in range(40))
    crlf = "".join(f"TY  - JOUR\r\nID  - c{n}\r\nXX  - odd{n}\r\nER  -\r\n" for n in range(40))
    cr = "TY  - JOUR\rID  - cr\rYY  - odd\rER  -\n"  # lone CRs: more lines decoded than b"\n"s
    path.write_bytes((plain + crlf + cr + plain.replace("p", "q") + "TY  - JOUR\nID  - p1\nER  -\n").encode())
    out, diags, was_streamed = streamed(path)
    whole = bibconv.convert(path, "csljson", from_format="ris")
    assert was_streamed
    assert out == whole.text
    same_diagnostics(diags, whole.diagnostics)
    assert any(d.code == "BC201" for d in whole.diagnostics)
    # 200 plain lines, 160 CRLF lines, the CR record's 4 lines, 200 plain lines: the repeated key
    assert [(d.code, d.line) for d in diags if d.line and d.line > 360] == [("BC201", 363), ("BC211", 565)]


def test_two_workers_give_the_same_output(tmp_path: Path, tiny_blocks: None) -> None:
    path = tmp_path / "t.ris"
    path.write_text(TRICKY, encoding="utf-8")
    one, two = io.StringIO(), io.StringIO()
    d1 = convert_stream(path, "bibtex", one, from_format="ris").diagnostics
    d2 = convert_stream(path, "bibtex", two, from_format="ris", jobs=2).diagnostics
    assert one.getvalue() == two.getvalue() == bibconv.convert(path, "bibtex", from_format="ris").text
    assert d1 == d2
