"""Hostile inputs at a small scale: every reader returns, in bounded time, with diagnostics.

The full-size run (50 MB field, a million entries) is ``python tools/hostile.py``,
which writes docs/robustness.md.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bibconv.registry import default_registry

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("hostile", ROOT / "tools" / "hostile.py")
assert _spec and _spec.loader
hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile)

READERS = default_registry().names("readers")


@pytest.mark.parametrize("case", sorted(hostile.CASES))
def test_every_reader_survives(case: str, tmp_path: Path) -> None:
    failures = {}
    for reader in READERS:
        result = hostile.run_case(reader, case, 0.02, tmp_path, limit=60)
        if not result.get("ok"):
            failures[reader] = result.get("error")
    assert not failures, failures


@pytest.mark.parametrize("case", sorted(hostile.FILE_CASES))
def test_every_command_survives_hostile_files(case: str, tmp_path: Path) -> None:
    """A directory, a FIFO, /dev/zero, a read-only target …: an exit code and a message, no traceback."""
    result = hostile.run_file_case(case, tmp_path, limit=60)
    (tmp_path / "readonly.json").chmod(0o644)
    assert result.get("ok"), result
    assert result.get("key_line", 0) <= 80  # a generated key is capped


def test_decoding_reports_nul_and_bad_utf8() -> None:
    from bibconv.textio import decode

    text, diags = decode(b"ab\x00c\xffd")
    assert "\x00" not in text
    assert {d.code for d in diags} == {"BC003", "BC006"}
