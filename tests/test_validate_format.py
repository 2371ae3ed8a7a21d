"""``bibconv format`` keeps what a file says: the reader sees the same records before and after."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bibconv.formats.bibtex.reader import read_bibtex
from bibconv.formats.bibtex.writer import write_bibtex
from bibconv.ir import Record
from bibconv.validate.fmt import format_bibtex
from tests.strategies import records


def _lists() -> st.SearchStrategy[list[Record]]:
    return st.lists(records(), max_size=4, unique_by=lambda r: r.id.lower())


def _messy(text: str, upper: bool) -> str:
    """The same entries with capitalised types and field names, as people write them."""
    if not upper:
        return text
    return text.replace("  title = ", "  TITLE = ").replace("@article{", "@ARTICLE{")


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
@given(recs=_lists(), upper=st.booleans())
def test_format_preserves_records_and_is_idempotent(dialect: str, recs: list[Record], upper: bool) -> None:
    text = _messy(str(write_bibtex(recs, dialect=dialect)), upper)
    formatted = format_bibtex(text)
    assert format_bibtex(formatted) == formatted
    before = read_bibtex(text).records
    after = read_bibtex(formatted).records
    assert after == before


def test_format_converts_quotes_and_numbers_but_keeps_macros_and_comments() -> None:
    text = (
        "Some preamble text.\n"
        '@Misc{k, Note = "A {"}quoted{"} note", Year = 1999, Month = jan,\n'
        "  Publisher = pub # { Press}}\n"
        "% trailing comment\n"
    )
    out = format_bibtex(text)
    assert out == (
        "Some preamble text.\n"
        "@misc{k,\n"
        "  publisher = pub # { Press},\n"
        "  year = {1999},\n"
        "  month = jan,\n"
        '  note = {A {"}quoted{"} note}\n'
        "}\n"
        "% trailing comment\n"
    )
    assert read_bibtex(out).records == read_bibtex(text).records


_TOKENS = [*'@{}(),="#%\n ab1', "@article{", "title = ", "@comment", "@string{"]
_junk = st.lists(st.sampled_from(_TOKENS), max_size=40).map("".join)


@given(_junk)
def test_scan_partitions_any_text_and_format_never_loses_it(text: str) -> None:
    from bibconv.formats.bibtex.lexer import scan
    from bibconv.validate.fmt import FormatError

    result = scan(text)
    pieces = []
    pos = 0
    for entry in result.entries:
        assert entry.start >= pos
        pieces.append(text[pos : entry.start])
        pieces.append(text[entry.start : entry.end])
        pos = entry.end
    pieces.append(text[pos:])
    assert "".join(pieces) == text
    try:
        out = format_bibtex(text)
    except FormatError:
        return  # refused: the file would be left as it is
    assert format_bibtex(out) == out
