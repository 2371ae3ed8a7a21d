"""Rendering a bibliography in worker processes gives exactly the one-process result.

Sorting and year-suffix disambiguation need every entry and stay in the
parent; only the per-entry rendering is spread, so everything that looks
across entries (subsequent-author-substitute, "2020a"/"2020b", sort order)
must still come out the same.
"""

from __future__ import annotations

from typing import Any

import pytest

import bibconv
from bibconv.citation import render
from bibconv.ir import Date, Name, Record

from .conftest import shared_path


def _records() -> list[Record]:
    """The biblatex examples, plus same-author same-year pairs (suffixes, substitutes)."""
    records = list(bibconv.read(shared_path("corpus", "biblatex-examples.bib"), "biblatex").records)
    knuth = (Name(family="Knuth", given="Donald E."),)
    for n in range(6):
        records.append(
            Record(
                id=f"knuth{n}",
                type="book",
                text={"title": f"Volume {n}", "publisher": "Addison-Wesley"},
                names={"author": knuth},
                dates={"issued": Date(start=(1973 + n // 3,))},
            )
        )
    return records


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "ieee", "modern-language-association"])
def test_workers_render_what_one_process_renders(style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "PARALLEL_MIN_ENTRIES", 10)
    records = _records()
    one = render.render_bibliography(records, style, jobs=1)
    two = render.render_bibliography(records, style, jobs=3)
    assert [(e.record.id, e.text) for e in two.entries] == [(e.record.id, e.text) for e in one.entries]
    assert two.diagnostics == one.diagnostics
    assert len(one.entries) > 0.9 * len(records)  # the comparison covers nearly every record


def test_an_entry_failing_in_a_worker_is_reported_as_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "PARALLEL_MIN_ENTRIES", 10)
    records = _records()
    layout = render.load_style("apa", None).style.root.bibliography.layout
    original = type(layout).render_bibliography

    def broken(self: Any, items: Any, *args: Any, **kwargs: Any) -> Any:
        if items[0].key == "knuth2":
            raise ValueError("boom")
        return original(self, items, *args, **kwargs)

    monkeypatch.setattr(type(layout), "render_bibliography", broken)
    one = render.render_bibliography(records, "apa", jobs=1)
    two = render.render_bibliography(records, "apa", jobs=2)
    assert two.diagnostics == one.diagnostics
    assert [d.message for d in one.diagnostics if d.record_id == "knuth2"] == [
        "citation processor failed on this record (bibliography entry): ValueError: boom"
    ]
    assert [e.text for e in two.entries] == [e.text for e in one.entries]


def test_convert_passes_jobs_to_formatted_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """``convert -j N -t text`` renders in workers; the text is the one-process text."""
    import io

    from bibconv.stream import convert_stream

    monkeypatch.setattr(render, "PARALLEL_MIN_ENTRIES", 10)
    seen: list[int] = []
    real = render._render_parallel

    def spy(loaded: Any, items: Any, jobs: int, progress: Any = None) -> Any:
        seen.append(jobs)
        return real(loaded, items, jobs, progress)

    monkeypatch.setattr(render, "_render_parallel", spy)
    path = shared_path("corpus", "biblatex-examples.bib")
    outs = []
    for jobs in (1, 2):
        out = io.StringIO()
        convert_stream(path, "html", out, from_format="biblatex", jobs=jobs, style="apa")
        outs.append(out.getvalue())
    assert outs[0] == outs[1]
    assert seen == [2]
