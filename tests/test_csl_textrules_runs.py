"""Rich-text runs: tags, quotes, apostrophes, flip-flop (cases from the suite's flipflop_* fixtures)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bibconv.csl.textrules.runs import (
    ENGLISH_QUOTES,
    NO_DECOR,
    Decor,
    QuoteTerms,
    Span,
    Styled,
    html_escape,
    parse,
    resolve,
    text_content,
    to_html,
    to_plain,
)

FRENCH = QuoteTerms("«\u202f", "\u202f»", "“", "”")


def html(text: str, decor: Decor = NO_DECOR, quotes: QuoteTerms = ENGLISH_QUOTES) -> str:
    return to_html(resolve(parse(text, quotes), decor, quotes))


@pytest.mark.parametrize(
    ("value", "decor", "expected"),
    [
        # flipflop_ItalicsSimple / ItalicsFlipped
        ("One TwoA <i>Three Four</i> Five!", NO_DECOR, "One TwoA <i>Three Four</i> Five!"),
        (
            "<i>One TwoE <i>Three</i> Four Five!</i>",
            NO_DECOR,
            '<i>One TwoE <span style="font-style:normal;">Three</span> Four Five!</i>',
        ),
        ("One TwoF</i> Three Four Five!", NO_DECOR, "One TwoF&#60;/i&#62; Three Four Five!"),
        (
            "One Two <i>Three</i> Four Five!",
            Decor(italic=True),
            'One Two <span style="font-style:normal;">Three</span> Four Five!',
        ),
        (
            "One <i>Two <i>Three</i> Four</i> Five!",
            Decor(italic=True),
            'One <span style="font-style:normal;">Two <i>Three</i> Four</span> Five!',
        ),
        # flipflop_ItalicsWithOk: nodecor resets the italics in effect
        (
            'Lessard <span class="nodecor">v.</span> Schmidt',
            Decor(italic=True),
            'Lessard <span style="font-style:normal;">v.</span> Schmidt',
        ),
        # flipflop_ItalicsWithOkAndTextcase: ... and small caps
        (
            'lessard <span class="nodecor">v.</span> schmidt',
            Decor(small_caps=True),
            'lessard <span style="font-variant:normal;">v.</span> schmidt',
        ),
        # flipflop_SmallCaps
        (
            'His <span style="font-variant:small-caps;">Anonymous</span> Life',
            Decor(small_caps=True),
            'His <span style="font-variant:normal;">Anonymous</span> Life',
        ),
        # flipflop_ApostropheInsideTag: nocase does not protect from apostrophes
        ("<span class=\"nocase\">l'''</span>", NO_DECOR, "l’’’"),
        # flipflop_SingleBeforeColon: a leading straight single quote is the outer form
        (
            "'Nobody Knows You're a Dog': As iconic",
            NO_DECOR,
            "“Nobody Knows You’re a Dog”: As iconic",
        ),
        # flipflop_OrphanQuote: two openers, nothing closes → literal
        (
            'Nation of "Positive Obligations " of State',
            NO_DECOR,
            'Nation of "Positive Obligations " of State',
        ),
        # flipflop_StartingApostrophe
        ("Automation (ETFA '09)", NO_DECOR, "Automation (ETFA ’09)"),
        # flipflop_LeadingSingleQuote (title in quotes="true")
        (
            "‘Parmenides’ 132c–133a and the development of Plato's thought",
            Decor(quotes="outer"),
            "‘Parmenides’ 132c–133a and the development of Plato’s thought",
        ),
        # flipflop_LeadingMarkupWithApostrophe (curly inner marks stay inner)
        (
            "<i>Insha’Allah</i> is an Arabic phrase meaning ‘God willing’. Another",
            NO_DECOR,
            "<i>Insha’Allah</i> is an Arabic phrase meaning ‘God willing’. Another",
        ),
        # flipflop_SingleQuotesOnItalics
        ('It is official ("<i>My Title</i>") now', NO_DECOR, "It is official (“<i>My Title</i>”) now"),
        # quotes_PunctuationWithInnerQuote (title in quotes="true")
        ("This is 'The One'", Decor(quotes="outer"), "This is ‘The One’"),
        # textcase_AfterQuote: curly locale quotes are quote runs
        ("The “new Career” and", NO_DECOR, "The “new Career” and"),
        # a quote right inside a tag opens
        ('<i>"x"</i>', NO_DECOR, "<i>“x”</i>"),
        # explicit quotes="false" around: flips to outer
        ("a 'b'", Decor(quotes="off"), "a “b”"),
        # a mismatched closer makes the pending opener literal
        ("a<b>b</i>c", NO_DECOR, "a&#60;b&#62;b&#60;/i&#62;c"),
        # unknown tags are literal
        ("x <u>y</u> & z", NO_DECOR, "x &#60;u&#62;y&#60;/u&#62; &#38; z"),
        # bold, sup, sub
        (
            "H<sub>2</sub>O <b>x<b>y</b></b> 1<sup>st</sup>",
            NO_DECOR,
            'H<sub>2</sub>O <b>x<span style="font-weight:normal;">y</span></b> 1<sup>st</sup>',
        ),
        ("<sc>Abc</sc>", NO_DECOR, '<span style="font-variant:small-caps;">Abc</span>'),
        # spacing variants of the span tags are normalised
        ('<span   class="nocase" >X</span>', NO_DECOR, "X"),
        (
            '<span style="font-variant: small-caps">X</span>',
            NO_DECOR,
            '<span style="font-variant:small-caps;">X</span>',
        ),
    ],
)
def test_fixture_cases(value: str, decor: Decor, expected: str) -> None:
    assert html(value, decor) == expected


def test_french_inner_quotes_in_quoted_title() -> None:
    # bugreports_FrenchApostrophe: « Life’s “Little” Surprises »
    got = to_plain(resolve(parse("Life's 'Little' Surprises", FRENCH), Decor(quotes="outer"), FRENCH))
    assert got == "Life’s “Little” Surprises"


def test_nested_quotes_alternate() -> None:
    assert html('"a \'b "c" d\' e"') == "“a ‘b “c” d’ e”"
    assert html('"a \'b "c" d\' e"', Decor(quotes="outer")) == "‘a “b ‘c’ d” e’"


def test_apostrophe_after_nocase_span() -> None:
    rich = parse('<span class="nocase">Parkinson</span>\'s disease')
    assert rich == (Span("nocase", ("Parkinson",)), "’s disease")
    assert to_plain(resolve(rich)) == "Parkinson’s disease"


def test_apostrophes_in_and_after_words() -> None:
    assert html("the students' work isn't done") == "the students’ work isn’t done"
    assert html("rock 'n' roll") == "rock “n” roll"  # a pair of quotes, as citeproc-js reads it


def test_single_quote_closed_before_words_is_marked_for_text_case() -> None:
    assert parse("a 'b' c") == ("a ", Span("quote", ("b",), outer=True, keep_case=True), " c")
    assert parse("a 'b'.") == ("a ", Span("quote", ("b",), outer=True), ".")
    assert parse('a "b" c') == ("a ", Span("quote", ("b",), outer=True), " c")


def test_parse_shapes() -> None:
    assert parse("") == ()
    assert parse("plain") == ("plain",)
    assert parse("a <i>b</i>") == ("a ", Span("i", ("b",)))
    assert resolve(parse("A <i>B</i>"), Decor(italic=True)) == ("A ", Styled("font-style", "normal", ("B",)))
    assert text_content(parse('<i>x</i> "y"')) == "x y"


def test_leading_space_kept() -> None:
    assert to_plain(resolve(parse(" <i>a</i>"))) == " a"


def test_plain_value_is_not_copied() -> None:
    value = "A title with no markup"
    assert parse(value)[0] is value


@given(st.text(alphabet="ab 1.,;:!?()\"'’‘“”-", max_size=40))
def test_letters_survive_in_order(value: str) -> None:
    """Quote and apostrophe reading never drops, adds or reorders a letter."""
    out = to_plain(resolve(parse(value)))
    assert [c for c in out if c.isalnum()] == [c for c in value if c.isalnum()]


@given(
    st.lists(
        st.sampled_from(
            ["<i>", "</i>", "<b>", "</b>", '<span class="nocase">', "</span>", "x", " ", "'", '"']
        ),
        max_size=25,
    )
)
def test_any_tag_soup_parses_and_renders_balanced(tokens: list[str]) -> None:
    """Tag soup never raises and always renders to balanced HTML."""
    out = html("".join(tokens))
    assert out.count("<i>") == out.count("</i>")
    assert out.count("<b>") == out.count("</b>")
    assert out.count("<span") == out.count("</span>")


def test_html_escape_like_citeproc_js() -> None:
    # number_LimitOrdinalsToDayOne prints "1<sup>e</sup><sup>r</sup>" for "1ᵉʳ"
    assert html_escape("1ᵉʳ") == "1<sup>e</sup><sup>r</sup>"
    assert html_escape("m² Brand™") == "m<sup>2</sup> Brand<sup>TM</sup>"
    assert html_escape("A & B <c>") == "A &#38; B &#60;c&#62;"
    assert html_escape("two  spaces") == "two\u00a0 spaces"
    assert html_escape("one space\u00a0nbsp") == "one space\u00a0nbsp"
