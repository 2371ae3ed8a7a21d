"""``bibconv validate`` and ``bibconv format`` end to end: output, exit codes, config, files untouched."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from bibconv.cli import main
from bibconv.validate import Config, validate
from bibconv.validate.config import ConfigError, load_config

DATA = Path(__file__).parent / "data" / "validate"


#: The closing tally on stderr (tested on its own in test_diagnostics_summary.py).
TALLY = re.compile(r"^[\d,]+ (?:error|warning|note)s?(?:, [\d,]+ \w+)* in [\d,]+ files?\n", re.M)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Exit code and stdout + stderr, without the closing tally line (whose presence is checked)."""
    code = main(list(argv))
    out = capsys.readouterr()
    err, tallies = TALLY.subn("", out.err)
    assert tallies == (1 if out.out.strip() not in ("", "[]") else 0), out.err
    return code, out.out + err


def copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    target.write_bytes((DATA / name).read_bytes())
    return target


def test_clean_bib_passes_and_is_not_modified(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy(tmp_path, "clean.bib")
    before = path.read_bytes()
    code, out = run(capsys, "validate", str(path))
    assert code == 0, out
    assert out == ""
    assert path.read_bytes() == before


def test_broken_bib_fails_with_line_and_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy(tmp_path, "broken.bib")
    before = path.read_bytes()
    stat = path.stat()
    listing = sorted(p.name for p in tmp_path.iterdir())
    code, out = run(capsys, "validate", str(path))
    assert code == 1
    assert (
        f"{path}:8:10: error BC300 duplicate citation key 'smith2021'; first used at line 1 [smith2021]"
        in out
    )
    assert f"{path}:3:" in out and "BC113" in out  # "$10 Million": unbalanced $
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # not even a temporary file


def test_csl_json_findings_have_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy(tmp_path, "records.csl.json")
    code, out = run(capsys, "validate", str(path))
    lines = out.splitlines()
    assert code == 0, out  # warnings only
    assert all(line.startswith(f"{path}:12:3: warning ") for line in lines), out
    assert {line.split()[2] for line in lines} == {"BC303", "BC308", "BC309"}
    assert all(line.endswith("[bad2021]") for line in lines)


def test_select_ignore_and_prefixes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy(tmp_path, "records.csl.json")
    _, out = run(capsys, "validate", str(path), "--select", "BC308")
    assert [line.split()[2] for line in out.splitlines()] == ["BC308"]
    _, out = run(capsys, "validate", str(path), "--ignore", "BC30")
    assert [line.split()[2] for line in out.splitlines()] == []
    _, out = run(capsys, "validate", str(path), "--ignore", "BC3", "--select", "BC309,BC303")
    assert sorted(line.split()[2] for line in out.splitlines()) == ["BC303", "BC309"]
    code, out = run(capsys, "validate", str(path), "--select", "nonsense!")
    assert code == 2 and "not a diagnostic code" in out


def test_json_and_github_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy(tmp_path, "broken.bib")
    code, out = run(capsys, "validate", str(path), "--format", "json")
    assert code == 1
    items = json.loads(out)
    dup = next(i for i in items if i["code"] == "BC300")
    assert dup == {
        "code": "BC300",
        "severity": "error",
        "message": "duplicate citation key 'smith2021'; first used at line 1",
        "file": str(path),
        "line": 8,
        "column": 10,
        "record_id": "smith2021",
    }
    code, out = run(capsys, "validate", str(path), "--format", "github")
    assert code == 1
    assert f"::error file={path},line=8,col=10,title=BC300::duplicate citation key" in out


def test_pyproject_config_severity_and_ignore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy(tmp_path, "records.csl.json")
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [tool.bibconv]
            ignore = ["BC303"]
            [tool.bibconv.severity]
            BC308 = "error"
            """
        ),
        encoding="utf-8",
    )
    code, out = run(capsys, "validate", str(path), "--config", str(tmp_path / "pyproject.toml"))
    assert code == 1
    assert "error BC308" in out and "BC303" not in out and "warning BC309" in out
    cfg = load_config(start=tmp_path / "sub" / "dir")  # found by walking up
    assert cfg.source == str(tmp_path / "pyproject.toml")
    assert not cfg.enabled("BC303") and cfg.enabled("BC309")


def test_config_rejects_unknown_settings(tmp_path: Path) -> None:
    bad = tmp_path / "pyproject.toml"
    bad.write_text('[tool.bibconv.validate]\nselct = ["BC3"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="selct"):
        load_config(bad)
    shared = tmp_path / "shared.toml"
    shared.write_text('[tool.bibconv]\nstyle = "apa"\nignore = ["BC310"]\n', encoding="utf-8")
    assert not load_config(shared).enabled("BC310")  # other commands' settings are left alone
    bad.write_text('[tool.bibconv.severity]\nBC302 = "fatal"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="fatal"):
        load_config(bad)


def test_longest_prefix_decides() -> None:
    cfg = Config(select=("BC", "BC302"), ignore=("BC3",))
    assert cfg.enabled("BC302") and not cfg.enabled("BC303") and cfg.enabled("BC104")
    assert not Config().enabled("BC201")  # mapping notes are off by default


def test_non_utf8_and_mojibake_are_reported() -> None:
    data = json.dumps(
        [
            {
                "id": "m",
                "type": "book",
                "title": "CafÃ© Society in Invented Towns",
                "issued": {"date-parts": [[2001]]},
                "author": [{"literal": "X"}],
            }
        ]
    ).encode("utf-8")
    report = validate(data)
    assert [d.code for d in report.diagnostics] == ["BC311"]
    latin1 = '[{"id": "n", "type": "book", "title": "Caf\xe9", "author": [{"literal": "X"}]}]'.encode(
        "latin-1"
    )
    assert "BC003" in [d.code for d in validate(latin1).diagnostics]


def test_unknown_format_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some words\n", encoding="utf-8")
    code, out = run(capsys, "validate", str(path))
    assert code == 1 and "BC001" in out


def test_missing_file_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "validate", str(tmp_path / "nope.bib"))
    assert code == 5 and "no such file" in out


UNFORMATTED = """\
% keep this comment
@Article{b2,
  Title="Quoted {Value}", year = 2020,
  author = {Doe, Jane}, journal = jmur # { extra},
}

@string{jmur = {Journal of Made-Up Results}}
@book{a1, title = {T}, author = {X}}
"""

FORMATTED = """\
% keep this comment
@article{b2,
  author = {Doe, Jane},
  title = {Quoted {Value}},
  journal = jmur # { extra},
  year = {2020}
}

@string{jmur = {Journal of Made-Up Results}}
@book{a1,
  author = {X},
  title = {T}
}
"""


def test_format_check_reports_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(UNFORMATTED, encoding="utf-8")
    code, out = run(capsys, "format", "--check", str(path))
    assert code == 1 and f"{path}:1: error BC316" in out
    assert path.read_text(encoding="utf-8") == UNFORMATTED


def test_format_rewrites_atomically_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(UNFORMATTED, encoding="utf-8")
    code, _ = run(capsys, "format", str(path))
    assert code == 0
    assert path.read_text(encoding="utf-8") == FORMATTED
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]  # no temporary file left
    code, out = run(capsys, "format", "--check", str(path))
    assert (code, out) == (0, "")


def test_format_leaves_broken_entries_and_other_encodings_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = "@article{a,\n  title = {Open\n\n@Book{b, title = {T}}\n"
    path = tmp_path / "broken.bib"
    path.write_text(broken, encoding="utf-8")
    code, _ = run(capsys, "format", str(path))
    assert code == 0
    assert path.read_text(encoding="utf-8") == "@article{a,\n  title = {Open\n\n@book{b,\n  title = {T}\n}\n"
    latin = tmp_path / "latin.bib"
    latin.write_bytes("@book{c, title = {Caf\xe9}}\n".encode("latin-1"))
    code, out = run(capsys, "format", str(latin))
    assert code == 1 and "BC317" in out
    assert latin.read_bytes() == "@book{c, title = {Caf\xe9}}\n".encode("latin-1")


def test_reader_diagnostics_and_rules_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy(tmp_path, "reader-problems.bib")
    code, out = run(capsys, "validate", str(path), "--select", "BC1,BC308")
    found = {
        (line.split(":")[1], line.split()[2], line.rsplit("[", 1)[-1].rstrip("]"))
        for line in out.splitlines()
    }
    assert ("6", "BC109", "macro2020") in found  # journal = jnope
    assert any(code == "BC111" and key == "child2021" and line in ("10", "13") for line, code, key in found)
    assert ("18", "BC114", "latex2022") in found  # \unknowncommand
    assert ("21", "BC308", "latex2022") in found  # month = {13}
    assert code == 0  # all warnings


def test_duplicates_across_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = copy(tmp_path, "clean.bib")
    second = tmp_path / "more.json"
    second.write_text(
        '[{"id": "other", "type": "article-journal", "title": "Another title",'
        ' "DOI": "https://doi.org/10.1234/JMUR.2020.3"}]\n',
        encoding="utf-8",
    )
    _, out = run(capsys, "validate", str(first), str(second), "--select", "BC301")
    assert out == (
        f"{second}:1:2: warning BC301 duplicate of 'doe2020' at {first}:2 "
        "(same DOI: '10.1234/jmur.2020.3') [other]\n"
    )


def test_a_failing_reader_becomes_a_finding() -> None:
    from typing import Any, ClassVar

    from bibconv.registry import Registry

    class Exploding:
        name: ClassVar[str] = "boom"
        aliases: ClassVar[tuple[str, ...]] = ()
        extensions: ClassVar[tuple[str, ...]] = (".boom",)
        description: ClassVar[str] = "a reader with a bug"

        def sniff(self, head: str) -> float:
            return 1.0

        def read(self, text: str, *, file: str | None = None, options: Any = None) -> Any:
            raise RuntimeError("plugin bug")

    reg = Registry(builtin_readers={}, builtin_writers={}, use_entry_points=False)
    reg.register_reader(Exploding)
    report = validate(b"anything", registry=reg)
    assert [(d.code, d.severity.name) for d in report.diagnostics] == [("BC117", "ERROR")]
    assert "plugin bug" in report.diagnostics[0].message and not report.ok
