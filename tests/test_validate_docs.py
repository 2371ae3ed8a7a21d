"""docs/validate.md documents every code validate can report."""

from __future__ import annotations

from pathlib import Path

from bibconv.diagnostics import CODES
from bibconv.validate import RULES

DOC = Path(__file__).resolve().parent.parent / "docs" / "validate.md"


def test_every_validation_code_has_a_section() -> None:
    page = DOC.read_text(encoding="utf-8")
    codes = {c for c in CODES if c.startswith("BC3")} | {c for r in RULES for c in r.codes}
    for code in sorted(codes):
        assert f"**{code}" in page, f"docs/validate.md lacks a section for {code}"
    for code in (
        "BC003",
        "BC104",
        "BC105",
        "BC107",
        "BC108",
        "BC109",
        "BC110",
        "BC111",
        "BC112",
        "BC113",
        "BC114",
    ):
        assert f"| {code} |" in page, code
