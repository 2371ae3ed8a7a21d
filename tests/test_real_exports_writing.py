"""Writing what reference managers import (issue 14, items 9, 13-16, 21)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import bibconv
from bibconv.ir import Record
from bibconv.keys import MAX_KEY_LENGTH, make_key
from bibconv.stream import convert_stream

DUPLICATES = "".join(f"@book{{x, title = {{T{i}}}}}\n" for i in range(3)) + "@book{y, title = {U}}\n"


# -- item 15: unique ids in every output, renamed the same way -------------------------------


@pytest.mark.parametrize("to", ["csljson", "ris", "bibtex", "biblatex"])
def test_repeated_keys_are_renamed_alike_in_every_output(to: str) -> None:
    records = bibconv.read(DUPLICATES, "bibtex").records
    out = bibconv.write(records, to)
    if to == "csljson":
        ids = [item["id"] for item in json.loads(str(out))]
    elif to == "ris":
        ids = [line[6:] for line in str(out).splitlines() if line.startswith("ID  - ")]
    else:
        ids = [line[line.index("{") + 1 : -1] for line in str(out).splitlines() if line.startswith("@")]
    assert ids == ["x", "xa", "xb", "y"]
    renames = [d for d in out.diagnostics if d.code == "BC211"]
    assert [d.message.rsplit(" ", 1)[-1] for d in renames] == ["'xa'", "'xb'"]


@pytest.mark.parametrize("to", ["csljson", "ris"])
@pytest.mark.parametrize("jobs", [1, 2])
def test_streamed_output_renames_across_blocks_like_write(to: str, jobs: int, tmp_path: Path) -> None:
    src = tmp_path / "dups.bib"
    body = "".join(f"@book{{k{i % 7}, title = {{Title {i}}}}}\n\n" for i in range(3000))
    src.write_text(body)
    sink = io.StringIO()
    stats = convert_stream([src], to, sink, jobs=jobs)
    whole = bibconv.convert([src], to)
    assert sink.getvalue() == whole.text
    renames = sorted(d.message for d in stats.diagnostics if d.code == "BC211")
    assert renames == sorted(d.message for d in whole.diagnostics if d.code == "BC211")
    assert len(renames) == 3000 - 7


# -- item 21: generated keys are capped --------------------------------------------------------


def test_generated_key_from_a_huge_title_is_capped() -> None:
    record = Record(id="", type="book", text={"title": "x" * 2_000_000 + " more"})
    key = make_key(record)
    assert 0 < len(key) <= MAX_KEY_LENGTH
    long_pattern = make_key(record, "{title}{title}{title}")
    assert len(long_pattern) == MAX_KEY_LENGTH
    out = bibconv.write([record], "bibtex")
    assert len(str(out).splitlines()[0]) <= MAX_KEY_LENGTH + len("@book{,")
