"""The lazy registry: detection needs only sniffers, a conversion imports only its two plugins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bibconv.registry import (
    BUILTIN_PACKAGES,
    DeclaredReader,
    DeclaredWriter,
    FormatInfo,
    Registry,
    declared_formats,
)

SRC = Path(__file__).resolve().parent.parent / "src"
BIB = "@article{k, author={Ann Smith}, title={A Title}, journal={J}, year=2020}\n"
#: Modules of bibconv.formats that are plugins (parsing or writing), not declarations or sniffers.
PLUGIN_SUFFIXES = (".reader", ".writer", ".dialect", ".mapping", ".abstracts", ".feed", ".arxiv", ".lexer")


def _modules_after(code: str, tmp_path: Path) -> list[str]:
    """``bibconv.formats.*`` modules a fresh interpreter has imported after running ``code``."""
    path = tmp_path / "in.bib"
    path.write_text(BIB, encoding="utf-8")
    script = (
        f"import sys, json, bibconv\nPATH = {str(path)!r}\n{code}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('bibconv.formats'))))"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    modules: list[str] = json.loads(out.stdout.strip().splitlines()[-1])
    return modules


def test_a_conversion_imports_only_its_reader_and_writer(tmp_path: Path) -> None:
    modules = _modules_after("bibconv.convert(PATH, 'csljson')", tmp_path)
    plugins = [m for m in modules if m.endswith((".reader", ".writer"))]
    assert plugins == ["bibconv.formats.bibtex.reader", "bibconv.formats.csljson.writer"]
    assert not [
        m
        for m in modules
        if m.startswith(("bibconv.formats.listing.", "bibconv.formats.ris."))
        and not m.endswith((".sniff", ".names"))
    ]


def test_detection_imports_no_reader_or_writer(tmp_path: Path) -> None:
    modules = _modules_after("assert bibconv.detect(PATH)[0].name == 'bibtex'", tmp_path)
    assert [m for m in modules if m.endswith(PLUGIN_SUFFIXES)] == []
    assert any(m.endswith(".sniff") for m in modules)  # detection did run the sniffers


def test_naming_a_format_imports_only_that_plugin(tmp_path: Path) -> None:
    modules = _modules_after("bibconv.read(PATH, 'bibtex')", tmp_path)
    assert [m for m in modules if m.endswith((".reader", ".writer"))] == ["bibconv.formats.bibtex.reader"]


def test_help_stays_light() -> None:
    code = (
        "import sys, runpy\nsys.argv = ['bibconv', '--help']\n"
        "try:\n    runpy.run_module('bibconv', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy = ('bibconv.formats', 'lxml', 'citeproc', 'yaml')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)), file=sys.stderr)"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stderr.strip() == "[]"


def test_every_builtin_package_declares_its_formats_once() -> None:
    seen: set[str] = set()
    for package in BUILTIN_PACKAGES:
        formats = declared_formats(package)
        assert formats, package
        for info in formats:
            assert isinstance(info, FormatInfo) and info.name not in seen
            seen.add(info.name)
            assert info.reader or info.writer
            assert (info.sniff is not None) == (info.reader is not None), info.name
    assert {"bibtex", "csljson", "ris", "feed", "text", "mods", "pubmed-xml"} <= seen


@pytest.mark.parametrize("kind", ["readers", "writers"])
def test_plugin_classes_take_their_names_from_the_declaration(kind: str) -> None:
    reg = Registry(use_entry_points=False)
    infos = {i.name: i for p in BUILTIN_PACKAGES for i in declared_formats(p)}
    base = DeclaredReader if kind == "readers" else DeclaredWriter
    for cls in reg.classes(kind):
        info = infos[cls.name]
        assert issubclass(cls, base) and cls.info is info
        assert (cls.aliases, cls.extensions, cls.dialect_of) == (
            info.aliases,
            info.extensions,
            info.dialect_of,
        )
        path = info.reader if kind == "readers" else info.writer
        assert path == f"{cls.__module__}:{cls.__name__}"


def test_declared_sniffer_is_the_readers_sniff() -> None:
    reg = Registry(use_entry_points=False)
    heads = [BIB, "TY  - JOUR\nTI  - x\nER  - \n", '[{"id": "a", "type": "book"}]', "Abstract: x\n", "plain"]
    for cls in reg.classes("readers"):
        for head in heads:
            assert reg._all("readers")[cls.name].sniff(head) == cls().sniff(head)


def test_a_package_list_makes_a_registry(tmp_path: Path) -> None:
    reg = Registry(use_entry_points=False, packages=["bibconv.formats.ris"])
    assert reg.names("readers") == ["ris"] and reg.names("writers") == ["ris"]
    assert reg.choose_reader("TY  - JOUR\nTI  - x\nER  - \n") == "ris"


def test_the_documented_module_check_prints_what_the_docs_show() -> None:
    """docs/plugins.md shows a ``python -c`` check and its output: they must stay equal."""
    page = (SRC.parent / "docs" / "plugins.md").read_text(encoding="utf-8")
    block = page.split("```console\n$ python -c ", 1)[1].split("\n```", 1)[0]
    command, _, shown = block.partition("\n")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    code = command.strip()[1:-1]  # the argument of -c, without its double quotes
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=SRC.parent / "docs" / "examples",
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert out.stdout.strip() == shown.strip()
    assert "bibconv.formats.bibtex.reader" in shown and "bibconv.formats.ris.reader" not in shown


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every ``from bibconv... import name`` in ``path``, nested ones too."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bibconv.")
        for alias in node.names
    ]


FORMATS_DIR = SRC / "bibconv" / "formats"


def test_no_format_module_imports_a_private_name_of_another_module() -> None:
    found = [
        f"{path.relative_to(SRC)}: {module}.{name}"
        for path in sorted(FORMATS_DIR.rglob("*.py"))
        for module, name in _imports(path)
        if name.startswith("_") and module != "__future__"
    ]
    assert found == []


def test_writers_use_only_the_public_reader_class_of_their_format() -> None:
    """A writer may read its output back with the reader (a public class), never reach into it.

    RIS is left out: its writer's imports from the reader move to a shared
    module in the streaming work (formats/ris/dialect.py).
    """
    readers = {i.reader for p in BUILTIN_PACKAGES for i in declared_formats(p) if i.reader}
    wrong = [
        f"{path.relative_to(SRC)}: {module}.{name}"
        for path in sorted(FORMATS_DIR.glob("*/writer.py"))
        if path.parent.name != "ris"
        for module, name in _imports(path)
        if module.endswith(".reader") and f"{module}:{name}" not in readers
    ]
    assert wrong == []
