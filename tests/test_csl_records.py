"""Records → items of bibconv's processor: the data facts (bibconv.csl.records) and
bibconv.citation on top of it (process, bibliography, cite, the writers, the CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bibconv.citation import bibliography, cite, process
from bibconv.cli import main
from bibconv.csl import Citation, Cite
from bibconv.csl.records import genre_text, has_something_to_cite, records_to_items
from bibconv.ir import Date, Name, Record
from tests.conftest import shared_path


def _book(rid: str, **text: str) -> Record:
    return Record(
        id=rid,
        type="book",
        text={"title": "A Book", "publisher": "Press", **text},
        names={"author": (Name(family="Smith", given="Ann"),)},
        dates={"issued": Date(start=(2001,))},
    )


def test_truncated_name_list_prints_et_al_in_apa() -> None:
    rec = Record(
        id="ab",
        type="article-journal",
        text={"title": "T", "container-title": "J"},
        names={"author": (Name(family="Alpha", given="Ann"), Name(family="Beta", given="Bob"))},
        dates={"issued": Date(start=(2020,))},
        truncated=frozenset({"author"}),
    )
    full = rec.evolve(id="full", truncated=frozenset())
    assert bibliography([rec], style="apa") == ["Alpha, A., Beta, B., et al. (2020). T. J."]
    assert bibliography([full], style="apa") == ["Alpha, A., & Beta, B. (2020). T. J."]


@pytest.mark.parametrize(
    ("key", "locale", "want"),
    [
        ("phdthesis", None, "PhD thesis"),
        ("mathesis", "en-GB", "Master\u2019s thesis"),
        ("phdthesis", "de-DE", "Dissertation"),
        ("techreport", "fr-FR", "rapport technique"),
        ("patentus", "de-DE", "U.S. patent"),  # no German words known: English, never the raw key
        ("Habilitationsschrift", None, "Habilitationsschrift"),  # not a key: as written
    ],
)
def test_biblatex_type_keys_become_words(key: str, locale: str | None, want: str) -> None:
    assert genre_text(key, locale) == want


def test_thesis_type_key_prints_as_words_in_apa() -> None:
    rec = Record(
        id="t",
        type="thesis",
        text={"title": "On things", "genre": "phdthesis", "publisher": "Uni"},
        names={"author": (Name(family="Geer", given="Ingrid"),)},
        dates={"issued": Date(start=(1985,))},
    )
    (entry,) = bibliography([rec], style="apa")
    assert "PhD thesis" in entry and "hdthesis" not in entry.replace("PhD thesis", "")


def test_set_is_not_a_work_and_citing_it_cites_its_members() -> None:
    a, b = _book("a", title="First"), _book("b", title="Second")
    a = a.evolve(dates={"issued": Date(start=(2001,))})
    b = b.evolve(names={"author": (Name(family="Jones", given="Bo"),)})
    s = Record(id="s", type="document", extra={"bibtex:entrytype": "set", "bibtex:entryset": "a,b"})
    mapped = records_to_items([a, b, s])
    assert [i["id"] for i in mapped.items] == ["a", "b"]
    assert mapped.sets == {"s": ("a", "b")}
    assert [d.code for d in mapped.diagnostics] == ["BC127"]
    assert cite([a, b, s], ["s"], style="apa") == ["(Jones, 2001; Smith, 2001)"]
    assert len(bibliography([a, b, s], style="apa")) == 2


def test_record_with_nothing_to_cite_is_reported_and_left_out_unless_asked() -> None:
    empty = Record(id="abs", type="article", text={"abstract": "We study.", "URL": "https://x.org/a"})
    good = _book("good")
    assert not has_something_to_cite(empty) and has_something_to_cite(good)
    res = process([empty, good], style="apa", format="text")
    assert res.bibliography_ids == ("good",)
    bc450 = [d for d in res.diagnostics if d.code == "BC450"]
    assert len(bc450) == 1 and bc450[0].record_id == "abs" and "left out" in bc450[0].message
    kept = process([empty, good], style="apa", format="text", empty="print")
    assert set(kept.bibliography_ids) == {"abs", "good"}
    assert any(d.code == "BC450" and "printed" in d.message for d in kept.diagnostics)


def test_merged_seed_listings_in_apa_have_no_nd_lines(capsys: pytest.CaptureFixture[str]) -> None:
    seeds = sorted(str(p) for p in shared_path("seeds").glob("*.txt"))
    code = main(["convert", *seeds, "--merge", "-t", "text", "--style", "apa"])
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert code in (0, 1) and len(lines) > 10
    assert not [ln for ln in lines if ln.lower().startswith("(n.d.")], lines[-8:]
    assert "BC450" in captured.err
    # asked to print them: they are back (the old layer's "(N.d.-a)." lines)
    main(["convert", *seeds, "--merge", "-t", "text", "--style", "apa", "--print-empty"])
    assert any(ln.lower().startswith("(n.d.") for ln in capsys.readouterr().out.splitlines())


def test_process_takes_typed_and_citeproc_js_citations() -> None:
    recs = [_book("a", title="A"), _book("b", title="B")]
    res = process(
        recs,
        [
            Citation((Cite("a", locator="33", label="page"), Cite("b"))),
            {"citationItems": [{"id": "b", "prefix": "see "}], "properties": {"noteIndex": 0}},
        ],
        style="elsevier-harvard",
        format="text",
    )
    assert [c.text for c in res.citations] == ["(Smith, 2001a, p. 33; 2001b)", "(see Smith, 2001b)"]
    assert res.bibliography == ("Smith, A., 2001a. A. Press.", "Smith, A., 2001b. B. Press.")


def test_writers_and_progress(tmp_path: Path) -> None:
    from bibconv.formats.formatted.writer import HtmlWriter, TextWriter

    recs = [_book("a", title="A <i>Cat</i> & Dog")]
    calls: list[tuple[str, int, int]] = []
    opts = {"style": "apa", "progress": lambda *a: calls.append(a)}
    out = str(HtmlWriter().write(recs, options=opts))
    assert out.startswith('<div class="csl-bib-body">\n  <div class="csl-entry">Smith, A. (2001). <i>A ')
    assert "&#38; Dog" in out
    assert calls[0] == ("entries", 0, 1) and calls[-1] == ("entries", 1, 1)
    text = str(TextWriter().write(recs, options={"style": "apa"}))
    assert text == "Smith, A. (2001). A Cat & Dog. Press.\n"
    path = tmp_path / "r.json"
    path.write_text(json.dumps([{"id": "x", "type": "book", "title": "X"}]), encoding="utf-8")
    assert main(["convert", str(path), "-t", "text", "--style", "apa"]) == 0


def test_records_sharing_an_id_are_both_formatted() -> None:
    a, b = _book("dup", title="First"), _book("dup", title="Second")
    mapped = records_to_items([a, b])
    assert len(mapped.items) == 2 and [d.code for d in mapped.diagnostics] == ["BC452"]
    entries = bibliography([a, b], style="apa")
    assert len(entries) == 2 and "First" in entries[0] and "Second" in entries[1]


def test_event_title_reaches_styles_that_ask_for_event() -> None:
    rec = Record(
        id="talk",
        type="paper-conference",
        text={"title": "Talk", "event-title": "Some Conference"},
        names={"author": (Name(family="Xu", given="Yi"),)},
        dates={"issued": Date(start=(2020,))},
    )
    (entry,) = bibliography([rec], style="ieee")
    assert "presented at the Some Conference" in entry


def test_process_note_numbers_give_subsequent_short_notes() -> None:
    rec = Record(
        id="m",
        type="article-journal",
        text={"title": "Sketch", "container-title": "Memoirs", "volume": "3"},
        names={"author": (Name(family="Menabrea", given="Luigi"),)},
        dates={"issued": Date(start=(1843,))},
    )
    first = {"citationItems": [{"id": "m", "locator": "670"}], "properties": {"noteIndex": 1}}
    later = {"citationItems": [{"id": "m", "locator": "671"}], "properties": {"noteIndex": 2}}
    res = process([rec], [first, later], style="chicago-notes", format="text")
    full, short = (c.text for c in res.citations)
    assert full.startswith("Luigi Menabrea, “Sketch,”") and full.endswith(": 670.")
    assert short == "Menabrea, “Sketch,” 671."
    assert [c.note_index for c in res.citations] == [1, 2]
