"""The one BibTeX scanner: the reader (``lex``), validate and format (``scan``) see the same entries."""

from __future__ import annotations

from bibconv.formats.bibtex.lexer import lex, scan
from bibconv.validate.fmt import format_bibtex

MIXED = """% a comment
@string{jn = {Journal}}
@comment{ignored {nested} text}
@preamble{"\\newcommand{\\x}{y}"}
@article{a1,
  title = {One {Two}},
  journal = jn # { and more},
  year = 2020,
}
@comment this line has no brace
@book{b2, title = "Quoted {"}",
  author = {X}
  year = {2001}}
@misc{c3, note = {an abstract that says
@elonmusk wrote this}, year = {1999}}
@misc{d4, title={a}, title={b}}
"""


def _records(text: str) -> list[tuple[str | None, list[str]]]:
    """Key and field names of each record entry, as the reader's lexer sees them."""
    out = []
    for e in lex(text).entries:
        if e.type in ("string", "preamble"):
            continue
        names = list(e.flat) if e.flat is not None else [f.name for f in e.fields]
        out.append((e.key, names))
    return out


def test_scan_and_the_reader_find_the_same_entries_keys_and_fields() -> None:
    scanned = [
        (e.key, [f.name for f in e.fields])
        for e in scan(MIXED).entries
        if not e.braceless and e.kind not in ("comment", "string", "preamble")
    ]
    assert scanned == _records(MIXED)
    assert [k for k, _ in scanned] == ["a1", "b2", "c3", "d4"]


def test_spans_rebuild_the_file_and_point_at_each_value() -> None:
    result = scan(MIXED)
    pieces = sorted([(e.start, e.end) for e in result.entries] + result.gaps)
    assert "".join(MIXED[a:b] for a, b in pieces) == MIXED
    for e in result.entries:
        assert MIXED[e.start] == "@"
        if not (e.braceless or e.unterminated):
            assert MIXED[e.end - 1] in "})"
        for f in e.fields:
            assert MIXED[f.value_offset : f.value_offset + len(f.value)] == f.value
            assert MIXED[f.offset : f.offset + len(f.name)].lower() == f.name
    by_key = {e.key: e for e in result.entries}
    assert [f.value for f in by_key["a1"].fields] == ["{One {Two}}", "jn # { and more}", "2020"]
    assert by_key["b2"].stray  # the missing comma (BC126 in the reader) keeps it as written
    assert not by_key["c3"].unterminated  # the "@elonmusk" line is inside the value


def test_a_string_in_parentheses_defines_a_macro_not_a_key() -> None:
    # regression: the old validate scan read "jn" as a key of an unterminated entry
    (entry,) = scan('@string(jn = "Journal")\n').entries
    assert (entry.kind, entry.key, entry.unterminated, entry.stray) == ("string", None, False, False)
    assert [(f.name, f.value) for f in entry.fields] == [("jn", '"Journal"')]


def test_a_commented_out_entry_is_text_for_format_as_for_the_reader() -> None:
    # regression: format used to rewrite an entry inside a "%" line that the reader never reads
    text = "%@Book{old,\n% Title = {x}}\n@Book{new,\n Title = {y}}\n"
    assert [e.key for e in lex(text).entries] == ["new"]
    assert format_bibtex(text) == "%@Book{old,\n% Title = {x}}\n@book{new,\n  title = {y}\n}\n"


def test_an_entry_indented_with_no_break_spaces_is_read_and_formatted() -> None:
    # regression: the old validate scan thought such an entry unterminated, though the reader reads it
    text = "@misc{k,\n\u00a0 title\u00a0 = {T},\n\u00a0 year = {2001}\n}\n"
    (entry,) = scan(text).entries
    assert not (entry.unterminated or entry.stray)
    assert [f.name for f in entry.fields] == ["title", "year"]
    assert format_bibtex(text) == "@misc{k,\n  title = {T},\n  year = {2001}\n}\n"
