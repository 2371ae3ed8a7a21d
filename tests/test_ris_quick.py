"""The RIS writer's quick path agrees with reading its lines back.

The writer decides most records without parsing its own output again
(formats/ris/writer.py, ``_quick_lines``); these tests are what show that shortcut
is safe: on records built to hit every rule the reader applies (spacing,
page ranges, DOI prefixes, URL lists, note lines, name syntax, odd dates,
``ris:`` extras), whenever the quick path answers, its lines and catch-all
note are exactly those of the read-back path.
"""

from __future__ import annotations

import re

from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from bibconv.formats.ris.mapping import DA_ACCESSED
from bibconv.formats.ris.writer import RisWriter, _Memo, _quick_lines, record_lines, ris_type
from bibconv.ir import Date, Name, Record
from bibconv.vocab import ITEM_TYPES, NAME_VARS, TEXT_VARS

from .strategies import clean_text, dates, keys, names, words

# Values that sit on the edge of one of the reader's rules, by variable.
_EDGES: dict[str, list[str]] = {
    "page": ["1-5", "5-5", "e1-e1", "1 - 5", " 3-4", "1-2-3", "-4", "4-", "5–5", "1-  5", "12"],
    "keyword": ["a, b, c", "a,b", ", ", "a, , b", "a,  b", " a, b", "a, b ", "x"],
    "note": [
        *("first\nsecond", "first\n\nthird", "\nstarts", "ends\n", "a\r\nb", "a  b", " x"),
        *("bibconv-csl: {}", "x\nbibconv-csl: {}", "bibconv-csl: not json", 'x\nbibconv-csl: {"title": "T"}'),
    ],
    "DOI": [
        *("10.1000/xyz", "doi:10.1000/xyz", "https://doi.org/10.1000/xyz", "DOI: 10.1/a", "not a doi"),
        *("10.1000/xyz.", "http://dx.doi.org/10.1/b", " 10.1/c", "10.1/D"),
    ],
    "URL": [
        *("http://a.example; http://b.example", "http://a.example;http://b.example", "http://a.example"),
        *("ftp://x; y", "a ; https://b"),
    ],
    "ISBN": ["978-3-16-148410-0", "3-16-148410-X", "0028-0836", "1234-5678", "12345", "ISBN 978 3 16"],
}
_EDGES["ISSN"] = _EDGES["ISBN"]
_EDGES["number-of-pages"] = _EDGES["page"]
_AWKWARD = st.sampled_from(
    [
        *(
            " lead",
            "trail ",
            "two  spaces",
            "tab\there",
            "line\nbreak",
            "cr\rhere",
            "a\r\nb",
            "no\u00a0break",
        ),
        *("thin\u2009space", "sep\u2028line", "0000", "1999", "Spring 2001"),
        *sorted({v for vs in _EDGES.values() for v in vs}),
    ]
)


def _value(var: str) -> st.SearchStrategy[str]:
    edges = _EDGES.get(var)
    general = st.one_of(
        clean_text(), _AWKWARD, st.text(min_size=1, max_size=12).filter(lambda s: s.strip() != "")
    )
    return st.one_of(st.sampled_from(edges), general) if edges else general


# Variables RIS writes, weighted in, plus any other.
_RIS_TEXT_VARS = [
    "title",
    "page",
    "number-of-pages",
    "keyword",
    "note",
    "DOI",
    "URL",
    "ISBN",
    "ISSN",
    "container-title",
    "collection-title",
    "event-title",
    "volume",
    "dimensions",
    "version",
    "edition",
    "abstract",
]
_TEXT_VAR = st.one_of(st.sampled_from(_RIS_TEXT_VARS), st.sampled_from(sorted(TEXT_VARS)))
_NAME_VAR = st.one_of(
    st.sampled_from(["author", "editor", "collection-editor", "translator", "recipient"]),
    st.sampled_from(sorted(NAME_VARS)),
)
_PART = st.one_of(
    st.none(),
    words(3),
    _AWKWARD,
    st.sampled_from(
        ["", "van der Berg", "Van der Berg", "de", "Smith, Jr", "a, b", ",", "O'Neil", "J.", "JA"]
    ),
)
_ODD_NAME = st.one_of(
    st.builds(
        Name,
        family=_PART,
        given=_PART,
        dropping_particle=st.one_of(st.none(), st.sampled_from(["de", "von"])),
        non_dropping_particle=st.one_of(st.none(), st.sampled_from(["van", "Van", "de la", "d'"])),
        suffix=st.one_of(st.none(), st.sampled_from(["Jr.", "III", ""])),
        comma_suffix=st.booleans(),
        static_ordering=st.booleans(),
    ),
    st.builds(Name, literal=st.one_of(words(1), words(3), _AWKWARD, st.just("Fanning E."))),
)
# Family-and-given persons, the shape decided without parsing back.
_PERSON = st.builds(
    Name,
    family=st.one_of(
        st.sampled_from(
            ["Doe", "van Gogh", "Van Gogh", "de", "Doe, Jr", ",", "a  b", " x", "Le\tGuin", "Ümit"]
        ),
        words(3),
    ),
    given=st.one_of(st.sampled_from([None, "", "a, b", "J.", " x", "x ", "J\nA", "Jane Ann"]), words(2)),
)
_ODD_DATE = st.one_of(
    dates(),
    st.builds(Date, start=st.tuples(st.integers(-50, 120))),
    st.builds(Date, start=st.tuples(st.integers(1990, 2000)), season=st.integers(1, 4)),
    st.builds(Date, start=st.tuples(st.integers(1990, 2000), st.integers(1, 12)), circa=st.booleans()),
    st.builds(Date, literal=st.one_of(clean_text(), _AWKWARD)),
)
_EXTRA_KEY = st.one_of(
    st.from_regex(r"x:[a-z]{1,8}", fullmatch=True),
    st.sampled_from(["ris:UR", "ris:ZZ", "ris:KW", "ris:M2", "ris:Y1", "bibtex:file", "truncated"]),
)


@st.composite
def awkward_records(draw: st.DrawFn) -> Record:
    """Records whose values sit on the edges of the reader's rules."""
    text = {v: draw(_value(v)) for v in draw(st.lists(_TEXT_VAR, max_size=6, unique=True))}
    people = draw(
        st.dictionaries(
            _NAME_VAR, st.lists(st.one_of(names(), _ODD_NAME, _PERSON), max_size=3).map(tuple), max_size=2
        )
    )
    when = draw(
        st.dictionaries(st.sampled_from(["issued", "accessed", "original-date"]), _ODD_DATE, max_size=2)
    )
    return Record(
        id=draw(st.one_of(keys(), st.sampled_from(["a b", "a\nb", " "]))),
        type=draw(st.sampled_from(sorted(ITEM_TYPES))),
        text=text,
        names=people,
        dates=when,
        extra=draw(st.dictionaries(_EXTRA_KEY, _value("extra"), max_size=2)),
        truncated=frozenset(draw(st.lists(st.sampled_from(sorted(people) or ["author"]), max_size=1)))
        if people
        else frozenset(),
    )


@settings(max_examples=1500)
@given(awkward_records())
def test_the_quick_path_agrees_with_reading_back(r: Record) -> None:
    quick = _quick_lines(r, ris_type(r.type), _Memo())
    event("quick" if quick is not None else "read back")
    for catch_all in (True, False):
        assert record_lines(r, catch_all=catch_all) == record_lines(r, catch_all=catch_all, quick=False)


_TYPES = st.sampled_from(sorted(ITEM_TYPES))
# Types whose RIS type reads DA as the access date.
_ACCESSED_DA = sorted(t for t in ITEM_TYPES if ris_type(t) in DA_ACCESSED)


def _agree(r: Record) -> None:
    for catch_all in (True, False):
        assert record_lines(r, catch_all=catch_all) == record_lines(r, catch_all=catch_all, quick=False)


@settings(max_examples=800)
@example("article-journal", ("page", "5-5"))
@example("article-journal", ("note", "x\nbibconv-csl: {}"))
@example("article-journal", ("note", "a\n\nb"))
@example("article-journal", ("DOI", "doi:10.1/x"))
@example("article-journal", ("URL", "http://a.example; http://b.example"))
@example("article-journal", ("keyword", "a,  b"))
@given(_TYPES, _TEXT_VAR.flatmap(lambda v: st.tuples(st.just(v), _value(v))))
def test_each_text_rule_alone(kind: str, var_value: tuple[str, str]) -> None:
    """One variable at a time, so every edge value meets every type."""
    var, value = var_value
    _agree(Record(id="k", type=kind, text={var: value}))


@settings(max_examples=800)
@example("book", "author", Name(family="Doe, Jr", given="Jane"))
@example("book", "author", Name(family="Doe", given="a, b"))
@example("book", "author", Name(family="Doe", given=""))
@example("book", "author", Name(family="van Gogh", given="Vincent"))
@example("book", "author", Name(family="Van Gogh"))
@example("book", "author", Name(family="a  b", given="J"))
@example("book", "author", Name(family="Doe", given=" x"))
@given(_TYPES, _NAME_VAR, st.one_of(_PERSON, names(), _ODD_NAME))
def test_each_name_alone(kind: str, var: str, name: Name) -> None:
    _agree(Record(id="k", type=kind, names={var: (name,)}))


@settings(max_examples=300)
@given(_TYPES, st.dictionaries(st.sampled_from(["issued", "accessed"]), _ODD_DATE, min_size=1))
def test_each_date_alone(kind: str, when: dict[str, Date]) -> None:
    _agree(Record(id="k", type=kind, dates=when))


@settings(max_examples=200)
@given(st.lists(awkward_records(), max_size=5))
def test_a_shared_cache_changes_nothing(rs: list[Record]) -> None:
    memo = _Memo()
    for r in rs:
        assert record_lines(r, memo=memo) == record_lines(r, quick=False)


@settings(max_examples=200)
@given(
    st.dictionaries(st.sampled_from(["issued", "accessed"]), _ODD_DATE, min_size=1),
    st.lists(st.sampled_from(["article-journal", "book", "webpage", *_ACCESSED_DA]), min_size=2, max_size=6),
)
def test_the_date_cache_holds_across_types(when: dict[str, Date], kinds: list[str]) -> None:
    """Dates are cached by whether the type reads DA as the access date, not by type."""
    memo = _Memo()
    for kind in kinds:
        r = Record(id="k", type=kind, dates=when)
        assert record_lines(r, memo=memo) == record_lines(r, quick=False)


def test_plain_records_take_the_quick_path() -> None:
    """The shortcut is used for what bibliographies hold, not just allowed."""
    people = (
        Name(family="Doe", given="Jane"),
        Name(family="Gogh", given="Vincent", non_dropping_particle="van"),
        Name(family="Le Guin"),
    )
    rs = [
        Record(
            id=f"doe2020-{t}",  # one id each: a repeated id would be renamed
            type=t,
            text={
                "title": "A title",
                "container-title": "Journal",
                "page": "12-34",
                "volume": "3",
                "DOI": "10.1000/xyz",
                "URL": "https://example.org/a",
                "ISBN": "978-3-16-148410-0",
                "publisher": "Press",
            },
            names={"author": people, "editor": people[:1]},
            dates={"issued": Date(start=(2020, 5))},
            extra={"bibtex:file": "a.pdf"},
        )
        for t in ("article-journal", "book", "chapter", "paper-conference", "webpage", "report", "thesis")
    ]
    memo = _Memo()
    for r in rs:
        assert _quick_lines(r, ris_type(r.type), memo) is not None, r.type
    out = RisWriter().write(rs, options={"lossless": True})
    assert str(out) == "".join(
        "".join(f"{t}  - {v}\r\n" for t, v in record_lines(r, quick=False)[0]) + "ER  - \r\n" + "\r\n"
        for r in rs
    ).removesuffix("\r\n")


def test_python_agrees_with_itself_on_white_space() -> None:
    """``_quick_lines`` relies on ``re``'s ``\\s`` and ``str.split`` meaning the same characters."""
    space = re.compile(r"\s")
    assert all(bool(space.match(chr(c))) == chr(c).isspace() for c in range(0x110000))


_LINE_PIECES = st.sampled_from(
    [
        "TY  - JOUR",
        "ER  - ",
        "ER  -",
        "AU  - Doe, J",
        "TI  -\tA  title ",
        "T2  - x\u2003",
        "PY  -   ",
        "",
        "   ",
        "\t",
        "TY  -x",
        "ty  - jour",
        "  AU  - Roe, R",
        "continued text",
        "AB  - a\x0bb",
        "\ufeffTY  - BOOK",
        "N1  - \x85",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE_PIECES, max_size=12), st.integers(1, 50))
def test_plain_lines_are_split_alike_by_findall_and_line_by_line(lines: list[str], first: int) -> None:
    """`_rows` takes plain RIS in one findall; a line it cannot take makes it go line by line.

    The findall leaves a tag line's value to strip (the scan strips it); the
    line-by-line way strips it at once.
    """
    from bibconv.formats.ris.reader import _rows

    def stripped(rows: list[tuple[str | None, str]]) -> list[tuple[str | None, str]]:
        return [(tag, value.strip()) if tag else (tag, value) for tag, value in rows]

    text = "\n".join(lines)
    quick = stripped(_rows(text))
    assert len(quick) == text.count("\n") + 1  # one row a line, so a row's index is its line
    # an irregular last line sends the whole text down the line-by-line path
    slow = stripped(_rows(text + "\ncontinued"))
    assert quick == slow[: len(quick)]
    assert slow[len(quick) :] == [(None, "continued")]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Doe", "de", "John", "J.", ",", ", ", " ", "\t", "Jr", "é", "\u2003", "x,y"]),
        max_size=6,
    )
)
def test_the_plain_name_shortcut_reads_names_as_the_general_rules_do(pieces: list[str]) -> None:
    """`parse_name` takes "Family, Given" by one regex; padding sends the text the general way."""
    from bibconv.formats.ris.values import _PLAIN_NAME, parse_name

    text = "".join(pieces)
    event("shortcut" if _PLAIN_NAME.fullmatch(text) else "general")
    assert parse_name(text) == parse_name(f"  {text} ")


_TAG_VALUES = st.tuples(
    st.sampled_from(
        [
            *("TY", "AU", "A1", "A2", "A3", "A4", "ED", "TI", "T1", "BT", "T2", "JF", "JO", "J2", "AB", "N2"),
            *("PY", "Y1", "Y2", "DA", "PB", "CY", "IS", "SP", "EP", "SN", "DO", "UR", "KW", "N1", "ID", "ZZ"),
        ]
    ),
    st.sampled_from(
        [
            *("", "Doe, J", "van der Berg, Anna", "Org  Name", "2020", "0000", "0", "1999/05/", "x\ty"),
            *("k1", "http://a; http://b", "doi:10.1/x", "10.1/x", "1234-5678", "3-9", "bibconv-csl: {}"),
            *("T", "\u2028"),
        ]
    ),
)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["JOUR", "BOOK", "EDBOOK", "PCOMM", "BILL", "ELEC", "CHAP", "X"]), st.lists(_TAG_VALUES)
)
def test_build_record_takes_common_tags_inline_as_add_would(ty: str, pairs: list[tuple[str, str]]) -> None:
    """`build_record` sets plain text, names, PY and ID inline; `quick=False` sends all through add."""
    from bibconv.formats.ris.dialect import TagLine, build_record

    tags = [TagLine("TY", ty, 1), *(TagLine(t, v, n) for n, (t, v) in enumerate(pairs, start=2))]
    quick_diags: list[object] = []
    slow_diags: list[object] = []
    quick = build_record(tags, quick_diags, line=1)  # type: ignore[arg-type]
    slow = build_record(tags, slow_diags, line=1, quick=False)  # type: ignore[arg-type]
    assert quick == slow
    assert quick_diags == slow_diags
