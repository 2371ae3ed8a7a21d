"""Dates: normalising every CSL-JSON date shape, BC/AD years, range parts (cases from date_* fixtures)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bibconv.csl.textrules.dates import (
    CslDate,
    DatePoint,
    date_sort_key,
    differing_part,
    normalise_date,
    year_text,
)
from bibconv.ir import Date

P = DatePoint


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # date_SeasonRange1..3
        ({"date-parts": [["1999", "21"], ["2001", "22"]]}, CslDate(P(1999, season=1), P(2001, season=2))),
        ({"date-parts": [["1999", "22"], ["1999", "21"]]}, CslDate(P(1999, season=2), P(1999, season=1))),
        # date_TextFormYeardateYearRangeOpen
        ({"date-parts": [[1987], [0]]}, CslDate(P(1987), open_end=True)),
        # date_NegativeDateSort, date_DateBC
        ({"date-parts": [[-100, 7, 13]]}, CslDate(P(-100, 7, 13))),
        ({"date-parts": [[-250]]}, CslDate(P(-250))),
        # date_EmptyStrings
        ({"date-parts": [["2000", "", ""]]}, CslDate(P(2000))),
        # date_InPress, date_OtherAlone
        ({"date-parts": [], "literal": "(in press)"}, CslDate(None, literal="(in press)")),
        # date_Uncertain
        ({"circa": 1, "date-parts": [[2005, 12, 15]]}, CslDate(P(2005, 12, 15), circa=True)),
        ({"circa": "true", "date-parts": [[2005]]}, CslDate(P(2005), circa=True)),
        # date_VariousInvalidDates: bad months vanish, 13-24 are seasons
        ({"date-parts": [[1965, -1, 1]]}, CslDate(P(1965))),
        ({"date-parts": [[1965, 13, 1]]}, CslDate(P(1965, season=1))),
        ({"date-parts": [[1965, 17, 1]]}, CslDate(P(1965, season=1))),
        ({"date-parts": [[1965, 60, 1]]}, CslDate(P(1965))),
        ({"date-parts": [[1965, 24, 0]]}, CslDate(P(1965, season=4))),
        ({"date-parts": [[1965, 2, 40]]}, CslDate(P(1965, 2))),
        # date_String: raw text that is no date stays as a literal
        ({"date-parts": [], "raw": "Bogus Date"}, CslDate(None, literal="Bogus Date")),
        # date_OtherWithDate
        ({"date-parts": [[2000]], "season": 3}, CslDate(P(2000, season=3))),
        ({"date-parts": [[2000]], "season": "Trinity"}, CslDate(P(2000, season="Trinity"))),
        ({"date-parts": [[2000, 5]], "season": 3}, CslDate(P(2000, 5))),
        # raw strings and EDTF
        ("2004-05-06", CslDate(P(2004, 5, 6))),
        ("1995/1997", CslDate(P(1995), P(1997))),
        ("2004-21", CslDate(P(2004, season=1))),
        ("~2004", CslDate(P(2004), circa=True)),
        ("2004~", CslDate(P(2004), circa=True)),
        ("-0044", CslDate(P(-44))),
        ("1987/..", CslDate(P(1987), open_end=True)),
        ("May 2000", CslDate(P(2000, 5))),
        ({"raw": "2000-05-03/2000-05-05"}, CslDate(P(2000, 5, 3), P(2000, 5, 5))),
        ({"raw": "2000", "circa": True}, CslDate(P(2000), circa=True)),
        # equal ends are one date; numbers and IR dates
        ({"date-parts": [[2000, 5, 3], [2000, 5, 3]]}, CslDate(P(2000, 5, 3))),
        (2001, CslDate(P(2001))),
        (Date(start=(2000, 5), end=(2001,), circa=True), CslDate(P(2000, 5), P(2001), circa=True)),
        (Date(start=(2000,), season=2), CslDate(P(2000, season=2))),
        (Date(literal="forthcoming"), CslDate(None, literal="forthcoming")),
    ],
)
def test_normalise(value: Any, expected: CslDate) -> None:
    assert normalise_date(value) == expected


@pytest.mark.parametrize(
    "value", [None, {}, {"date-parts": []}, {"date-parts": [["x"]]}, "", "  ", [2000], True]
)
def test_nothing_to_print(value: Any) -> None:
    assert normalise_date(value) is None


def test_named_season_without_year_is_kept_as_text() -> None:
    assert normalise_date({"season": "Michaelmas"}) == CslDate(None, literal="Michaelmas")


def test_row_views() -> None:
    date = CslDate(P(2000, 5, 3), P(2000, 6))
    assert date.start_parts == (2000, 5, 3)
    assert date.end_parts == (2000, 6)
    assert CslDate(P(1999, season=2)).season == 2
    assert CslDate(P(1999, season=2)).start_parts == (1999,)
    assert CslDate(None, literal="x").start_parts == ()
    assert CslDate(None, literal="x").season is None
    assert CslDate(P(1987), open_end=True).end_parts is None


def test_is_range() -> None:
    assert CslDate(P(1987), open_end=True).is_range
    assert CslDate(P(1), P(2)).is_range
    assert not CslDate(P(1)).is_range


@pytest.mark.parametrize(
    ("year", "expected"),
    [(-250, "250 BC"), (499, "499 AD"), (1999, "1999"), (0, "0"), (-44, "44 BC"), (999, "999 AD")],
)
def test_year_text(year: int, expected: str) -> None:
    # date_DateBC, date_DateAD (en-US terms carry a leading space)
    assert year_text(year, " AD", " BC") == expected


def test_year_text_citeproc_threshold() -> None:
    assert year_text(600, "AD", "BC", ad_below=500) == "600"
    assert year_text(499, "AD", "BC", ad_below=500) == "499AD"


@pytest.mark.parametrize(
    ("start", "end", "part"),
    [
        (P(2000), P(2002), "year"),  # 2000–2002
        (P(2000, 5), P(2000, 6), "month"),  # May–June 2000
        (P(2000, 5, 3), P(2000, 5, 5), "day"),  # May 3–5, 2000
        (P(1999, 1, 2), P(2000, 1, 4), "year"),  # date_RangeDelimiter
        (P(1999, season=1), P(1999, season=2), "month"),  # date_SeasonRange3
        (P(2000, 5, 3), P(2000, 5, 3), None),
    ],
)
def test_differing_part(start: DatePoint, end: DatePoint, part: str | None) -> None:
    assert differing_part(start, end) == part


def test_sort_key_orders_bc_before_ad() -> None:
    # date_NegativeDateSort
    dates = [
        normalise_date({"date-parts": [row]})
        for row in ([-100, 7, 13], [54, 10, 13], [-44, 3, 15], [68, 6, 11])
    ]
    ordered = sorted(dates, key=date_sort_key)
    assert [d.start.year for d in ordered if d and d.start] == [-100, -44, 54, 68]
    assert date_sort_key(None) == ()
    assert date_sort_key(CslDate(None, literal="x")) == ()
    assert (
        date_sort_key(CslDate(P(2000)))
        < date_sort_key(CslDate(P(2000, 1)))
        < date_sort_key(CslDate(P(2000, 2)))
    )
    assert date_sort_key(CslDate(P(2000), P(2001))) < date_sort_key(CslDate(P(2000), open_end=True))


@given(st.integers(-3000, 3000), st.integers(1, 12), st.integers(1, 28))
def test_iso_strings_and_date_parts_agree(year: int, month: int, day: int) -> None:
    """A date written as EDTF text or as date-parts normalises to the same value."""
    text = (f"-{-year:04d}" if year < 0 else f"{year:04d}") + f"-{month:02d}-{day:02d}"
    assert normalise_date(text) == normalise_date({"date-parts": [[year, month, day]]})
