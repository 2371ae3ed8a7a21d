"""The citation writer: style resolution, locales, safe XML, output formats, cite()."""

from __future__ import annotations

from pathlib import Path

import pytest

import bibconv
from bibconv.citation import bibliography, cite
from bibconv.citation.styles import (
    LocaleNotFoundError,
    StyleParseError,
    resolve_style,
)
from bibconv.errors import StyleNotFoundError
from bibconv.ir import Date, Name, Record

ROOT = Path(__file__).resolve().parent.parent


def _article(**over: object) -> Record:
    base: dict[str, object] = {
        "id": "Doe2021",
        "type": "article-journal",
        "text": {
            "title": "Cats & dogs: a <i>Felis</i> study",
            "container-title": "Journal of Pets",
            "volume": "3",
            "page": "10-20",
        },
        "names": {"author": (Name(family="Doe", given="Jane"), Name(family="Roe", given="Rick"))},
        "dates": {"issued": Date(start=(2021,))},
    }
    base.update(over)
    return Record(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "file"),
    [
        ("apa", "apa.csl"),
        ("APA", "apa.csl"),
        ("ieee", "ieee.csl"),
        ("chicago", "chicago-author-date.csl"),
        ("mla", "modern-language-association.csl"),
        ("harvard", "harvard-cite-them-right.csl"),
        ("nature", "nature.csl"),
        ("vancouver", "nlm-citation-sequence.csl"),
    ],
)
def test_short_names_and_aliases_resolve(name: str, file: str) -> None:
    assert resolve_style(name).name == file


def test_dependent_style_resolves_to_its_parent() -> None:
    # "nature-digest"-like journals borrow a parent's rules; vancouver-nlm is one
    assert resolve_style("vancouver-nlm").name == "nlm-citation-sequence.csl"


def test_unknown_style_names_the_closest_matches() -> None:
    with pytest.raises(StyleNotFoundError) as info:
        resolve_style("apaa")
    assert "apa" in info.value.suggestions
    assert "did you mean" in str(info.value)


def test_style_by_path(tmp_path: Path) -> None:
    src = resolve_style("apa")
    target = tmp_path / "mine.csl"
    target.write_bytes(src.read_bytes())
    assert resolve_style(str(target)) == target.resolve()
    with pytest.raises(StyleNotFoundError):
        resolve_style(str(tmp_path / "missing.csl"))


def test_project_style_found_by_name() -> None:
    assert resolve_style("bibconv-compact") == ROOT / "styles" / "bibconv-compact.csl"


def test_unknown_locale_is_a_clean_error() -> None:
    with pytest.raises(LocaleNotFoundError) as info:
        bibliography([_article()], style="apa", locale="xx-YY")
    assert "locale" in str(info.value)


def test_locale_changes_terms() -> None:
    rec = _article(dates={})
    (en,) = bibliography([rec], style="apa")
    (de,) = bibliography([rec], style="apa", locale="de-DE")
    assert "n.d." in en
    assert "o. J." in de.replace("\xa0", " ")


def test_parsed_styles_are_cached() -> None:
    from bibconv.csl.style import load_style

    assert load_style(resolve_style("ieee")) is load_style(resolve_style("ieee"))


def test_entities_are_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    style = resolve_style("apa").read_text(encoding="utf-8")
    evil = style.replace(
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE style [<!ENTITY x SYSTEM "file://{secret}">]>',
    ).replace('<text variable="title"', '<text value="&x;" /><text variable="title"', 1)
    path = tmp_path / "evil.csl"
    path.write_text(evil, encoding="utf-8")
    # lxml refuses the external entity outright (a parse error), or leaves it unexpanded
    try:
        out = "\n".join(bibliography([_article()], style=str(path)))
    except StyleParseError as exc:
        assert "entity" in str(exc)
    else:
        assert "TOP-SECRET" not in out


def test_malformed_style_is_a_parse_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csl"
    path.write_text("<style><citation>", encoding="utf-8")
    with pytest.raises(StyleParseError):
        bibliography([_article()], style=str(path))


def test_text_html_markdown() -> None:
    rec = _article()
    text = bibconv.write([rec], "text", style="apa")
    html = bibconv.write([rec], "html", style="apa")
    md = bibconv.write([rec], "markdown", style="apa")
    assert "Cats & dogs" in text and "<i>" not in text
    assert "Cats &#38; dogs" in html  # escaped as citeproc-js escapes it
    assert "<i>Journal of Pets, 3</i>" in html or "<i>Journal of Pets</i>" in html
    assert "*Journal of Pets" in md
    # user text with Markdown metacharacters is escaped, italics kept
    rec2 = _article(text={"title": "Using *stars* and _under_ [brackets]", "container-title": "J"})
    md2 = bibconv.write([rec2], "markdown", style="apa")
    assert r"\*stars\*" in md2 and r"\_under\_" in md2 and r"\[brackets\]" in md2
    assert "*J*" in md2


def test_html_escapes_markup_looking_user_text() -> None:
    rec = _article(text={"title": "x < y <script>alert(1)</script>", "container-title": "J"})
    html = bibconv.write([rec], "html", style="apa")
    assert "<script>" not in html
    assert "x &#60; y &#60;script&#62;" in html


def test_cite_api_author_date_and_numeric() -> None:
    a = _article()
    b = _article(
        id="Zed1999",
        names={"author": (Name(family="Zed", given="Ann"),)},
        dates={"issued": Date(start=(1999,))},
    )
    assert cite([a, b], ["Doe2021"], style="apa") == ["(Doe & Roe, 2021)"]
    assert cite([a, b], [["Doe2021", "Zed1999"]], style="apa") == ["(Doe & Roe, 2021; Zed, 1999)"]
    # numeric: numbers follow the bibliography order
    assert cite([a, b], ["Doe2021", "Zed1999"], style="ieee") == ["[1]", "[2]"]


def test_ids_differing_only_in_case_do_not_collide() -> None:
    a = _article(id="smith")
    b = _article(id="Smith", text={"title": "Other", "container-title": "J"})
    out = bibliography([a, b], style="ieee")
    assert len(out) == 2
    assert any("Other" in e for e in out) and any("Cats" in e for e in out)


def test_records_are_not_mutated() -> None:
    rec = _article()
    before = (rec.id, dict(rec.text))
    bibliography([rec], style="chicago")
    assert (rec.id, dict(rec.text)) == before


def test_own_compact_style_renders_newest_first() -> None:
    older = _article(id="old", dates={"issued": Date(start=(2019,))})
    newer = _article(
        id="new",
        text={
            "title": "Fresh results",
            "container-title": "Journal of Pets",
            "volume": "4",
            "issue": "1",
            "page": "1-9",
            "DOI": "10.1000/abc",
        },
        names={"author": (Name(family="Smith", given="Ann Beth"),)},
    )
    undated = _article(id="und", dates={}, names={"author": (Name(family="Zed", given="Z"),)})
    out = bibliography([older, undated, newer], style="bibconv-compact")
    assert out == [
        "2021. Smith AB. Fresh results. Journal of Pets 4(1):1–9. doi:10.1000/abc",
        "2019. Doe J, Roe R. Cats & dogs: a Felis study. Journal of Pets 3:10–20.",
        # a literal text value opening the entry keeps its case, as in citeproc-js
        "in press. Zed Z. Cats & dogs: a Felis study. Journal of Pets 3:10–20.",
    ]
    html = bibconv.write([newer], "html", style="bibconv-compact")
    assert "<i>Journal of Pets</i>" in html
