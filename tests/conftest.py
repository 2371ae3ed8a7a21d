"""Shared test fixtures: paths to ../shared and a hypothesis profile for CI."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


#: The reason every test needing ../shared gives; the end-of-run summary groups on it.
SHARED_ABSENT = "../shared is absent (run with ../shared beside the checkout)"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; the test is skipped when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{SHARED_ABSENT}: {path} is not present")
    return path


def skip_group(reason: str) -> str:
    """The group a skip reason counts in: its text before the first ': ' (details such as a path follow it).

    Why: a skip reason names the missing thing first and the instance after a
    colon (``../shared is absent ...: /path/x.bib is not present``), so the
    head is what a reader of the summary needs: what to install or provide.
    """
    text = reason.removeprefix("Skipped: ").strip()
    return text.split(": ", 1)[0] or "no reason given"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One line per reason group at the end of the run: how many tests skipped, and why.

    pytest's own ``-ra`` lines are per test location and scroll by; this says
    in a few lines what a run did not cover (../shared absent, an external
    program missing), so a green run is not mistaken for a full one.
    """
    groups: Counter[str] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = getattr(report, "longrepr", None)
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        groups[skip_group(reason)] += 1
    if not groups:
        return
    terminalreporter.write_sep("-", "skipped tests by reason")
    for group, count in groups.most_common():
        terminalreporter.write_line(f"{count} skipped: {group}")


@pytest.fixture
def shared() -> Path:
    """The ../shared folder."""
    return shared_path()
