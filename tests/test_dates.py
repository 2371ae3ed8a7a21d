"""The shared date parser: EDTF, English phrases, ranges; None for non-dates."""

from __future__ import annotations

import pytest
from hypothesis import given

from bibconv.dates import format_edtf, parse_date
from bibconv.ir import Date

from .strategies import dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020", Date(start=(2020,))),
        ("2020-05", Date(start=(2020, 5))),
        ("2020-05-17", Date(start=(2020, 5, 17))),
        ("2020-05-17/2020-06-01", Date(start=(2020, 5, 17), end=(2020, 6, 1))),
        ("2020/2021", Date(start=(2020,), end=(2021,))),
        ("1999--2001", Date(start=(1999,), end=(2001,))),
        ("2020~", Date(start=(2020,), circa=True)),
        ("2020-21", Date(start=(2020,), season=1)),
        ("-0044", Date(start=(-44,))),
        ("May 2020", Date(start=(2020, 5))),
        ("15 May 2020", Date(start=(2020, 5, 15))),
        ("Nov 15, 2022", Date(start=(2022, 11, 15))),
        ("Sept. 3, 2001", Date(start=(2001, 9, 3))),
        ("Spring 2020", Date(start=(2020,), season=1)),
        ("May-June 2020", Date(start=(2020, 5), end=(2020, 6))),
        ("2020/05/17", Date(start=(2020, 5, 17))),
        ("2020/..", Date(start=(2020,))),
    ],
)
def test_parses(text: str, expected: Date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "forthcoming", "2020-13", "2021-02-29", "April 31, 2020", "12", "n.d."])
def test_refuses_non_dates(text: str) -> None:
    assert parse_date(text) is None


@given(dates())
def test_edtf_round_trip(d: Date) -> None:
    text = format_edtf(d)
    assert text is not None
    assert parse_date(text) == d
