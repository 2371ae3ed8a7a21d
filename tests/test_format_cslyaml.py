"""CSL-YAML: pandoc's own output as samples, pandoc as the independent reader, safety."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import bibconv
from bibconv.ir import Record
from bibconv.registry import default_registry

from .formats_compare import check_agreement, format_agreement

DATA = Path(__file__).parent / "data" / "formats" / "cslyaml"
SAMPLES = sorted(p for p in DATA.glob("*.md") if p.name != "SOURCES.md")


def pandoc_records(text: str) -> list[Record]:
    """What pandoc reads from CSL-YAML front matter, as CSL-JSON read by bibconv.

    ``-smart``: pandoc reads these strings as Markdown, whose "smart" extension
    would turn straight quotes into curly ones; that is Markdown typography,
    not the CSL mapping compared here.
    """
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed")
    out = subprocess.run(
        ["pandoc", "-f", "markdown-smart", "-s", "-t", "csljson"],
        input=text.encode(),
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    return bibconv.read(out, "csljson").records


def _by_id(records: list[Record]) -> list[Record]:
    return sorted(records, key=lambda r: r.id)  # pandoc writes its items sorted by id


def test_agreement_with_pandoc_reading_and_writing() -> None:
    """pandoc reads the samples, and bibconv's CSL-YAML of them, as bibconv does."""
    results = []
    for sample in SAMPLES:
        ours = _by_id(bibconv.read(sample).records)
        theirs = _by_id(pandoc_records(sample.read_text(encoding="utf-8")))
        results.append(check_agreement(DATA, f"read:{sample.name}", ours, theirs))
        written = str(bibconv.write(ours, "cslyaml"))
        results.append(check_agreement(DATA, f"write:{sample.name}", _by_id(pandoc_records(written)), theirs))
    format_agreement(results)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_round_trips_and_is_detected(sample: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    result = bibconv.read(text, "cslyaml")
    assert result.records
    assert not [d for d in result.diagnostics if d.severity.name == "ERROR"]
    assert bibconv.read(str(bibconv.write(result.records, "cslyaml")), "cslyaml").records == result.records
    assert default_registry().choose_reader(text) == "cslyaml"


def test_same_records_as_csljson() -> None:
    """CSL-YAML and CSL-JSON share one item mapping: the same items give the same records."""
    records = bibconv.read(DATA / "biblatex-report.md").records
    as_json = bibconv.read(str(bibconv.write(records, "csljson")), "csljson").records
    assert as_json == records


def test_item_lines_and_errors() -> None:
    text = "references:\n- id: a\n  title: A\n- just text\n- id: b\n  issued: 2020-05-17\n"
    result = bibconv.read(text, "cslyaml", file="r.yaml")
    assert [r.id for r in result.records] == ["a", "b"]
    assert [r.span.line for r in result.records if r.span] == [2, 5]
    assert result.records[1].dates["issued"].start == (2020, 5, 17)  # a YAML date, as text
    assert [(d.code, d.line) for d in result.diagnostics if d.code == "BC140"] == [("BC140", 4)]


def test_syntax_error_has_a_position() -> None:
    result = bibconv.read("references:\n- id: a\n  title: [unclosed\n", "cslyaml", file="r.yaml")
    (diag,) = [d for d in result.diagnostics if d.code == "BC137"]
    assert diag.line is not None and diag.line >= 3
    assert result.records == []


def test_no_references_list_is_reported() -> None:
    result = bibconv.read("title: a document\n", "cslyaml")
    assert [d.code for d in result.diagnostics] == ["BC138"]


@pytest.mark.parametrize("earlier", ["5", "{a: 1}", "[{id: old, title: Old}]"])
def test_a_repeated_references_key_keeps_the_last_list_and_says_so(earlier: str) -> None:
    # found by the fuzzer: the item lines were taken from the first "references" key while
    # PyYAML keeps the last one, and a scalar or mapping there crashed the reader
    text = f"references: {earlier}\nreferences:\n- id: a\n  title: A\n"
    result = bibconv.read(text, "cslyaml", file="r.yaml")
    assert [(r.id, r.text["title"], r.span.line if r.span else None) for r in result.records] == [
        ("a", "A", 3)
    ]
    assert [(d.code, d.line, d.column) for d in result.diagnostics if d.code == "BC144"] == [("BC144", 2, 1)]


def test_a_repeated_field_inside_an_item_is_reported_with_its_position() -> None:
    text = "references:\n- id: a\n  title: First\n  title: Second\n"
    result = bibconv.read(text, "cslyaml")
    assert [r.text["title"] for r in result.records] == ["Second"]
    (diag,) = [d for d in result.diagnostics if d.code == "BC144"]
    assert (diag.line, diag.column) == (4, 3) and "'title'" in diag.message


def test_merge_keys_are_not_repeats() -> None:
    text = "base: &b\n  references: [{id: a, title: T}]\n<<: *b\n"
    result = bibconv.read(text, "cslyaml")
    assert [r.id for r in result.records] == ["a"]
    assert not [d for d in result.diagnostics if d.code == "BC144"]


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    text = "\n".join(lines) + "\nreferences:\n- id: k\n  title: *a11\n"
    result = bibconv.read(text, "cslyaml")
    assert [d.code for d in result.diagnostics] == ["BC139"]


def test_python_tags_are_not_executed() -> None:
    text = "references:\n- id: k\n  title: !!python/object/apply:os.system ['echo hi']\n"
    result = bibconv.read(text, "cslyaml")
    assert result.records == []
    assert [d.code for d in result.diagnostics] == ["BC137"]


def test_writer_output_is_pandoc_front_matter() -> None:
    rec = Record(id="k", type="book", text={"title": "T", "arxiv": "2101.00001"})
    out = str(bibconv.write([rec], "cslyaml"))
    assert out.startswith("---\nreferences:\n- id: k\n") and out.endswith("---\n")
    assert "\n  custom: {arxiv: " in out  # extension variables on one line
    assert bibconv.read(out, "cslyaml").records == [rec]
