"""Pandoc's citation syntax (bibconv.citation.citesyntax) and ``bibconv cite`` with it."""

from __future__ import annotations

import pytest

from bibconv.citation.citesyntax import CitationSyntaxError, parse_citations
from bibconv.cli import main
from bibconv.csl import Cite
from tests.conftest import shared_path


def _cites(text: str) -> list[list[Cite]]:
    return [list(c.items) for p in parse_citations(text) for c in p.citations]


def test_bracketed_citation_with_locator_and_second_cite() -> None:
    ((a, b),) = _cites("[@knuth1984, p. 33; @lamport1994]")
    assert (a.id, a.locator, a.label, a.suffix) == ("knuth1984", "33", "page", "")
    assert (b.id, b.locator) == ("lamport1994", None)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("[see @doe99, pp. 33-35 and *passim*]", ("doe99", "see ", "33-35", "page", " and *passim*", False)),
        ("[-@smith04]", ("smith04", "", None, None, "", True)),
        ("[@a, 33]", ("a", "", "33", "page", "", False)),  # a bare number is a page
        ("[@a, chap. 3, and elsewhere]", ("a", "", "3", "chapter", ", and elsewhere", False)),
        ("[@{odd key}, §§ 2-4]", ("odd key", "", "2-4", "section", "", False)),
        ("[@a, civil war]", ("a", "", None, None, ", civil war", False)),  # a word is no roman numeral
        ("[@a, p. vi]", ("a", "", "vi", "page", "", False)),
        ("[@knuth:ct:a.]", ("knuth:ct:a", "", None, None, ".", False)),  # trailing '.' is not in the key
    ],
)
def test_one_cite(text: str, want: tuple[object, ...]) -> None:
    ((c,),) = _cites(text)
    assert (c.id, c.prefix, c.locator, c.label, c.suffix, c.suppress_author) == want


def test_author_in_text_is_two_citations() -> None:
    (p,) = parse_citations("@key [p. 4]")
    assert p.author_in_text
    author, rest = p.citations
    assert [(c.id, c.author_only) for c in author.items] == [("key", True)]
    assert [(c.id, c.suppress_author, c.locator) for c in rest.items] == [("key", True, "4")]


def test_several_citations_and_errors() -> None:
    assert len(parse_citations("[@a] @b [@c; @d]")) == 3
    with pytest.raises(CitationSyntaxError, match="column 1"):
        parse_citations("knuth")
    with pytest.raises(CitationSyntaxError, match="never closed"):
        parse_citations("[@a, p. 3")
    with pytest.raises(CitationSyntaxError, match="no @key"):
        parse_citations("[see also]")


def test_cli_cite_in_pandoc_syntax(capsys: pytest.CaptureFixture[str]) -> None:
    bib = str(shared_path("corpus", "biblatex-examples.bib"))
    code = main(
        ["cite", bib, "[@knuth:ct:a, p. 33; @sigfridsson]", "@sigfridsson [p. 4]", "--style", "apa", "-q"]
    )
    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        "(Knuth, 1984, p. 33; Sigfridsson & Ryde, 1998)",
        "Sigfridsson & Ryde (1998, p. 4)",
    ]
    assert main(["cite", bib, "[@nokey]", "-q"]) == 1


def test_cli_cite_syntax_error_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    bib = str(shared_path("corpus", "biblatex-examples.bib"))
    assert main(["cite", bib, "[see also]", "-q"]) == 2
    assert "no @key" in capsys.readouterr().err
