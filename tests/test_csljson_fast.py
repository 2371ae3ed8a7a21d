"""The CSL-JSON reader's shortcuts give what its general code gives.

formats/csljson/reader.py decides the common name and date shapes without the
general loops, counts line positions forward instead of building a line
table, and pauses the garbage collector while it builds records; these
tests show each shortcut is exact.
"""

from __future__ import annotations

import gc
import json

from hypothesis import example, given
from hypothesis import strategies as st

from bibconv.diagnostics import Diagnostic
from bibconv.formats.csljson.reader import CslJsonReader, _Ctx, _date, _name, _plain_date, _plain_name
from bibconv.textio import LineIndex

_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 40),
    st.sampled_from(["", " ", "x", "Doe", "van", "0", "12", "spring", "2020"]),
    st.text(max_size=6),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-5, max_value=40),
)
_KEYS = st.sampled_from(
    ["family", "given", "literal", "suffix", "non-dropping-particle", "comma-suffix", "static-ordering", "x"]
)


@example({"family": "Doe", "given": "Jane"})
@example({"family": "Doe", "given": ""})
@example({"family": "", "given": "Jane"})
@example({"family": "Doe", "literal": "Org"})
@example({"literal": ""})
@example({"given": "Jane"})
@example({"family": 5})
@given(st.dictionaries(_KEYS, _SCALAR, max_size=3))
def test_plain_names_read_as_the_general_code_reads_them(value: dict[str, object]) -> None:
    quick = _plain_name(value)
    if quick is not None:
        diags: list[Diagnostic] = []
        assert quick == _name(value, _Ctx(diags, None, None, None), "author")
        assert diags == []


_PARTS = st.lists(st.lists(st.one_of(st.integers(-5, 40), _SCALAR), max_size=4), max_size=3)


@example({"date-parts": [[2020]]})
@example({"date-parts": [[2020, 13]]})
@example({"date-parts": [[2020, 22]]})
@example({"date-parts": [[2020, 2, 31]]})
@example({"date-parts": [[2020, 0]]})
@example({"date-parts": [[True]]})
@example({"date-parts": [[2020, 1, 1, 5]]})
@given(
    st.one_of(
        _PARTS.map(lambda p: {"date-parts": p}),
        st.dictionaries(
            st.sampled_from(["date-parts", "season", "circa", "literal", "raw"]), _PARTS | _SCALAR
        ),
    )
)
def test_plain_dates_read_as_the_general_code_reads_them(value: dict[str, object]) -> None:
    quick = _plain_date(value)
    if quick is not None:
        diags: list[Diagnostic] = []
        assert quick == _date(value, _Ctx(diags, None, None, None), "issued")
        assert diags == []


@given(st.text(st.sampled_from("ab\n\r "), max_size=40), st.lists(st.integers(0, 40), max_size=8))
def test_positions_counted_forward_match_the_line_table(text: str, offsets: list[int]) -> None:
    # the reader's one LineIndex counts forward in file order, then bisects a table once asked backwards
    index = LineIndex(text)
    for offset in [*sorted(offsets), *offsets]:  # in file order, then in any order
        offset = min(offset, len(text))
        expected = (text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset))
        assert index.position(offset) == expected


def test_reading_leaves_the_garbage_collector_as_it_was() -> None:
    text = json.dumps([{"id": "a", "type": "book", "title": "T"}])
    assert gc.isenabled()
    assert len(CslJsonReader().read(text).records) == 1
    assert gc.isenabled()
    gc.disable()
    try:
        CslJsonReader().read(text)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_items_are_reported_after_the_json_as_a_whole() -> None:
    """Items are converted as they are decoded; their diagnostics still follow the JSON's."""
    text = '[{"id": "a", "type": "nope"},\n 5,\n {"type": "book"}] junk'
    result = CslJsonReader().read(text)
    assert [d.code for d in result.diagnostics] == ["BC100", "BC200", "BC102", "BC103"]
    assert [(r.id, r.span.line if r.span else None) for r in result.records] == [("a", 1), ("item3", 3)]
