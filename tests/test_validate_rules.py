"""Each validation rule, with a record that fails it and one that passes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from bibconv.diagnostics import CODES, Diagnostic
from bibconv.formats.bibtex.lexer import scan
from bibconv.ir import Date, Name, Record, SourceSpan
from bibconv.validate import RULES
from bibconv.validate.bibtex_rules import duplicate_fields, duplicate_keys, syntax_fallback
from bibconv.validate.csl_schema import item_problems
from bibconv.validate.date_rules import dates_possible
from bibconv.validate.duplicates import duplicate_ids, duplicate_records
from bibconv.validate.identifier_rules import (
    arxiv_wellformed,
    doi_wellformed,
    isbn_checksum,
    issn_checksum,
    url_wellformed,
)
from bibconv.validate.name_rules import names_plausible
from bibconv.validate.required import required_fields
from bibconv.validate.rule import Context
from bibconv.validate.text_rules import citable, no_mojibake, page_range

CTX = Context(format="csljson", file="x.json", model="biblatex")


def rec(**kw: Any) -> Record:
    """A complete, valid journal article, with ``kw`` overriding parts of it."""
    base: dict[str, Any] = {
        "id": "k",
        "type": "article-journal",
        "text": {"title": "An Invented Title", "container-title": "Journal of Tests"},
        "names": {"author": (Name(family="Doe", given="Jane"),)},
        "dates": {"issued": Date(start=(2020, 5, 1))},
    }
    text = dict(base["text"])
    text.update(kw.pop("text", {}))
    base["text"] = {k: v for k, v in text.items() if v is not None}
    base.update(kw)
    return Record(**base)


def codes(found: Iterable[Diagnostic]) -> list[str]:
    return [d.code for d in found]


Rule = Callable[[Record, Context], Iterable[Diagnostic]]

CASES: list[tuple[str, Rule, Record, Record]] = [
    (
        "BC303",
        doi_wellformed,
        rec(text={"DOI": "10.12/abc"}),
        rec(text={"DOI": "https://doi.org/10.1234/ab"}),
    ),
    (
        "BC304",
        isbn_checksum,
        rec(text={"ISBN": "978-0-306-40615-6"}),
        rec(text={"ISBN": "978-0-306-40615-7 (hbk), 0-306-40615-2"}),
    ),
    ("BC305", issn_checksum, rec(text={"ISSN": "0317-8472"}), rec(text={"ISSN": "0317-8471; 1050-124X"})),
    ("BC306", arxiv_wellformed, rec(text={"arxiv": "2013.12345"}), rec(text={"arxiv": "arXiv:2505.03859v2"})),
    (
        "BC307",
        url_wellformed,
        rec(text={"URL": "www.example.org/a b"}),
        rec(text={"URL": "https://example.org/a"}),
    ),
    ("BC308", dates_possible, rec(dates={"issued": Date(literal="2020-13-01")}), rec()),
    (
        "BC308",
        dates_possible,
        rec(dates={"issued": Date(literal="2021-04-31")}),
        rec(dates={"issued": Date(literal="forthcoming")}),
    ),
    (
        "BC308",
        dates_possible,
        rec(dates={"issued": Date(literal="2023-02-29")}),
        rec(dates={"issued": Date(literal="2024-02-29")}),
    ),
    (
        "BC308",
        dates_possible,
        rec(dates={"issued": Date(start=(2020, 5), end=(2019, 1))}),
        rec(dates={"issued": Date(start=(2019, 5), end=(2020, 1))}),
    ),
    (
        "BC308",
        dates_possible,
        rec(dates={"issued": Date(start=(2021, 4, 31))}),
        rec(dates={"issued": Date(start=(2021, 4, 30))}),
    ),
    (
        "BC308",
        dates_possible,
        rec(dates={"issued": Date(literal="2020-05/2019-01")}),
        rec(dates={"issued": Date(literal="2019-05/2020-01")}),
    ),
    ("BC309", page_range, rec(text={"page": "34-12"}), rec(text={"page": "12–34"})),
    ("BC309", page_range, rec(text={"page": "pp. 12-34"}), rec(text={"page": "123-45, e1002, S4--S9, iv"})),
    ("BC309", page_range, rec(text={"page": "12--"}), rec(text={"page": "12"})),
    ("BC310", names_plausible, rec(names={"author": (Name(family="Smith and Jones", given="A"),)}), rec()),
    (
        "BC310",
        names_plausible,
        rec(names={"author": (Name(family="Plato"),)}),
        rec(names={"author": (Name(literal="World Health Organization"),)}),
    ),
    (
        "BC310",
        names_plausible,
        rec(names={"author": (Name(family="SMITH", given="Ann"),)}),
        rec(names={"author": (Name(family="McDonald", given="Ann"),)}),
    ),
    ("BC311", no_mojibake, rec(text={"title": "CafÃ© culture"}), rec(text={"title": "Café culture"})),
    (
        "BC311",
        no_mojibake,
        rec(text={"title": "Itâ€™s here"}),
        rec(text={"title": "It’s Århus, Ägypten, â la carte"}),
    ),
    ("BC312", citable, rec(text={"title": None}), rec()),
    ("BC312", citable, rec(names={}, dates={}), rec(names={})),
    ("BC302", required_fields, rec(text={"container-title": None}), rec()),
    ("BC302", required_fields, rec(type="webpage"), rec(type="webpage", text={"URL": "https://example.org"})),
]


@pytest.mark.parametrize(
    ("code", "rule", "bad", "good"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_fails_and_passes(code: str, rule: Rule, bad: Record, good: Record) -> None:
    assert code in codes(rule(bad, CTX))
    assert codes(rule(good, CTX)) == []


def test_every_registered_code_is_catalogued_and_tested() -> None:
    tested = {c[0] for c in CASES} | {"BC300", "BC301", "BC313", "BC315"}
    for rule in RULES:
        for code in rule.codes:
            assert code in CODES, code
            assert code in tested, f"{code} ({rule.name}) has no failing/passing test"


def test_a_preprint_needs_no_journal() -> None:
    """CSL ``article`` (a preprint, written as ``@misc``) has no container to require."""
    preprint = rec(type="article", text={"title": "A Preprint", "container-title": None})
    for model in ("bibtex", "biblatex"):
        assert codes(required_fields(preprint, Context(model=model))) == []
    undated = preprint.evolve(dates={})
    assert codes(required_fields(undated, Context(model="biblatex"))) == ["BC302"]
    journal = preprint.evolve(type="article-journal")
    assert codes(required_fields(journal, Context(model="bibtex"))) == ["BC302"]


def test_required_fields_follow_the_chosen_model() -> None:
    book = rec(type="book", text={"container-title": None})
    assert codes(required_fields(book, Context(model="biblatex"))) == []
    found = list(required_fields(book, Context(model="bibtex")))
    assert [d.code for d in found] == ["BC302"] and "publisher" in found[0].message
    assert (
        codes(required_fields(book.evolve(text={**book.text, "publisher": "P"}), Context(model="bibtex")))
        == []
    )
    assert codes(required_fields(rec(type="report"), Context(model="none"))) == []


def at(file: str, line: int) -> SourceSpan:
    return SourceSpan(file, line, 1)


def test_duplicate_records_name_both_places() -> None:
    a = rec(id="a", text={"DOI": "10.1234/X"}, span=at("a.bib", 3))
    b = rec(id="b", text={"DOI": "https://doi.org/10.1234/x", "title": "Other"}, span=at("b.bib", 9))
    found = list(duplicate_records([a, b], Context()))
    assert len(found) == 1
    d = found[0]
    assert (d.code, d.file, d.line, d.record_id) == ("BC301", "b.bib", 9, "b")
    assert "'a' at a.bib:3" in d.message and "DOI" in d.message
    c = rec(id="c", text={"title": "An  invented TITLE!"}, span=at("b.bib", 20))
    assert "same title" in next(iter(duplicate_records([a, c], Context()))).message
    short = [rec(id="x", text={"title": "Preface"}), rec(id="y", text={"title": "Preface"})]
    assert list(duplicate_records(short, Context())) == []
    arx = [
        rec(id="p", text={"arxiv": "2505.03859", "title": "One"}),
        rec(id="q", text={"arxiv": "arXiv:2505.03859v3", "title": "Two"}),
    ]
    assert "arXiv id" in next(iter(duplicate_records(arx, Context()))).message
    other_year = rec(id="d", text={"title": "An invented title"}, dates={"issued": Date(start=(1999,))})
    other_author = rec(id="e", text={"title": "An invented title"}, names={"author": (Name(family="Roe"),)})
    assert list(duplicate_records([a, other_year, other_author], Context())) == []
    book = rec(id="bk", type="book", text={"title": "The Whole Book", "DOI": "10.1234/book"})
    chapter = rec(id="ch", type="chapter", text={"title": "One Chapter", "DOI": "10.1234/book"})
    assert list(duplicate_records([book, chapter], Context())) == []
    distinct = [
        rec(id="p", text={"title": "The first invented title"}),
        rec(id="q", text={"title": "A second invented title"}),
    ]
    assert list(duplicate_records(distinct, Context())) == []


def test_duplicate_ids_outside_bibtex() -> None:
    a, b = rec(id="k", span=at("x.json", 2)), rec(id="k", text={"title": "Else"}, span=at("x.json", 12))
    found = list(duplicate_ids([a, b], Context()))
    assert [(d.code, d.line) for d in found] == [("BC300", 12)] and "x.json:2" in found[0].message
    assert list(duplicate_ids([a, b], Context(options={"key_checked_files": {"x.json"}}))) == []
    assert list(duplicate_ids([a, rec(id="j", span=at("x.json", 12))], Context())) == []


BIB_DUPES = """\
@article{one,
  title = {A},
  title = {B}
}
@article{One,
  title = {C}
}
@article{two, title = {D}}
"""


def test_bibtex_duplicate_keys_and_fields() -> None:
    s = scan(BIB_DUPES)
    keys = list(duplicate_keys(s, Context(file="f.bib")))
    assert [(d.code, d.line, d.record_id) for d in keys] == [("BC300", 5, "One")]
    assert "line 1" in keys[0].message
    fields = list(duplicate_fields(s, Context(file="f.bib")))
    assert [(d.code, d.line, d.record_id) for d in fields] == [("BC315", 3, "one")]
    clean = scan("@article{one, title = {A}}\n@article{two, title = {A}}\n")
    assert list(duplicate_keys(clean, Context())) == [] and list(duplicate_fields(clean, Context())) == []


def test_syntax_fallback_finds_braceless_comments_dollars_and_open_entries() -> None:
    text = (
        "@Comment 1999.bib -*- mode: BibTeX -*-\n"
        "@article{a,\n  title = {Spend $10},\n  note = {$x$ and \\$5}\n}\n"
        "@article{b,\n  title = {Open {brace}\n"
        "@article{c, title = {Fine}}\n"
    )
    found = [(d.code, d.line, d.record_id) for d in syntax_fallback(scan(text), Context())]
    assert found == [("BC107", 1, None), ("BC113", 3, "a"), ("BC104", 6, "b")]
    assert list(syntax_fallback(scan("@comment{x}\n@article{a, title = {$x$}}\n"), Context())) == []


@pytest.mark.parametrize(
    ("item", "fragment"),
    [
        ({"type": "book"}, "'id' is missing"),
        ({"id": "a", "type": "motion-picture"}, "not a CSL item type"),
        ({"id": "a", "type": "book", "title": 3}, "'title' must be a string"),
        ({"id": "a", "type": "book", "author": {"family": "X"}}, "array of name objects"),
        ({"id": "a", "type": "book", "author": [{"surname": "X"}]}, "unknown property 'surname'"),
        ({"id": "a", "type": "book", "issued": {"date-parts": [[2020, 1, 2, 3]]}}, "date-parts"),
        ({"id": "a", "type": "book", "issued": "2020"}, "must be a date object"),
        ({"id": "a", "type": "book", "arxiv": "2101.00001"}, "unknown property 'arxiv'"),
        ({"id": "a", "type": "book", "volume": [1]}, "string or number"),
        ("text", "must be an object"),
    ],
)
def test_csl_schema_item_problems(item: Any, fragment: str) -> None:
    problems = item_problems(item)
    assert any(fragment in p for p in problems), problems


def test_csl_schema_accepts_a_full_item() -> None:
    item = {
        "id": 7,
        "type": "chapter",
        "title": "T",
        "volume": 3,
        "page": "1-2",
        "author": [{"family": "Doe", "given": "J", "comma-suffix": True}, {"literal": "ACME"}],
        "issued": {"date-parts": [["2020", 1]], "circa": 1},
        "accessed": {"raw": "2020-01-01"},
        "categories": ["x"],
        "custom": {"arxiv": "2101.00001"},
    }
    assert item_problems(item) == []


def test_bibtex_month_and_day_fields() -> None:
    from bibconv.validate.bibtex_rules import month_and_day_fields

    bad = (
        "@article{a, year = 2020, month = {13}}\n"
        "@article{b, year = 2021, month = apr, day = {32}}\n"  # 1-31 go to the record rule
        '@article{c, year = 2021, month = "Smarch"}\n'
    )
    found = [(d.code, d.line, d.record_id, d.message) for d in month_and_day_fields(scan(bad), Context())]
    assert [f[:3] for f in found] == [("BC308", 1, "a"), ("BC308", 2, "b"), ("BC308", 3, "c")]
    assert "month 13 does not exist" in found[0][3] and "April 2021" in found[1][3]
    good = (
        "@article{a, year = 2020, month = {12}}\n"
        "@article{b, year = 2021, month = apr, day = {30}}\n"
        "@article{c, year = 2020, month = {Sept.}, day = 30}\n"
        "@article{d, year = 2024, month = feb, day = 29}\n"
        "@article{f, year = 2024, month = {Autumn}}\n"
        "@article{e, year = 2024, month = jan # {~1}}\n"
    )
    assert list(month_and_day_fields(scan(good), Context())) == []
