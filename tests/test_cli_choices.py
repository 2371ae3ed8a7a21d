"""Choices the CLI makes for the user, and says so: -o's extension, --style without -t, -t STYLE.

Also: an entry without a key is a warning in a conversion (it is written with
a generated key) unless --strict, and messages count in the right number.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bibconv.cli import main
from bibconv.validate.text_rules import page_problem

RIS = "TY  - JOUR\nTI  - A title\nAU  - Doe, Jane\nPY  - 2020\nER  - \n"
NO_KEY = "@article{,\n  title = {A title}, author = {Doe, Jane}, year = 2020}\n@misc{ok, title = {B}}\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bib_extension_writes_bibtex_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path, "in.ris", RIS)
    out = tmp_path / "out.bib"
    assert main(["convert", str(src), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    note = f"bibconv: note: writing bibtex, chosen from the extension of {out}; -t biblatex writes biblatex"
    assert note in err
    main(["convert", str(src), "-t", "bibtex", "-o", str(tmp_path / "explicit.bib")])
    assert "note" not in capsys.readouterr().err  # nothing was inferred
    assert out.read_text() == (tmp_path / "explicit.bib").read_text()


def test_quiet_hides_the_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path, "in.ris", RIS)
    assert main(["convert", str(src), "-o", str(tmp_path / "out.bib"), "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_extension_choice_matches_reading() -> None:
    """The writer chosen for .bib is the reader .bib files get by default (BibTeX, not its dialect)."""
    from bibconv.registry import default_registry

    reg = default_registry()
    assert reg.writers_for_extension("x.BIB") == ["bibtex", "biblatex"]
    assert reg.writer_for_extension("x.json") == "csljson"
    assert reg.writer_for_extension("x.unknown") is None
    entry = "@article{k, title = {T}, journal = {J}, year = 2000}\n"
    assert reg.choose_reader(entry, "x.bib") == reg.writer_for_extension("x.bib")


@pytest.mark.parametrize(
    ("output", "expected"), [(None, "text"), ("out.html", "html"), ("out.md", "markdown")]
)
def test_style_without_to_implies_a_formatted_bibliography(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str | None, expected: str
) -> None:
    src = write(tmp_path, "in.ris", RIS)
    args = ["convert", str(src), "--style", "apa"]
    if output:
        args += ["-o", str(tmp_path / output)]
    assert main(args) == 0
    captured = capsys.readouterr()
    text = captured.out if output is None else (tmp_path / output).read_text()
    assert "Doe, J. (2020)" in text
    assert ('<div class="csl-entry">' in text) == (expected == "html")
    assert f"writing a formatted bibliography as {expected}" in captured.err


def test_style_name_as_target_suggests_style(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path, "in.ris", RIS)
    assert main(["convert", str(src), "-t", "apa"]) == 2
    assert "did you mean --style apa" in capsys.readouterr().err
    assert main(["convert", str(src), "-t", "nonsense"]) == 3  # not a style either: unknown format
    err = capsys.readouterr().err
    assert "no writer for format 'nonsense'" in err and "--style" not in err


def test_style_with_a_data_format_is_noted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path, "in.ris", RIS)
    assert main(["convert", str(src), "-t", "csl-json", "--style", "apa"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)[0]["title"] == "A title"
    assert "--style and --locale are ignored: csljson is not a formatted bibliography" in captured.err


@pytest.mark.parametrize("to", ["bibtex", "csljson", "ris", "text"])
def test_missing_key_is_a_warning_unless_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], to: str
) -> None:
    src = write(tmp_path, "nokey.bib", NO_KEY)
    assert main(["convert", str(src), "-t", to]) == 0
    captured = capsys.readouterr()
    assert "warning BC105 @article entry has no citation key" in captured.err
    assert "A title" in captured.out  # the record was written
    assert main(["convert", str(src), "-t", to, "--strict"]) == 1
    assert "error BC105" in capsys.readouterr().err


def test_missing_key_with_merge_is_a_warning_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path, "nokey.bib", NO_KEY)
    assert main(["convert", str(src), "-t", "csljson", "--merge"]) == 0
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 2
    assert "warning BC105" in captured.err


def test_other_input_errors_still_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path, "broken.bib", "@article{k, title = {unclosed\n")
    assert main(["convert", str(src), "-t", "csljson"]) == 1


def test_page_range_message_names_the_value_once() -> None:
    assert page_problem("614-549") == "the range ends before it starts"
    assert page_problem("abc") == "not a page number or range"
    assert page_problem("1-2, 30-20") == "the range '30-20' ends before it starts"
    assert page_problem("1-2, 3-4-5") == "the part '3-4-5' is not a page number or range"


def test_bc309_in_validate_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path, "p.bib", "@article{k, title = {T}, pages = {614-549}}\n")
    main(["validate", str(src), "--select", "BC309"])
    out = capsys.readouterr().out
    assert "malformed page range '614-549': the range ends before it starts [k]" in out
    assert out.count("614-549") == 1


def test_unmapped_field_count_in_the_right_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path, "u.bib", "@misc{a, title = {T}, frobfield = {x}}\n")
    main(["convert", str(src), "-t", "csljson", "-v"])
    err = capsys.readouterr().err
    assert "(1 entry)" in err and "entries)" not in err
