"""PubMed XML (read only): Biopython's efetch samples, bibutils agreement, safety."""

from __future__ import annotations

from pathlib import Path

import pytest

import bibconv
from bibconv.registry import default_registry

from .formats_compare import bibutils_records, check_agreement, format_agreement

DATA = Path(__file__).parent / "data" / "formats" / "pubmed-xml"
SAMPLES = sorted(DATA.glob("*.xml"))


def _one_article_a_line(data: bytes) -> bytes:
    """bibutils' med2xml reads one article per line of input; efetch puts a set on one line."""
    return data.replace(b"</PubmedArticle><PubmedArticle>", b"</PubmedArticle>\n<PubmedArticle>")


def test_agreement_with_bibutils_over_all_samples() -> None:
    results = []
    for sample in SAMPLES:
        ours = bibconv.read(sample).records
        theirs = bibutils_records("med2xml", _one_article_a_line(sample.read_bytes()))
        results.append(check_agreement(DATA, f"read:{sample.name}", ours, theirs))
    format_agreement(results)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_is_detected_and_read_cleanly(sample: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    assert default_registry().choose_reader(text) == "pubmed-xml"
    result = bibconv.read(text, "pubmed-xml")
    assert len(result.records) == 2
    assert not [d for d in result.diagnostics if d.severity.name in ("ERROR", "WARNING")]


def test_article_fields() -> None:
    first = bibconv.read(DATA / "pubmed2.xml").records[0]
    assert first.type == "article-journal"
    assert first.text["PMID"] == "11748933"
    assert first.text["DOI"] == "10.1006/cryo.2001.2328"
    assert first.text["page"] == "244-255"  # MedlinePgn 244-55 in full
    assert first.text["container-title-short"] == "Cryobiology"
    assert first.dates["issued"].start == (2001, 6)
    # NLM writes initials without points (ForeName "A R"); read as the nbib reader reads FAU
    assert [(n.family, n.given) for n in first.names["author"][:2]] == [
        ("Taddei", "A. R."),
        ("Barbato", "F."),
    ]
    assert first.text["publisher-place"] == "Netherlands"  # MedlineJournalInfo/Country, MEDLINE's PL
    assert "Sperm Motility" in first.extra["pubmed:MeshHeading"]


def test_no_writer_and_a_clear_error() -> None:
    assert "pubmed-xml" in default_registry().names("readers")
    assert "pubmed-xml" not in default_registry().names("writers")


def test_structured_abstract_book_and_missing_article() -> None:
    text = """<PubmedArticleSet>
<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>T</ArticleTitle>
<Abstract><AbstractText Label="BACKGROUND">b</AbstractText>
<AbstractText Label="RESULTS">r</AbstractText></Abstract>
<Journal><JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate>
</JournalIssue></Journal>
</Article></MedlineCitation></PubmedArticle>
<PubmedArticle><MedlineCitation><PMID>4</PMID><Article><ArticleTitle>S</ArticleTitle>
<Journal><JournalIssue><PubDate><Year>2013</Year><Season>Spring</Season></PubDate></JournalIssue></Journal>
</Article></MedlineCitation></PubmedArticle>
<PubmedBookArticle><BookDocument><PMID>2</PMID><ArticleTitle>Chapter</ArticleTitle>
<Book><BookTitle>The Book</BookTitle><Publisher><PublisherName>P</PublisherName></Publisher>
<PubDate><Year>2009</Year></PubDate></Book></BookDocument></PubmedBookArticle>
<PubmedArticle><MedlineCitation><PMID>3</PMID></MedlineCitation></PubmedArticle>
</PubmedArticleSet>"""
    result = bibconv.read(text, "pubmed-xml", file="x.xml")
    art, season, book, bare = result.records
    assert (season.dates["issued"].year, season.dates["issued"].season) == (2013, 1)
    assert art.text["abstract"] == "BACKGROUND: b\nRESULTS: r"
    assert art.dates["issued"].year == 1998
    assert (book.type, book.text["container-title"], book.text["publisher"]) == ("chapter", "The Book", "P")
    assert bare.text == {"PMID": "3"}
    assert [(d.code, d.line) for d in result.diagnostics if d.code == "BC143"] == [("BC143", 14)]
