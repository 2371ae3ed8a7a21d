"""The CLI: help that teaches, formats, convert, exit codes, atomic output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bibconv.cli import main

ROOT = Path(__file__).resolve().parent.parent
ITEMS = '[{"id": "a", "type": "book", "title": "Über Alles", "issued": {"date-parts": [[2001]]}}]'


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "bibconv", *args], input=stdin, capture_output=True, env=env, timeout=120
    )


def test_help_lists_commands_and_exit_codes() -> None:
    out = run_cli("--help")
    assert out.returncode == 0
    text = out.stdout.decode()
    for word in ("convert", "formats", "exit codes", "examples"):
        assert word in text


def test_convert_help_teaches() -> None:
    text = run_cli("convert", "--help").stdout.decode()
    for word in ("-t", "--from", "--merge", "--style", "atomically", "examples:"):
        assert word in text


def test_formats_lists_csljson_with_aliases(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats"]) == 0
    out = capsys.readouterr().out
    assert "csljson" in out and "csl-json" in out and ".json" in out


def test_version() -> None:
    out = run_cli("--version")
    assert out.returncode == 0 and out.stdout.decode().startswith("bibconv ")


def test_stdin_to_stdout_with_bom_and_crlf() -> None:
    data = ("\ufeff" + ITEMS.replace(",", ",\r\n")).encode("utf-8")
    out = run_cli("convert", "-", "-t", "csl-json", stdin=data)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.decode("utf-8"))[0]["title"] == "Über Alles"


def test_latin1_input_is_decoded_with_a_warning(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_bytes(ITEMS.encode("cp1252"))
    out = run_cli("convert", str(src), "-t", "csljson")
    assert out.returncode == 0
    assert json.loads(out.stdout.decode())[0]["title"] == "Über Alles"
    assert b"BC003" in out.stderr and f"{src}:1:".encode() in out.stderr


def test_output_file_is_written_atomically_and_format_inferred(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text(ITEMS, encoding="utf-8")
    dst = tmp_path / "out.json"
    assert main(["convert", str(src), "-o", str(dst)]) == 0
    assert json.loads(dst.read_text(encoding="utf-8"))[0]["id"] == "a"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_failed_conversion_leaves_existing_output_alone(tmp_path: Path) -> None:
    dst = tmp_path / "out.json"
    dst.write_text("precious", encoding="utf-8")
    assert main(["convert", str(tmp_path / "missing.json"), "-t", "csljson", "-o", str(dst)]) == 5
    assert dst.read_text(encoding="utf-8") == "precious"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["convert", "IN", "-t", "docx"], 3),
        (["convert", "IN"], 2),
        (["convert", "IN", "-t", "csljson", "--bogus"], 2),
        (["convert", "MISSING", "-t", "csljson"], 5),
        ([], 2),
    ],
)
def test_exit_codes(tmp_path: Path, args: list[str], code: int) -> None:
    src = tmp_path / "in.json"
    src.write_text(ITEMS, encoding="utf-8")
    args = [str(src) if a == "IN" else str(tmp_path / "nope") if a == "MISSING" else a for a in args]
    assert main(args) == code


def test_input_errors_exit_1_and_print_position(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "bad.json"
    src.write_text('[{"id": "a", "type": "book"},\n {"id": ]', encoding="utf-8")
    assert main(["convert", str(src), "-t", "csljson"]) == 1
    err = capsys.readouterr().err
    assert f"{src}:2:" in err and "error BC100" in err


def test_undetectable_input_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "x.txt"
    src.write_text("hello there\n", encoding="utf-8")
    assert main(["convert", str(src), "-t", "csljson"]) == 3
    assert "-f/--from" in capsys.readouterr().err


def test_json_diagnostics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "bad.json"
    src.write_text('[{"id": "a", "type": "nonsense"}]', encoding="utf-8")
    assert main(["convert", str(src), "-t", "csljson", "-v", "--diagnostics-format", "json"]) == 0
    diags = json.loads(capsys.readouterr().err)
    assert diags[0]["code"] == "BC200" and diags[0]["record_id"] == "a"


def test_a_run_builds_only_its_own_command() -> None:
    """`bibconv convert …` imports no other command's module (start-up); `--help` lists them all."""
    import ast
    import subprocess
    import sys

    code = (
        "import sys; from bibconv import cli; "
        "cli.build_parser(cli._command_of(['convert', 'x.bib'])); "
        "print(sorted(m.rpartition('.')[2] for m in sys.modules if m.startswith('bibconv.commands.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(ast.literal_eval(out))
    assert "convert" in loaded and not loaded & {"formats", "validate", "format", "cite"}
    from bibconv import cli

    full = cli.build_parser(cli._command_of(["--help"])).format_help()
    assert all(name in full for name in ("convert", "formats", "validate", "format", "cite"))
