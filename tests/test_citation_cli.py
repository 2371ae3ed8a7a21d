"""The command line: -t text/html/markdown with --style/--locale, and ``bibconv cite``."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bibconv.cli import main
from bibconv.commands import cite

DATA = Path(__file__).resolve().parent / "data" / "citation" / "refs.json"


def _cite(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bibconv")
    sub = parser.add_subparsers()
    cite.register(sub)
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def test_convert_to_text_html_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(DATA), "-t", "text", "--style", "apa"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines() == [
        "Doe, J., & Roe, R. (2021). Cats & dogs: a Felis study. Journal of Pets, 3, 10–20.",
        "Zed, A. (1999). Counting sheep. Invented Press.",
    ]
    assert main(["convert", str(DATA), "-t", "html", "--style", "ieee"]) == 0
    html = capsys.readouterr().out
    # a number column (second-field-align) in citeproc-js's display divs
    assert (
        '<div class="csl-entry"><div class="csl-left-margin">[1]</div><div class="csl-right-inline">' in html
    )
    assert "J. Doe and R. Roe, “Cats &#38; dogs: a <i>Felis</i> study,”" in html
    assert main(["convert", str(DATA), "-t", "markdown", "--style", "apa", "--locale", "de-DE"]) == 0
    md = capsys.readouterr().out
    assert "*Journal of Pets*, *3*" in md and "Doe, J., & Roe, R." in md


def test_unknown_style_exits_4_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(DATA), "-t", "text", "--style", "apaa"]) == 4
    err = capsys.readouterr().err
    assert err.startswith("bibconv: error: no CSL style named 'apaa'; did you mean apa")
    assert "Traceback" not in err
    assert main(["convert", str(DATA), "-t", "text", "--locale", "xx-XX"]) == 4


def test_cite_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert _cite(["cite", str(DATA), "Doe2021", "Doe2021+Zed1999", "--style", "apa"]) == 0
    assert capsys.readouterr().out.splitlines() == ["(Doe & Roe, 2021)", "(Doe & Roe, 2021; Zed, 1999)"]
    assert _cite(["cite", str(DATA), "Zed1999", "--style", "ieee", "--bibliography"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "[1]" and out[2].startswith("[1] A. Zed, Counting sheep.")


def test_cite_unknown_key_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert _cite(["cite", str(DATA), "Nobody2000"]) == 1
    assert "BC405" in capsys.readouterr().err


def test_a_style_given_as_cite_markup_gets_a_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bib = tmp_path / "r.bib"
    bib.write_text("@book{k, author = {Doe, Jane}, title = {T}, year = 2000}\n", encoding="utf-8")
    assert main(["cite", str(bib), "k", "-t", "apa"]) == 2  # a usage error
    assert "did you mean --style apa?" in capsys.readouterr().err
    assert main(["cite", str(bib), "k", "-t", "pdf"]) == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err
