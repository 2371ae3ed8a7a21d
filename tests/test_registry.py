"""Plugins: built-ins, runtime registration, entry points, and content detection."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest

import bibconv
from bibconv.errors import AmbiguousFormatError, UnknownFormatError
from bibconv.registry import Registry

PLUGIN = textwrap.dedent(
    '''
    from bibconv.ir import Record
    from bibconv.registry import ReadResult, WriteResult

    class LinesReader:
        """One record per line: 'key<TAB>title'."""
        name = "tsvlines"
        aliases = ("tsv",)
        extensions = (".tsvlines",)
        description = "test plugin"

        def sniff(self, head):
            lines = [line for line in head.splitlines() if line]
            return 0.9 if lines and all(line.count("\\t") == 1 for line in lines) else 0.0

        def read(self, text, *, file=None, options=None):
            out = ReadResult()
            for line in text.splitlines():
                if line:
                    key, title = line.split("\\t")
                    out.records.append(Record(id=key, type="book", text={"title": title}))
            return out

    class LinesWriter:
        name = "tsvlines"
        aliases = ()
        extensions = (".tsvlines",)
        description = "test plugin"
        carries = frozenset({"title"})
        catch_all = False

        def write(self, records, *, options=None):
            return WriteResult("".join(f"{r.id}\\t{r.text.get('title', '')}\\n" for r in records))
    '''
)


@pytest.fixture
def plugin_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway installed distribution that declares bibconv entry points."""
    (tmp_path / "tsvplugin.py").write_text(PLUGIN)
    dist = tmp_path / "tsvplugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: tsvplugin\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[bibconv.readers]\ntsvlines = tsvplugin:LinesReader\n\n"
        "[bibconv.writers]\ntsvlines = tsvplugin:LinesWriter\n"
        "csljson = tsvplugin:LinesWriter\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_entry_point_plugin_is_found_and_used(plugin_on_path: Path) -> None:
    reg = Registry()
    assert "tsvlines" in reg.names("readers")
    assert "tsvlines" in reg.names("writers")
    text = "k1\tFirst\nk2\tSecond\n"
    assert reg.choose_reader(text) == "tsvlines"
    result = bibconv.convert(text, "csljson", registry=reg)
    assert '"title": "Second"' in result.text
    out = bibconv.write(result.records, "tsvlines", registry=reg)
    assert out == text


def test_entry_point_cannot_shadow_a_builtin(plugin_on_path: Path) -> None:
    reg = Registry()
    assert reg.writer("csljson").__class__.__module__ == "bibconv.formats.csljson.writer"
    assert "tsvlines" in reg.names("writers")  # full discovery reports the clash
    assert any(d.code == "BC010" for d in reg.diagnostics)
    assert reg.writer("csljson").__class__.__module__ == "bibconv.formats.csljson.writer"


def test_runtime_registration_wins() -> None:
    reg = Registry(use_entry_points=False)

    class Fake:
        name = "csljson"
        aliases = ()
        extensions = ()
        description = "fake"

        def sniff(self, head: str) -> float:
            return 0.0

    reg.register_reader(Fake)
    assert isinstance(reg.reader("csljson"), Fake)


def test_unknown_format_lists_the_known_ones() -> None:
    with pytest.raises(UnknownFormatError, match=r"known: .*csljson"):
        Registry().writer("docx")


def test_ambiguous_input_is_refused_naming_candidates() -> None:
    class A:
        name, aliases, extensions, description = "aaa", (), (), "a"

        def sniff(self, head: str) -> float:
            return 0.8

    class B(A):
        name = "bbb"

        def sniff(self, head: str) -> float:
            return 0.75

    reg = Registry(builtin_readers={}, use_entry_points=False)
    reg.register_reader(A)
    reg.register_reader(B)
    with pytest.raises(AmbiguousFormatError, match=r"aaa.*bbb") as info:
        reg.choose_reader("anything")
    assert [name for name, _ in info.value.candidates] == ["aaa", "bbb"]


def test_undetectable_input_is_refused() -> None:
    with pytest.raises(UnknownFormatError, match="-f/--from"):
        Registry(use_entry_points=False).choose_reader("hello world")


def test_extension_breaks_ties() -> None:
    ranked = Registry(use_entry_points=False).detect("[]", "refs.json")
    assert ranked[0].name == "csljson" and "extension" in ranked[0].reason


def test_public_api_is_sorted_and_importable() -> None:
    assert bibconv.__all__ == sorted(bibconv.__all__)
    for name in bibconv.__all__:
        assert getattr(bibconv, name) is not None


def test_import_is_lazy() -> None:
    import subprocess

    code = (
        "import bibconv, sys; "
        "print(sorted(m for m in sys.modules if m.startswith(('citeproc', 'lxml', 'bibtexparser', 'tqdm'))))"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "[]"


def test_dialects_of_one_family_are_not_ambiguous() -> None:
    class Base:
        name, aliases, extensions, description = "base", (), (), "a"

        def sniff(self, head: str) -> float:
            return 0.9

    class Dialect(Base):
        name = "dialect"
        dialect_of = "base"

        def sniff(self, head: str) -> float:
            return 0.95

    reg = Registry(builtin_readers={}, use_entry_points=False)
    reg.register_reader(Base)
    reg.register_reader(Dialect)
    assert reg.choose_reader("x") == "dialect"
