"""Cross-format properties, generated for every registered reader and writer.

A new plugin is covered automatically: the parameters come from the registry.

* round trip: ``read_F(write_F(rs)) == [F.reduce(r) for r in rs]``, where a
  writer may define ``reduce(record)`` to say what its format keeps (the
  default keeps the variables in ``carries``, or everything with a catch-all);
* writing is deterministic and idempotent: ``write(read(write(rs))) == write(rs)``;
* a writer's output is detected as its own format;
* for every reader A and writer B and any text x, ``write_B(read_A(x))`` never
  raises (readers return diagnostics instead), also on arbitrary bytes.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibconv.api import load_text
from bibconv.ir import Record
from bibconv.registry import declares, default_registry
from bibconv.textio import decode
from bibconv.vocab import DATE_VARS, NAME_VARS, TEXT_VARS

from .strategies import any_text, bibtex_with_at_lines, canonical, hostile_csl_json, math_spans, record_lists

REG = default_registry()
READERS = REG.names("readers")
WRITERS = REG.names("writers")
ROUND_TRIP = [name for name in WRITERS if name in READERS]
#: Formatted-bibliography writers run a CSL processor: fewer examples keep CI fast.
SLOW_WRITERS = {"text", "html", "markdown"}
#: The exact round trip is what ``lossless`` promises (by default BibTeX and RIS leave out
#: what only bibconv would read, and report it; tests/test_real_exports_writing.py).
#: Writers without the option (CSL-JSON, the tagged and XML formats) keep everything anyway,
#: and their typed options refuse a name they do not declare.
LOSSLESS = {"lossless": True}


def lossless(writer: Any) -> dict[str, bool] | None:
    """:data:`LOSSLESS` for a writer that takes it, else no options."""
    return LOSSLESS if declares(type(writer), "lossless") else None


def reduce(writer: Any, record: Record) -> Record:
    """What ``writer``'s format keeps of ``record``."""
    custom = getattr(writer, "reduce", None)
    if custom is not None:
        reduced: Record = custom(record)
        return reduced
    if writer.catch_all:
        return record
    carries = writer.carries
    return dataclasses.replace(
        record,
        text={k: v for k, v in record.text.items() if k in carries},
        names={k: v for k, v in record.names.items() if k in carries},
        dates={k: v for k, v in record.dates.items() if k in carries},
        extra=dict(record.extra) if "extra" in carries else {},
        truncated=record.truncated if "truncated" in carries else frozenset(),
    )


def strategy_for(writer: Any) -> st.SearchStrategy[list[Record]]:
    """Records limited to the variables the writer's format carries."""
    carries = writer.carries
    custom = getattr(writer, "record_strategy", None)
    if custom is not None:
        strategy: st.SearchStrategy[list[Record]] = custom()
        return strategy
    return record_lists(
        text_vars=sorted(TEXT_VARS & carries),
        name_vars=sorted(NAME_VARS & carries),
        date_vars=sorted(DATE_VARS & carries),
        with_extra="extra" in carries,
        with_truncated="truncated" in carries,
    )


@pytest.mark.parametrize("fmt", ROUND_TRIP)
def test_round_trip_keeps_what_the_format_carries(fmt: str) -> None:
    writer, reader = REG.writer(fmt), REG.reader(fmt)

    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(strategy_for(writer))
    def check(records: list[Record]) -> None:
        text = writer.write(records, options=lossless(writer))
        back = reader.read(str(text))
        expected = [reduce(writer, r) for r in records]
        if getattr(writer, "dialect", None):  # ASCII BibTeX: accents as commands read back in NFC
            assert canonical(back.records) == canonical(expected)
        else:
            assert back.records == expected

    check()


@pytest.mark.parametrize("fmt", ROUND_TRIP)
def test_writing_is_idempotent(fmt: str) -> None:
    writer, reader = REG.writer(fmt), REG.reader(fmt)

    @given(strategy_for(writer))
    def check(records: list[Record]) -> None:
        first = str(writer.write(records, options=lossless(writer)))
        assert str(writer.write(records, options=lossless(writer))) == first
        again = str(writer.write(reader.read(first).records, options=lossless(writer)))
        assert again == first

    check()


@pytest.mark.parametrize("fmt", ROUND_TRIP)
def test_output_is_detected_as_its_own_format(fmt: str) -> None:
    writer = REG.writer(fmt)

    @given(strategy_for(writer).filter(bool))
    def check(records: list[Record]) -> None:
        text, _, _ = load_text(str(writer.write(records)))  # as bibconv.read sees it
        chosen = REG.choose_reader(text)
        if chosen != fmt:
            # Only a dialect of the same family may be chosen, and only if it reads
            # the output exactly as the format's own reader does.
            assert REG._family(chosen) == REG._family(fmt), chosen
            assert REG.reader(chosen).read(text).records == REG.reader(fmt).read(text).records

    check()


@pytest.mark.parametrize("reader_name", READERS)
def test_readers_never_raise_on_arbitrary_text(reader_name: str) -> None:
    reader = REG.reader(reader_name)

    @settings(max_examples=200)
    @given(st.text(max_size=400))
    def check(text: str) -> None:
        result = reader.read(text, file="x")
        assert all(d.code and d.message for d in result.diagnostics)

    check()


@pytest.mark.parametrize("reader_name", READERS)
def test_readers_never_raise_on_arbitrary_bytes(reader_name: str) -> None:
    reader = REG.reader(reader_name)

    @settings(max_examples=200)
    @given(st.binary(max_size=400))
    def check(data: bytes) -> None:
        text, _ = decode(data, "x")
        reader.read(text, file="x")

    check()


@pytest.mark.parametrize("reader_name", READERS)
@pytest.mark.parametrize("writer_name", WRITERS)
def test_any_reader_output_can_be_written_by_any_writer(reader_name: str, writer_name: str) -> None:
    reader, writer = REG.reader(reader_name), REG.writer(writer_name)
    # Inputs shaped like each format, so readers actually produce records.
    samples = [str(REG.writer(w).write(rs)) for w in ROUND_TRIP for rs in _FIXED_RECORDS]

    @settings(max_examples=10 if writer_name in SLOW_WRITERS else 40)
    @given(st.sampled_from(samples) | st.text(max_size=300))
    def check(text: str) -> None:
        records = reader.read(text).records
        writer.write(records)

    check()


_FIXED_RECORDS: list[list[Record]] = [
    [
        Record(
            id="k1",
            type="article-journal",
            text={"title": "A {b} & c $d$ 50% #1 ~x^y_z \\ end", "container-title": "J", "page": "1–9"},
        )
    ],
    [Record(id="k2", type="book", text={"title": '<i>Über</i> <span class="nocase">DNA</span>'})],
]


# -- hostile inputs (issue 14) ---------------------------------------------------------------

_DATA_WRITERS = [w for w in WRITERS if w not in SLOW_WRITERS]


def test_csljson_reader_survives_wrongly_typed_values_and_surrogates() -> None:
    import bibconv

    @settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
    @given(hostile_csl_json())
    def check(text: str) -> None:
        result = bibconv.read(text, "csljson")
        for record in result.records:
            for value in (*record.text.values(), *record.extra.values()):
                value.encode("utf-8")  # never a lone surrogate, never a repr of a container
                assert not value.startswith(("['", "{'"))
        for name in _DATA_WRITERS:
            bibconv.write(result.records, name).encode("utf-8")

    check()


@pytest.mark.parametrize("reader_name", READERS)
def test_no_reader_passes_a_lone_surrogate_on(reader_name: str) -> None:
    import bibconv

    @settings(max_examples=60)
    @given(any_text.map(lambda s: "@misc{k, title = {" + s + "}}\nTY  - GEN\nTI  - " + s + "\nER  - \n"))
    def check(text: str) -> None:
        result = bibconv.read(text, reader_name)
        for name in ("csljson", "ris", "bibtex"):
            bibconv.write(result.records, name).encode("utf-8")

    check()


def test_at_lines_inside_balanced_values_never_end_an_entry() -> None:
    import bibconv
    from bibconv.formats.bibtex.lexer import scan
    from bibconv.formats.bibtex.reader import cut_before_entry

    @settings(max_examples=150)
    @given(bibtex_with_at_lines())
    def check(sample: tuple[str, int]) -> None:
        text, count = sample
        result = bibconv.read(text, "bibtex")
        assert [r.id for r in result.records] == [f"k{n}" for n in range(count)]
        assert not any(d.code == "BC104" for d in result.diagnostics)
        for record in result.records:
            assert "\n" not in record.text["abstract"]
        # validate's scan and the streaming cut agree with the reader
        assert [e.key for e in scan(text).entries] == [f"k{n}" for n in range(count)]
        data = text.encode()
        cut = cut_before_entry(data)
        assert cut == 0 or data[cut:].startswith(b"@article{k")

    check()


def test_streaming_cut_agrees_with_a_step_by_step_walk() -> None:
    """cut_before_entry skips runs of balanced entries; it must give the walk's answer.

    The pieces mix entry lines, stray braces and "@" lines inside values, the
    cases where brace depth at an entry line is not zero.
    """
    from bibconv.formats.bibtex.reader import _cut_before_entry_walk, cut_before_entry

    pieces = st.sampled_from(
        [b"@a{k,\n", b"}\n", b"{", b"}", b"  @misc(x,\n", b")\n", b"t = {v}\n", b"\n", b"@ b{", b"x@y{z}\n"]
    )

    @settings(max_examples=400)
    @given(st.lists(pieces, max_size=40))
    def check(parts: list[bytes]) -> None:
        data = b"".join(parts)
        assert cut_before_entry(data) == _cut_before_entry_walk(data)

    check()


def test_math_is_decoded_only_when_it_writes_back_the_same() -> None:
    from bibconv.formats.bibtex.latex import decode, encode

    @settings(max_examples=300)
    @given(math_spans())
    def check(span: str) -> None:
        text = decode(span).text
        assert "\n" not in text
        if "$" not in text:  # decoded: the writer gives the very same span back
            assert encode(text) == span
        assert decode(encode(text)).text == text

    check()
