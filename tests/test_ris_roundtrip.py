"""RIS round trips: exact through the catch-all note, and tag-only on what RIS carries."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bibconv.formats.ris.mapping import CSL_TO_RIS, DA_ACCESSED, RIS_TO_CSL, tag_for_name, tag_for_text
from bibconv.formats.ris.reader import CATCH_ALL_PREFIX, RisReader
from bibconv.formats.ris.writer import RisWriter
from bibconv.ir import Name, Record

from .strategies import clean_text, names, record_lists, records

# Types whose RIS type reads back as themselves: the ones RIS carries natively
# (less those whose DA is the access date, which cannot hold a full issued date).
NATIVE_TYPES = sorted(t for t, r in CSL_TO_RIS.items() if RIS_TO_CSL[r] == t and r not in DA_ACCESSED)
# Text variables written to a tag of their own in every native type.
PLAIN_TEXT = sorted(
    {
        "title",
        "container-title-short",
        "abstract",
        "volume",
        "issue",
        "publisher",
        "publisher-place",
        "URL",
        "language",
        "genre",
        "call-number",
        "number-of-volumes",
        "section",
        "source",
        "archive",
        "archive_location",
        "original-title",
        "reviewed-title",
        "title-short",
    }
)


def read_ris(text: str) -> list[Record]:
    return RisReader().read(text).records


def write_ris(rs: list[Record], **options: object) -> str:
    """Lossless unless told otherwise: these properties are about the exact round trip."""
    return str(RisWriter().write(rs, options={"lossless": True, **options}))


@given(record_lists())
def test_any_record_round_trips_exactly_through_the_catch_all(rs: list[Record]) -> None:
    assert read_ris(write_ris(rs)) == rs


def _plain_person(n: object) -> bool:
    """Names the RIS name syntax writes unambiguously (the rest use the catch-all)."""
    from bibconv.formats.ris.values import format_name, parse_name

    assert isinstance(n, Name)
    return n.dropping_particle is None and parse_name(format_name(n)) == n


def _tagged_only(r: Record) -> Record:
    """Keep the variables that have a tag of their own in the record's RIS type."""
    ris = CSL_TO_RIS[r.type]
    return r.evolve(
        text={k: v for k, v in r.text.items() if tag_for_text(k, ris)},
        names={k: v for k, v in r.names.items() if tag_for_name(k, ris)},
    )


@settings(max_examples=80)
@given(
    records(
        types=NATIVE_TYPES,
        text_vars=PLAIN_TEXT,
        name_vars=["author", "editor", "collection-editor", "translator"],
        date_vars=["issued", "accessed"],
        date_ranges=False,  # a range is written as DA/Y2 "a/b" but read back exactly only from the note
        with_extra=False,
        with_truncated=False,
    )
    .map(_tagged_only)
    .filter(lambda r: all(_plain_person(n) for ns in r.names.values() for n in ns))
)
def test_what_ris_carries_round_trips_with_tags_alone(r: Record) -> None:
    out = RisWriter().write([r])
    assert CATCH_ALL_PREFIX not in out  # the tags alone were enough
    assert out.diagnostics == []
    assert read_ris(str(out)) == [r]


@given(st.lists(names(), min_size=1, max_size=4), clean_text())
def test_names_and_organisations_round_trip(ns: list[object], title: str) -> None:
    people = tuple(n for n in ns if isinstance(n, Name))
    r = Record(id="k", type="book", text={"title": title}, names={"author": people})
    assert read_ris(write_ris([r])) == [r]


_LINES = st.one_of(
    st.sampled_from(["TY  - JOUR", "TY  - BOOK", "ER  - ", "er  -", "", "TY - CHAP"]),
    st.builds(
        lambda tag, value: f"{tag}  - {value}",
        st.sampled_from(["AU", "TI", "PY", "DA", "SP", "EP", "SN", "DO", "UR", "N1", "KW", "ZZ", "ID", "Y2"]),
        st.text(max_size=30),
    ),
    st.text(max_size=40),
)


@given(st.lists(_LINES, max_size=30))
def test_the_reader_never_raises_and_locates_its_diagnostics(lines: list[str]) -> None:
    text = "\n".join(lines)
    result = RisReader().read(text)
    n = text.count("\n") + 1
    assert all(d.line is None or 1 <= d.line <= n for d in result.diagnostics)
    assert len({r.id for r in result.records}) == len(result.records)
    # whatever was read can be written and read back exactly
    assert read_ris(write_ris(result.records)) == result.records


def test_the_reader_is_linear_on_a_large_file() -> None:
    import time

    record = "TY  - JOUR\nAU  - Doe{}, Jane\nTI  - A title\nPY  - 2020/05/01/\nSP  - 1\nEP  - 9\nER  - \n"
    text = "".join(record.format(i) for i in range(5000))
    start = time.perf_counter()
    result = RisReader().read(text)
    assert len(result.records) == 5000
    assert time.perf_counter() - start < 10  # about 0.5 s here; generous for a busy CI
