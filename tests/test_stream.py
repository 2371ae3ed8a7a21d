"""Streaming conversion gives exactly what whole-file conversion gives.

The block size is shrunk so that small files are cut into many blocks; every
cross-block concern (``@string`` macros, crossref parents before and after
their children, repeated keys, summaries, line numbers, decoding notes) is
checked against :func:`bibconv.convert` on the same input.
"""

from __future__ import annotations

import gzip
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bibconv
from bibconv import blocks
from bibconv.formats.bibtex.reader import cut_before_entry
from bibconv.ir import Record
from bibconv.registry import default_registry
from bibconv.stream import convert_stream, iter_read

from .conftest import shared_path
from .strategies import record_lists

REG = default_registry()
STREAM_WRITERS = [n for n in REG.names("writers") if hasattr(REG.writer(n), "stream")]

TRICKY = """\
@string{jn = "Journal of Tests"}
@article{child1, author = {Doe, Jane}, title = {Child One}, crossref = {parent}, journal = jn}
@book{early, title = {Early Parent}, publisher = {P}, year = 2001}
@inbook{child2, author = {Roe, Ray}, title = {Child Two}, crossref = {early}, pages = {1--2}}
@article{dup, title = {First}, year = 2000, foo = {bar}}
@misc{nokey_follows, title = {Has \\"umlaut}, note = {see @ sign}}
  @article{indented, title = {Indented start}, journal = jn, foo = {baz}}
@article{dup, title = {Second}, year = 2001}
@string{late = "Late Macro"}
@article{usesLate, title = late}
@article{broken, title = {Unclosed brace
@book{parent, title = {Parent Book}, editor = {Ed, Itor}, year = 1999, publisher = {Pub}}
@article{missing, title = {T}, crossref = {nowhere}}
"""


@pytest.fixture
def tiny_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 64 bytes: nearly every entry gets a block of its own."""
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 64)


def whole(path: Path, to: str, fmt: str | None = None) -> bibconv.Conversion:
    return bibconv.convert(path, to, from_format=fmt)


def streamed(
    path: Path, to: str, fmt: str | None = None, jobs: int = 1
) -> tuple[str, list[bibconv.Diagnostic]]:
    out = io.StringIO()
    stats = convert_stream(path, to, out, from_format=fmt, jobs=jobs)
    assert stats.streamed == [True]
    return out.getvalue(), stats.diagnostics


def same_diagnostics(a: list[bibconv.Diagnostic], b: list[bibconv.Diagnostic]) -> None:
    key = lambda d: (d.line or 0, d.column or 0, d.code, d.message, d.record_id or "")  # noqa: E731
    assert sorted(a, key=key) == sorted(b, key=key)


@pytest.mark.parametrize("to", STREAM_WRITERS)
def test_tricky_file_streams_identically(tmp_path: Path, tiny_blocks: None, to: str) -> None:
    path = tmp_path / "t.bib"
    path.write_text(TRICKY, encoding="utf-8")
    conv = whole(path, to)
    text, diags = streamed(path, to)
    assert text == conv.text
    same_diagnostics(diags, conv.diagnostics)
    codes = {d.code for d in diags}
    # the cross-block checks did happen
    assert {"BC106", "BC111", "BC201", "BC104"} <= codes


def test_crossref_parent_in_a_later_block_is_inherited(tmp_path: Path, tiny_blocks: None) -> None:
    path = tmp_path / "t.bib"
    path.write_text(TRICKY, encoding="utf-8")
    records = {r.id: r for r in iter_read(path, "bibtex")}
    assert records["child1"].text["publisher"] == "Pub"
    assert records["child1"].dates["issued"].start == (1999,)
    assert records["child1"].names["editor"][0].family == "Ed"
    assert records["child2"].text["container-title"] == "Early Parent"
    assert records["usesLate"].text["title"] == "Late Macro"


def test_line_numbers_count_from_the_file_start(tmp_path: Path, tiny_blocks: None) -> None:
    path = tmp_path / "t.bib"
    path.write_text(TRICKY, encoding="utf-8")
    records = list(iter_read(path, "bibtex"))
    by_id = {r.id: r for r in records if r.id != "dup"}
    assert by_id["parent"].span is not None and by_id["parent"].span.line == 12
    assert by_id["indented"].span is not None and by_id["indented"].span.line == 7
    diags: list[bibconv.Diagnostic] = []
    list(iter_read(path, "bibtex", diagnostics=diags))
    dup = [d for d in diags if d.code == "BC106"]
    assert [(d.line, d.message) for d in dup] == [
        (8, "citation key 'dup' was already used on line 5; both entries were read")
    ]


def test_cut_only_where_an_entry_starts() -> None:
    assert cut_before_entry(b"@a{x,\n}\n@b{y,\n}\n") == 8
    assert cut_before_entry(b"@a{x, mail = {a\n@1b.c}}\n") == 0  # the lexer starts no entry there either
    # an "@" line inside a value that closes after it is text (issue 14): no cut there ...
    assert cut_before_entry(b"@a{x, mail = {a\n@ b.c}}\n") == 0
    # ... and none after it when the entry before is still open there
    assert cut_before_entry(b"@a{x,}\n@b{y, t = {open\n@c{z,}\n") == 7
    assert cut_before_entry(b"@a{x,\n  note={me@host}}\n \t@misc{y,}") == 24
    assert cut_before_entry(b"@only{one,}") == 0
    # two entry-like lines inside one value: the second is not a start because the first "closed"
    # (found by hypothesis): depth is followed from the buffer's start, not from the line before
    value = b"{@a said\n@a{inside, text}\n@a{inside, text}}"
    assert cut_before_entry(b"@article{k0,\n  abstract = " + value + b",\n}\n") == 0


@pytest.mark.parametrize("name", ["cdl.bib", "biblatex-examples.bib"])
@pytest.mark.parametrize("to", ["csljson", "ris"])
def test_corpora_stream_identically(name: str, to: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = shared_path("corpus", name)
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 20_000)
    conv = whole(path, to, "bibtex")
    text, diags = streamed(path, to, "bibtex")
    assert text == conv.text
    same_diagnostics(diags, conv.diagnostics)


def test_parallel_jobs_give_the_same_output(monkeypatch: pytest.MonkeyPatch) -> None:
    path = shared_path("corpus", "biblatex-examples.bib")
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 4_000)
    one, d1 = streamed(path, "csljson", "biblatex", jobs=1)
    two, d2 = streamed(path, "csljson", "biblatex", jobs=2)
    assert one == two
    assert d1 == d2


def test_decoding_notes_keep_their_line(tmp_path: Path, tiny_blocks: None) -> None:
    path = tmp_path / "nul.bib"
    body = "".join(f"@misc{{k{i}, title = {{T{i}}}}}\n" for i in range(20))
    path.write_bytes(body.encode() + b"@misc{z, title = {A\x00B}}\r\n")
    conv = whole(path, "csljson")
    text, diags = streamed(path, "csljson")
    assert text == conv.text
    nul = [d for d in diags if d.code == "BC006"]
    assert [d.line for d in nul] == [21]


@pytest.mark.parametrize(
    "data",
    [
        "@misc{a, title = {Caf\xe9}}\n".encode("cp1252"),  # not UTF-8: decoded whole, with BC003
        "@misc{a, title = {Café}}\n".encode("utf-16"),
    ],
)
def test_encodings_that_need_the_whole_file_fall_back(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "enc.bib"
    path.write_bytes(data)
    out = io.StringIO()
    stats = convert_stream(path, "csljson", out)
    assert stats.streamed == [False]
    assert out.getvalue() == whole(path, "csljson").text
    assert "Café" in out.getvalue()


def test_gzip_files_stream(tmp_path: Path, tiny_blocks: None) -> None:
    path = tmp_path / "t.bib.gz"
    path.write_bytes(gzip.compress(TRICKY.encode()))
    text, _ = streamed(path, "csljson", "bibtex")
    plain = tmp_path / "t.bib"
    plain.write_text(TRICKY, encoding="utf-8")
    assert text == whole(plain, "csljson").text


def test_writers_without_streaming_still_work(tmp_path: Path) -> None:
    path = tmp_path / "t.bib"
    path.write_text(TRICKY, encoding="utf-8")
    out = io.StringIO()
    stats = convert_stream(path, "bibtex", out)
    assert out.getvalue() == whole(path, "bibtex").text
    assert stats.records == len(whole(path, "bibtex").records)


def test_empty_input_is_reported_and_writes_an_empty_document(tmp_path: Path) -> None:
    path = tmp_path / "e.bib"
    path.write_text("\n\n", encoding="utf-8")
    text, diags = streamed(path, "csljson", "bibtex")
    assert text == "[]\n"
    assert [d.code for d in diags] == ["BC005"]


@pytest.mark.parametrize("name", STREAM_WRITERS)
def test_stream_writer_pieces_join_to_write(name: str) -> None:
    writer = REG.writer(name)

    @settings(max_examples=40)
    @given(record_lists(), st.data())
    def check(records: list[Record], data: st.DataObject) -> None:
        stream = writer.stream(options={})
        cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(records) - 1)), max_size=4)))
        chunks = [records[a:b] for a, b in zip([0, *cuts], [*cuts, len(records)], strict=True)]
        chunks = [c for c in chunks if c]
        bodies = [stream.body(c) for c in chunks]
        joined = stream.head + stream.sep.join(bodies) + stream.tail if chunks else stream.empty
        assert joined == bibconv.write(records, name)
        assert [d for b in bodies for d in b.diagnostics] == writer.write(records, options={}).diagnostics

    check()


def test_cli_streams_with_jobs_and_strict_keeps_the_old_file(tmp_path: Path) -> None:
    src = tmp_path / "t.bib"
    src.write_text(TRICKY, encoding="utf-8")
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    cli = [sys.executable, "-m", "bibconv", "convert", str(src), "-t", "csljson", "-o", str(out)]
    failed = subprocess.run([*cli, "--strict", "-j", "2"], capture_output=True, text=True)
    assert failed.returncode == 1
    assert out.read_text(encoding="utf-8") == "old"
    ok = subprocess.run([*cli, "-j", "2", "-q"], capture_output=True, text=True)
    assert ok.returncode == 1  # the input has errors; the output is still written
    assert out.read_text(encoding="utf-8") == whole(src, "csljson").text
    assert "BC104" in ok.stderr and "BC106" not in ok.stderr  # -q keeps errors only
    bad = subprocess.run([*cli, "-j", "many"], capture_output=True, text=True)
    assert bad.returncode == 2 and "number of processes" in bad.stderr


_BIB_PIECES = st.sampled_from(
    [
        "@misc{a, title = {T}}\n",
        "@article{b,\n  author = {Doe, J. and Roe, R.},\n  crossref = {c}\n}\n",
        "@book{c, title = {Book}, year = 2000}\n",
        "@string{m = {Macro}}\n",
        "@misc{d, title = m # { more}}\n",
        "  @misc{e, note = {mail me@host}}\n",
        "@misc{f, title = {unclosed\n",
        "text between entries @ here\n",
        "\t@ misc{g, title = {Spaced}}\n",
        "@misc{a, title = {Again}}\n",
        "é" * 7,
        "\n",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_BIB_PIECES, max_size=25).map("".join), st.integers(1, 90))
def test_any_block_size_reads_like_the_whole_file(text: str, block_bytes: int) -> None:
    """Whatever the block size, the blocks are the file, cut only where entries start,
    and the streamed conversion equals the whole-file one."""
    import tempfile

    data = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.bib"
        path.write_bytes(data)
        pieces = list(blocks.BlockSource(path, block_bytes=block_bytes).raw_blocks(cut_before_entry))
        assert b"".join(pieces) == data
        for piece in pieces[1:]:
            assert re.match(rb"[ \t]*@[ \t]*[A-Za-z]", piece)
        old = blocks.BLOCK_BYTES
        blocks.BLOCK_BYTES = block_bytes
        try:
            out = io.StringIO()
            stats = convert_stream(path, "csljson", out, from_format="bibtex")
        finally:
            blocks.BLOCK_BYTES = old
        conv = bibconv.convert(path, "csljson", from_format="bibtex")
        assert out.getvalue() == conv.text
        same_diagnostics(stats.diagnostics, conv.diagnostics)


@pytest.mark.parametrize("to", ["csljson", "ris", "bibtex"])
def test_a_chunk_written_again_makes_only_its_renamed_records_again(to: str) -> None:
    """The stream driver writes a chunk with a repeated id twice; the second time costs one record."""
    from bibconv.ir import Record
    from bibconv.registry import LastChunk, default_registry

    records = [Record(id=f"k{i}", type="book", text={"title": f"T{i}"}) for i in range(5)]
    made: list[str] = []
    memo: LastChunk[str] = LastChunk()

    def one(r: Record) -> str:
        made.append(r.id)
        return r.id.upper()

    assert memo.make(records, one) == ["K0", "K1", "K2", "K3", "K4"]
    renamed = [*records[:2], records[2].evolve(id="k2a"), *records[3:]]
    assert memo.make(renamed, one) == ["K0", "K1", "K2A", "K3", "K4"]
    assert made == ["k0", "k1", "k2", "k3", "k4", "k2a"]
    assert memo.get(records[2]) is None and memo.get(renamed[2]) == "K2A"
    # and each streaming writer's second body is what a fresh stream writes for the renamed chunk
    writer = default_registry().writer(to)
    stream = writer.stream(options=None)  # type: ignore[attr-defined]
    stream.body(records)
    again = stream.body(renamed)
    fresh = writer.stream(options=None).body(renamed)  # type: ignore[attr-defined]
    assert str(again) == str(fresh) and again.diagnostics == fresh.diagnostics


def test_a_stream_sent_to_a_worker_carries_no_chunk() -> None:
    """-j pickles the writer's stream with every job: its memory of the last chunk stays home."""
    import pickle

    from bibconv.ir import Record
    from bibconv.registry import default_registry

    records = [Record(id=f"k{i}", type="book", text={"title": "T" * 1000}) for i in range(50)]
    for to in ("csljson", "ris", "bibtex"):
        stream = default_registry().writer(to).stream(options=None)  # type: ignore[attr-defined]
        empty = len(pickle.dumps(stream))
        stream.body(records)
        assert len(pickle.dumps(stream)) == empty, to
