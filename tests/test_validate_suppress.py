"""Inline suppression comments in BibTeX: scope, code prefixes, and typos reported."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bibconv.validate import validate

BIB = """\
% bibconv: ignore-file BC107
@Comment stray text that BibTeX ignores

% bibconv: ignore BC300 -- kept on purpose, see the other copy
% (a second comment line is fine)
@article{dup,
  author = {Doe, Jane},
  title = {Prices of $10 Things},
  journal = {J},
  year = {2020}
}

@article{dup,
  author = {Doe, Jane},
  title = {Another Invented Title},
  journal = {J},
  year = {2021}
}
"""


def codes_lines(text: str) -> list[tuple[str, int | None]]:
    return [(d.code, d.line) for d in validate(text.encode("utf-8"), format="bibtex").diagnostics]


def test_unsuppressed_baseline() -> None:
    plain = BIB.replace("% bibconv:", "% note:")
    found = codes_lines(plain)
    assert ("BC107", 2) in found and ("BC300", 13) in found and ("BC113", 8) in found


def test_entry_comment_covers_only_the_entry_below() -> None:
    found = codes_lines(BIB)
    # ignore-file BC107 removes the stray @Comment; ignore BC300 covers the entry at line 6 only,
    # so the duplicate key (reported on the second entry, line 13) still shows, and so does BC113.
    assert ("BC107", 2) not in found
    assert ("BC300", 13) in found
    assert ("BC113", 8) in found


def test_entry_comment_above_the_reported_entry() -> None:
    text = BIB.replace(
        "\n@article{dup,\n  author = {Doe, Jane},\n  title = {Another",
        "\n% bibconv: ignore BC3\n@article{dup,\n  author = {Doe, Jane},\n  title = {Another",
    )
    found = codes_lines(text)
    assert not [c for c, _ in found if c.startswith("BC3")]
    text_all = BIB.replace(
        "% bibconv: ignore BC300 -- kept on purpose, see the other copy", "% bibconv: ignore"
    )
    assert ("BC113", 8) not in codes_lines(text_all)


def test_blank_line_breaks_the_link_and_typos_are_reported() -> None:
    text = (
        "% bibconv: ignore BC113\n\n@article{a, title = {$}, author = {A B}, journal = {J}, year = {2020}}\n"
    )
    found = codes_lines(text)
    assert ("BC314", 1) in found and any(c == "BC113" for c, _ in found)
    typo = "% bibconv: ignore BC3O2\n@article{a, title = {T}, author = {A B}, journal = {J}, year = {2020}}\n"
    found = codes_lines(typo)
    assert found == [("BC314", 1)]
    ok = "%bibconv: ignore BC113, BC302\n@article{a, title = {$}, author = {A B}, year = {2020}}\n"
    assert codes_lines(ok) == []


@pytest.mark.external
def test_bibtex_accepts_comments_above_entries_but_not_inside(tmp_path: Path) -> None:
    """Why suppression comments live between entries: bibtex itself rejects a % line inside one."""
    if shutil.which("bibtex") is None:
        pytest.skip("bibtex (texlive) is not installed")
    entry = "  author = {Doe, Jane},\n  title = {T},\n  journal = {J},\n  year = {2020}\n}\n"

    def run_bibtex(bib: str) -> subprocess.CompletedProcess[str]:
        (tmp_path / "refs.bib").write_text(bib, encoding="utf-8")
        (tmp_path / "t.aux").write_text("\\relax\n\\citation{a}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
        return subprocess.run(["bibtex", "t"], cwd=tmp_path, capture_output=True, text=True, check=False)

    above = run_bibtex("% bibconv: ignore BC302\n@article{a,\n" + entry)
    assert above.returncode == 0, above.stdout
    inside = run_bibtex("@article{a,\n  % bibconv: ignore BC302\n" + entry)
    assert inside.returncode != 0 and "error message" in inside.stdout
