"""The BibTeX/BibLaTeX writers write chunk by chunk: the same file as one write.

Keys are unique over the whole file (ignoring case, as BibTeX compares them),
so the stream driver allocates them across chunks with a key index
(:class:`bibconv.keys.KeyAllocator`) as :mod:`bibconv.stream` does: each
chunk asks for its keys (:meth:`BibtexStream.keys`), and a chunk whose keys
changed is re-keyed (:meth:`BibtexStream.rekey`) and written again.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bibconv
from bibconv import blocks
from bibconv.diagnostics import Diagnostic
from bibconv.formats.bibtex.writer import BibLatexWriter, BibtexWriter
from bibconv.ir import Record
from bibconv.keys import KeyAllocator
from bibconv.stream import convert_stream

from .strategies import records

#: ids that repeat, differ only in case, are not usable keys (generated), or look like a suffixed copy
_IDS = st.sampled_from(["a", "A", "b", "smith2000", "Smith2000", "has space", "", "{brace}", "doe2001deep"])


def _split(items: Sequence[Record], cuts: list[int]) -> list[list[Record]]:
    bounds = [0, *sorted(set(cuts)), len(items)]
    return [list(items[a:b]) for a, b in itertools.pairwise(bounds) if items[a:b]]


def streamed_write(
    writer: BibtexWriter, chunks: list[list[Record]], options: dict[str, object]
) -> tuple[str, list[Diagnostic]]:
    """What the stream driver writes: head + bodies + tail, keys allocated across chunks."""
    stream = writer.stream(options=options)
    alloc = KeyAllocator()
    bodies: list[str] = []
    diags: list[Diagnostic] = []
    for chunk in chunks:
        asked = stream.keys(chunk)
        alloc.reserve(asked)
        got = [alloc.take(k) for k in asked]
        if got != asked:
            chunk, renames = stream.rekey(chunk, got)
            diags += renames
        body = stream.body(chunk)
        bodies.append(str(body))
        diags += body.diagnostics
    text = stream.head + stream.sep.join(bodies) + stream.tail if chunks else stream.empty
    return text, diags


def _takes_a_later_key(chunks: list[list[Record]], stream_keys: list[list[str]]) -> bool:
    """True when a suffixed copy in one chunk takes a key that a later chunk's record asks for.

    Only then can one pass differ from the whole write, which sees every key
    first and leaves each record its own.
    """
    alloc = KeyAllocator()
    given: set[str] = set()
    for i, asked in enumerate(stream_keys):
        alloc.reserve(asked)
        for k in asked:
            got = alloc.take(k)
            if got != k:
                given.add(got)
        later = {k for ks in stream_keys[i + 1 :] for k in ks}
        if given & later:
            return True
    return False


def key_of(text: str) -> list[str]:
    return [line.split("{", 1)[1].rstrip(",") for line in text.splitlines() if line.startswith("@")]


@pytest.mark.parametrize("writer", [BibtexWriter(), BibLatexWriter()], ids=["bibtex", "biblatex"])
@pytest.mark.parametrize(
    "options", [{}, {"key_pattern": "{author}{year}", "lossless": True, "unicode": True}]
)
def test_any_split_writes_the_whole_file(writer: BibtexWriter, options: dict[str, object]) -> None:
    @settings(max_examples=60, deadline=None)
    @given(st.lists(records().flatmap(lambda r: _IDS.map(lambda i: r.evolve(id=i))), max_size=7), st.data())
    def check(recs: list[Record], data: st.DataObject) -> None:
        cuts = data.draw(st.lists(st.integers(1, max(1, len(recs) - 1)), max_size=4))
        chunks = _split(recs, cuts)
        whole = writer.write(recs, options=options)
        text, diags = streamed_write(writer, chunks, options)
        stream = writer.stream(options=options)
        if _takes_a_later_key(chunks, [stream.keys(c) for c in chunks]):
            # one pass cannot know a later record's key: that record is renamed instead, reported
            keys = [k.lower() for k in key_of(text)]
            assert len(keys) == len(set(keys)) == len(recs)
            return
        assert text == whole
        key = lambda d: (d.code, d.message, d.record_id or "")  # noqa: E731
        assert sorted(diags, key=key) == sorted(whole.diagnostics, key=key)

    check()


def test_a_suffixed_copy_never_takes_a_later_chunks_key_silently() -> None:
    """The one case one pass cannot match: ``x, x | xa``: the whole write gives ``x, xb, xa``."""
    recs = [Record(id="x", type="book"), Record(id="x", type="book"), Record(id="xa", type="book")]
    writer = BibtexWriter()
    assert key_of(writer.write(recs)) == ["x", "xb", "xa"]
    assert key_of(streamed_write(writer, [recs], {})[0]) == ["x", "xb", "xa"]  # one chunk: the same
    text, diags = streamed_write(writer, [recs[:2], recs[2:]], {})
    assert key_of(text) == ["x", "xa", "xaa"]
    assert [d.code for d in diags if d.record_id == "xa"] == ["BC211"]


def test_written_entries_are_joined_as_one_write() -> None:
    recs = [Record(id=f"k{i}", type="book", text={"title": f"T{i}"}) for i in range(5)]
    writer = BibtexWriter()
    text, _ = streamed_write(writer, _split(recs, [1, 3]), {})
    assert text == writer.write(recs)
    assert streamed_write(writer, [], {})[0] == writer.write([]) == ""


DUPS = """\
@article{Dup, title = {One}}
@article{dup, title = {Two: same key in another case}}
@misc{k1, title = {Filler 1}}
@misc{k2, title = {Filler 2}}
@article{dup, title = {Three}}
"""


@pytest.mark.parametrize("to", ["bibtex", "biblatex"])
def test_convert_stream_writes_bibtex_as_it_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, to: str
) -> None:
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 200)  # a few entries per block
    path = tmp_path / "d.bib"
    path.write_text(DUPS, encoding="utf-8")
    out = io.StringIO()
    stats = convert_stream(path, to, out, from_format="bibtex")
    assert stats.streamed == [True]
    whole = bibconv.convert(path, to, from_format="bibtex")
    assert out.getvalue() == whole.text
    assert key_of(out.getvalue()) == ["Dup", "dupa", "k1", "k2", "dupb"]
