"""The one pipeline: every way in decides the same way, workers need no fork, gc is the caller's.

Each test states a property the old code broke or could not show: streamed and
whole reads agreeing on BC121, ``-j`` under ``spawn`` giving the single-process
output, and reading leaving the garbage collector to the caller.
"""

from __future__ import annotations

import gc
import io
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest

import bibconv
from bibconv import blocks, pipeline
from bibconv.chunks import write_chunk
from bibconv.cli import main
from bibconv.ir import Record
from bibconv.registry import Options, ReadResult, Registry, UnknownOptionError, WriteResult
from bibconv.stream import convert_stream, iter_read
from bibconv.validate import engine
from bibconv.validate.engine import validate
from bibconv.workers import START_METHOD_VARIABLE, start_method

#: Cross-block concerns in a few lines: a macro, a parent after its child, a key used twice,
#: an unmapped field, an entry with an error.
TRICKY = """\
@string{jn = "Journal of Tests"}
@article{child, author = {Doe, Jane}, title = {Child}, crossref = {parent}, journal = jn}
@article{dup, title = {First}, year = 2000, foo = {bar}}
@article{dup, title = {Second}, year = 2001}
@article{broken, title = {Unclosed brace
@book{parent, title = {Parent Book}, editor = {Ed, Itor}, year = 1999, publisher = {Pub}}
"""


@pytest.fixture
def bib(tmp_path: Path) -> Path:
    """TRICKY followed by enough plain entries to make many small blocks."""
    filler = "".join(
        f"@article{{k{i}, author = {{Name{i}, A.}}, title = {{Title {i}}}, journal = jn}}\n"
        for i in range(120)
    )
    path = tmp_path / "in.bib"
    path.write_text(TRICKY + filler + "@misc{dup, title = {Third}}\n", encoding="utf-8")
    return path


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of about 2 KB, so the file above is cut into several."""
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 2048)


def streamed(path: Path, to: str, jobs: int, method: str | None = None) -> tuple[str, list[str]]:
    out = io.StringIO()
    stats = convert_stream(path, to, out, jobs=jobs, start_method=method)
    assert stats.streamed == [True]
    return out.getvalue(), [str(d) for d in stats.diagnostics]


@pytest.mark.slow
@pytest.mark.parametrize("to", ["csljson", "ris"])
def test_jobs_under_spawn_give_the_single_process_output(bib: Path, small_blocks: None, to: str) -> None:
    # spawned workers share nothing with this process: every block, the reader's plan and the
    # writer travel as arguments, so the output can only match if nothing comes from globals
    one = streamed(bib, to, 1)
    assert streamed(bib, to, 2, "spawn") == one
    assert one[0] == bibconv.convert(bib, to).text
    assert any("BC106" in d for d in one[1])  # the key used twice is still found across blocks


@pytest.mark.slow
def test_validate_under_spawn_gives_the_single_process_report(
    bib: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "PARALLEL_MIN_CHARS", 0)  # scan even this small file in a worker
    one = validate(bib)
    two = validate(bib, jobs=2, start_method="spawn")
    assert two.diagnostics == one.diagnostics
    assert one.diagnostics and (one.suppressed, one.records) == (two.suppressed, two.records)


@pytest.mark.slow
def test_cli_jobs_under_spawn(
    bib: Path, small_blocks: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["convert", "-t", "csljson", "--no-progress", str(bib)]) == 1  # the broken entry
    single = capsys.readouterr()
    monkeypatch.setenv(START_METHOD_VARIABLE, "spawn")
    assert main(["convert", "-t", "csljson", "-j", "2", "--no-progress", str(bib)]) == 1
    assert capsys.readouterr() == single


def test_start_method_is_chosen_by_argument_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    monkeypatch.delenv(START_METHOD_VARIABLE, raising=False)
    assert start_method() == multiprocessing.get_start_method()
    monkeypatch.setenv(START_METHOD_VARIABLE, "spawn")
    assert start_method() == "spawn"
    assert start_method("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    monkeypatch.setenv(START_METHOD_VARIABLE, "teleport")
    with pytest.raises(ValueError, match="teleport"):
        start_method()
    monkeypatch.delenv(START_METHOD_VARIABLE)
    monkeypatch.setattr(engine, "PARALLEL_MIN_CHARS", 0)
    with pytest.raises(ValueError, match="teleport"):  # a typo is an error, not one process
        validate(TRICKY, jobs=2, start_method="teleport")


def test_streamed_and_whole_reads_agree_on_an_unreadable_file(tmp_path: Path) -> None:
    # BC121 used to be decided by each path alone; now Folder and read_text ask the same question
    path = tmp_path / "notes.bib"
    path.write_text("these are notes, not entries\nmore notes\n", encoding="utf-8")
    diags: list[bibconv.Diagnostic] = []
    assert list(iter_read(path, "bibtex", diagnostics=diags)) == []
    assert pipeline.plan_source(path, "bibtex").streamed
    whole = bibconv.read(path, "bibtex").diagnostics
    assert [d.code for d in diags] == [d.code for d in whole]
    assert "BC121" in [d.code for d in whole]


def test_a_streamed_file_with_an_error_and_no_record_gets_no_bc121(tmp_path: Path) -> None:
    # as for a file read whole: the error (a @string without a value) already says why nothing
    # was read; streaming used to add BC121 after it, reading whole did not
    path = tmp_path / "bad.bib"
    path.write_text("@string{a = }\nnotes\n", encoding="utf-8")
    diags: list[bibconv.Diagnostic] = []
    assert list(iter_read(path, "bibtex", diagnostics=diags)) == []
    whole = bibconv.read(path, "bibtex")
    assert whole.records == []
    assert [d.code for d in diags] == [d.code for d in whole.diagnostics] == ["BC108"]


@dataclass(frozen=True, slots=True, kw_only=True)
class _LineOptions(Options):
    prefix: str = ""


class _LineReader:
    """One record per line whose text starts with ``prefix``: a typed reader for the tests."""

    name: ClassVar[str] = "lines"
    aliases: ClassVar[tuple[str, ...]] = ()
    extensions: ClassVar[tuple[str, ...]] = (".lines",)
    description: ClassVar[str] = "test lines"
    Options: ClassVar[type] = _LineOptions
    seen: ClassVar[list[Any]] = []

    def sniff(self, head: str) -> float:
        return 0.0

    def read(self, text: str, *, file: str | None = None, options: Any = None) -> ReadResult:
        type(self).seen.append(options)
        result = ReadResult()
        result.records = [
            Record(id=f"r{i}", type="document", text={"title": line})
            for i, line in enumerate(text.splitlines())
            if line.startswith(options.prefix)
        ]
        return result


def test_every_way_in_gives_the_reader_its_typed_options(tmp_path: Path) -> None:
    reg = Registry(use_entry_points=False)
    reg.register_reader(_LineReader)
    path = tmp_path / "x.lines"
    path.write_text("a one\nb two\na three\n", encoding="utf-8")
    _LineReader.seen.clear()
    assert len(bibconv.read(path, "lines", registry=reg, options={"prefix": "a"}).records) == 2
    assert len(list(iter_read(path, "lines", registry=reg, options={"prefix": "b"}))) == 1
    conv = bibconv.convert(path, "csljson", from_format="lines", registry=reg, read_options={"prefix": "a"})
    assert conv.text.count('"title"') == 2
    assert all(isinstance(o, _LineOptions) for o in _LineReader.seen) and len(_LineReader.seen) == 3
    for call in (
        lambda: bibconv.read(path, "lines", registry=reg, options={"prefx": "a"}),
        lambda: list(iter_read(path, "lines", registry=reg, options={"prefx": "a"})),
        lambda: convert_stream(
            path, "csljson", io.StringIO(), from_format="lines", registry=reg, read_options={"prefx": "a"}
        ),
    ):
        with pytest.raises(UnknownOptionError, match="did you mean 'prefix'"):
            call()


@dataclass(frozen=True, slots=True, kw_only=True)
class _TitleOptions(Options):
    upper: bool = False


@dataclass(frozen=True, slots=True)
class _TitleStream:
    options: _TitleOptions
    head: str = ""
    sep: str = ""
    tail: str = ""
    empty: str = ""
    renames_ids: bool = True

    def body(self, records: Sequence[Record]) -> WriteResult:
        titles = [r.text.get("title", "") for r in records]
        return WriteResult("".join(f"{t.upper() if self.options.upper else t}\n" for t in titles))


class _TitleWriter:
    """Writes one title per line, whole or in chunks: a typed streaming writer for the tests."""

    name: ClassVar[str] = "titles"
    aliases: ClassVar[tuple[str, ...]] = ()
    extensions: ClassVar[tuple[str, ...]] = (".titles",)
    description: ClassVar[str] = "test titles"
    carries: ClassVar[frozenset[str]] = frozenset({"title"})
    catch_all: ClassVar[bool] = False
    Options: ClassVar[type] = _TitleOptions

    def write(self, records: Sequence[Record], *, options: Any = None) -> WriteResult:
        return self.stream(options=options).body(records)

    def stream(self, *, options: Any) -> _TitleStream:
        assert isinstance(options, _TitleOptions)
        return _TitleStream(options)


def test_every_way_out_gives_the_writer_its_typed_options(bib: Path, small_blocks: None) -> None:
    reg = Registry(use_entry_points=False)
    reg.register_writer(_TitleWriter)
    records = bibconv.read(bib).records
    whole = bibconv.write(records, "titles", registry=reg, upper=True)
    assert "CHILD" in whole
    out = io.StringIO()
    convert_stream(bib, "titles", out, registry=reg, upper=True)
    assert out.getvalue() == whole
    assert str(write_chunk(records, "titles", registry=reg, upper=True)) == whole
    # the loss report comes from the one place too: everything but the title is dropped
    assert any(d.code == "BC204" for d in whole.diagnostics)
    for call in (
        lambda: bibconv.write(records, "titles", registry=reg, uper=True),
        lambda: convert_stream(bib, "titles", io.StringIO(), registry=reg, uper=True),
        lambda: write_chunk(records, "titles", registry=reg, uper=True),
    ):
        with pytest.raises(UnknownOptionError, match="did you mean 'upper'"):
            call()


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """Counts the garbage collector's runs (``gc.callbacks``: it says when it starts)."""
    runs: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            runs.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield runs
    finally:
        gc.callbacks.remove(note)


def collector_states(call: Callable[[], object]) -> set[bool]:
    """``gc.isenabled()`` as every Python function called by ``call`` saw it (a profile hook)."""
    seen: set[bool] = set()

    def hook(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            seen.add(gc.isenabled())

    sys.setprofile(hook)
    try:
        call()
    finally:
        sys.setprofile(None)
    return seen


def test_reading_leaves_the_collector_to_the_caller(bib: Path, tmp_path: Path) -> None:
    # the library used to switch the collector off inside every BibTeX and CSL-JSON read and in
    # validate; now every function it calls sees the collector as the caller left it
    json_file = tmp_path / "x.json"
    json_file.write_text('[{"id": "a", "type": "book", "title": "T"}]', encoding="utf-8")
    calls: list[Callable[[], object]] = [
        lambda: bibconv.read(TRICKY, "bibtex"),
        lambda: bibconv.read(json_file),
        lambda: list(iter_read(bib)),
        lambda: convert_stream(bib, "csljson", io.StringIO()),
        lambda: validate(bib),
    ]
    for call in calls:
        assert collector_states(call) == {True}
    with bibconv.bulk_allocation():
        for call in calls:
            assert collector_states(call) == {False}
    assert gc.isenabled()


def test_reading_a_large_text_runs_the_collector(bib: Path, collections: list[int]) -> None:
    # what the scope is for: outside it the collector runs while records are made, inside it not
    text = bib.read_text(encoding="utf-8") * 4
    assert bibconv.read(text, "bibtex").records
    assert collections, "the collector never ran while reading"
    collections.clear()
    with bibconv.bulk_allocation():
        assert bibconv.read(text, "bibtex").records
    assert collections == []


def test_bulk_allocation_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with bibconv.bulk_allocation():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
