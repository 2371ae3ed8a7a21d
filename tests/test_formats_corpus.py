"""The shared corpora through every formats/ writer and back (issue 16's acceptance).

Each writer keeps what its elements or tags carry natively and the exact rest in
its catch-all, so reading its output gives the records back unchanged; with
``catch_all=False`` every variable that does not come back is named in the
record's loss report (BC204).
All three corpora are whole (jgrey: 16,579 records); each is read once per
session and each writer writes it once with and once without its catch-all.
"""

from __future__ import annotations

import pytest

import bibconv
from bibconv.formats.tagged import all_carried
from bibconv.ir import Date, Name, Record
from bibconv.keys import unique_ids
from bibconv.registry import default_registry

from .conftest import shared_path

WRITERS = ("wos", "nbib", "endnote", "cslyaml", "mods", "endnote-xml", "wordbib")
CORPORA = ("biblatex-examples.bib", "cdl.bib", "jgrey-main.bib.gz")


@pytest.fixture(scope="module", params=CORPORA)
def corpus(request: pytest.FixtureRequest) -> list[Record]:
    """The corpus's records, read once for all writers (pytest groups the tests by corpus)."""
    return bibconv.read(shared_path("corpus", request.param), "biblatex").records


@pytest.mark.slow
@pytest.mark.parametrize("fmt", WRITERS)
def test_corpus_round_trips_through_every_new_writer(corpus: list[Record], fmt: str) -> None:
    records = corpus
    assert records
    # Repeated keys (jgrey has four) are renamed by the writer and reported, as CSL-JSON and RIS do.
    expected, renames = unique_ids(records)
    out = bibconv.write(records, fmt)
    assert sorted(d.record_id for d in out.diagnostics if d.code == "BC211") == sorted(
        d.record_id for d in renames
    )
    back = bibconv.read(str(out), fmt)
    assert back.records == expected
    assert not [d for d in back.diagnostics if d.code == "BC211"]
    if all_carried() <= default_registry().writer(fmt).carries:
        return  # nothing is kept apart (CSL-YAML): without a catch-all nothing changes
    dropped = bibconv.write(records, fmt, catch_all=False)
    lossy = bibconv.read(str(dropped), fmt).records
    reported: dict[str, set[str]] = {}
    for d in dropped.diagnostics:
        if d.code == "BC204" and d.record_id and "the exact " in d.message:
            named = d.message.split("the exact ", 1)[1].rsplit("; ", 1)[0]
            reported.setdefault(d.record_id, set()).update(named.split(", "))
    for a, b in zip(expected, lossy, strict=True):
        changed = _changed(a, b.evolve(id=a.id))
        assert changed <= reported.get(a.id, set()), (a.id, changed - reported.get(a.id, set()))


def _changed(a: Record, b: Record) -> set[str]:
    """The variables (extra: its keys) whose values differ between two records."""
    out = {
        k
        for m, n in ((a.text, b.text), (a.names, b.names), (a.dates, b.dates), (a.extra, b.extra))
        for k in set(m) | set(n)
        if m.get(k) != n.get(k)
    }
    if a.type != b.type:
        out.add("type")
    if a.truncated != b.truncated:
        out.add("truncated")
    return out


@pytest.mark.parametrize("fmt", WRITERS)
def test_a_repeated_key_is_renamed_when_written(fmt: str) -> None:
    """Regression (found by the whole jgrey corpus): the new writers wrote a repeated
    key as it was, so MODS had two equal XML IDs and the readers renamed on reading;
    now the writer renames it with BC211, as the CSL-JSON and RIS writers do."""
    records = [
        Record(id="same", type="book", text={"title": "One"}, names={"author": (Name(family="A"),)}),
        Record(id="same", type="book", text={"title": "Two"}, dates={"issued": Date(start=(2001,))}),
    ]
    out = bibconv.write(records, fmt)
    assert [(d.code, d.record_id) for d in out.diagnostics if d.code == "BC211"] == [("BC211", "same")]
    back = bibconv.read(str(out), fmt)
    assert [r.id for r in back.records] == ["same", "samea"]
    assert [r.text["title"] for r in back.records] == ["One", "Two"]
    assert not [d for d in back.diagnostics if d.code == "BC211"]


def test_a_variable_the_output_adds_is_in_the_loss_report() -> None:
    """Regression (found by the whole jgrey corpus): without the catch-all, a value
    that comes back under another name (here a DOI no DOI pattern accepts, read
    back as the extra ``nbib:AID``) changed the record, but the loss report named
    only the DOI."""
    record = Record(id="k", type="article-journal", text={"title": "T", "DOI": "10.1/x"})
    dropped = bibconv.write([record], "nbib", catch_all=False)
    (back,) = bibconv.read(str(dropped), "nbib").records
    assert back.extra == {"nbib:AID": "10.1/x [doi]"}
    (loss,) = [d for d in dropped.diagnostics if d.code == "BC204"]
    assert "DOI, nbib:AID;" in loss.message
