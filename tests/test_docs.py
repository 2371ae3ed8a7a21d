"""Docs stay true: the diagnostics page lists every code, the README's commands exist."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_diagnostics_page_is_current() -> None:
    spec = importlib.util.spec_from_file_location("gen", ROOT / "tools" / "gen_diagnostics_doc.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    page = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert page == gen.render(), "run: python tools/gen_diagnostics_doc.py"


def test_readme_starts_with_the_two_setup_commands() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:12]
    text = "\n".join(head)
    assert "pip install . && bibconv convert docs/examples/" in text
    assert 'pip install ".[test]" && python -m pytest' in text
    example = text.split("bibconv convert ", 1)[1].split()[0]
    assert (ROOT / example).is_file(), example
