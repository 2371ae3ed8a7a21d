"""The speed-ups of bibconv.citation (speed.py, the caches in fixes.py) keep citeproc-py's behaviour.

Each cached or short-cut method is compared with the citeproc-py method it
replaces on the same element, and whole renderings check that caches are
kept per style and per locale.  Nothing here is timed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from citeproc import model
from citeproc.string import MixedString, NoCase, String

from bibconv.citation import bibliography
from bibconv.citation.styles import CSL_NS, LoadedStyle, load_style
from bibconv.ir import Date, Name, Record

NS = {"cs": CSL_NS}

STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" default-locale="en-US">
  <info><title>speed test</title><id>speed-test</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="author">
    <names variable="author"><name initialize-with=". " name-as-sort-order="all"/></names>
  </macro>
  <citation><layout><text macro="author"/></layout></citation>
  <bibliography>
    <sort><key macro="author" names-min="3" names-use-first="1"/></sort>
    <layout suffix=".">
      <group delimiter=", ">
        <text macro="author"/>
        <text variable="title" font-style="italic" font-weight="bold" prefix="[" suffix="]"/>
        <text variable="publisher" text-decoration="underline" vertical-align="sup" strip-periods="true"/>
        <text value="x." suffix="." font-variant="small-caps"/>
        <text variable="note" quotes="true" prefix=" " suffix=" "/>
        <text value="fixed"/>
        <choose>
          <if type="book chapter" match="any"><text value="is-book"/></if>
          <else-if variable="volume issue" match="all"><text value="vol-and-issue"/></else-if>
          <else-if is-numeric="volume" match="none"><text value="volume-not-numeric"/></else-if>
          <else><text value="other"/></else>
        </choose>
        <choose>
          <if type="book"><text value="book"/></if>
          <else-if type="book article-journal" match="all"><text value="never"/></else-if>
          <else-if type="chapter"><text value="chapter"/></else-if>
          <else-if type="book" match="none"><text value="not-book"/></else-if>
          <else-if variable="volume locator" match="any"><text value="volume-or-locator"/></else-if>
          <else-if variable="title" match="none"><text value="no-title"/></else-if>
          <else-if type="book" variable="volume" match="any"><text value="book-or-volume"/></else-if>
          <else-if position="first"><text value="first"/></else-if>
        </choose>
      </group>
    </layout>
  </bibliography>
</style>
"""


@pytest.fixture
def loaded(tmp_path: Path) -> LoadedStyle:
    path = tmp_path / "speed-test.csl"
    path.write_text(STYLE, encoding="utf-8")
    return load_style(str(path))


def _texts(loaded: LoadedStyle) -> list[Any]:
    return list(loaded.style.root.xpath("//cs:bibliography//cs:text", namespaces=NS))


SAMPLES: list[Any] = [
    "plain",
    String("a string."),
    NoCase("NoCase"),
    MixedString([String("mixed "), NoCase("Run.")]),
    String(" spaced "),
    String(".dot"),
    String("]bracket"),
    String(""),
    7,
]


def test_format_wrap_strip_match_citeproc(loaded: LoadedStyle) -> None:
    for element in [*_texts(loaded), loaded.style.root.bibliography.layout]:
        for sample in SAMPLES:
            for _ in range(2):  # the second call answers from the cache
                assert repr(element.format(sample)) == repr(model.Formatted.format(element, sample))
                if not isinstance(sample, int):
                    assert repr(element.wrap(sample)) == repr(model.Affixed.wrap(element, sample))
                if isinstance(sample, str) and hasattr(model.StrippedPeriods, "strip_periods"):
                    got = element.strip_periods(sample)
                    assert repr(got) == repr(model.StrippedPeriods.strip_periods(element, sample))
        assert element.wrap(None) is None


def test_text_markup_matches_citeproc(loaded: LoadedStyle) -> None:
    for element in _texts(loaded):
        for sample in [*SAMPLES, None]:
            for language in ("en", "de"):
                for _ in range(2):
                    got = _outcome(element.markup, sample, language)
                    assert got == _outcome(model.Text.markup, element, sample, language)


def _outcome(function: Any, *args: Any) -> str:
    """The result's repr, or the exception's type (citeproc-py fails on some inputs)."""
    try:
        return repr(function(*args))
    except Exception as exc:
        return type(exc).__name__


def test_wrap_without_affixes_returns_the_same_object(loaded: LoadedStyle) -> None:
    (fixed,) = [t for t in _texts(loaded) if t.get("value") == "fixed"]
    for sample in SAMPLES[:-1]:
        assert fixed.wrap(sample) is sample or fixed.wrap(sample) == sample


def test_unknown_formatting_value_fails_as_citeproc_does(tmp_path: Path) -> None:
    path = tmp_path / "bad.csl"
    path.write_text(STYLE.replace('font-style="italic"', 'font-style="wobbly"'), encoding="utf-8")
    (title,) = [t for t in _texts(load_style(str(path))) if t.get("variable") == "title"]
    with pytest.raises(UnboundLocalError):
        model.Formatted.format(title, "x")
    with pytest.raises(UnboundLocalError):
        title.format("x")


def test_children_are_listed_once_and_in_order(loaded: LoadedStyle) -> None:
    group = loaded.style.root.bibliography.layout.find("cs:group", NS)
    expected = [el.tag for el in group.xpath("./*")]
    assert [el.tag for el in group.iterchildren()] == expected
    assert [el.tag for el in group.iterchildren()] == expected
    assert [el.tag for el in group.getchildren()] == expected
    assert [el.tag for el in group.iterchildren(f"{{{CSL_NS}}}text")] == [
        t for t in expected if t.endswith("}text")
    ]


class _Item:
    def __init__(self, reference: dict[str, Any], kind: str) -> None:
        from citeproc.source import Reference

        ref = Reference.__new__(Reference)
        dict.__init__(ref, reference)
        ref["type"] = kind
        self.reference = ref

    def __contains__(self, key: object) -> bool:
        return False


@pytest.mark.parametrize(
    ("kind", "fields", "branch"),
    [
        ("book", {}, "is-book"),
        ("chapter", {"volume": "3"}, "is-book"),
        ("article-journal", {"volume": "3", "issue": "2"}, "vol-and-issue"),
        ("article-journal", {"volume": "III"}, "volume-not-numeric"),
        ("article-journal", {"volume": "3"}, "other"),
    ],
)
def test_conditions_match_citeproc(
    loaded: LoadedStyle, kind: str, fields: dict[str, str], branch: str
) -> None:
    item = _item(kind, fields)
    chooses = loaded.style.root.xpath("//cs:choose", namespaces=NS)
    for cond in loaded.style.root.xpath("//cs:if|//cs:else-if", namespaces=NS):
        for _ in range(2):  # compiled on the first call
            try:
                model.If.render(cond, item)
                taken = True
            except model.ConditionFailed:
                taken = False
            assert cond.passes(item) is taken, cond.attrib
    assert str(chooses[0].render(item)) == branch
    for choose in chooses:  # the second time from the per-type memo
        for _ in range(2):
            assert _outcome(choose.render, item) == _outcome(model.Choose.render, choose, item)


def _item(kind: str, fields: dict[str, str]) -> Any:
    return _Item({k: String(v) for k, v in fields.items()}, kind)


def _rec(rid: str, family: str, **text: str) -> Record:
    return Record(
        id=rid,
        type="book",
        text={"title": "On things", "publisher": "Pub. Inc.", **text},
        names={"author": tuple(Name(family=f, given="Ann Bea") for f in family.split())},
        dates={"issued": Date(start=(2020,))},
    )


def test_name_options_cached_apart_from_sort_options(loaded: LoadedStyle) -> None:
    records = [_rec("a", "Zed Abel Xu"), _rec("b", "Zed Cox")]
    first = bibliography(records, style=str(loaded.path), format="text")
    # the sort key shortens three names to "Zed et al." (names-min 3, use-first 1),
    # which sorts after "Zed, Cox"; the entry itself still lists all three names
    assert first[0].startswith("Zed, A. B., Cox, A. B., [On things]")
    assert first[1].startswith("Zed, A. B., Abel, A. B., Xu, A. B., [On things]")
    assert bibliography(records, style=str(loaded.path), format="text") == first


def test_quotes_and_stripped_periods(loaded: LoadedStyle) -> None:
    (entry,) = bibliography([_rec("q", "Doe", note="a note")], style=str(loaded.path), format="text")
    assert "“a note”" in entry
    assert "Pub Inc" in entry


RECORDS = [
    Record(
        id="k1",
        type="article-journal",
        text={"title": "First paper", "container-title": "Journal", "volume": "4", "page": "11-19"},
        names={"author": (Name(family="Müller", given="Jan"),)},
        dates={"issued": Date(start=(2019, 3, 5))},
    ),
    Record(
        id="k2",
        type="book",
        text={"title": "A book", "publisher": "Press"},
        names={"editor": (Name(family="Adams", given="Ada"),)},
        dates={"issued": Date(start=(2021,))},
    ),
]


def test_styles_and_locales_keep_their_own_caches() -> None:
    apa = bibliography(RECORDS, style="apa", format="text")
    apa_de = bibliography(RECORDS, style="apa", locale="de-DE", format="text")
    ieee = bibliography(RECORDS, style="ieee", format="text")
    assert apa != apa_de and apa != ieee
    assert any("Hrsg." in e for e in apa_de) and any("(Ed.)" in e for e in apa)
    # in any order, each style and locale gives its own output again
    assert bibliography(RECORDS, style="ieee", format="text") == ieee
    assert bibliography(RECORDS, style="apa", locale="de-DE", format="text") == apa_de
    assert bibliography(RECORDS, style="apa", format="text") == apa


STRAY_IF = STYLE.replace(
    '<text value="fixed"/>',
    '<choose><if type="book"><group delimiter=" "><text variable="title"/>'
    '<if type="thesis"><text variable="publisher"/></if></group></if>'
    '<else><text value="stray-if-fell-through"/></else></choose>',
)


def test_stray_if_in_a_branch_falls_through_as_in_citeproc(tmp_path: Path) -> None:
    # invalid CSL: a cs:if outside cs:choose fails its branch, which citeproc-py
    # reports by an exception; what was recorded on the way must count for nothing
    path = tmp_path / "stray.csl"
    path.write_text(STRAY_IF, encoding="utf-8")
    (entry,) = bibliography([_rec("s", "Doe")], style=str(path), format="text")
    assert "stray-if-fell-through" in entry


BARE_NAMES = STYLE.replace(
    '<text value="fixed"/>',
    '<names variable="editor" prefix="ed. "/><names variable="author"><label/></names>',
)


def test_names_children_looked_up_once(tmp_path: Path) -> None:
    # citeproc-py inserts a Name() into a cs:names without cs:name: its tag is
    # outside the CSL namespace, so the cached answers stay right
    path = tmp_path / "bare.csl"
    path.write_text(BARE_NAMES, encoding="utf-8")
    record = _rec("n", "Doe").evolve(
        names={"author": (Name(family="Doe", given="Jo"),)} | {"editor": (Name(family="Roe", given="Ed"),)}
    )
    first = bibliography([record], style=str(path), format="text")
    assert "ed. Ed Roe" in first[0]
    assert bibliography([record], style=str(path), format="text") == first
    root = load_style(str(path)).style.root
    bare, labelled = root.xpath("//cs:bibliography//cs:names", namespaces=NS)
    assert bare.name is None and bare.find("cs:name", NS) is None
    assert labelled.name is None and labelled.label is labelled.find("cs:label", NS)


def test_terms_built_once_match_citeproc(loaded: LoadedStyle) -> None:
    terms = [t for loc in loaded.style.root.locales for t in loc.iter(f"{{{CSL_NS}}}term")]
    assert len(terms) > 100
    for term in terms:
        for _ in range(2):
            assert repr(term.single) == repr(model.Term.single.fget(term))
            assert repr(term.multiple) == repr(model.Term.multiple.fget(term))
