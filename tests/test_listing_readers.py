"""The abstracts, feed and arxiv readers on invented fixtures, detection, and robustness."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bibconv
from bibconv.formats.listing.reader import AbstractsReader, ArxivReader, FeedReader
from bibconv.formats.listing.tex import decode_tex
from bibconv.ir import Date, Name
from bibconv.registry import default_registry

DATA = Path(__file__).parent / "data" / "listing"
REF = {"reference_date": "2024-05-01"}


def _read(name: str, fmt: str | None = None) -> bibconv.ReadResult:
    return bibconv.read(DATA / name, fmt, options=REF)


def _codes(result: bibconv.ReadResult) -> list[str]:
    return [d.code for d in result.diagnostics]


# -- detection -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("feed.txt", "feed"),
        ("feed_unsure.txt", "feed"),
        ("abstracts.txt", "abstracts"),
        ("arxiv.txt", "arxiv"),
    ],
)
def test_detection_picks_the_dialect(name: str, fmt: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    assert default_registry().choose_reader(text, name) == fmt


def test_sniffers_reject_other_formats() -> None:
    csl = json.dumps([{"id": "a", "type": "book", "title": "Abstract: not a listing"}])
    bib = "@article{a,\n  title = {Abstract:},\n  note = {arXiv:2101.00001}\n}\n"
    ris = "TY  - JOUR\nTI  - LGNov 15, 2022\nER  - \n"
    for text in (csl, bib, ris):
        for reader in (AbstractsReader(), FeedReader(), ArxivReader()):
            assert reader.sniff(text) < 0.5, (reader.name, text)


def test_sniff_scores_are_proportions() -> None:
    half = "Abstract:One paper.\nSome other line.\n"
    assert AbstractsReader().sniff(half) == pytest.approx(0.5)
    assert FeedReader().sniff("") == 0.0
    assert ArxivReader().sniff("just a paragraph\n\nand another\n") == 0.0


# -- feed ------------------------------------------------------------------


def test_feed_records_and_header_fields() -> None:
    result = _read("feed.txt")
    recs = result.records
    assert len(recs) == 5
    first = recs[0]
    assert first.type == "article"
    assert first.text["title"] == "GraphFlow.js: Training Graph Networks in the Browser"
    assert first.names["author"] == (
        Name(given="Marta", family="Quintero"),
        Name(given="Tamara", non_dropping_particle="von", family="Glehn"),
        Name(given="Jean-Luc", family="Okafor-Smith"),
    )
    assert "author" not in first.truncated
    assert first.text["arxiv-class"] == "cs.LG"
    assert first.dates["issued"] == Date(start=(2021, 2, 3))
    assert first.extra["feed:affiliations"] == "example university, quarkdata"
    assert "3% to 40%" in first.text["abstract"]  # TeX decoded
    assert first.span is not None and first.span.line == 1
    assert [r.span.line for r in recs if r.span] == [1, 4, 7, 10, 13]


def test_feed_score_code_flag_and_year_less_date() -> None:
    result = _read("feed.txt")
    rec = result.records[1]
    assert rec.extra["feed:score"] == "88.2"
    assert rec.extra["feed:code"] == "yes"
    assert rec.dates["issued"] == Date(start=(2024, 10, 12))  # year of the reference date
    assert rec.extra["feed:date"] == "Oct 12"
    assert rec.truncated == frozenset({"author"})
    assert rec.text["abstract"].startswith("We study") and "<i>retrieval</i>" in rec.text["abstract"]
    bc207 = [d for d in result.diagnostics if d.code == "BC207"]
    assert len(bc207) == 1 and bc207[0].line == 4 and bc207[0].record_id == rec.id


def test_feed_reference_date_defaults_to_today_and_bad_values_are_reported() -> None:
    import datetime as dt

    text = (DATA / "feed.txt").read_text(encoding="utf-8")
    today = bibconv.read(text, "feed").records[1].dates["issued"]
    assert today.start == (dt.date.today().year, 10, 12)
    bad = bibconv.read(text, "feed", options={"reference_date": "next tuesday"})
    assert "BC150" in _codes(bad)
    as_date = bibconv.read(text, "feed", options={"reference_date": dt.date(2001, 1, 1)})
    assert as_date.records[1].dates["issued"].start == (2001, 10, 12)


def test_feed_organisations_and_unknown_subject() -> None:
    recs = _read("feed.txt").records
    assert recs[2].names["author"][0] == Name(literal="Borealis Vision Team")
    assert recs[2].text["title"] == "Pixel Sorting 2"
    assert recs[3].names["author"][0] == Name(literal="Open Juggling Collaboration")
    assert recs[3].text["title"] == "Can Robots Learn to Juggle?"
    assert recs[4].extra["feed:subject"] == "QX"
    assert "arxiv-class" not in recs[4].text


def test_feed_unsure_split_and_incomplete_record_are_reported_not_dropped() -> None:
    result = _read("feed_unsure.txt")
    assert len(result.records) == 2
    first, second = result.records
    assert first.text["title"] == "A Letter Without Any Author List At All"
    assert "author" not in first.names
    bc206 = [d for d in result.diagnostics if d.code == "BC206"]
    assert len(bc206) == 1 and bc206[0].line == 2
    assert second.dates["issued"] == Date(start=(2023, 1, 10))
    assert "BC152" in _codes(result)


def test_feed_orphan_lines_and_extra_lines_are_reported() -> None:
    text = "Page title\nAIJan 9, 2023\nA TitleAnn Lee, Bo Li\nAbstract one.\nwrapped rest.\n"
    result = bibconv.read(text, "feed")
    assert [d.line for d in result.diagnostics if d.code == "BC116"] == [1, 5]
    assert result.records[0].text["abstract"] == "Abstract one. wrapped rest."


def test_feed_cross_listed_subject() -> None:
    result = bibconv.read("MLJan 9, 2023\nA TitleAnn Lee, Bo Li\nText.\n", "feed")
    assert result.records[0].text["arxiv-class"] == "stat.ML"
    assert result.diagnostics == []


def test_feed_impossible_date_is_kept_as_literal() -> None:
    result = bibconv.read("AIFeb 30, 2023\nA TitleAnn Lee, Bo Li\nText.\n", "feed")
    assert result.records[0].dates["issued"] == Date(literal="Feb 30, 2023")
    assert "BC202" in _codes(result)


# -- abstracts -------------------------------------------------------------


def test_abstracts_records_tex_and_code_links() -> None:
    result = _read("abstracts.txt")
    recs = result.records
    assert len(recs) == 4
    assert recs[0].text["abstract"].startswith("We introduce <i>Quillwork</i>")
    assert "97% of the easy proofs" in recs[0].text["abstract"]
    assert recs[0].text["URL"] == "https://github.com/example-lab/quillwork"
    # a link to someone else's data is not the paper's URL
    assert "URL" not in recs[1].text
    assert "Gödel" in recs[2].text["abstract"] and "<b>typed</b>" in recs[2].text["abstract"]
    assert "$O(n^2)$" in recs[2].text["abstract"]  # maths stays as written
    assert recs[2].text["abstract"].endswith("was wrapped when the abstract above was pasted.")
    assert recs[3].text["URL"] == "https://example-lab.github.io/tiny-planets/"
    assert [r.span.line for r in recs if r.span] == [1, 2, 3, 7]
    assert all(r.type == "article" and not r.names and not r.dates for r in recs)
    codes = _codes(result)
    assert {"BC114", "BC116", "BC119"} <= set(codes)


def test_abstract_keys_are_stable_and_shared_across_files() -> None:
    line = "Abstract:The same abstract pasted twice.\n"
    a = bibconv.read(line, "abstracts").records[0].id
    b = bibconv.read("Abstract:Another one.\n" + line, "abstracts").records[1].id
    assert a == b and a.startswith("abstract-")


def test_tex_decoder() -> None:
    assert decode_tex(r"97\% \& \emph{x} \'e \c{c} \ss{} $\alpha$") == ("97% & <i>x</i> é ç ß $\\alpha$", [])
    assert decode_tex("a <i> b")[0] != "a <i> b"  # literal tag look-alikes are broken up
    assert decode_tex(r"\weird x") == (r"\weird x", ["weird"])
    assert decode_tex(r"G{\"o}del, Fran{\c{c}}ois, {\'e}t{\'e}") == ("Gödel, François, été", [])


# -- arxiv -----------------------------------------------------------------


def test_arxiv_full_block() -> None:
    result = _read("arxiv.txt")
    rec = result.records[0]
    assert rec.text["title"] == "Orbital Resonances in Tiny Planetary Systems"
    assert rec.names["author"][1] == Name(given="Hugo", non_dropping_particle="van der", family="Berg")
    assert rec.truncated == frozenset({"author"})
    assert rec.text["arxiv"] == "2301.01234"
    assert rec.text["URL"] == "https://arxiv.org/abs/2301.01234"
    assert rec.text["DOI"] == "10.48550/arXiv.2301.01234"
    assert rec.text["publisher"] == "arXiv" and rec.text["number"] == "arXiv:2301.01234"
    assert rec.type == "article"
    assert rec.dates["issued"] == Date(start=(2023, 1, 4))
    assert rec.text["note"] == "14 pages, 6 figures" and rec.text["number-of-pages"] == "14"
    assert rec.text["abstract"].startswith("We simulate 120")
    assert rec.span is not None and rec.span.line == 1


def test_arxiv_journal_reference_and_publisher_doi() -> None:
    recs = _read("arxiv.txt").records
    conf = recs[1]
    assert conf.type == "paper-conference"
    assert conf.text["container-title"].startswith("Proceedings of the 3rd Workshop")
    assert conf.text["arxiv"] == "2302.04567" and conf.extra["arxiv:version"] == "v2"
    assert conf.text["DOI"] == "10.48550/arXiv.2302.04567"
    assert "publisher" not in conf.text
    assert "title" not in conf.text and "author" not in conf.names  # optional in the dialect
    journal = recs[2]
    assert journal.type == "article-journal"
    assert journal.text["DOI"] == "10.1234/jgeo.2021.77"
    assert journal.text["container-title"] == "Journal of Imaginary Geophysics 12(3), 45-67"
    assert journal.dates["issued"] == Date(start=(2021, 3, 1))
    assert journal.id == "arXiv:2103.00042"


def test_arxiv_bad_blocks_are_reported_not_dropped() -> None:
    result = _read("arxiv.txt")
    assert len(result.records) == 5
    broken, cut = result.records[3], result.records[4]
    assert broken.extra["arxiv:id"] == "notanid"
    assert broken.dates["issued"] == Date(literal="2020-13-45")
    assert cut.text["abstract"].startswith("A final abstract")
    codes = _codes(result)
    assert {"BC306", "BC202", "BC152"} <= set(codes)
    assert next(d for d in result.diagnostics if d.code == "BC152").line == 28


def test_arxiv_authors_without_title() -> None:
    text = (
        "Ann Lee, Bo Chen, Cy Diaz\n\n"
        "An abstract that is the longest paragraph of this block.\n\narXiv:2201.00001\n"
    )
    rec = bibconv.read(text, "arxiv").records[0]
    assert [n.family for n in rec.names["author"]] == ["Lee", "Chen", "Diaz"]
    assert "title" not in rec.text


# -- robustness --------------------------------------------------------------

_LISTINGISH = st.lists(
    st.one_of(
        st.text(max_size=80),
        st.sampled_from(
            [
                "Abstract:",
                "Abstract:x",
                "LGNov 15, 2022",
                "70.5AIMar 26Code",
                "AIFeb 30",
                "arXiv:2101.00001 - doi: 10.1/x. J",
                "arXiv:",
                "Created: 2020-02-31",
                "",
                "Title HereAnn Lee et al. · x",
                " · ",
                "\\emph{",
                "\\emph{}",
                "Abstract:\\textbf{ }",
                "AIJan 1, 2020",
                "\\emph{}Ann Lee, Bo Chen",
                "arXiv:2101.00001 - \\emph{}",
                '{\\"o}',
                "$",
            ]
        ),
    ),
    max_size=12,
).map("\n".join)


@pytest.mark.parametrize("reader", [AbstractsReader(), FeedReader(), ArxivReader()], ids=lambda r: r.name)
@given(text=_LISTINGISH)
def test_readers_never_raise(reader: AbstractsReader | FeedReader | ArxivReader, text: str) -> None:
    result = reader.read(text, options=REF)
    assert isinstance(result.diagnostics, list)
    assert 0.0 <= reader.sniff(text) <= 1.0
    for rec in result.records:
        assert rec.span is not None and rec.span.line is not None
    ids = [r.id for r in result.records]
    assert len(ids) == len(set(ids))
    json.loads(bibconv.write(result.records, "csljson"))


def test_docs_example_feed_reads_cleanly() -> None:
    path = Path(__file__).resolve().parent.parent / "docs" / "examples" / "feed.txt"
    text = path.read_text(encoding="utf-8")
    assert default_registry().choose_reader(text, str(path)) == "feed"
    result = bibconv.read(path)
    assert len(result.records) == 3
    assert result.diagnostics == []
    assert all(
        r.text.get("title") and r.names.get("author") and r.dates.get("issued") for r in result.records
    )


def test_arxiv_title_wrapped_over_two_lines() -> None:
    text = (
        "A Long Title That the Page\nWrapped onto a Second Line\nAnn Lee, Bo Chen\n\n"
        "The abstract paragraph, which is the longest one here by some margin.\n\n"
        "arXiv:2201.00002\nCreated: 2022-01-02\n"
    )
    result = bibconv.read(text, "arxiv")
    rec = result.records[0]
    assert rec.text["title"] == "A Long Title That the Page Wrapped onto a Second Line"
    assert [n.family for n in rec.names["author"]] == ["Lee", "Chen"]
    assert result.diagnostics == []


def test_arxiv_title_and_long_author_list_in_separate_paragraphs() -> None:
    authors = ", ".join(f"Ann{chr(97 + i % 26)} Lee{chr(97 + i // 26)}" for i in range(200))
    text = f"A Title\n\n{authors}\n\nThe abstract, shorter than the author list.\n\narXiv:2201.00003\n"
    rec = bibconv.read(text, "arxiv").records[0]
    assert rec.text["title"] == "A Title"
    assert len(rec.names["author"]) == 200
    assert rec.text["abstract"] == "The abstract, shorter than the author list."


def test_unrelated_text_gives_one_diagnostic_not_one_per_line() -> None:
    text = "".join(f"@misc{{k{i}, title = {{T}}}}\n" for i in range(500))
    for fmt in ("abstracts", "feed"):
        result = bibconv.read(text, fmt)
        assert [d.code for d in result.diagnostics].count("BC116") == 1, fmt
        assert result.diagnostics[0].line == 1


def test_arxiv_detected_when_the_head_ends_inside_a_long_author_list() -> None:
    authors = ", ".join(f"Given{chr(97 + i % 26)} Family{chr(97 + i // 26 % 26)}" for i in range(2000))
    text = f"A Title\n{authors}\n\nThe abstract.\n\narXiv:2201.00004\nCreated: 2022-01-04\n"
    assert len(text) > 8192
    assert default_registry().choose_reader(text) == "arxiv"
    assert ArxivReader().sniff("A Title\nnot names here, at all\n") == 0.0
