"""The CSL processor test suite through bibconv.csl (see tools/csl_suite.py for the rules).

The set of failing fixtures must equal tests/data/csl/suite_failures.json: a new
failure and a newly passing fixture both fail this test (regenerate the list with
``python tools/csl_suite.py --write-failures`` after checking the difference).
"""

from __future__ import annotations

import json

import pytest
from tools import csl_suite

from tests.conftest import shared_path


def test_suite_failures_match_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    shared_path("csl-test-suite", "processor-tests", "humans")
    results = csl_suite.run_all()
    assert len(results) == 845
    with capsys.disabled():
        print("\n" + csl_suite.figures(results))
    failing = {n for n, r in results.items() if r is not None}
    listed = json.loads(csl_suite.FAILURES.read_text(encoding="utf-8"))
    assert all(isinstance(v, str) and v.strip() for v in listed.values())
    new_failures = sorted(failing - set(listed))
    now_passing = sorted(set(listed) - failing)
    assert not new_failures, f"fixtures that now fail: {new_failures}"
    assert not now_passing, f"fixtures that now pass (remove them from the list): {now_passing}"


def test_normalise_only_touches_whitespace_and_markers() -> None:
    assert csl_suite.normalise('<div>\n  <div class="csl-entry">a  b</div>\n</div>') == (
        '<div><div class="csl-entry">a b</div></div>'
    )
    assert csl_suite.normalise("..[0] A\n>>[1] B") == "[0] A\n[1] B"
    assert csl_suite.normalise("A.") != csl_suite.normalise("A")
