"""Web of Science tagged format: real exports, bibutils agreement, round trips, diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest

import bibconv
from bibconv.registry import default_registry

from .formats_compare import bibutils_records, check_agreement, format_agreement

DATA = Path(__file__).parent / "data" / "formats" / "wos"
SAMPLES = sorted(DATA.glob("*.isi"))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_reads_like_bibutils(sample: Path) -> None:
    result = bibconv.read(sample)
    assert result.records
    assert not [d for d in result.diagnostics if d.severity.name == "ERROR"]
    theirs = bibutils_records("isi2xml", sample.read_bytes())
    check_agreement(DATA, f"read:{sample.name}", result.records, theirs)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_written_wos_reads_back_in_bibutils(sample: Path) -> None:
    """bibutils reads bibconv's WoS output as it reads the original export."""
    records = bibconv.read(sample).records
    written = str(bibconv.write(records, "wos"))
    theirs_original = bibutils_records("isi2xml", sample.read_bytes())
    theirs_ours = bibutils_records("isi2xml", written.encode())
    check_agreement(DATA, f"write:{sample.name}", theirs_ours, theirs_original)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_round_trips_exactly(sample: Path) -> None:
    records = bibconv.read(sample).records
    again = bibconv.read(str(bibconv.write(records, "wos")), "wos").records
    assert again == records


def test_agreement_with_bibutils_over_all_samples() -> None:
    """≥ 90 % of the compared fields agree, reading and writing, over every sample."""
    results = []
    for sample in SAMPLES:
        records = bibconv.read(sample).records
        theirs = bibutils_records("isi2xml", sample.read_bytes())
        results.append(check_agreement(DATA, f"read:{sample.name}", records, theirs))
        written = str(bibconv.write(records, "wos")).encode()
        results.append(
            check_agreement(DATA, f"write:{sample.name}", bibutils_records("isi2xml", written), theirs)
        )
    format_agreement(results)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_is_detected_as_wos(sample: Path) -> None:
    assert default_registry().choose_reader(sample.read_text(encoding="utf-8-sig")) == "wos"
    # without its FN/VR header, by its PT line and tags
    body = sample.read_text(encoding="utf-8-sig").split("\n", 2)[2]
    assert default_registry().choose_reader(body) == "wos"


def test_two_paper_fields() -> None:
    first, second = bibconv.read(DATA / "TwoPaper.isi").records
    assert first.type == "article-journal"
    assert first.text["container-title"] == "SYNTHESE"
    assert first.text["page"] == "245-259"
    assert first.dates["issued"].start == (2000, 3)
    assert first.extra["wos:UT"] == "WOS:000086967200001"
    assert len(first.extra["wos:CR"].split("\n")) == 13  # one cited reference per line
    assert second.dates["issued"].start == (2001,)


def test_au_only_names_get_initials() -> None:
    text = "PT J\nAU Smith, JA\n   van Dyke, B\nTI T\nPY 2020\nER\n"
    (rec,) = bibconv.read(text, "wos").records
    assert [(n.family, n.given) for n in rec.names["author"]] == [("Smith", "J. A."), ("Dyke", "B.")]
    assert rec.names["author"][1].non_dropping_particle == "van"


def test_missing_er_and_bad_lines_are_reported_with_lines() -> None:
    text = "PT J\nTI One\nPY 2020\nthis is not a tag line\nPT J\nTI Two\nER\nPT Q\nTI Three\n"
    result = bibconv.read(text, "wos", file="x.isi")
    assert [r.text["title"] for r in result.records] == ["One", "Two", "Three"]
    found = {(d.code, d.line) for d in result.diagnostics}
    assert ("BC116", 4) in found  # the bad line
    assert ("BC115", 1) in found  # the first record had no ER
    assert ("BC115", 8) in found  # nor the last
    assert ("BC200", 8) in found  # PT Q is no known type
    assert result.records[2].type == "document"


def test_record_without_pt_is_read_and_reported() -> None:
    result = bibconv.read("TI Lonely\nPY 1999\nER\n", "wos")
    assert result.records[0].text["title"] == "Lonely"
    assert [d.code for d in result.diagnostics if d.code == "BC136"] == ["BC136"]


def test_unknown_and_repeated_tags_are_kept_in_extra() -> None:
    text = "PT J\nTI A\nTI B\nQQ odd\nER\n"
    (rec,) = bibconv.read(text, "wos").records
    assert rec.text["title"] == "A"
    assert rec.extra == {"wos:TI": "B", "wos:QQ": "odd"}


def test_what_wos_cannot_carry_goes_to_the_catch_all() -> None:
    rec = bibconv.Record(
        id="key1",
        type="thesis",
        text={"title": "T", "note": "a note"},
        dates={"issued": bibconv.Date(start=(2020, 1), end=(2020, 3))},
    )
    out = bibconv.write([rec], "wos")
    assert "XB bibconv-csl: " in out
    assert any(d.code == "BC205" for d in out.diagnostics)
    assert bibconv.read(str(out), "wos").records == [rec]
    dropped = bibconv.write([rec], "wos", catch_all=False)
    assert "XB " not in dropped and any(d.code == "BC204" for d in dropped.diagnostics)


def test_damaged_catch_all_is_reported_and_kept_as_note() -> None:
    result = bibconv.read("PT J\nTI A\nXB bibconv-csl: {broken\nER\n", "wos")
    assert result.records[0].text["note"].startswith("bibconv-csl: {broken")
    assert [d.code for d in result.diagnostics if d.code == "BC135"] == ["BC135"]


def test_docs_table_lists_every_mapped_tag() -> None:
    from bibconv.formats.wos.mapping import NAME_TAGS, TEXT_TAGS

    doc = (Path(__file__).parent.parent / "docs" / "tagged-formats.md").read_text(encoding="utf-8")
    section = doc.split("## Web of Science", 1)[1].split("\n## ", 1)[0]
    for tag, var in NAME_TAGS + TEXT_TAGS:
        row = next(
            (
                line
                for line in section.splitlines()
                if line.startswith("|") and f"`{tag}`" in line.split("|")[1]
            ),
            "",
        )
        assert f"`{var}`" in row, (tag, var)


def test_formats_command_lists_every_new_format(capsys: pytest.CaptureFixture[str]) -> None:
    from bibconv.cli import main

    assert main(["formats"]) == 0
    out = capsys.readouterr().out
    readers, writers = out.split("Output formats (-t):")
    for name in ("wos", "nbib", "endnote", "cslyaml", "mods", "endnote-xml", "pubmed-xml", "wordbib"):
        assert f"\n  {name} " in readers
        assert (f"\n  {name} " in writers) is (name != "pubmed-xml")
    # one column for descriptions, however long the names
    rows = [line for line in readers.splitlines() if line.startswith("  ") and line[2] != " "]
    starts = {len(line) - len(line[2 + len(line.split()[0]) :].lstrip()) for line in rows}
    assert len(starts) == 1
