"""The end-of-run summary of skipped tests (tests/conftest.py ``pytest_terminal_summary``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import skip_group

HERE = Path(__file__).parent


def test_skip_group_takes_the_head_of_the_reason() -> None:
    assert skip_group("Skipped: ../shared is absent (run ...): /x/y.bib is not present") == (
        "../shared is absent (run ...)"
    )
    assert skip_group("bibtex is not installed (apt-get install texlive-binaries)") == (
        "bibtex is not installed (apt-get install texlive-binaries)"
    )
    assert skip_group("") == "no reason given"


def test_a_run_names_each_reason_group_once(tmp_path: Path) -> None:
    """A generated test file skips for three reasons; the summary counts them per group."""
    project = tmp_path / "project"
    (project / "tests").mkdir(parents=True)
    shutil.copy(HERE / "conftest.py", project / "tests" / "conftest.py")
    (project / "tests" / "__init__.py").write_text("")
    (project / "tests" / "test_tiny.py").write_text(
        "import pytest\n"
        "from tests.conftest import shared_path\n"
        "@pytest.mark.parametrize('name', ['a', 'b', 'c'])\n"
        "def test_needs_shared(name):\n"
        "    shared_path('no-such-folder', name)\n"
        "def test_needs_a_program():\n"
        "    pytest.skip('frobnicate is not installed (apt-get install frobnicate)')\n"
        "@pytest.mark.skipif(True, reason='slow on this machine')\n"
        "def test_marked():\n"
        "    pass\n"
        "def test_runs():\n"
        "    assert True\n"
    )
    (project / "pyproject.toml").write_text("[tool.pytest.ini_options]\npythonpath = ['.']\n")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert "3 skipped: ../shared is absent (run with ../shared beside the checkout)" in lines
    assert "1 skipped: frobnicate is not installed (apt-get install frobnicate)" in lines
    assert "1 skipped: slow on this machine" in lines
    assert sum("skipped tests by reason" in line for line in lines) == 1


def test_no_summary_when_nothing_skipped(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "tests").mkdir(parents=True)
    shutil.copy(HERE / "conftest.py", project / "tests" / "conftest.py")
    (project / "tests" / "test_ok.py").write_text("def test_ok():\n    assert True\n")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "skipped tests by reason" not in run.stdout
