"""Repeated diagnostics are summarised, every run that found something ends with a tally.

The same rules hold for every command (convert, validate, format, cite), because
they all print through ``commands._common.emit``; JSON and GitHub output list
every diagnostic.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibconv.cli import main
from bibconv.diagnostics import CODES, Diagnostic, Severity, plural, repeat_group, summarise, tally
from tests.conftest import shared_path

#: One undefined macro used by many entries, another by two, and one clean entry.
MACRO_ENTRY = "@article{{k{n}, title = {{T{n}}}, author = {{Doe, J.}}, year = 2020, journal = {macro}}}\n"


def macro_file(tmp_path: Path, n_common: int = 12) -> Path:
    body = "".join(MACRO_ENTRY.format(n=n, macro="jnl") for n in range(n_common))
    body += "".join(MACRO_ENTRY.format(n=100 + n, macro="other") for n in range(2))
    path = tmp_path / "macros.bib"
    path.write_text(body, encoding="utf-8")
    return path


def d(code: str, message: str, file: str = "a.bib") -> Diagnostic:
    return Diagnostic.make(code, message, file=file, line=1)


def test_summarise_keeps_the_first_of_each_code_and_subject() -> None:
    diags = [d("BC109", f"@string macro {m!r} is not defined") for m in ["x"] * 5 + ["y"] * 2]
    diags += [d("BC107", f"text outside an entry was ignored: 'c{n}'") for n in range(5)]
    diags += [d("BC302", "needs title")] * 4
    cut = summarise(diags, 3)
    assert [x.message for x in cut.shown].count("@string macro 'x' is not defined") == 3
    assert [x.message for x in cut.shown].count("@string macro 'y' is not defined") == 2
    # BC107 has no subject: its five different texts are one group
    assert sum(x.code == "BC107" for x in cut.shown) == 3
    # one more than the first three is shown, not summarised as "… and 1 more"
    assert sum(x.code == "BC302" for x in cut.shown) == 4
    assert cut.lines() == [
        "… and 2 more BC109 for macro 'x'",
        "… and 2 more BC107: text outside an entry was ignored",
    ]
    assert repeat_group(diags[0]) == ("BC109", "'x'")
    assert repeat_group(diags[7]) == ("BC107", None)


def test_summarise_keeps_order_and_holds_nothing_back_when_few() -> None:
    diags = [d("BC302", "a"), d("BC303", "b"), d("BC302", "c")]
    cut = summarise(diags, 3)
    assert cut.shown == diags and cut.held_back == {} and cut.lines() == []


def test_tally_counts_by_severity_and_file() -> None:
    diags = [
        d("BC300", "x", "a.bib"),
        d("BC300", "y", "b.bib"),
        d("BC302", "z", "a.bib"),
        Diagnostic.make("BC201", "n", file="a.bib"),
    ]
    assert tally(diags) == "2 errors, 1 warning, 1 note in 2 files"
    assert tally(diags[2:3]) == "1 warning in 1 file"
    assert tally([]) == ""


def test_plural() -> None:
    assert plural(1, "entry") == "1 entry"
    assert plural(2, "entry") == "2 entries"
    assert plural(1851, "warning") == "1,851 warnings"
    assert plural(0, "file") == "0 files"
    assert plural(3, "key") == "3 keys"


def test_validate_summarises_a_macro_flood(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = macro_file(tmp_path)
    assert main(["validate", str(path), "--select", "BC109"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert sum("'jnl'" in line and "warning BC109" in line for line in lines) == 3
    assert sum("'other'" in line for line in lines) == 2  # a second cause is still shown
    assert "… and 9 more BC109 for macro 'jnl'" in lines
    assert "(--all prints every diagnostic)" in lines
    assert err.splitlines()[-1] == "14 warnings in 1 file"


@pytest.mark.parametrize("flag", ["--all", "-v"])
def test_all_and_verbose_print_every_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str
) -> None:
    path = macro_file(tmp_path)
    main(["validate", str(path), "--select", "BC109", flag])
    out, err = capsys.readouterr()
    assert sum("BC109" in line for line in out.splitlines()) == 14
    assert "more BC109" not in out
    assert "14 warnings in 1 file" in err


@pytest.mark.parametrize("fmt", ["json", "github"])
def test_machine_formats_list_every_diagnostic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    path = macro_file(tmp_path)
    main(["validate", str(path), "--select", "BC109", "--format", fmt])
    out = capsys.readouterr().out
    if fmt == "json":
        assert [x["code"] for x in json.loads(out)] == ["BC109"] * 14
    else:
        assert sum(line.startswith("::warning ") for line in out.splitlines()) == 14
    assert "more BC109" not in out


def test_convert_summarises_too_and_json_on_stderr_stays_parseable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = macro_file(tmp_path)
    assert main(["convert", str(path), "-t", "csljson", "-o", str(tmp_path / "o.json")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert "… and 9 more BC109 for macro 'jnl'" in err
    assert err[-1] == "14 warnings in 1 file"
    out = str(tmp_path / "o.json")
    main(["convert", str(path), "-t", "csljson", "-o", out, "--diagnostics-format", "json"])
    assert len(json.loads(capsys.readouterr().err)) == 14


def test_no_tally_when_nothing_was_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "clean.bib"
    path.write_text("@misc{a, title = {T}, author = {Doe, Jane}, year = 2020}\n", encoding="utf-8")
    assert main(["convert", str(path), "-t", "ris"]) == 0
    assert capsys.readouterr().err == ""


def test_quiet_tally_counts_errors_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dup.bib"
    path.write_text(
        "@misc{a, title = {T}, year = 2020}\n@misc{a, title = {U}, year = 2021, journal = undefinedmacro}\n",
        encoding="utf-8",
    )
    assert main(["validate", str(path), "-q"]) == 1
    out, err = capsys.readouterr()
    assert "warning" not in out
    assert err.splitlines()[-1] == "1 error in 1 file"


def test_format_and_cite_print_through_the_same_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = []
    for n in range(5):
        path = tmp_path / f"f{n}.bib"
        path.write_text("@ARTICLE{a,TITLE={T}}\n", encoding="utf-8")
        files.append(str(path))
    assert main(["format", "--check", *files]) == 1
    out, err = capsys.readouterr()
    assert sum("BC316" in line for line in out.splitlines()) == 4  # 3 shown + the '… and 2 more' line
    assert "… and 2 more BC316: file is not formatted (bibconv format would change it)" in out
    assert err.splitlines()[-1] == "5 errors in 5 files"
    cited = tmp_path / "cite.bib"
    cited.write_text("@book{k, title = {T}, author = {Doe, J.}, year = 2020, publisher = {P}}\n")
    missing = [f"nokey{n}" for n in range(5)]
    assert main(["cite", str(cited), "k", *missing, "--style", "apa"]) == 1
    err = capsys.readouterr().err
    assert "… and 2 more BC405: a cited key has no record" in err
    assert err.splitlines()[-1] == "5 warnings in 1 file"


@pytest.mark.slow
def test_corpora_give_a_short_readable_validate_output(capsys: pytest.CaptureFixture[str]) -> None:
    """Every corpus file validates in under 120 lines, each code at most three times per subject."""
    corpus = shared_path("corpus")
    for path in sorted(corpus.glob("*.bib*")):
        main(["validate", str(path)])
        out, err = capsys.readouterr()
        lines = out.splitlines()
        assert len(lines) < 120, (path.name, len(lines))
        codes = [m.group(1) for line in lines if (m := re.search(r": (?:error|warning) (BC\d+) ", line))]
        assert max(codes.count(c) for c in set(codes)) <= 3 * 4, path.name  # BC109 may have a few subjects
        assert re.fullmatch(r"([\d,]+ \w+(, )?)+ in 1 file", err.splitlines()[-1]), err


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([*sorted(CODES), "XX999"]),
    st.text(max_size=20),
    st.one_of(st.none(), st.sampled_from(list(Severity))),
    st.one_of(st.none(), st.text(max_size=8)),
    st.one_of(st.none(), st.integers(1, 10**6)),
    st.one_of(st.none(), st.integers(1, 500)),
    st.one_of(st.none(), st.text(max_size=8)),
)
def test_make_builds_what_the_constructor_builds(
    code: str,
    message: str,
    severity: Severity | None,
    file: str | None,
    line: int | None,
    column: int | None,
    record_id: str | None,
) -> None:
    """`Diagnostic.make` sets the slots itself (for speed): the same, frozen, diagnostic."""
    made = Diagnostic.make(
        code, message, severity=severity, file=file, line=line, column=column, record_id=record_id
    )
    expected = severity or (CODES[code].severity if code in CODES else Severity.WARNING)
    built = Diagnostic(
        code=code,
        message=message,
        severity=expected,
        file=file,
        line=line,
        column=column,
        record_id=record_id,
    )
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    with pytest.raises(AttributeError):
        made.code = "BC000"  # type: ignore[misc]
