"""Why bibconv has its own BibTeX lexer instead of bibtexparser 2.x (see also benchmarks/bibtex_read.py).

Each test shows a behaviour of bibtexparser that would break a requirement,
next to bibconv's behaviour on the same input.
"""

from __future__ import annotations

import bibtexparser
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts

from bibconv.formats.bibtex.reader import read_bibtex
from bibconv.ir import Name

BROKEN = "@article{b, title = {broken {brace}, year = 2000}\n\n@article{c, title = {Fine}}\n"


def test_an_unbalanced_entry_is_kept_not_dropped() -> None:
    lib = bibtexparser.parse_string(BROKEN)
    assert [e.key for e in lib.entries] == ["c"]  # bibtexparser loses entry b entirely
    result = read_bibtex(BROKEN)
    assert [r.id for r in result.records] == ["b", "c"]  # bibconv keeps b, with a diagnostic
    assert [d.code for d in result.diagnostics if d.code == "BC104"] == ["BC104"]


def test_names_are_split_before_latex_decoding() -> None:
    text = "@article{x, author = {{Gemini Team} and Doe, J.}, title = {A}}"
    lib = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()]
    )
    assert lib.entries[0]["author"][0].last == ["Team"]  # the organisation was split as a person
    record = read_bibtex(text).records[0]
    assert record.names["author"][0] == Name(literal="Gemini Team")
