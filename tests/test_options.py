"""Typed plugin options: every built-in declares its own, unknown names fail, the CLI converts -O."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import bibconv
from bibconv.cli import main
from bibconv.commands.options import OptionError, convert_value, parse_options
from bibconv.ir import Name, Record
from bibconv.registry import (
    ForAnyPlugin,
    NoOptions,
    Options,
    UnknownOptionError,
    declares,
    default_registry,
    keeps_all,
    make_options,
    option_fields,
)

BIB = "@article{k, author={Ann Smith}, title={A Title}, journal={J}, year=2020}\n"

#: What each writer read as an untyped option before typed options (the names are its contract).
WRITER_OPTIONS = {
    "bibtex": {"unicode", "key_pattern", "lossless"},
    "biblatex": {"unicode", "key_pattern", "lossless"},
    "ris": {"lossless", "newline"},
    "csljson": {"indent"},
    "text": {"style", "locale", "empty", "progress"},
    "html": {"style", "locale", "empty", "progress"},
    "markdown": {"style", "locale", "empty", "progress"},
    "wos": {"catch_all"},
    "nbib": {"catch_all"},
    "endnote": {"catch_all"},
    "mods": {"catch_all"},
    "endnote-xml": {"catch_all"},
    "wordbib": {"catch_all"},
    "cslyaml": set(),
}


def _record() -> Record:
    return Record(
        id="k",
        type="article-journal",
        text={"title": "A Title", "container-title": "J", "note": "n"},
        names={"author": (Name(family="Smith", given="Ann"),)},
    )


@pytest.mark.parametrize("kind", ["readers", "writers"])
def test_every_builtin_declares_typed_options_with_help(kind: str) -> None:
    reg = default_registry()
    for cls in reg.classes(kind):
        opts = cls.Options
        assert issubclass(opts, Options) and dataclasses.is_dataclass(opts), cls.name
        opts()  # every option has a default
        for f in option_fields(cls):
            assert f.metadata.get("help"), f"{cls.name}.{f.name} has no help"


def test_writer_options_are_those_the_writers_use() -> None:
    reg = default_registry()
    assert set(reg.names("writers")) == set(WRITER_OPTIONS)
    for name, expected in WRITER_OPTIONS.items():
        assert {f.name for f in option_fields(type(reg.writer(name)))} == expected, name


def test_only_the_listing_readers_take_an_option() -> None:
    reg = default_registry()
    for cls in reg.classes("readers"):
        names = {f.name for f in option_fields(cls)}
        assert names == ({"reference_date"} if cls.name in ("abstracts", "feed", "arxiv") else set()), (
            cls.name
        )
        if not names:
            assert cls.Options is NoOptions


def test_a_misspelled_write_option_is_a_type_error_with_a_hint() -> None:
    records = bibconv.read(BIB, "bibtex").records
    with pytest.raises(UnknownOptionError, match=r"did you mean 'style'") as info:
        bibconv.write(records, "text", stlye="ieee")
    assert isinstance(info.value, TypeError)
    assert info.value.unknown == ["stlye"]


def test_an_unknown_read_option_fails_for_a_reader_that_takes_none() -> None:
    with pytest.raises(UnknownOptionError, match="bibtex has no option 'bogus'; its options: none"):
        bibconv.read(BIB, "bibtex", options={"bogus": 1})
    with pytest.raises(UnknownOptionError, match="did you mean 'reference_date'"):
        bibconv.read("x", "feed", options={"reference_dat": "2020-01-01"})


def test_typed_options_and_mappings_give_the_same_output() -> None:
    records = [_record()]
    writer = default_registry().writer("ris")
    typed = writer.Options(newline="\n", lossless=True)  # type: ignore[attr-defined]
    assert writer.write(records, options=typed) == writer.write(
        records, options={"newline": "\n", "lossless": True}
    )
    assert "\r\n" not in bibconv.write(records, "ris", newline="\n")


def test_options_of_another_plugin_are_refused() -> None:
    writer = default_registry().writer("csljson")
    other = type(default_registry().writer("ris")).Options()
    with pytest.raises(TypeError, match="not options of 'csljson'"):
        writer.write([_record()], options=other)


def test_lossless_is_passed_only_to_writers_that_declare_it() -> None:
    records = [_record()]
    # csljson has no lossless option (it keeps everything): the API keyword is not an error there
    assert bibconv.write(records, "csljson", lossless=True) == bibconv.write(records, "csljson")
    # and BibTeX keeps what it has no field for only with it
    assert "csl-" not in bibconv.write(records, "bibtex")
    with pytest.raises(UnknownOptionError):
        bibconv.write(records, "csljson", unicode=True)


def test_keeps_all_reads_the_typed_default_of_each_writer() -> None:
    reg = default_registry()
    assert keeps_all(reg.writer("wos"), None)  # catch_all defaults to on
    assert not keeps_all(reg.writer("wos"), {"catch_all": False})
    assert not keeps_all(reg.writer("ris"), None)  # lossless defaults to off
    assert keeps_all(reg.writer("ris"), {"lossless": True})
    # the loss report follows: dropping the catch-all turns BC205 into BC204
    codes = {
        d.code
        for d in bibconv.write(
            [_record().evolve(text={"title": "T", "genre": "g"})], "wos", catch_all=False
        ).diagnostics
    }
    assert "BC204" in codes and "BC205" not in codes  # BC205 "kept" contradicted BC204 before


def test_for_any_plugin_keeps_only_declared_names() -> None:
    reg = default_registry()
    given = ForAnyPlugin(reference_date="2020-01-01")
    assert make_options(type(reg.reader("bibtex")), given) == NoOptions()
    assert make_options(type(reg.reader("feed")), given).reference_date == "2020-01-01"


def test_an_untyped_plugin_gets_its_mapping_and_declares_anything() -> None:
    class Untyped:
        name = "untyped"

    assert make_options(Untyped, {"x": 1}) == {"x": 1}
    assert declares(Untyped, "anything")


def test_formatted_empty_is_checked() -> None:
    with pytest.raises(ValueError, match="omit' or 'print"):
        bibconv.write([_record()], "text", empty="never")


# ------------------------------------------------------------------ CLI


@pytest.mark.parametrize(
    ("tp", "text", "value"),
    [
        (bool, "yes", True),
        (bool, "0", False),
        (bool, "FALSE", False),
        (int, " 3", 3),
        (str, "a b", "a b"),
        (str | None, "none", None),
        (str | None, "x", "x"),
        (int | None, "4", 4),
    ],
)
def test_convert_value(tp: object, text: str, value: object) -> None:
    assert convert_value("o", text, tp) == value


@pytest.mark.parametrize(("tp", "text"), [(bool, "maybe"), (int, "2.5"), (int | None, "x")])
def test_convert_value_refuses(tp: object, text: str) -> None:
    with pytest.raises(OptionError):
        convert_value("o", text, tp)


def test_parse_options_refuses_unknown_names_with_the_format_options() -> None:
    cls = type(default_registry().writer("text"))
    assert parse_options(cls, ["empty=print", "style=ieee"]) == {"empty": "print", "style": "ieee"}
    with pytest.raises(OptionError, match=r"did you mean 'style'.*its options: style \(str\)"):
        parse_options(cls, ["stlye=ieee"])
    with pytest.raises(OptionError, match="NAME=VALUE"):
        parse_options(cls, ["style"])
    with pytest.raises(OptionError, match="cannot be given"):
        parse_options(cls, ["progress=x"])


def _bib(tmp_path: Path) -> str:
    path = tmp_path / "in.bib"
    path.write_text(BIB, encoding="utf-8")
    return str(path)


def test_cli_option_reaches_the_writer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", _bib(tmp_path), "-t", "csljson", "-O", "indent=0"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('[{"id": "k"') and out.count("\n") == 1


def test_cli_misspelled_option_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", _bib(tmp_path), "-t", "csljson", "-O", "indnt=0"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'indent'" in err and "its options: indent (int)" in err


def test_cli_option_of_another_format_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["convert", _bib(tmp_path), "-t", "ris", "-O", "unicode=true"]) == 2
    assert "ris has no option 'unicode'" in capsys.readouterr().err


def test_cli_bad_value_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", _bib(tmp_path), "-t", "text", "-O", "empty=never"]) == 2
    assert "one of omit, print" in capsys.readouterr().err


def test_cli_dedicated_flag_that_does_not_apply_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["convert", _bib(tmp_path), "-t", "csljson", "--unicode", "--key-pattern", "{year}"]) == 0
    err = capsys.readouterr().err
    assert "warning: --unicode does not apply to csljson" in err
    assert "warning: --key-pattern does not apply to csljson" in err


def test_cli_dedicated_flags_still_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "u.json"
    src.write_text('[{"id": "k", "type": "book", "title": "Café", "note": "n"}]', encoding="utf-8")
    assert main(["convert", str(src), "-t", "biblatex", "--unicode", "--lossless"]) == 0
    captured = capsys.readouterr()
    assert "Café" in captured.out and "warning" not in captured.err


def test_cli_reference_date_with_a_named_non_listing_reader_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["convert", _bib(tmp_path), "-f", "bibtex", "-t", "csljson", "--reference-date", "2020-01-01"])
        == 0
    )
    assert "--reference-date does not apply to bibtex input" in capsys.readouterr().err


def test_cli_reference_date_with_detection_reaches_only_listings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["convert", _bib(tmp_path), "-t", "csljson", "--reference-date", "2020-01-01"]) == 0
    assert '"id": "k"' in capsys.readouterr().out


def test_formats_name_describes_a_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats", "bib"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("bibtex: ")
    for expected in (
        "aliases: bib",
        "extensions: .bib",
        "read: yes",
        "detection:",
        "streams: yes",
        "write: yes",
    ):
        assert expected in out, expected
    assert "detection: 0.8 for ``@type{key,``" in out  # the declared sniff function's own words
    assert "unicode: bool = False" in out and "keep UTF-8 instead of LaTeX escapes" in out
    assert "key_pattern: str | None = None" in out


def test_formats_name_for_a_read_only_format_and_formatted_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats", "pubmed-xml"]) == 0
    out = capsys.readouterr().out
    assert "read: yes" in out and "write: no" in out and "options: none" in out
    assert main(["formats", "html"]) == 0
    out = capsys.readouterr().out
    assert "read: no" in out and "empty: 'omit' | 'print' = 'omit'" in out and "style: str = 'apa'" in out


def test_formats_unknown_name_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats", "nope"]) == 2
    assert "no format 'nope'; known: " in capsys.readouterr().err
