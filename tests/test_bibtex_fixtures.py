"""Acceptance against ../shared/fixtures: LaTeX decoding, name splitting, BibTeX → CSL.

Each test reports its figures, requires the agreed rate, and requires every
remaining disagreement to be listed with its reason in tests/data/bibtex/, so
a regression (or an improvement) shows up as a changed list.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import shared_path
from tests.csl_fixture import run
from tests.latex_fixture import outcome as latex_outcome
from tests.names_fixture import outcome as names_outcome

DATA = Path(__file__).parent / "data" / "bibtex"


def _listed(name: str) -> list[dict[str, str]]:
    cases: list[dict[str, str]] = json.loads((DATA / name).read_text(encoding="utf-8"))["cases"]
    assert all(c["reason"].strip() for c in cases)
    return cases


def test_latex_fixture_agreement() -> None:
    cases = json.loads(shared_path("fixtures", "latex.json").read_text(encoding="utf-8"))["cases"]
    outcomes = [(c, latex_outcome(c)) for c in cases]
    ruled = [(c, o) for c, o in outcomes if isinstance(o, bool)]
    failed = {(c["src"], c["input"]) for c, o in ruled if o is False}
    passed = len(ruled) - len(failed)
    print(f"latex.json: {passed}/{len(ruled)} BibTeX-rule cases agree; {len(cases) - len(ruled)} outside")
    assert passed / len(ruled) >= 0.95
    listed = {(c["src"], c["input"]) for c in _listed("latex_known_gaps.json")}
    assert failed == listed


def test_names_fixture_agreement() -> None:
    cases = json.loads(shared_path("fixtures", "names.json").read_text(encoding="utf-8"))["cases"]
    outcomes = [(c, names_outcome(c)) for c in cases]
    ruled = [(c, o) for c, o in outcomes if o is not None]
    failed = {(c["src"], c["kind"], c["input"]) for c, o in ruled if o is False}
    passed = len(ruled) - len(failed)
    print(f"names.json: {passed}/{len(ruled)} BibTeX-rule cases agree")
    assert passed / len(ruled) >= 0.95
    listed = {(c["src"], c["kind"], c["input"]) for c in _listed("names_known_gaps.json")}
    assert failed == listed


def test_bibtex_to_csl_agreement_per_source() -> None:
    results = run(shared_path("fixtures", "bibtex-to-csl"))
    listed = json.loads((DATA / "csl_disagreements.json").read_text(encoding="utf-8"))["cases"]
    disagreeing: dict[str, list[str]] = {}
    for source, cases in results.items():
        agree = sum(1 for aspects in cases.values() if not aspects)
        print(f"bibtex-to-csl {source}: {agree}/{len(cases)} entries agree on type, title, authors, issued")
        assert agree / len(cases) >= 0.90, source
        disagreeing.update({k: v for k, v in cases.items() if v})
    assert set(disagreeing) == set(listed)
    for key, aspects in disagreeing.items():
        assert listed[key]["aspects"] == aspects, key
        assert listed[key]["reason"].strip()
