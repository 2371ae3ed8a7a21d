"""Fidelity: bibconv's bibliographies against citeproc-js, the reference processor.

Renders the acceptance corpus (biblatex-examples.bib plus the seed listings,
read with bibconv's own readers) in ten styles with bibconv's own processor and
with citeproc-js (npm ``citeproc``), both fed the same items (see
``tools/compare_citeproc.py``), prints the table of identical entries, and
checks the acceptance figure.  Every entry that differs must be listed, with
its reason, in tests/data/citation/fidelity-differences.md, so a new
difference fails the test until it is fixed or explained.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import shared_path

ROOT = Path(__file__).resolve().parent.parent
DIFFERENCES = ROOT / "tests" / "data" / "citation" / "fidelity-differences.md"


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compare_citeproc", ROOT / "tools" / "compare_citeproc.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("compare_citeproc", mod)  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def _explained() -> set[tuple[str, str]]:
    rows = set()
    for line in DIFFERENCES.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| (\S+) \| `([^`]+)` \| .+\|$", line)
        if m:
            rows.add((m.group(1), m.group(2)))
    return rows


@pytest.mark.slow
@pytest.mark.external
def test_bibliographies_match_citeproc_js() -> None:
    tool = _tool()
    reason = tool.missing_reason()
    if reason:
        pytest.skip(f"citeproc-js comparison skipped: {reason}")
    shared_path("corpus", "biblatex-examples.bib")
    shared_path("seeds")
    from bibconv.registry import default_registry

    if "biblatex" not in default_registry().names("readers"):
        pytest.skip("the BibLaTeX reader is not in this build (branch 'bibtex' not merged yet)")
    records = tool.load_records(tool.default_inputs())
    assert len(records) >= 140
    results = [tool.compare_style(records, style) for style in tool.ACCEPTANCE_STYLES]
    print(f"\n{len(records)} records\n" + tool.table(results))
    total = sum(r.total for r in results)
    same = sum(r.identical for r in results)
    assert same / total >= 0.99, f"only {same}/{total} entries identical to citeproc-js"
    for r in results:
        assert r.share >= 0.95, f"{r.style}: {r.share:.1%}"
    unexplained = [
        (r.style, rid, got, want)
        for r in results
        for rid, got, want in r.diffs
        if (r.style, rid) not in _explained()
    ]
    for style, rid, got, want in unexplained:
        print(f"\n[{style}] {rid}\n  bibconv:     {got}\n  citeproc-js: {want}")
    assert not unexplained, f"{len(unexplained)} differences are not explained in {DIFFERENCES.name}"


def test_differences_file_is_well_formed() -> None:
    rows = _explained()
    assert rows, "the differences file lists no rows"
    styles = {s for s, _ in rows}
    assert styles <= set(_tool().ACCEPTANCE_STYLES)
