"""The real corpus: every known defect of jgrey-main.bib is reported at the right line.

Expected lines are computed here from the raw text, independently of the
reader and the validator (the file has one field per line, so a line-based
scan is exact for it).
"""

from __future__ import annotations

import gzip
import re
import time
from pathlib import Path

import pytest

from bibconv.validate import validate

from .conftest import shared_path


@pytest.fixture(scope="module")
def jgrey(tmp_path_factory: pytest.TempPathFactory) -> Path:
    packed = shared_path("corpus", "jgrey-main.bib.gz")
    target = tmp_path_factory.mktemp("corpus") / "jgrey-main.bib"
    target.write_bytes(gzip.decompress(packed.read_bytes()))
    return target


def expected(text: str) -> dict[str, set[int]]:
    lines = text.split("\n")
    seen: set[str] = set()
    dup_keys: set[int] = set()
    comments: set[int] = set()
    dollars: set[int] = set()
    for no, line in enumerate(lines, start=1):
        m = re.match(r"@(\w+)\{([^,\s]+),", line)
        if m and m.group(1).lower() not in ("string", "comment", "preamble"):
            key = m.group(2).casefold()
            if key in seen:
                dup_keys.add(no)
            seen.add(key)
        if re.match(r"@Comment\s+[^{(\s]", line):
            comments.add(no)
        if re.match(r"\s+\w+\s*=", line) and len(re.findall(r"(?<!\\)\$", line)) % 2:
            dollars.add(no)
    return {"BC300": dup_keys, "BC107": comments, "BC113": dollars}


@pytest.mark.slow
def test_jgrey_known_defects_with_lines(jgrey: Path) -> None:
    before = jgrey.read_bytes()
    want = expected(before.decode("utf-8"))
    assert (len(want["BC300"]), len(want["BC107"]), len(want["BC113"])) == (7, 176, 28)
    start = time.perf_counter()
    report = validate([jgrey])
    elapsed = time.perf_counter() - start
    got: dict[str, set[int]] = {code: set() for code in want}
    keys: dict[int, str | None] = {}
    for d in report.diagnostics:
        if d.code in got:
            assert d.file == str(jgrey)
            assert d.line is not None
            got[d.code].add(d.line)
            if d.code == "BC300":
                keys[d.line] = d.record_id
    assert got == want
    for line, key in keys.items():
        assert key and f"{{{key}," in before.decode("utf-8").split("\n")[line - 1]
    assert not report.ok  # duplicate keys are errors
    assert jgrey.read_bytes() == before
    found = len(report.diagnostics)
    print(f"\nvalidate jgrey-main.bib: {elapsed:.2f} s, {report.records} records, {found} findings")


def test_scanning_in_a_second_process_gives_the_same_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """``jobs=2`` overlaps the source scan with reading; findings, counts and order are unchanged."""
    from bibconv.validate import engine

    path = shared_path("corpus", "biblatex-examples.bib")
    monkeypatch.setattr(engine, "PARALLEL_MIN_CHARS", 1000)  # the file is small: force the fork
    one = engine.validate([path], jobs=1)
    two = engine.validate([path], jobs=2)
    assert two.diagnostics == one.diagnostics
    assert (two.records, two.suppressed) == (one.records, one.suppressed)
    assert one.diagnostics  # the comparison is not vacuous


def test_suppressions_found_in_the_second_process_still_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bibconv.validate import engine

    body = "".join(f"@misc{{k{i}, title = {{Title {i}}}, year = 2000}}\n" for i in range(50))
    path = tmp_path / "s.bib"
    path.write_text(
        body + "% bibconv: ignore BC300\n@misc{k1, title = {Again}, year = 2001}\n@misc{k2, title = {T}}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(engine, "PARALLEL_MIN_CHARS", 100)
    one = engine.validate([path], jobs=1)
    two = engine.validate([path], jobs=2)
    assert two.diagnostics == one.diagnostics
    assert two.suppressed == one.suppressed == 1
    assert [d.record_id for d in two.diagnostics if d.code == "BC300"] == ["k2"]
