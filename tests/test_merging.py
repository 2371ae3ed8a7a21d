"""Merging the same paper across listings: matching stages, guards, preferences, reports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bibconv
from bibconv.ir import Date, Name, Record, SourceSpan
from bibconv.merging import ABSTRACT_THRESHOLD, abstract_overlap, merge

from .strategies import records

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "listing"
FILES = [DATA / "merge_feed.txt", DATA / "merge_arxiv.txt", DATA / "merge_abstracts.txt"]
REF = {"reference_date": "2024-05-01"}


def _inputs() -> list[Record]:
    records: list[Record] = []
    for path in FILES:
        records += bibconv.read(path, options=REF).records
    return records


def _rec(id: str, **text: str) -> Record:
    return Record(id=id, type="article", text=text, span=SourceSpan("x.txt", len(id)))


def test_bibconv_merge_is_the_function() -> None:
    assert bibconv.merge is merge
    assert merge([]).records == []


def test_fixture_merge_groups() -> None:
    records = _inputs()
    assert len(records) == 9
    result = merge(records)
    # Orca (feed, arxiv, abstract), Orca 2 (feed, mixed abstract), sparse maps (feed, arxiv), glaciers (x2)
    assert result.groups == [[0, 3, 5], [1, 8], [2, 4], [6, 7]]
    assert len(result.records) == 4
    bc208 = [d for d in result.diagnostics if d.code == "BC208"]
    assert len(bc208) == 4
    assert "by title" in bc208[0].message and "abstract overlap" in bc208[0].message
    assert bc208[0].line == 1 and bc208[0].file is not None and bc208[0].file.endswith("merge_feed.txt")


def test_fixture_merged_fields_take_the_best_of_each_listing() -> None:
    orca, orca2, sparse, glacier = merge(_inputs()).records
    assert orca.text["title"] == "Orca: Segmenting Whale Song with Self-Supervised Audio"
    # the complete arXiv author list beats the feed's truncated one
    assert [n.family for n in orca.names["author"]] == ["Sato", "Eriksen", "Tanaka", "Obi"]
    assert "author" not in orca.truncated
    assert orca.text["arxiv"] == "2209.06001"
    assert orca.text["DOI"] == "10.48550/arXiv.2209.06001"
    assert orca.text["arxiv-class"] == "cs.SD"  # only the feed knew the category
    assert orca.dates["issued"] == Date(start=(2022, 9, 14))
    # newest abstract: the longest complete one (the feed's revised version)
    assert "fourth species" in orca.text["abstract"]
    assert orca.extra["feed:affiliations"] == "ocean lab"
    assert orca.span is not None and orca.span.line == 1
    assert orca.id == "sato2022orca"

    assert orca2.text["title"].startswith("Orca 2")
    assert sparse.type == "article-journal"
    assert sparse.text["DOI"] == "10.5555/reef.2023.4"
    assert sparse.text["container-title"] == "Journal of Marine Imaging 8, 101-119"
    assert sparse.text["title"] == "Sparse Maps for Coral Reef Surveys"
    assert glacier.id.startswith("abstract-")


def test_transitive_false_merge_is_refused() -> None:
    records = _inputs()
    mixed = records[8]  # starts like Orca, continues like Orca 2
    assert abstract_overlap(mixed.text["abstract"], records[0].text["abstract"]) >= ABSTRACT_THRESHOLD
    assert abstract_overlap(mixed.text["abstract"], records[1].text["abstract"]) >= ABSTRACT_THRESHOLD
    groups = merge(records).groups
    assert [1, 8] in groups and [0, 3, 5] in groups


def test_threshold_separates_versions_from_different_papers() -> None:
    records = _inputs()
    versions = [(0, 3), (0, 5), (3, 5), (2, 4), (1, 8)]
    unrelated = [(0, 2), (0, 6), (2, 6), (1, 2), (4, 6)]
    for i, j in versions:
        assert abstract_overlap(records[i].text["abstract"], records[j].text["abstract"]) >= 0.6, (i, j)
    for i, j in unrelated:
        assert abstract_overlap(records[i].text["abstract"], records[j].text["abstract"]) <= 0.05, (i, j)


def test_matches_by_doi_and_arxiv_forms() -> None:
    a = _rec("a", DOI="https://doi.org/10.1000/ABC", title="One")
    b = _rec("b", DOI="10.1000/abc", title="One, revised")
    c = _rec("c", arxiv="2101.00001")
    d = _rec("d", DOI="10.48550/arXiv.2101.00001")
    e = _rec("e", URL="https://arxiv.org/abs/2101.00001v3")
    result = merge([a, b, c, d, e])
    assert result.groups == [[0, 1], [2, 3, 4]]
    conflicts = [x.message for x in result.diagnostics if x.code == "BC209"]
    assert any("title" in m and "One, revised" in m for m in conflicts)


def test_different_identifiers_never_merge() -> None:
    text = "Identical abstract text that is long enough to make many shingles for matching here. " * 3
    a = _rec("a", arxiv="2101.00001", title="Same", abstract=text)
    b = _rec("b", arxiv="2101.00002", title="Same", abstract=text)
    assert len(merge([a, b]).records) == 2
    c = _rec("c", DOI="10.1000/x", title="Same")
    d = _rec("d", DOI="10.1000/y", title="Same")
    assert len(merge([c, d]).records) == 2


def test_generic_title_with_unrelated_abstracts_is_not_a_match() -> None:
    a = _rec(
        "a", title="Introduction", abstract="Rivers carry sediment to the sea in floods every spring season."
    )
    b = _rec(
        "b", title="Introduction", abstract="Compilers translate programs into machine code for processors."
    )
    assert len(merge([a, b]).records) == 2


def test_preferences_for_authors_dates_doi_url_and_type() -> None:
    base = {"title": "A Paper"}
    feed = Record(
        id="f",
        type="article",
        text={**base, "URL": "https://github.com/x/y"},
        names={
            "author": (Name(literal="Some Team"), Name(given="A", family="B"), Name(given="C", family="D"))
        },
        truncated=frozenset({"author"}),
        dates={"issued": Date(start=(2026, 3, 26))},
        extra={"feed:date": "Mar 26"},
    )
    arx = Record(
        id="x",
        type="paper-conference",
        text={**base, "arxiv": "2403.00001", "DOI": "10.1145/1.2", "URL": "https://arxiv.org/abs/2403.00001"},
        names={"author": (Name(given="A", family="B"), Name(given="C", family="D"))},
        dates={"issued": Date(start=(2024, 3, 2))},
    )
    other = _rec("o", title="A paper", DOI="10.48550/arXiv.2403.00001")
    merged = merge([feed, arx, other])
    assert len(merged.records) == 1
    rec = merged.records[0]
    assert rec.names["author"] == arx.names["author"]  # complete beats truncated
    assert rec.dates["issued"] == Date(start=(2024, 3, 2))  # a guessed year loses
    assert "feed:date" not in rec.extra
    assert rec.text["DOI"] == "10.1145/1.2"  # publisher DOI beats the arXiv DOI
    assert rec.text["URL"] == "https://arxiv.org/abs/2403.00001"
    assert rec.extra["merge:URL"] == "https://github.com/x/y"
    assert rec.type == "paper-conference"
    codes = [d.code for d in merged.diagnostics]
    assert codes.count("BC208") == 1 and "BC209" in codes


def test_singletons_are_unchanged() -> None:
    a = _rec("a", title="Alpha")
    b = _rec("b", title="Beta")
    result = merge([a, b])
    assert result.records == [a, b]
    assert result.diagnostics == []


def test_convert_with_merge(tmp_path: Path) -> None:
    conv = bibconv.convert(FILES, "csljson", merge=True, read_options=REF)
    assert len(conv.records) == 4
    assert any(d.code == "BC208" for d in conv.diagnostics)


def test_cli_merge_report() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bibconv",
            "convert",
            *map(str, FILES),
            "--merge",
            "--merge-report",
            "--reference-date",
            "2024-05-01",
            "-t",
            "csljson",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("merge: merged") == 4
    assert proc.stdout.count('"id"') == 4


@pytest.mark.parametrize("n", [0, 1])
def test_merge_of_tiny_inputs(n: int) -> None:
    recs = [_rec("a", abstract="x")][:n]
    assert len(merge(recs).records) == n


@given(st.lists(records(), max_size=6))
def test_merge_partitions_any_records(recs: list[Record]) -> None:
    result = merge(recs)
    flat = sorted(i for g in result.groups for i in g)
    assert flat == list(range(len(recs)))
    assert len(result.records) == len(result.groups)
    assert len({r.id for r in result.records}) == len(result.records)
    for rec, group in zip(result.records, result.groups):
        if len(group) == 1:
            assert rec.evolve(id=recs[group[0]].id) == recs[group[0]]
