"""Docs stay true: every documented command runs, generated pages are current, one version.

The code blocks of README.md, CHANGELOG.md and docs/**/*.md are the examples
people copy, so each one is run here:

* fenced ``sh``/``bash``/``shell``/``console`` blocks: each command (in ``console``
  blocks, the lines after ``$``) runs in bash, in a temporary copy of
  ``docs/examples/`` (the working directory the README documents; ``styles/`` is
  copied too, two levels up as in a clone), with
  ``bibconv`` meaning ``python -m bibconv`` on this worktree's ``src/``.  The
  commands of one block run in order in one directory, so a block may use a file
  an earlier command of the same block wrote.  Each must exit 0, or the status
  the info string names: ```` ```sh exit=1 ```` for every command of the block,
  ```` ```console exit=0,1 ```` one status per command;
* fenced ``python`` blocks: run as a script in the same kind of directory;
* a block that cannot run here says why in its info string:
  ```` ```sh illustrative: installs the package ````.  A block with neither fails,
  and so does a command hidden in an untagged or indented block.

The info string's first word stays the language, so GitHub highlights these blocks
as usual; tools/mkdocs_hooks.py removes the rest before MkDocs renders them.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
PAGES = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").rglob("*.md"))]
SHELL = {"sh", "bash", "shell", "console"}
PYTHON = {"python", "py"}
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
#: A line that looks like a command someone would type (used to find untagged ones).
COMMANDISH = re.compile(r"^\s*(\$ |bibconv [a-z-]+(\s|$)|python |pip |bash |git )")


@dataclass(frozen=True)
class Block:
    """One fenced code block: where it is, its info string and its text."""

    page: str
    line: int
    info: str
    body: str

    @property
    def lang(self) -> str:
        return self.info.split(maxsplit=1)[0].lower() if self.info.strip() else ""

    @property
    def options(self) -> str:
        parts = self.info.split(maxsplit=1)
        return parts[1].strip() if len(parts) > 1 else ""

    @property
    def illustrative(self) -> str | None:
        """The reason given after ``illustrative:``, or None."""
        m = re.match(r"illustrative:\s*(.*)$", self.options)
        return m.group(1).strip() if m else None

    def exits(self, commands: int) -> list[int]:
        """The exit status each command must have: ``exit=N`` for all, ``exit=0,1`` one each."""
        m = re.search(r"(?:^|\s)exit=(\d+(?:,\d+)*)(?:\s|$)", self.options)
        if not m:
            return [0] * commands
        codes = [int(c) for c in m.group(1).split(",")]
        if len(codes) == 1:
            return codes * commands
        assert len(codes) == commands, f"{self.where}: exit= names {len(codes)} codes for {commands} commands"
        return codes

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def parse_blocks(path: Path) -> tuple[list[Block], list[tuple[int, str]]]:
    """The fenced blocks of a Markdown page, and the lines outside them."""
    blocks: list[Block] = []
    outside: list[tuple[int, str]] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    name = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            outside.append((i + 1, lines[i]))
            i += 1
            continue
        fence = m.group("fence")
        start, body = i + 1, []
        i += 1
        while i < len(lines):
            stripped = lines[i].strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                break
            body.append(lines[i])
            i += 1
        i += 1  # the closing fence
        blocks.append(Block(name, start, m.group("info").strip(), "\n".join(body) + "\n"))
    return blocks, outside


def all_blocks() -> list[Block]:
    return [b for page in PAGES for b in parse_blocks(page)[0]]


def runnable(kind: set[str]) -> list[object]:
    return [pytest.param(b, id=b.where) for b in all_blocks() if b.lang in kind and b.illustrative is None]


def shell_commands(block: Block) -> list[str]:
    """The commands of a shell block; backslash-continued lines are joined."""
    commands: list[str] = []
    current = ""
    for raw in block.body.splitlines():
        line = raw
        if block.lang == "console" and not current:
            if not line.startswith("$ "):
                continue  # output shown in the docs
            line = line[2:]
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        commands.append(current)
        current = ""
    if current:
        commands.append(current)
    return commands


@pytest.fixture
def workdir(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of docs/examples and an environment where `bibconv` is this worktree's.

    The copy sits at ``repo/docs/examples`` next to a copy of ``repo/styles``, as in a
    clone, so a command may name a style file by its path (``../../styles/x.csl``).
    """
    work = tmp_path / "repo" / "docs" / "examples"
    shutil.copytree(EXAMPLES, work)
    shutil.copytree(ROOT / "styles", tmp_path / "repo" / "styles")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shim = bindir / "bibconv"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m bibconv "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    python = bindir / "python"
    python.symlink_to(sys.executable)
    env = {
        **os.environ,
        "PATH": f"{bindir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("BIBCONV_STYLES", None)  # bibconv's own styles only, as a new user has them
    return work, env


# ------------------------------------------------------------------ every block is accounted for


def test_every_code_block_is_run_or_marked_illustrative() -> None:
    problems: list[str] = []
    for page in PAGES:
        blocks, outside = parse_blocks(page)
        for b in blocks:
            if b.lang in SHELL | PYTHON:
                if b.illustrative is not None and not b.illustrative:
                    problems.append(f"{b.where}: 'illustrative:' needs a reason")
                if b.lang in SHELL and b.illustrative is None and not shell_commands(b):
                    problems.append(f"{b.where}: a {b.lang} block with no command")
            elif b.lang in ("", "text") and any(COMMANDISH.match(x) for x in b.body.splitlines()):
                problems.append(f"{b.where}: a command in a block tagged {b.lang!r}; tag it sh or console")
        for n, line in outside:
            if line.startswith("    ") and COMMANDISH.match(line[4:]):
                problems.append(f"{page.name}:{n}: an indented command; put it in a ```sh block")
    assert not problems, "\n".join(problems)


def test_the_block_parser_reads_info_strings(tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_text(
        "```sh exit=1\nbibconv validate broken.bib\n```\n\n"
        "```sh exit=0,1\nprintf x > a.bib\nbibconv format --check a.bib\n```\n\n"
        "```console illustrative: needs a network\n$ pip install x\nout\n```\n\n"
        "```console\n$ bibconv a \\\n  b\noutput line\n$ bibconv c\n```\n",
        encoding="utf-8",
    )
    blocks, _ = parse_blocks(page)
    assert [b.lang for b in blocks] == ["sh", "sh", "console", "console"]
    assert blocks[1].exits(2) == [0, 1]
    del blocks[1]
    assert blocks[0].exits(1) == [1] and blocks[0].illustrative is None
    assert blocks[1].illustrative == "needs a network" and blocks[1].exits(2) == [0, 0]
    assert shell_commands(blocks[2]) == ["bibconv a    b", "bibconv c"]


# ------------------------------------------------------------------ running them


@pytest.mark.parametrize("block", runnable(SHELL))
def test_shell_block_runs(block: Block, workdir: tuple[Path, dict[str, str]]) -> None:
    work, env = workdir
    commands = shell_commands(block)
    for command, expected in zip(commands, block.exits(len(commands)), strict=True):
        out = subprocess.run(
            ["bash", "-c", command], cwd=work, env=env, capture_output=True, text=True, timeout=300
        )
        assert out.returncode == expected, (
            f"{block.where}: `{command}` exited {out.returncode}, the docs say {expected}\n"
            f"stdout: {out.stdout[-2000:]}\nstderr: {out.stderr[-2000:]}"
        )


@pytest.mark.parametrize("block", runnable(PYTHON))
def test_python_block_runs(block: Block, workdir: tuple[Path, dict[str, str]]) -> None:
    work, env = workdir
    script = work / "_doc_block.py"
    script.write_text(block.body, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, script.name], cwd=work, env=env, capture_output=True, text=True, timeout=300
    )
    expected = block.exits(1)[0]
    assert out.returncode == expected, f"{block.where}: exited {out.returncode}\n{out.stderr[-3000:]}"


def test_the_examples_named_in_the_docs_exist() -> None:
    """A file an example command reads must ship in docs/examples (or be written first)."""
    shipped = {p.name for p in EXAMPLES.iterdir()}
    for name in ("refs.bib", "broken.bib", "export.ris", "papers.json", "feed.txt", "arxiv.txt"):
        assert name in shipped, name


# ------------------------------------------------------------------ generated pages, README head


def _load_tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_diagnostics_page_is_current() -> None:
    gen = _load_tool("gen_diagnostics_doc")
    page = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert page == gen.render(), "run: python tools/gen_diagnostics_doc.py"


def test_gallery_is_current() -> None:
    """docs/gallery.md is exactly what bibconv prints now for the ten styles."""
    gallery = _load_tool("gallery")
    page = (ROOT / "docs" / "gallery.md").read_text(encoding="utf-8")
    fresh = gallery.render()
    assert page == fresh, (
        "docs/gallery.md differs from bibconv's current output (a style, the citation engine or "
        "docs/examples/papers.json changed): run `python tools/gallery.py` and commit docs/gallery.md"
    )
    assert fresh.count("\n## `") == 10


def test_site_builds_strictly(tmp_path: Path) -> None:
    """mkdocs.yml's nav covers every page and no link or anchor is broken (CI builds it too)."""
    pytest.importorskip("mkdocs", reason="the docs extra is not installed: pip install -e '.[docs]'")
    pytest.importorskip("mkdocstrings", reason="the docs extra is not installed: pip install -e '.[docs]'")
    out = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-4000:]
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "docs/examples" in home and "```" not in home  # README is the home page, fences rendered
    assert (tmp_path / "site" / "api" / "ir" / "index.html").read_text(encoding="utf-8").count("Record") > 3


def test_api_pages_show_sphinx_roles_as_code() -> None:
    pytest.importorskip("griffe", reason="the docs extra is not installed: pip install -e '.[docs]'")
    roles = _load_tool("griffe_roles")
    text = "raises :class:`ReadError`; see :mod:`bibconv.textio` and :func:`~bibconv.api.read`."
    assert roles.plain_roles(text) == "raises `ReadError`; see `bibconv.textio` and `bibconv.api.read`."
    assert roles.plain_roles("no roles: `x`") == "no roles: `x`"


def test_readme_starts_with_the_two_setup_commands() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:12]
    text = "\n".join(head)
    assert "pip install . && bibconv convert docs/examples/" in text
    assert 'pip install ".[test]" && python -m pytest' in text
    example = text.split("bibconv convert ", 1)[1].split()[0]
    assert (ROOT / example).is_file(), example


# ------------------------------------------------------------------ one version


def test_version_lives_in_one_place() -> None:
    """pyproject.toml takes the version from the package, so the two cannot disagree."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "src/bibconv/__init__.py"


def test_version_option_prints_the_package_version() -> None:
    import bibconv

    assert re.fullmatch(r"\d+\.\d+\.\d+", bibconv.__version__)
    out = subprocess.run(
        [sys.executable, "-m", "bibconv", "--version"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=60,
    )
    assert out.returncode == 0
    assert out.stdout.strip() == f"bibconv {bibconv.__version__}"


def test_changelog_names_this_version() -> None:
    """The newest released section of CHANGELOG.md is the version the package says it is."""
    import bibconv

    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", text, flags=re.M)
    assert headings[0] == "Unreleased", "CHANGELOG.md must keep an Unreleased section on top"
    released = [h for h in headings[1:] if re.fullmatch(r"\d+\.\d+\.\d+", h)]
    assert released and released[0] == bibconv.__version__, (
        f"CHANGELOG.md's newest release is {released[:1]}, the package says {bibconv.__version__}"
    )
