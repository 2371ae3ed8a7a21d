"""Names: initials, order, particles, sort keys, delimiters, et-al (cases from name_* fixtures)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bibconv.csl.textrules.names import (
    EtAlPlan,
    delimiter_before_et_al,
    delimiter_before_last,
    et_al_limits,
    et_al_plan,
    initialize,
    is_inverted,
    layout,
    name_script,
    sort_key,
    split_particles,
)
from bibconv.ir import Name


@pytest.mark.parametrize(
    ("given", "initialize_with", "hyphen", "expected"),
    [
        ("Hsien-Li", ".", True, "H.-L."),  # name_CeltsAndToffsWithHyphens
        ("Hsien-Li", ".", False, "H.L."),  # name_CeltsAndToffsNoHyphens
        ("Hui-Xiao Li Yuan", ". ", True, "H.-X. L. Y."),  # name_HyphenatedFirstName
        ("Hans-Thomas", ". ", True, "H.-T."),
        ("Hans-Thomas", "", True, "H-T"),
        ("John Ronald Reuel", ".", True, "J.R.R."),
        ("John Ronald Reuel", ". ", True, "J. R. R."),
        ("J.R.R.", ". ", True, "J. R. R."),
        ("Jean de", ". ", True, "J. de"),
        ("Jean-baptiste", ". ", True, "J."),
        ("JOHN", ". ", True, "J."),
        ("Wm.", ". ", True, "Wm."),
        ("Ιωάννης", ". ", True, "Ι."),
        ("Владимир Ильич", ". ", True, "В. И."),
        ("John", "", True, "J"),
        ("Lord", ". ", True, "Lord"),
        ("", ". ", True, ""),
        # scripts without initials are never initialised (issue 13: "林, . 秀贞", "al-Hasan, . ʿAlī .")
        ("秀贞", ". ", True, "秀贞"),
        ("ʿAlī", ". ", True, "ʿAlī"),
        ("محمد", ". ", True, "محمد"),
        ("민준", ". ", True, "민준"),
        ("ひろし", ". ", True, "ひろし"),
    ],
)
def test_initialize(given: str, initialize_with: str, hyphen: bool, expected: str) -> None:
    assert initialize(given, initialize_with, hyphen=hyphen) == expected


INITIALIZE_FALSE = ["ME", "M.E", "M E.", "John M.E.", "M E", "ME.", "Me.", "Ph.M.E."]


@pytest.mark.parametrize(
    ("initialize_with", "expected"),
    [
        # name_InitialsInitializeFalse
        (" ", ["ME", "M E", "M E", "John M E", "M E", "ME", "Me", "Ph M E"]),
        # name_InitialsInitializeFalseEmpty
        ("", ["ME", "ME", "ME", "John ME", "ME", "ME", "Me", "PhME"]),
        # name_InitialsInitializeFalsePeriod
        (".", ["ME", "M.E.", "M.E.", "John M.E.", "M.E.", "ME.", "Me.", "Ph.M.E."]),
        # name_InitialsInitializeFalsePeriodSpace
        (". ", ["ME", "M. E.", "M. E.", "John M. E.", "M. E.", "ME.", "Me.", "Ph. M. E."]),
    ],
)
def test_initialize_false(initialize_with: str, expected: list[str]) -> None:
    got = [initialize(g, initialize_with, initialize=False) for g in INITIALIZE_FALSE]
    assert got == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # name_InTextMarkupInitialize, name_InTextMarkupNormalizeInitials: markup stays around the initial
        ("<b>John</b> Q", "<b>J.</b> Q."),
        ("<b>John</b>-Q", "<b>J.</b>-Q."),
        ("<b>J</b> Q", "<b>J.</b> Q."),
        ("<b>J</b>-Q", "<b>J.</b>-Q."),
        (
            '<span style="font-variant:small-caps;">Hans</span>-Thomas',
            '<span style="font-variant:small-caps;">H.</span>-T.',
        ),
    ],
)
def test_initialize_with_markup(given: str, expected: str) -> None:
    assert initialize(given, ". ") == expected


def test_initialize_false_keeps_full_words() -> None:
    # name_FirstInitialFullForm
    assert initialize("A. Alan", ". ", initialize=False) == "A. Alan"


VAN_GOGH = Name(family="Gogh", given="Vincent", non_dropping_particle="van")
HUMBOLDT = Name(family="Humboldt", given="Alexander", dropping_particle="von")


@pytest.mark.parametrize(
    ("name", "inverted", "demote", "expected"),
    [
        # CSL 1.0.2 spec, "Name-part Order" examples
        (VAN_GOGH, False, "never", "Vincent van Gogh"),
        (VAN_GOGH, True, "never", "van Gogh, Vincent"),
        (VAN_GOGH, True, "sort-only", "van Gogh, Vincent"),
        (VAN_GOGH, True, "display-and-sort", "Gogh, Vincent van"),
        (HUMBOLDT, False, "never", "Alexander von Humboldt"),
        (HUMBOLDT, True, "never", "Humboldt, Alexander von"),
        (HUMBOLDT, True, "display-and-sort", "Humboldt, Alexander von"),
        (Name(family="Doe", given="John", suffix="Jr."), False, "never", "John Doe Jr."),
        (Name(family="Doe", given="John", suffix="Jr.", comma_suffix=True), False, "never", "John Doe, Jr."),
        (Name(family="Doe", given="John", suffix="Jr."), True, "never", "Doe, John, Jr."),
        (
            Name(family="Alembert", given="Jean", non_dropping_particle="d'"),
            False,
            "never",
            "Jean d'Alembert",
        ),
        (Name(family="Hasan", given="Ali", non_dropping_particle="al-"), True, "never", "al-Hasan, Ali"),
        (Name(family="Gaulle", given="Charles", dropping_particle="d'"), False, "never", "Charles d'Gaulle"),
        (Name(family="Gaulle", given="Charles", dropping_particle="de"), False, "never", "Charles de Gaulle"),
        (Name(family="Byron", given="Lord"), True, "never", "Byron, Lord"),
        # no Latin-like letters: family then given with no space, never inverted with a comma
        (Name(family="林", given="秀贞"), False, "never", "林秀贞"),
        (Name(family="林", given="秀贞"), True, "never", "林秀贞"),
        # a non-Latin family name with a Latin given name: family first with a space
        (Name(family="毛", given="Zedong"), False, "never", "毛 Zedong"),
        (Name(family="Mao", given="Zedong", static_ordering=True), False, "never", "Mao Zedong"),
    ],
)
def test_layout(name: Name, inverted: bool, demote: str, expected: str) -> None:
    assert layout(name, inverted=inverted, demote=demote).text() == expected


def test_layout_spans_for_name_part_formatting() -> None:
    out = layout(VAN_GOGH, inverted=True, demote="display-and-sort")
    assert out.parts == (
        ("family", "Gogh"),
        ("", ", "),
        ("given", "Vincent"),
        ("", " "),
        ("non-dropping", "van"),
    )
    assert out.family_span == (0, 1)
    assert out.given_span == (2, 5)
    plain = layout(VAN_GOGH)
    assert plain.parts[plain.family_span[0] : plain.family_span[1]] == (  # type: ignore[index]
        ("non-dropping", "van"),
        ("", " "),
        ("family", "Gogh"),
    )


def test_layout_options() -> None:
    assert layout(VAN_GOGH, short=True).text() == "van Gogh"
    assert layout(VAN_GOGH, given="V.").text() == "V. van Gogh"
    assert layout(VAN_GOGH, inverted=True, demote="never", sort_separator=" ").text() == "van Gogh Vincent"
    assert layout(VAN_GOGH, particle_space="\u00a0").text() == "Vincent van\u00a0Gogh"
    assert layout(Name(family="Tanaka", given="Hiroshi"), language="ja").text() == "Tanaka Hiroshi"
    assert layout(Name(family="Doe", given="")).text() == "Doe"


def test_name_script() -> None:
    assert name_script(Name(family="林", given="秀贞")) == 0
    assert name_script(Name(family="林", given="Xiuzhen")) == 1
    assert name_script(Name(family="Lin", given="Xiuzhen"), "zh-CN") == 1
    assert name_script(Name(family="Lin", given="Xiuzhen"), "en") == 2


@pytest.mark.parametrize(
    ("demote", "expected"),
    [
        ("never", ("van Gogh", "Vincent", "")),
        ("sort-only", ("Gogh", "Vincent van", "")),
        ("display-and-sort", ("Gogh", "Vincent van", "")),
    ],
)
def test_sort_key(demote: str, expected: tuple[str, str, str]) -> None:
    assert sort_key(VAN_GOGH, demote) == expected


def test_sort_keys_order_names() -> None:
    names = [
        Name(family="Smithson", given="Adam"),
        Name(family="Smith", given="John"),
        Name(family="Alembert", given="Jean", non_dropping_particle="d'"),
        Name(literal="ACM"),
    ]
    ordered = sorted(names, key=lambda n: sort_key(n, "never"))
    assert [n.family or n.literal for n in ordered] == ["ACM", "Smith", "Smithson", "Alembert"]
    assert sort_key(names[2], "never") == ("d Alembert", "Jean", "")
    assert sort_key(Name(family="Doe", given="J", suffix="Jr."))[2] == "Jr."


def test_split_particles() -> None:
    assert split_particles(Name(family="van Gogh", given="Vincent")) == VAN_GOGH
    assert split_particles(Name(family="Humboldt", given="Alexander von")) == HUMBOLDT
    assert split_particles(Name(family="d'Alembert", given="Jean")).non_dropping_particle == "d'"
    assert split_particles(Name(family="al-Hasan", given="Ali")).family == "Hasan"
    kept = Name(family='"van Gogh"', given="Vincent")
    assert split_particles(kept) is kept
    org = Name(literal="van Gogh Museum")
    assert split_particles(org) is org
    assert split_particles(Name(family="de la Fontaine", given="Jean")).non_dropping_particle == "de la"


@pytest.mark.parametrize(
    ("rule", "shown", "previous_inverted", "last", "et_al"),
    [
        (None, 2, False, False, True),
        (None, 3, False, True, True),
        (None, 1, False, False, False),
        ("contextual", 3, True, True, True),
        ("always", 2, False, True, True),
        ("never", 5, True, False, False),
        ("after-inverted-name", 2, True, True, True),
        ("after-inverted-name", 3, False, False, False),
    ],
)
def test_delimiters(rule: str | None, shown: int, previous_inverted: bool, last: bool, et_al: bool) -> None:
    assert delimiter_before_last(rule, shown, previous_inverted) is last
    assert delimiter_before_et_al(rule, shown, previous_inverted) is et_al


def test_is_inverted() -> None:
    assert is_inverted("first", 0) and not is_inverted("first", 1)
    assert is_inverted("all", 3)
    assert not is_inverted(None, 0)


@pytest.mark.parametrize(
    ("count", "min_", "first", "use_last", "truncated", "plan"),
    [
        (5, 4, 1, False, False, EtAlPlan(1, True, False)),
        (3, 4, 1, False, False, EtAlPlan(3, False, False)),
        (4, 4, 4, False, False, EtAlPlan(4, False, False)),  # use-first not smaller: nothing to cut
        (8, 6, 3, True, False, EtAlPlan(3, False, True)),
        (4, 4, 3, True, False, EtAlPlan(3, True, False)),  # use-last needs two names left out
        (2, None, None, False, True, EtAlPlan(2, True, False)),  # "and others" in the data
        (2, 5, 1, False, True, EtAlPlan(2, True, False)),
        (6, 5, 1, False, True, EtAlPlan(1, True, False)),
    ],
)
def test_et_al_plan(
    count: int, min_: int | None, first: int | None, use_last: bool, truncated: bool, plan: EtAlPlan
) -> None:
    assert et_al_plan(count, min_, first, use_last=use_last, truncated=truncated) == plan


@given(
    st.lists(
        st.sampled_from(["Anna", "Berta", "Carl-Otto", "de", "Émile", "J.", "ΙΩ"]), min_size=1, max_size=4
    )
)
def test_initials_are_short_and_keep_capitals(words: list[str]) -> None:
    """Initialising never adds a capital letter and never grows the name."""
    given_name = " ".join(words)
    out = initialize(given_name, ". ")
    parts = given_name.replace("-", " ").split()
    assert [c for c in out if c.isupper()] == [c for w in parts for c in w[:1] if c.isupper()]
    assert len(out.replace(" ", "")) <= len(given_name.replace(" ", "")) + len(words)


def test_et_al_limits() -> None:
    # punctuation_DefaultYearSuffixDelimiter's style: et-al-min 4/use-first 1, subsequent min 3/use-first 1
    assert et_al_limits(False, 4, 1, 3, 1) == (4, 1)
    assert et_al_limits(True, 4, 1, 3, 1) == (3, 1)
    assert et_al_limits(True, 4, 1, None, 2) == (4, 2)
    assert et_al_limits(True, 4, 1) == (4, 1)
    assert et_al_plan(3, *et_al_limits(True, 4, 1, 3, 1)) == EtAlPlan(1, True, False)
