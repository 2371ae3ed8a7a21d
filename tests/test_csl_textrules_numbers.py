"""Numbers: is-numeric, number lists, ordinals, roman numerals, page ranges (cases from the CSL suite)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bibconv.csl.textrules.numbers import (
    NumberPart,
    format_page_range,
    is_numeric,
    is_plural,
    long_ordinal,
    ordinal,
    page_first,
    render_number,
    roman,
    split_number,
)

# en-US ordinal terms (CSL 1.0.1 style) and a few long ordinals
_EN: dict[tuple[str, str | None], tuple[str, str]] = {
    ("ordinal", None): ("th", ""),
    ("ordinal-01", None): ("st", ""),
    ("ordinal-02", None): ("nd", ""),
    ("ordinal-03", None): ("rd", ""),
    ("ordinal-11", None): ("th", ""),
    ("ordinal-12", None): ("th", ""),
    ("ordinal-13", None): ("th", ""),
    ("long-ordinal-01", None): ("first", ""),
    ("long-ordinal-09", None): ("ninth", ""),
}
# fr-FR: "1er" (masculine) / "1re" (feminine), "e" otherwise; ordinal-01 matches the whole number
_FR: dict[tuple[str, str | None], tuple[str, str]] = {
    ("ordinal", None): ("e", ""),
    ("ordinal-01", "feminine"): ("re", "whole-number"),
    ("ordinal-01", "masculine"): ("er", "whole-number"),
}


def en(name: str, gender: str | None) -> tuple[str, str] | None:
    return _EN.get((name, gender))


def fr(name: str, gender: str | None) -> tuple[str, str] | None:
    return _FR.get((name, gender))


@pytest.mark.parametrize(
    "value",
    [
        "12",
        "2nd",
        "12-15",
        "1, 3",
        "12 & 14",
        "5",
        "5th",
        "01790",
        "D2",
        "L2d",
        "2b",
        "xii",
        "i-ix",
        "A10-A15",
        "1 and 2",
        "3; 4",
        "12–15",
    ],
)
def test_numeric(value: str) -> None:
    assert is_numeric(value)


@pytest.mark.parametrize(
    "value",
    [
        "second",
        "2nd edition",
        "annotated edition",
        "Fifth ed.",
        "",
        "  ",
        "1,000",
        "12-",
        "Michaelson-Morely",
        "version: 2002, amended effective June 1, 2010, and January 1, 2017",
        None,
    ],
)
def test_not_numeric(value: str | None) -> None:
    assert not is_numeric(value)


def test_integers_are_numeric() -> None:
    assert is_numeric(5)
    assert split_number(5) == (NumberPart("5", 5, "", "", ""),)


def test_split_number() -> None:
    assert split_number("D2 & 4") == (NumberPart("D2", 2, "D", "", " & "), NumberPart("4", 4, "", "", ""))
    assert [p.joiner for p in split_number("1, 3-5 and 7")] == [", ", "-", " and ", ""]
    assert split_number("3\\-B") == (NumberPart("3-B", None, "", "", ""),)
    assert split_number("") == ()


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (42, "42nd"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
        (113, "113th"),
        (0, "0th"),
    ],
)
def test_english_ordinals(n: int, expected: str) -> None:
    assert ordinal(n, en) == expected


def test_gendered_whole_number_ordinals() -> None:
    # number_NewOrdinalsEdition: "1re éd." (édition is feminine)
    assert ordinal(1, fr, "feminine") == "1re"
    assert ordinal(1, fr, "masculine") == "1er"
    assert ordinal(21, fr, "feminine") == "21e"  # whole-number: only 1 itself
    assert ordinal(2, fr) == "2e"


def test_match_overrides() -> None:
    terms = {
        ("ordinal", None): ("x", ""),
        ("ordinal-01", None): ("a", "last-two-digits"),
        ("ordinal-15", None): ("b", "whole-number"),
        ("ordinal-05", None): ("c", ""),
    }

    def lk(name: str, gender: str | None) -> tuple[str, str] | None:
        return terms.get((name, gender))

    assert ordinal(1, lk) == "1a"
    assert ordinal(101, lk) == "101a"
    assert ordinal(21, lk) == "21x"  # last-two-digits 01 does not match 21
    assert ordinal(15, lk) == "15b"
    assert ordinal(115, lk) == "115c"  # whole-number 15 does not match 115; last digit 5 does
    assert ordinal(7, lambda n, g: None) == "7"


def test_long_ordinals() -> None:
    # number_SimpleNumberOrdinalLong
    assert long_ordinal(9, en) == "ninth"
    assert long_ordinal(42, en) == "42nd"
    assert long_ordinal(1, en, "feminine") == "first"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "i"),
        (4, "iv"),
        (9, "ix"),
        (14, "xiv"),
        (42, "xlii"),
        (1999, "mcmxcix"),
        (3999, "mmmcmxcix"),
        (4000, "4000"),
        (0, "0"),
    ],
)
def test_roman(n: int, expected: str) -> None:
    assert roman(n) == expected


def test_render_number() -> None:
    assert render_number("12-15", "ordinal", en) == "12th–15th"
    assert render_number("42", "roman") == "xlii"
    assert render_number("42", "long-ordinal", en) == "42nd"
    assert render_number("1,  3 &4", "numeric") == "1, 3 & 4"
    assert render_number("annotated edition", "ordinal", en) == "annotated edition"
    assert render_number(7, "ordinal", en) == "7th"
    assert render_number("1-3", "numeric", range_delimiter="\u2011") == "1\u20113"
    # as citeproc-js: only plain numbers change form (checked on the corpus' volumes and issues)
    assert render_number("01", "ordinal", en) == "01"
    assert render_number("0", "roman") == "0"
    assert render_number("2D", "ordinal", en) == "2D"
    assert render_number("1/2", "ordinal", en) == "1/2"
    assert render_number("LE4-8313", "numeric") == "LE4-8313"  # different prefixes: no range
    assert render_number("A10-A15", "numeric") == "A10–A15"


def test_double_issues_are_numeric() -> None:
    assert is_numeric("1/2")
    assert is_numeric("15/17")
    assert [p.joiner for p in split_number("1/2")] == ["/", ""]


PAGE_CASES = {
    # page_Chicago (chicago = chicago-15), page_ChicagoWeird, number_MixedPageRange
    "chicago": [
        ("101-108", "101–8"),
        ("3-10", "3–10"),
        ("71-72", "71–72"),
        ("96-117", "96–117"),
        ("100-4", "100–104"),
        ("600-13", "600–613"),
        ("1100-23", "1100–1123"),
        ("107-108", "107–8"),
        ("505-517", "505–17"),
        ("1002-1006", "1002–6"),
        ("321-325", "321–25"),
        ("415-532", "415–532"),
        ("1536-1538", "1536–38"),
        ("11564-11568", "11564–68"),
        ("8n11564-8n1568", "8n11564–68"),
        ("n11564-n1568", "n11564–68"),
        ("n11564-1568", "n11564-1568"),
        ("142-145 & 235", "142–45 & 235"),
        ("10100-10250", "10100–250"),
        ("10000-11000", "10000–11000"),
    ],
    # page_Chicago16
    "chicago-16": [
        ("3-10", "3–10"),
        ("71-72", "71–72"),
        ("71-2", "71–72"),
        ("96-117", "96–117"),
        ("100-104", "100–104"),
        ("1100-1113", "1100–1113"),
        ("1100-13", "1100–1113"),
        ("101-108", "101–8"),
        ("808-833", "808–33"),
        ("1103-1104", "1103–4"),
        ("321-328", "321–28"),
        ("498-532", "498–532"),
        ("1087-1089", "1087–89"),
    ],
    # page_Minimal
    "minimal": [
        ("101-108", "101–8"),
        ("3-10", "3–10"),
        ("71-72", "71–2"),
        ("96-117", "96–117"),
        ("100-4", "100–4"),
        ("600-13", "600–13"),
        ("1100-23", "1100–23"),
        ("1536-1538", "1536–8"),
        ("11564-11568", "11564–8"),
        ("321-325", "321–5"),
        ("N110-N115", "N110–5"),
    ],
    "minimal-two": [
        ("101-108", "101–08"),
        ("321-328", "321–28"),
        ("2787-2816", "2787–816"),
        ("42-45", "42–45"),
    ],
    # page_Expand
    "expanded": [
        ("110-5", "110–115"),
        ("N110 - 5", "N110-5"),
        ("N110 - N5", "N110–N115"),
        ("110 - N6", "110-N6"),
        ("N110 - P5", "N110-P5"),
        ("123N110 - N5", "123N110-N5"),
        ("123N110 - N5, 456K200 - 99", "123N110-N5, 456K200-99"),
        ("123N110 - N5, 000c23 - 22", "123N110-N5, 000c23-22"),
    ],
    # page_NoOption, magic_NumberRangeEnglish, number_PlainHyphenOrEnDashAlwaysPlural
    "": [
        ("110-5", "110–5"),
        ("1-3", "1–3"),
        ("42-45", "42–45"),
        ("i-ix", "i–ix"),
        ("xii-xvi", "xii–xvi"),
        ("3\\-B", "3-B"),
        ("Michaelson-Morely", "Michaelson-Morely"),
        ("4–6", "4–6"),
        ("mid-civil", "mid-civil"),
        ("e9612", "e9612"),
        ("45-40", "45–40"),
    ],
}


@pytest.mark.parametrize(
    ("fmt", "value", "expected"), [(fmt, v, e) for fmt, cases in PAGE_CASES.items() for v, e in cases]
)
def test_page_ranges(fmt: str, value: str, expected: str) -> None:
    assert format_page_range(value, fmt or None) == expected


def test_page_range_delimiter_from_locale() -> None:
    # locale_PageRangeDelimiterTermDefined, page_WithLocaleAndWeirdDelimiter, magic_NumberRangeFrench
    assert format_page_range("1-2", None, "=") == "1=2"
    assert format_page_range("253-257", "chicago", "\u2011") == "253\u201157"
    assert format_page_range("1-3", "expanded", "\u2011") == "1\u20113"


@given(
    st.integers(1, 99999),
    st.integers(1, 99999),
    st.sampled_from(["expanded", "minimal", "minimal-two", "chicago", "chicago-16"]),
)
def test_collapsed_range_expands_back(a: int, b: int, fmt: str) -> None:
    """Every collapsed range still expands to its end page (the expand step undoes it)."""
    begin, end = min(a, b), max(a, b)
    if begin == end:
        return
    collapsed = format_page_range(f"{begin}-{end}", fmt)
    head, _, tail = collapsed.partition("–")
    assert head == str(begin)
    assert format_page_range(f"{begin}-{tail}", "expanded") == f"{begin}–{end}"


@pytest.mark.parametrize(
    ("value", "count", "plural"),
    [
        # number_PlainHyphenOrEnDashAlwaysPlural
        ("1-2", False, True),
        ("4–6", False, True),
        ("i-ix", False, True),
        ("3\\-B", False, False),
        ("Michaelson-Morely", False, False),
        ("12", False, False),
        ("3, 5", False, True),
        ("12 & 14", False, True),
        (None, False, False),
        # number-of-pages / number-of-volumes count
        ("2", True, True),
        ("1", True, False),
        (3, True, True),
        (3, False, False),
        ("1-2", True, True),
    ],
)
def test_is_plural(value: str | int | None, count: bool, plural: bool) -> None:
    assert is_plural(value, count) is plural


def test_page_first() -> None:
    # number_PageFirst, page_NumberPageFirst, page_PluralDetectWithEndash
    assert page_first("42-45") == "42"
    assert page_first("22-45") == "22"
    assert page_first("10–20") == "10"
    assert page_first("e9612") == "e9612"
    assert page_first("3, 7") == "3"
    assert page_first("3\\-B") == "3-B"
