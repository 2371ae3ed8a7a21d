"""The pre-commit hook, used the way a project would: a config pointing at this repository.

pre-commit builds the hook's environment from the *committed* HEAD of the
repository it points at (this checkout), installing bibconv and its
dependencies from PyPI the first time; PRE_COMMIT_HOME is kept under .ci/
so later runs reuse it.  Slow, and skipped only when the environment cannot
be built (no package index reachable).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "validate"


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_precommit_validate_hook_passes_clean_and_blocks_broken(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    head = git(ROOT, "rev-parse", "HEAD")
    if head.returncode != 0:
        pytest.skip("the checkout is not a git repository")
    assert git(ROOT, "cat-file", "-e", "HEAD:.pre-commit-hooks.yaml").returncode == 0, (
        "hooks file not committed"
    )
    project = tmp_path / "project"
    project.mkdir()
    assert git(project, "init", "-q").returncode == 0
    git(project, "config", "user.email", "test@example.invalid")
    git(project, "config", "user.name", "Test")
    git(project, "config", "commit.gpgsign", "false")
    rev = head.stdout.strip()
    config = f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: bibconv-validate\n"
    (project / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PRE_COMMIT_HOME", "GIT_DIR")}
    env["PRE_COMMIT_HOME"] = str(ROOT / ".ci" / "pre-commit")
    precommit = [sys.executable, "-m", "pre_commit"]
    install = subprocess.run(
        [*precommit, "install-hooks"], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    if install.returncode != 0:
        pytest.skip(f"pre-commit could not build the hook environment (offline?): {install.stdout[-500:]}")
    assert subprocess.run([*precommit, "install"], cwd=project, env=env, capture_output=True).returncode == 0

    shutil.copy(DATA / "clean.bib", project / "clean.bib")
    git(project, "add", ".pre-commit-config.yaml", "clean.bib")
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


def git_commit(project: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "commit", "-m", message], cwd=project, env=env, capture_output=True, text=True, check=False
    )
