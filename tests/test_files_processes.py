"""Files and processes (issue 14, items 17-19): one atomic write path, every kind of input, signals."""

from __future__ import annotations

import errno
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from bibconv.cli import main
from bibconv.textio import InputTooLargeError, atomic_write, atomic_writer, open_input, read_stream

from .conftest import shared_path

ROOT = Path(__file__).resolve().parent.parent
ENTRY = "@article{k, author = {Doe, Jane}, title = {A Title}, journal = {J}, year = {2020}}\n"
UNFORMATTED = "@ARTICLE{k,TITLE={A Title},  year=2020}\n"


def run_cli(*args: str, **kw: Any) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "bibconv", *args], capture_output=True, env=env, timeout=120, **kw
    )


def _big_bib(path: Path, n: int) -> Path:
    path.write_text(
        "".join(
            f"@article{{k{i}, author={{Doe, Jane and Roe, Ann}}, title={{Title {i}}},"
            " journal={J}, year=2020}\n"
            for i in range(n)
        )
    )
    return path


# -- item 17: the atomic-write helper ------------------------------------------------------------


def test_format_refuses_utf16_without_traceback(tmp_path: Path) -> None:
    src = tmp_path / "u16.bib"
    src.write_bytes(UNFORMATTED.encode("utf-16"))
    before = src.read_bytes()
    out = run_cli("format", str(src))
    assert out.returncode == 1
    assert b"Traceback" not in out.stderr and b"BC317" in out.stdout
    assert src.read_bytes() == before


def test_format_writes_through_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "real.bib"
    target.write_text(UNFORMATTED)
    link = tmp_path / "link.bib"
    link.symlink_to(target)
    assert main(["format", str(link)]) == 0
    assert link.is_symlink()
    assert "title = {A Title}" in target.read_text()


def test_format_keeps_hard_links_and_mode(tmp_path: Path) -> None:
    first = tmp_path / "a.bib"
    first.write_text(UNFORMATTED)
    first.chmod(0o640)
    second = tmp_path / "b.bib"
    os.link(first, second)
    assert main(["format", str(first)]) == 0
    assert first.stat().st_ino == second.stat().st_ino
    assert second.read_text() == first.read_text() != UNFORMATTED
    assert first.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_convert_refuses_a_read_only_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.bib"
    src.write_text(ENTRY)
    out = tmp_path / "out.json"
    out.write_text("keep me")
    out.chmod(0o444)
    assert main(["convert", str(src), "-t", "csljson", "-o", str(out)]) == 5
    assert out.read_text() == "keep me"
    err = capsys.readouterr().err
    assert str(out) in err and "read-only" in err


def test_convert_output_keeps_mode_and_link(tmp_path: Path) -> None:
    src = tmp_path / "in.bib"
    src.write_text(ENTRY)
    real = tmp_path / "real.json"
    real.write_text("old")
    real.chmod(0o600)
    link = tmp_path / "out.json"
    link.symlink_to(real)
    assert main(["convert", str(src), "-t", "csljson", "-o", str(link)]) == 0
    assert link.is_symlink() and '"id": "k"' in real.read_text()
    assert real.stat().st_mode & 0o777 == 0o600


class _DiskFull(io.StringIO):
    """A text stream that fails the way a full disk does."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def fileno(self) -> int:  # pragma: no cover - never reached
        raise OSError(errno.EBADF, "no descriptor")


def test_disk_full_names_the_target_and_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "out.bib"
    target.write_text("before")

    def opener(fd: int, *args: Any, **kw: Any) -> _DiskFull:
        os.close(fd)
        return _DiskFull()

    with pytest.raises(OSError) as info:
        atomic_write(target, "new content", opener=opener)
    assert info.value.errno == errno.ENOSPC and info.value.filename == str(target)
    assert target.read_text() == "before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bib"]


def test_unwritable_directory_error_names_the_target(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "out.json"
    with pytest.raises(OSError) as info, atomic_writer(target):
        pass
    assert info.value.filename == str(target)
    assert ".tmp" not in str(info.value)


# -- item 18: signals, pipes, '-o -' ------------------------------------------------------------


@pytest.mark.slow
def test_sigterm_during_convert_removes_the_temporary_file(tmp_path: Path) -> None:
    src = _big_bib(tmp_path / "big.bib", 40000)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "bibconv", "convert", str(src), "-t", "csljson", "-j", "2"]
    proc = subprocess.Popen([*cmd, "-o", str(out_dir / "o.json")], env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(out_dir.iterdir()) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    seen_tmp = any(p.name.endswith(".tmp") for p in out_dir.iterdir())
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert seen_tmp, "the conversion ended before it could be interrupted"
    assert b"Traceback" not in err
    assert list(out_dir.iterdir()) == []  # caught while writing: nothing of it stays behind
    assert proc.returncode == 128 + signal.SIGTERM


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_closed_pipe_ends_quietly(tmp_path: Path, jobs: str) -> None:
    src = _big_bib(tmp_path / "big.bib", 20000)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bibconv", "convert", str(src), "-t", "csljson", "-j", jobs],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert proc.returncode == 0
    assert err == b""


def test_output_dash_is_stdout(tmp_path: Path) -> None:
    src = tmp_path / "in.bib"
    src.write_text(ENTRY)
    out = run_cli("convert", str(src), "-t", "csljson", "-o", "-", cwd=tmp_path)
    assert out.returncode == 0 and b'"id": "k"' in out.stdout
    assert not (tmp_path / "-").exists()


# -- item 19: what an input path can be -------------------------------------------------------


def test_each_unusable_input_says_what_it_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    expected = {
        "dir": "is a directory",
        "loop1": "symbolic links",
        "dangling": "dangling symbolic link",
        "absent": "no such file",
    }
    for name, words in expected.items():
        assert main(["convert", str(tmp_path / name), "-t", "ris"]) == 5
        err = capsys.readouterr().err
        assert f"{tmp_path / name}: " in err and words in err.lower(), (name, err)


def test_fifo_and_process_substitution_are_read_as_streams(tmp_path: Path) -> None:
    read_fd, write_fd = os.pipe()
    os.write(write_fd, (ENTRY + ENTRY).encode())  # a repeated key, so there is a diagnostic to place
    os.close(write_fd)
    try:
        out = run_cli("convert", f"/dev/fd/{read_fd}", "-t", "ris", pass_fds=(read_fd,))
    finally:
        os.close(read_fd)
    assert out.returncode == 0, out.stderr
    assert b"TI  - A Title" in out.stdout
    assert f"/dev/fd/{read_fd}:2:".encode() in out.stderr  # diagnostics name the pipe


def test_a_stream_input_is_bounded() -> None:
    with pytest.raises(InputTooLargeError):
        read_stream(io.BytesIO(b"x" * 5000), "<pipe>", limit=4096)
    assert read_stream(io.BytesIO(b"x" * 4096), "<pipe>", limit=4096) == b"x" * 4096


def test_open_input_gives_a_path_for_a_regular_file(tmp_path: Path) -> None:
    src = tmp_path / "in.bib"
    src.write_text(ENTRY)
    assert open_input(str(src)) == src


def test_style_device_and_empty_style(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.bib"
    src.write_text(ENTRY)
    assert main(["convert", str(src), "-t", "text", "--style", "/dev/zero"]) == 4
    err = capsys.readouterr().err
    assert "not a regular file" in err and "does not exist" not in err
    assert main(["convert", str(src), "-t", "text", "--style", ""]) == 2
    assert "--style" in capsys.readouterr().err
    assert main(["cite", str(src), "k", "--style", ""]) == 2


def test_feb_30_is_reported_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "feb.bib"
    src.write_text("@article{f, author={A, B}, title={T}, journal={J}, year=2020, month=feb, day=30}\n")
    main(["validate", str(src)])
    out = capsys.readouterr()
    assert (out.out + out.err).count("day 30 does not exist") == 1


def test_cite_missing_key_names_the_file_and_prints_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "refs.bib"
    src.write_text(ENTRY)
    assert main(["cite", str(src), "nosuchkey", "--style", "apa"]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert f"{src}" in out.err and "BC405" in out.err and "<input>" not in out.err
    assert main(["cite", str(src), "k", "nosuchkey", "--style", "apa"]) == 1
    assert capsys.readouterr().out.count("\n") == 1


# -- item 20: validate false positives on clean BibLaTeX ---------------------------------------


def _codes(bib: str) -> list[tuple[str, str | None]]:
    from bibconv.validate.engine import validate

    return [
        (d.code, d.record_id)
        for d in validate([bib.encode()]).diagnostics
        if d.code in ("BC301", "BC302", "BC312")
    ]


def test_a_set_needs_no_fields_of_its_own() -> None:
    bib = (
        "@set{grp, entryset = {m1,m2}}\n"
        "@article{m1, author = {A, B}, title = {One paper title here}, journaltitle = {J}, date = {2020}}\n"
        "@article{m2, author = {C, D}, title = {Another paper title}, journaltitle = {J}, date = {2020}}\n"
    )
    assert _codes(bib) == []
    assert ("BC302", "lone") in _codes("@book{lone, title = {A book with no author}}\n")


def test_online_with_an_eprint_or_doi_needs_no_url() -> None:
    base = "@online{o, author = {A, B}, title = {Some online paper}, date = {2020}, %s}\n"
    assert _codes(base % "eprint = {math/0307200}, eprinttype = {arxiv}") == []
    assert _codes(base % "eprint = {12345}, eprinttype = {hal}") == []
    assert _codes(base % "doi = {10.1000/xyz}") == []
    assert ("BC302", "o") in _codes(base % "note = {none}")


def test_volumes_sharing_a_maintitle_are_not_duplicates() -> None:
    vol = (
        "@book{%s, author = {Knuth, Donald}, maintitle = {Computers and Typesetting}, %s"
        " date = {1986}, publisher = {AW}}\n"
    )
    bib = (
        vol % ("ct", "")
        + vol % ("cta", "title = {The TeXbook}, volume = {A},")
        + vol % ("ctb", "title = {TeX: The Program}, volume = {B},")
    )
    assert [c for c in _codes(bib) if c[0] == "BC301"] == []
    again = bib + vol % ("ctb2", "title = {TeX: The Program}, volume = {B},")
    assert ("BC301", "ctb2") in _codes(again)


def test_biblatex_examples_lose_the_false_positives() -> None:
    from bibconv.validate.engine import validate

    found = validate([shared_path("corpus", "biblatex-examples.bib")]).diagnostics
    assert not [d for d in found if d.record_id in ("set", "stdmodel") and d.code in ("BC302", "BC312")]
    assert not [d for d in found if d.code == "BC302" and "url" in d.message]
    volumes = {"knuth:ct:a", "knuth:ct:b", "knuth:ct:c", "knuth:ct:d", "knuth:ct:e", "nietzsche:ksa1"}
    assert not [d for d in found if d.code == "BC301" and d.record_id in volumes]
