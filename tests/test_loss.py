"""The loss report: every conversion says what the target cannot carry; --strict fails on it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest

import bibconv
from bibconv.cli import main
from bibconv.errors import WriteError
from bibconv.ir import Date, Name, Record
from bibconv.registry import Registry, WriteResult


class TitleOnly:
    """A format that carries titles and nothing else, with no catch-all."""

    name: ClassVar[str] = "titleonly"
    aliases: ClassVar[tuple[str, ...]] = ()
    extensions: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = "test"
    carries: ClassVar[frozenset[str]] = frozenset({"title"})
    catch_all: ClassVar[bool] = False

    def write(self, records: Sequence[Record], *, options: Mapping[str, Any] | None = None) -> WriteResult:
        return WriteResult("".join(r.text.get("title", "") + "\n" for r in records))


class TitlePlusNote(TitleOnly):
    name: ClassVar[str] = "titlenote"
    catch_all: ClassVar[bool] = True


RECORD = Record(
    id="k",
    type="book",
    text={"title": "T", "DOI": "10.1/x"},
    names={"author": (Name(family="Doe"),)},
    dates={"issued": Date(start=(2000,))},
    extra={"bibtex:tags": "a"},
)


def _registry() -> Registry:
    reg = Registry(use_entry_points=False)
    reg.register_writer(TitleOnly)
    reg.register_writer(TitlePlusNote)
    return reg


def test_loss_is_reported_per_record_and_field() -> None:
    out = bibconv.write([RECORD], "titleonly", registry=_registry())
    (d,) = out.diagnostics
    assert d.code == "BC204" and d.record_id == "k"
    assert "DOI, author, extra (bibtex:tags), issued" in d.message


def test_catch_all_is_an_info_not_a_loss() -> None:
    out = bibconv.write([RECORD], "titlenote", registry=_registry())
    assert [d.code for d in out.diagnostics] == ["BC205"]
    assert out.diagnostics[0].severity == bibconv.Severity.INFO


def test_strict_turns_loss_into_an_error() -> None:
    with pytest.raises(WriteError) as info:
        bibconv.write([RECORD], "titleonly", registry=_registry(), strict=True)
    assert info.value.diagnostics[0].code == "BC204"
    assert bibconv.write([RECORD], "titlenote", registry=_registry(), strict=True) == "T\n"


def test_nothing_to_report_when_everything_fits() -> None:
    out = bibconv.write([Record(id="k", type="book", text={"title": "T"})], "titleonly", registry=_registry())
    assert out.diagnostics == []


def test_strict_cli_exit_code_on_input_errors(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text('[{"id": "a", "type": "book"}, 5]', encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["convert", str(src), "-t", "csljson", "--strict", "-o", str(out)]) == 1
    assert not out.exists()
