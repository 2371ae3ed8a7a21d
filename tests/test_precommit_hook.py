"""The pre-commit hooks, used the way a project would: a config pointing at this repository.

pre-commit builds the hook's environment from the *committed* HEAD of the
repository it points at (this checkout), installing bibconv and its
dependencies from PyPI the first time; PRE_COMMIT_HOME is kept under
.ci/pre-commit so later runs reuse it.  Slow.  Skipped only when the package
index cannot be reached; any other failure to build the hook fails the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "validate"
PRECOMMIT = [sys.executable, "-m", "pre_commit"]
OFFLINE_SIGNS = (
    "Temporary failure in name resolution",
    "Failed to establish a new connection",
    "No matching distribution found",
    "Could not find a version that satisfies",
    "Network is unreachable",
)


@pytest.fixture(autouse=True, scope="module")
def _collect_old_hook_environments() -> Iterator[None]:
    """Each commit of this repository gets its own hook environment; drop the unused ones afterwards."""
    yield
    home = ROOT / ".ci" / "pre-commit"
    if home.is_dir():
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env["PRE_COMMIT_HOME"] = str(home)
        subprocess.run([*PRECOMMIT, "gc"], env=env, capture_output=True, check=False)


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)


def project_with_hooks(tmp_path: Path, *hook_ids: str) -> tuple[Path, dict[str, str]]:
    """A fresh git repository whose pre-commit config uses this checkout's hooks; hooks installed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    head = git(ROOT, "rev-parse", "HEAD")
    if head.returncode != 0:
        pytest.skip("the checkout is not a git repository")
    committed = git(ROOT, "cat-file", "-e", "HEAD:.pre-commit-hooks.yaml")
    assert committed.returncode == 0, ".pre-commit-hooks.yaml is not committed"
    project = tmp_path / "project"
    project.mkdir()
    assert git(project, "init", "-q").returncode == 0
    git(project, "config", "user.email", "test@example.invalid")
    git(project, "config", "user.name", "Test")
    git(project, "config", "commit.gpgsign", "false")
    hooks = "".join(f"      - id: {h}\n" for h in hook_ids)
    config = f"repos:\n  - repo: {ROOT}\n    rev: {head.stdout.strip()}\n    hooks:\n{hooks}"
    (project / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PRE_COMMIT_HOME", "GIT_DIR")}
    env["PRE_COMMIT_HOME"] = str(ROOT / ".ci" / "pre-commit")
    install = subprocess.run(
        [*PRECOMMIT, "install-hooks"], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    log = install.stdout + install.stderr
    log_file = Path(env["PRE_COMMIT_HOME"]) / "pre-commit.log"
    if install.returncode != 0 and log_file.is_file():
        log += log_file.read_text(encoding="utf-8", errors="replace")
    if install.returncode != 0 and any(sign in log for sign in OFFLINE_SIGNS):
        pytest.skip("pre-commit could not reach the package index to build the hook environment")
    assert install.returncode == 0, log[-2000:]
    assert subprocess.run([*PRECOMMIT, "install"], cwd=project, env=env, capture_output=True).returncode == 0
    git(project, "add", ".pre-commit-config.yaml")
    return project, env


def git_commit(project: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "commit", "-m", message], cwd=project, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.slow
def test_precommit_validate_hook_passes_clean_and_blocks_broken(tmp_path: Path) -> None:
    project, env = project_with_hooks(tmp_path, "bibconv-validate")
    shutil.copy(DATA / "clean.bib", project / "clean.bib")
    git(project, "add", "clean.bib")
    ok = git_commit(project, env, "clean bibliography")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "bibconv validate" in ok.stdout + ok.stderr and "Passed" in ok.stdout + ok.stderr

    broken = project / "broken.bib"
    shutil.copy(DATA / "broken.bib", broken)
    before = broken.read_bytes()
    git(project, "add", "broken.bib")
    bad = git_commit(project, env, "broken bibliography")
    out = bad.stdout + bad.stderr
    assert bad.returncode != 0, out
    assert "Failed" in out
    assert "broken.bib:8:10: error BC300 duplicate citation key 'smith2021'" in out
    assert "[smith2021]" in out
    assert broken.read_bytes() == before
    assert git(project, "status", "--porcelain", "broken.bib").stdout.startswith("A ")  # staged, unchanged
    assert git(project, "rev-list", "--count", "HEAD").stdout.strip() == "1"  # the broken commit was refused


@pytest.mark.slow
def test_precommit_format_hook_rewrites_and_asks_to_stage(tmp_path: Path) -> None:
    project, env = project_with_hooks(tmp_path, "bibconv-format")
    messy = project / "messy.bib"
    messy.write_text('@Book{k, Title = "T", Author = {A B}, Year = 2020}\n', encoding="utf-8")
    git(project, "add", "messy.bib")
    first = git_commit(project, env, "messy")
    assert first.returncode != 0  # pre-commit refuses a commit whose files a hook changed
    assert "files were modified by this hook" in first.stdout + first.stderr
    assert (
        messy.read_text(encoding="utf-8")
        == "@book{k,\n  author = {A B},\n  title = {T},\n  year = {2020}\n}\n"
    )
    git(project, "add", "messy.bib")
    second = git_commit(project, env, "formatted")
    assert second.returncode == 0, second.stdout + second.stderr


def test_hooks_manifest_is_valid_and_matches_bibliography_files() -> None:
    import re

    import yaml

    manifest = ROOT / ".pre-commit-hooks.yaml"
    check = subprocess.run([*PRECOMMIT, "validate-manifest", str(manifest)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    hooks = {h["id"]: h for h in yaml.safe_load(manifest.read_text(encoding="utf-8"))}
    assert set(hooks) == {"bibconv-validate", "bibconv-format"}
    assert hooks["bibconv-validate"]["entry"] == "bibconv validate"
    assert all(h["language"] == "python" for h in hooks.values())
    validate_files = re.compile(hooks["bibconv-validate"]["files"])
    for name in ("refs.bib", "a/b/refs.ris", "refs.csl.json", "x.csljson"):
        assert validate_files.search(name), name
    for name in ("package.json", "notes.txt", "refs.bib.orig"):
        assert not validate_files.search(name), name
    assert re.search(hooks["bibconv-format"]["files"], "refs.bib")
    assert not re.search(hooks["bibconv-format"]["files"], "refs.ris")
