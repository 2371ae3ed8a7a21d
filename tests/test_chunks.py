"""The public chunk plan reads what a whole-file read reads, in any process.

Each chunk is read on its own (after a pickle round trip, or in a ``spawn``
worker that inherits nothing), and the results are compared with
:func:`bibconv.convert` / :func:`bibconv.iter_read` on the same file: records
with their source spans, and every diagnostic with its position.
"""

from __future__ import annotations

import gzip
import itertools
import json
import multiprocessing
import pickle
from collections import Counter
from pathlib import Path

import pytest

import bibconv
from bibconv import blocks
from bibconv.chunks import Chunk, expand_paths, fold_chunks, plan, read_chunk, write_chunk
from bibconv.diagnostics import Diagnostic
from bibconv.ir import Date, Name, Record, SourceSpan
from bibconv.keys import KeyAllocator
from bibconv.registry import ChunkResult

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"

# Macros defined before and after use, crossref parents before and after their
# children (in other chunks at 64-byte blocks), a repeated key, unmapped fields,
# an entry without a key, an unclosed brace, and a dangling crossref.
SMALL = """\
@string{jn = "Journal of Chunks"}
@article{kid1, author = {Doe, Jane}, title = {Kid One}, crossref = {parent}, journal = jn}
@book{early, title = {Early Parent}, publisher = {P}, year = 2001}
@inbook{kid2, author = {Roe, Ray}, title = {Kid Two}, crossref = {early}, pages = {1--2}}
@article{twice, title = {First}, year = 2000, colour = {red}}
@misc{, title = {No key here}, note = {see @ sign}}
  @article{indented, title = {Indented}, journal = jn, colour = {blue}}
@article{twice, title = {Second}, year = 2001}
@string{late = "Late Macro"}
@article{useslate, title = late, journal = {J}, year = 1999}
@article{open, title = {Unclosed brace
@book{parent, title = {Parent Book}, editor = {Ed, Itor}, year = 1999, publisher = {Pub}}
@article{lost, title = {T}, crossref = {nowhere}}
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.bib"
    path.write_text(SMALL, encoding="utf-8")
    return path


def read_diagnostics(conv: bibconv.Conversion) -> list[Diagnostic]:
    return conv.diagnostics[: len(conv.diagnostics) - len(conv.write_diagnostics)]


def read_all(chunks: list[Chunk], results: list[ChunkResult]) -> tuple[list[Record], list[Diagnostic]]:
    return [r for res in results for r in res.records], fold_chunks(chunks, results)


def test_plan_cuts_a_file_into_ranges_that_cover_it(small: Path) -> None:
    chunks = plan(small, block_bytes=64)
    assert len(chunks) > 5
    assert {c.format for c in chunks} == {"bibtex"}
    assert [c.index for c in chunks] == list(range(len(chunks)))
    assert [c.part for c in chunks] == list(range(len(chunks)))
    assert all(c.parts == len(chunks) and not c.whole for c in chunks)
    assert chunks[0].start == 0 and chunks[-1].end == small.stat().st_size
    assert all(a.end == b.start for a, b in itertools.pairwise(chunks))
    lines = SMALL.split("\n")
    for c in chunks:  # each range starts on the line it says
        assert SMALL.encode()[c.start :].decode().split("\n", 1)[0] == lines[c.first_line - 1]


def test_chunks_read_alone_equal_a_whole_read(small: Path) -> None:
    chunks = [pickle.loads(pickle.dumps(c)) for c in plan(small, block_bytes=64)]
    records, diags = read_all(chunks, [read_chunk(c) for c in chunks])
    conv = bibconv.convert(small, "csljson")
    assert records == conv.records
    assert [r.span for r in records] == [r.span for r in conv.records]
    assert Counter(diags) == Counter(read_diagnostics(conv))
    assert {"BC106", "BC111", "BC201"} <= {d.code for d in diags}
    # the crossref parent is in a later chunk than its child, and is inherited
    kid1 = next(r for r in records if r.id == "kid1")
    assert kid1.text.get("publisher") == "Pub" and kid1.names["editor"][0].family == "Ed"


def test_fold_order_is_streamings_and_folding_twice_is_the_same(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 64)
    streamed: list[Diagnostic] = []
    list(bibconv.iter_read(small, diagnostics=streamed))
    chunks = plan(small)  # the same 64-byte blocks as streaming
    results = [read_chunk(c) for c in chunks]
    assert fold_chunks(chunks, results) == streamed
    assert fold_chunks(chunks, results) == streamed  # the chunks' reader plans were not changed


def test_chunks_read_in_spawned_workers(small: Path) -> None:
    """``spawn`` workers start empty: everything they need must travel in the chunk."""
    chunks = plan(small, block_bytes=64)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.map(read_chunk, chunks, chunksize=1)
    records, diags = read_all(chunks, results)
    conv = bibconv.convert(small, "csljson")
    assert records == conv.records
    assert [r.span for r in records] == [r.span for r in conv.records]
    assert Counter(diags) == Counter(read_diagnostics(conv))


def test_files_that_cannot_be_split_are_one_whole_chunk(small: Path, tmp_path: Path) -> None:
    utf16 = tmp_path / "wide.bib"
    utf16.write_bytes(SMALL.encode("utf-16"))
    paths = [EXAMPLES / "papers.json", EXAMPLES / "export.ris", utf16, small]
    chunks = plan(paths)
    # CSL-JSON and RIS files are read in blocks too; the UTF-16 file is one whole chunk
    assert sorted({(c.file_index, c.format, c.whole) for c in chunks}) == [
        (0, "csljson", False),
        (1, "ris", False),
        (2, "bibtex", True),
        (3, "bibtex", False),
    ]
    assert len([c for c in chunks if c.file_index == 2]) == 1
    results = [read_chunk(c) for c in chunks]
    records, diags = read_all(chunks, results)
    conv = bibconv.convert(paths, "csljson")
    assert records == conv.records
    assert Counter(diags) == Counter(read_diagnostics(conv))


def test_gzip_chunks(small: Path, tmp_path: Path) -> None:
    packed = tmp_path / "small.bib.gz"
    packed.write_bytes(gzip.compress(SMALL.encode()))
    chunks = plan(packed, block_bytes=64)
    assert len(chunks) > 5 and not chunks[0].whole
    records, diags = read_all(chunks, [read_chunk(c) for c in chunks])
    conv = bibconv.convert(packed, "csljson")
    assert records == conv.records
    assert Counter(diags) == Counter(read_diagnostics(conv))


def test_globs_expand_sorted_and_a_pattern_matching_nothing_fails(tmp_path: Path) -> None:
    for name in ("b.bib", "a.bib", "c.txt"):
        (tmp_path / name).write_text("@misc{x, title = {T}}\n", encoding="utf-8")
    assert expand_paths(str(tmp_path / "*.bib")) == [str(tmp_path / "a.bib"), str(tmp_path / "b.bib")]
    assert [c.path for c in plan([str(tmp_path / "*.bib"), tmp_path / "c.txt"], "bibtex")] == [
        str(tmp_path / n) for n in ("a.bib", "b.bib", "c.txt")
    ]
    with pytest.raises(FileNotFoundError):
        plan(str(tmp_path / "*.ris"))
    with pytest.raises(FileNotFoundError):
        plan(tmp_path / "absent.bib")


@pytest.mark.parametrize("fmt", ["csljson", "ris"])
def test_written_chunks_join_to_one_write(small: Path, fmt: str) -> None:
    chunks = plan(small, block_bytes=64)
    ids = KeyAllocator()  # one allocator across chunks: a repeated key in a later chunk is renamed
    parts = [write_chunk(read_chunk(c).records, fmt, ids=ids) for c in chunks]
    whole = bibconv.convert(small, fmt)
    assert sum(d.code == "BC211" for p in parts for d in p.diagnostics) == 1
    if fmt == "csljson":
        assert [item for p in parts for item in json.loads(p)] == json.loads(whole.text)
    else:
        assert "\r\n".join(p for p in parts if p) == whole.text
    assert Counter(d for p in parts for d in p.diagnostics) == Counter(whole.write_diagnostics)


def test_records_pickle() -> None:
    """Records cross process boundaries in a chunk plan; their read-only maps must survive."""
    record = Record(
        id="r1",
        type="article-journal",
        text={"title": "A <i>title</i>", "volume": "3"},
        names={"author": (Name(family="Doe", given="Jane"), Name(literal="ACME"))},
        dates={"issued": Date(start=(2001, 2, 3))},
        extra={"bibtex:colour": "red"},
        truncated=frozenset({"author"}),
        span=SourceSpan("f.bib", 3, 1),
    )
    back = pickle.loads(pickle.dumps(record))
    assert back == record and back.span == record.span and hash(back) == hash(record)
    assert back.names["author"][1].literal == "ACME" and back.truncated == {"author"}
    with pytest.raises(TypeError):
        back.text["title"] = "changed"  # type: ignore[index]
    assert back.evolve(id="r2").id == "r2"
    read = bibconv.read(EXAMPLES / "refs.bib").records
    assert pickle.loads(pickle.dumps(read)) == read


def test_pickled_plan_does_not_resolve_parents_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pre-scanned parents are resolved once; a pickled plan must not resolve them again.

    (Resolving again in a worker would report the parents' cycle from the
    pre-scan's copy of them, with positions inside that copy.)
    """
    path = tmp_path / "cycle.bib"
    path.write_text(
        "@book{a, title = {A}, crossref = {b}}\n"
        "@book{b, title = {B}, crossref = {a}}\n"
        "@incollection{c, title = {C}, crossref = {a}}\n"
        "@incollection{d, title = {D}, crossref = {b}}\n",
        encoding="utf-8",
    )
    # A block is cut only after an entry that closed in it, so 64 bytes gives
    # several chunks (a tiny size merges them into one).
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 64)
    streamed: list[Diagnostic] = []
    expected = list(bibconv.iter_read(path, diagnostics=streamed))
    chunks = [pickle.loads(pickle.dumps(c)) for c in plan(path)]
    assert len(chunks) >= 3
    records, diags = read_all(chunks, [read_chunk(c) for c in chunks])
    assert records == expected
    assert diags == streamed
