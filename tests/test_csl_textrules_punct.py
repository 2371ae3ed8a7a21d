"""Punctuation: merge table, joins, punctuation in quotes (the suite's punctuation_FullMonty* fixtures)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bibconv.csl.textrules.punct import (
    PUNCTUATION,
    french_spacing,
    join,
    join_all,
    merge_punct,
    quote_punctuation,
    strip_periods,
)
from tests.conftest import shared_path

_GROUP = re.compile(r"<group>\s*<text ([^>]*?)/>\s*<text ([^>]*?)/>\s*</group>")
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')
_RESULT = re.compile(r">>=+ RESULT =+>>\n(.*?)\n<<=+ RESULT", re.S)


def _fixture(name: str) -> tuple[list[tuple[dict[str, str], dict[str, str]]], list[str]]:
    text = shared_path("csl-test-suite", "processor-tests", "humans", name).read_text(encoding="utf-8")
    groups = [(dict(_ATTR.findall(a)), dict(_ATTR.findall(b))) for a, b in _GROUP.findall(text)]
    m = _RESULT.search(text)
    assert m is not None
    lines = [ln for ln in m.group(1).splitlines() if ln and not ln.startswith("ENDING IN")]
    assert len(lines) == len(groups) == 36
    return groups, lines


def test_full_monty_plain() -> None:
    groups, expected = _fixture("punctuation_FullMontyPlain.txt")
    got = [join(a["value"] + a.get("suffix", ""), b.get("prefix", "") + b["value"]) for a, b in groups]
    assert got == expected


@pytest.mark.parametrize(
    ("fixture", "inside"),
    [("punctuation_FullMontyQuotesIn.txt", True), ("punctuation_FullMontyQuotesOut.txt", False)],
)
def test_full_monty_quotes(fixture: str, inside: bool) -> None:
    groups, expected = _fixture(fixture)
    got = []
    for a, b in groups:
        assert a["quotes"] == "true"
        after = join(a.get("suffix", ""), b.get("prefix", "") + b["value"])
        inner, after = quote_punctuation(a["value"], after, inside)
        got.append(f"“{inner}”{after}")
    assert got == expected


@pytest.mark.parametrize(
    ("left", "right", "merged"),
    [
        ("?", ".", "?"),
        ("!", ":", "!"),
        (":", ".", ":"),
        (";", ":", ";"),
        (";", "?", "?"),
        (".", ":", ".:"),
        (",", ".", ",."),
        (".", ",", ".,"),
        (",", ",", ","),
        ("!", "?", "!?"),
    ],
)
def test_merge_punct(left: str, right: str, merged: str) -> None:
    assert merge_punct(left, right) == merged


def test_joins() -> None:
    # punctuation_DoNotSuppressColonAfterPeriod, punctuation_NoSuppressOfPeriodBeforeSemicolon
    assert join("Detroit, Mich.", ": Random") == "Detroit, Mich.: Random"
    assert join("Hello.", "; Goodbye") == "Hello.; Goodbye"
    assert join("Why?", ". Next") == "Why? Next"
    assert join("a ", " b") == "a b"
    assert join("", ". x") == ". x"
    assert join_all(["Smith", ".", "", ". ", "2000"]) == "Smith. 2000"
    assert join_all(["Smith. ", ".x"]) == "Smith. .x"  # only the meeting characters are compared


@pytest.mark.parametrize(
    ("inner", "after", "inside", "expected"),
    [
        # magic_PunctuationInQuoteDelimiterTrue / SuffixTrue: “Book A,” 1900
        ("Book A", ", 1900", True, ("Book A,", " 1900")),
        # magic_PunctuationInQuoteFalse: “Book A”, 1900
        ("Book A", ", 1900", False, ("Book A", ", 1900")),
        # magic_PunctuationInQuoteTrueSuppressExtra: “Article A?” Journal B
        ("Article A?", ". Journal B", True, ("Article A?", " Journal B")),
        # magic_PunctuationInQuoteFalseSuppressExtra: “Article A?”, Journal B
        ("Article A?", ", Journal B", False, ("Article A?", ", Journal B")),
        # quotes_PunctuationWithInnerQuote (the inner quote is part of the quoted text): “This is ‘The One.’”
        ("This is ‘The One’", ".", True, ("This is ‘The One’.", "")),
        # a comma ending the quoted text moves out when punctuation stays outside
        ("Title,", " 1900", False, ("Title", ", 1900")),
        ("Title:", ", x", False, ("Title", ":, x")),
        ("", ".", True, (".", "")),
    ],
)
def test_quote_punctuation(inner: str, after: str, inside: bool, expected: tuple[str, str]) -> None:
    assert quote_punctuation(inner, after, inside) == expected


def test_french_spacing() -> None:
    # punctuation_FrenchOrthography
    assert french_spacing("His « Anonymous » Life") == "His «\u202fAnonymous\u202f» Life"
    assert french_spacing("Titre : sous-titre ; et ?") == "Titre\u202f: sous-titre\u202f; et\u202f?"
    assert french_spacing("plain") == "plain"


def test_strip_periods() -> None:
    assert strip_periods("Ed.") == "Ed"
    assert strip_periods("U.S.A.") == "USA"
    assert strip_periods("e.g.") == "e.g"
    assert strip_periods("no periods") == "no periods"


_TEXT = st.text(alphabet="ab .,;:!?", max_size=12)


@given(_TEXT, _TEXT)
def test_join_never_loses_letters_and_never_doubles_a_mark(left: str, right: str) -> None:
    """Joining keeps every letter and never prints the same mark twice where pieces meet."""
    out = join(left, right)
    assert [c for c in out if c.isalpha()] == [c for c in left + right if c.isalpha()]
    if left and right and left[-1] in PUNCTUATION and right[0] == left[-1]:
        assert len(out) == len(left) + len(right) - 1


@given(st.text(alphabet="ab .,;:!?", max_size=10), st.text(alphabet="ab .,;:!?", max_size=10), st.booleans())
def test_quote_punctuation_keeps_letters(inner: str, after: str, inside: bool) -> None:
    new_inner, new_after = quote_punctuation(inner, after, inside)
    assert [c for c in new_inner + new_after if c.isalpha()] == [c for c in inner + after if c.isalpha()]
    if inside:
        assert not new_after[:1] or new_after[0] not in ".,!?"
    else:
        assert not new_inner[-1:] or new_inner[-1] not in ",:;"
