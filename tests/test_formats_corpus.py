"""The shared corpora through every formats/ writer and back (issue 16's acceptance).

Each writer keeps what its elements or tags carry natively and the exact rest in
its catch-all, so reading its output gives the records back unchanged; with
``catch_all=False`` whatever does not come back is named in the loss report.
"""

from __future__ import annotations

import pytest

import bibconv
from bibconv.ir import Record
from bibconv.registry import declares, default_registry

from .conftest import shared_path

WRITERS = ("wos", "nbib", "endnote", "cslyaml", "mods", "endnote-xml", "wordbib")
#: The jgrey corpus is large: a slice keeps the test minutes shorter, the other two are whole.
JGREY_RECORDS = 400


def _corpus(name: str) -> list[Record]:
    path = shared_path("corpus", name)
    records = bibconv.read(path, "biblatex").records
    return records[:JGREY_RECORDS] if name.startswith("jgrey") else records


@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["biblatex-examples.bib", "cdl.bib", "jgrey-main.bib.gz"])
@pytest.mark.parametrize("fmt", WRITERS)
def test_corpus_round_trips_through_every_new_writer(corpus: str, fmt: str) -> None:
    records = _corpus(corpus)
    assert records
    out = bibconv.write(records, fmt)
    back = bibconv.read(str(out), fmt).records
    assert back == records
    # CSL-YAML carries everything and has no catch-all to turn off (its typed options refuse one)
    no_catch_all = {"catch_all": False} if declares(type(default_registry().writer(fmt)), "catch_all") else {}
    dropped = bibconv.write(records, fmt, **no_catch_all)
    lossy = bibconv.read(str(dropped), fmt).records
    reported = {d.record_id for d in dropped.diagnostics if d.code == "BC204"}
    changed = {a.id for a, b in zip(records, lossy, strict=True) if a != b.evolve(id=a.id)}
    assert changed <= reported | {r.id for r in records if r.extra}
