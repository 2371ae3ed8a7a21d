"""Progress: the library's hook (called in the parent, also with -j N) and the CLI's bar on a terminal.

The acceptance test runs a conversion with stderr on a pseudo-terminal and
sees a bar; the same run piped shows none; the output files are identical.
"""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

from bibconv.stream import convert_stream

ROOT = Path(__file__).resolve().parent.parent

ENTRY = (
    "@article{{key{n},\n  author = {{Doe{n}, Jane and Roe, Richard}},\n  title = {{On the number {n}}},\n"
    "  journal = {{Journal of Tests}},\n  year = {{{year}}},\n  pages = {{{n}--{m}}},\n}}\n\n"
)


def bib(path: Path, n: int) -> Path:
    path.write_text("".join(ENTRY.format(n=i, m=i + 9, year=1950 + i % 70) for i in range(n)), "utf-8")
    return path


class Calls:
    """A progress hook that records every call and the process it ran in."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int | None, int]] = []

    def __call__(self, unit: str, done: int, total: int | None) -> None:
        self.calls.append((unit, done, total, os.getpid()))


@pytest.mark.parametrize("jobs", [1, 2])
def test_streaming_reports_records_in_the_parent(
    tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bibconv import blocks

    monkeypatch.setattr(blocks, "BLOCK_BYTES", 4_000)  # many blocks from a small file
    src = bib(tmp_path / "in.bib", 300)
    hook = Calls()
    out = io.StringIO()
    stats = convert_stream([src], "csljson", out, jobs=jobs, progress=hook)
    assert stats.streamed == [True]
    done = [c[1] for c in hook.calls]
    assert len(done) > 5 and done == sorted(done) and done[-1] == stats.records == 300
    assert {c[0] for c in hook.calls} == {"records"} and {c[3] for c in hook.calls} == {os.getpid()}
    plain = io.StringIO()
    convert_stream([src], "csljson", plain, jobs=jobs)
    assert plain.getvalue() == out.getvalue()  # the hook changes nothing in the output


@pytest.mark.parametrize("jobs", [1, 2])
def test_rendering_reports_entries_in_the_parent(tmp_path: Path, jobs: int) -> None:
    """Formatted output reports entries as they are rendered, in the calling process (-j changes nothing)."""
    src = bib(tmp_path / "in.bib", 240)
    hook = Calls()
    out = io.StringIO()
    convert_stream([src], "text", out, jobs=jobs, progress=hook, style="apa")
    entries = [c for c in hook.calls if c[0] == "entries"]
    assert entries[-1][1:3] == (240, 240)
    assert [c[1] for c in entries] == sorted(c[1] for c in entries)
    assert len(entries) >= 8  # more than one step
    assert {c[3] for c in hook.calls} == {os.getpid()}
    assert out.getvalue().count("\n") == 240


def test_validate_reports_records_then_files(tmp_path: Path) -> None:
    from bibconv.validate import validate

    one = bib(tmp_path / "one.bib", 50)
    hook = Calls()
    validate([one], progress=hook)
    assert hook.calls and {c[0] for c in hook.calls} == {"records"} and hook.calls[0][2] == 50
    hook = Calls()
    validate([one, bib(tmp_path / "two.bib", 5)], progress=hook)
    assert [c[:3] for c in hook.calls] == [("files", 1, 2), ("files", 2, 2)]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "BIBCONV_PROGRESS_DELAY": "0"}


def run_on_pty(args: list[str]) -> tuple[int, str]:
    """Run ``bibconv args`` with stderr on a pseudo-terminal; its exit code and what the terminal got."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bibconv", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=slave,
        env=_env(),
    )
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            proc.kill()
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


BAR = re.compile(r"\d+ records \[|\d+/\d+ \[|\| *\d+/\d+")


@pytest.mark.parametrize(
    ("to", "extra"),
    [("csljson", ["-j", "1"]), ("csljson", ["-j", "2"]), ("text", ["-j", "2", "--style", "apa"])],
)
def test_a_bar_on_a_terminal_none_when_piped_same_output(tmp_path: Path, to: str, extra: list[str]) -> None:
    src = bib(tmp_path / "in.bib", 6_000 if to == "csljson" else 300)  # 1.3 MB: two blocks
    on_tty, piped = tmp_path / "tty.out", tmp_path / "pipe.out"
    code, terminal = run_on_pty(["convert", str(src), "-t", to, "-o", str(on_tty), *extra])
    assert code == 0, terminal
    assert BAR.search(terminal), terminal[-500:]
    if to == "text":  # the entries counted as they are rendered
        assert re.search(r"\d+/300 \[.*entries/s", terminal), terminal[-500:]
    run = subprocess.run(
        [sys.executable, "-m", "bibconv", "convert", str(src), "-t", to, "-o", str(piped), *extra],
        capture_output=True,
        env=_env(),
        timeout=300,
    )
    assert run.returncode == 0 and run.stderr == b"", run.stderr[-500:]
    assert on_tty.read_bytes() == piped.read_bytes()


def test_quiet_and_no_progress_show_no_bar_on_a_terminal(tmp_path: Path) -> None:
    src = bib(tmp_path / "in.bib", 300)
    for flag in ("-q", "--no-progress"):
        code, terminal = run_on_pty(["convert", str(src), "-t", "csljson", "-o", str(tmp_path / "o"), flag])
        assert code == 0 and not BAR.search(terminal), (flag, terminal)


def test_progress_forces_a_bar_when_piped(tmp_path: Path) -> None:
    src = bib(tmp_path / "in.bib", 300)
    run = subprocess.run(
        [sys.executable, "-m", "bibconv", "validate", str(src), "--progress"],
        capture_output=True,
        env=_env(),
        timeout=120,
    )
    assert BAR.search(run.stderr.decode()), run.stderr


def test_short_work_shows_no_bar_and_loads_no_bar_library(tmp_path: Path) -> None:
    """Below the delay nothing is drawn and tqdm is never imported (``bibconv --help`` stays fast)."""
    src = bib(tmp_path / "in.bib", 5)
    code = (
        "import sys; from bibconv.cli import main; "
        f"main(['convert', {str(src)!r}, '-t', 'csljson', '--progress', '-o', {str(tmp_path / 'o')!r}]); "
        "main(['convert', '--help']); "
        "print('tqdm' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("BIBCONV_PROGRESS_DELAY", None)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert run.stdout.strip().endswith("False"), run.stdout + run.stderr
    assert not BAR.search(run.stderr)
