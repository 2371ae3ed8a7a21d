"""RIS record rules shared by the reader and the writer: tag lines → one record.

Why a module of its own: the writer checks that what it wrote reads back by
running the reader's own rules on its lines (:func:`build_record`), and knows
without reading back which values the reader keeps as they are
(:func:`keeps_spacing`, :func:`keeps_doi`, :func:`keeps_url`).  Both import
these from here, so neither reaches into the other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from bibconv.dates import month_number
from bibconv.diagnostics import Diagnostic
from bibconv.formats.ris.mapping import (
    BT_IS_TITLE,
    DA_ACCESSED,
    DATE_TAGS,
    KNOWN_TAGS,
    NAME_TAGS,
    READ_ALIASES,
    csl_type,
)
from bibconv.formats.ris.mapping import name_var as _name_var
from bibconv.formats.ris.mapping import text_var as _text_var
from bibconv.formats.ris.values import parse_name, sn_variable
from bibconv.formats.ris.values import parse_ris_date as _parse_ris_date
from bibconv.formats.tagged import Field as TagLine
from bibconv.formats.tagged import FieldSink
from bibconv.identifiers import normalise_doi
from bibconv.ir import Date, Record, SourceSpan

#: The mapping's answers per (tag, RIS type), asked for every tag line; bounded, as the
#: RIS types come from the file.
name_var = lru_cache(maxsize=4096)(_name_var)
text_var = lru_cache(maxsize=4096)(_text_var)
#: Dates by their text: a bibliography has a few hundred distinct ``PY`` values for thousands
#: of records (jgrey: 178 for 16,579), and the answer is immutable.  Bounded.
parse_ris_date = lru_cache(maxsize=4096)(_parse_ris_date)

__all__ = [
    "CATCH_ALL_PREFIX",
    "TagLine",
    "build_record",
    "keeps_doi",
    "keeps_spacing",
    "keeps_url",
    "ris_id",
]

#: An ``N1`` value starting with this holds what RIS tags cannot (formats/ris/writer.py).
CATCH_ALL_PREFIX = "bibconv-csl: "

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s{0,3})", re.IGNORECASE)
_MULTI = {"KW": ", ", "N1": "\n"}
_URL_LIST = re.compile(r"\s{0,3};\s{0,3}(?=(?:https?|ftp)://)")
# Runs of white space (wrapped lines, tabs, U+2028) become one space; no-break
# spaces are meant and stay.
_SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]{2,}|[^\S \u00a0\u2007\u202f]")


def ris_id(tags: Sequence[TagLine]) -> str | None:
    """The record's own key, as :func:`build_record` takes it: the first non-empty ``ID``.

    Why apart: a streamed read settles keys over the whole file before it
    builds the records (formats/ris/reader.py), and needs only this of each.
    """
    for tl in tags:
        if tl.value and READ_ALIASES.get(tl.tag, tl.tag) == "ID":
            return _SPACES.sub(" ", tl.value)
    return None


def keeps_spacing(value: str) -> bool:
    """True when the reader takes ``value`` of a tag other than ``N1`` as it is.

    The reader turns runs of white space and any white space but a plain or
    no-break space into one space (:data:`_SPACES`); the writer uses this to
    know, without reading its lines back, that a value survives.
    """
    return _SPACES.search(value) is None


def keeps_doi(value: str) -> bool:
    """True when the reader keeps a ``DO`` value as it is (no prefix to strip, a real DOI)."""
    return _DOI_PREFIX.match(value) is None and normalise_doi(value) is not None


def keeps_url(value: str) -> bool:
    """True when the reader takes a ``UR`` value as one URL (not a ``;``-separated list)."""
    return _URL_LIST.search(value) is None


#: Tags :meth:`_Builder.add` has a rule for (aliases, names, dates, notes, lists, keys,
#: identifiers); every other tag, the aliases' targets among them (TI, T2, PB …), goes
#: straight to its text variable.
_SPECIAL_TAGS = frozenset(
    {*READ_ALIASES, *NAME_TAGS, *DATE_TAGS, *_MULTI}
    | {"JO", "BT", "N1", "DA", "EP", "ID", "SN", "DO", "UR", "TY"}
)


#: Special tags :func:`build_record` handles inline, as :meth:`_Builder.add` would: the name
#: tags that are no alias, ``PY`` and ``ID`` (none of them an alias, ``JO``, ``BT`` or ``N1``).
_INLINE_TAGS = frozenset({*(t for t in NAME_TAGS if t not in READ_ALIASES), "PY", "ID"})


class _Builder(FieldSink):
    """Turns one record's tag lines into IR maps, reporting what it cannot map."""

    def __init__(self, ris: str, diags: list[Diagnostic], file: str | None, line: int) -> None:
        super().__init__("ris", diags, file, line)
        self.ris = ris
        self.catch: list[tuple[str, int]] = []
        self.dates: dict[str, list[tuple[str, int]]] = {}
        self.late: list[TagLine] = []  # JO: the container only when T2/JF do not name one

    def set_text(self, var: str, value: str, tag: str, line: int) -> None:
        """As every tagged reader, except that a second, different container is its short form."""
        old = self.text.get(var)
        if (
            old is not None
            and old != value
            and var == "container-title"
            and "container-title-short" not in self.text
        ):
            self.text["container-title-short"] = value
            return
        super().set_text(var, value, tag, line)

    def add(self, tl: TagLine) -> None:
        tag, value = tl.tag, tl.value
        if tag not in _SPECIAL_TAGS:
            # a tag with no rule of its own (TI, T2, PB, VL …): the general path below, shortened
            if not value:
                return
            if "  " in value or not value.isprintable():
                value = _SPACES.sub(" ", value)
            var = text_var(tag, self.ris)
            if var is None:
                why = "is not mapped" if tag not in KNOWN_TAGS else "has no meaning in this type"
                self.keep_extra(tag, value, tl.line, why)
                return
            self.set_text(var, value, tag, tl.line)
            return
        tag = READ_ALIASES.get(tag, tag)
        if not value:
            return
        if tl.tag == "JO" and tl not in self.late:
            self.late.append(tl)
            return
        if tag == "BT":  # the old "book title": the title of a book, else the container
            tag = "TI" if self.ris in BT_IS_TITLE else "T2"
        # wrapped lines leave runs of spaces; notes keep theirs.  A printable value
        # without two spaces in a row has no white space but single spaces: nothing to fold
        if tag != "N1" and ("  " in value or not value.isprintable()):
            value = _SPACES.sub(" ", value)
        if tag in NAME_TAGS:
            name = parse_name(value)
            var = name_var(tag, self.ris)
            if name is not None and var is not None:
                self.names.setdefault(var, []).append(name)
            return
        if tag == "DA" and self.ris in DA_ACCESSED:
            tag = "Y2" if "Y2" not in self.dates else "DA"
        if tag in DATE_TAGS or tag == "DA":
            if value.strip("/") in ("0000", "0"):  # Scopus's "year unknown"
                self.keep_extra(tl.tag, value, tl.line, "is an unknown year (0000)")
                return
            self.dates.setdefault(tag, []).append((value, tl.line))
            return
        if tag == "N1" and value.startswith(CATCH_ALL_PREFIX):
            self.catch.append((value[len(CATCH_ALL_PREFIX) :], tl.line))
            return
        if tag in _MULTI:
            self.multi.setdefault(tag, []).append(value)
            return
        if tag in ("EP", "ID"):
            self.text.setdefault(f"_{tag}", value)
            return
        var = text_var(tag, self.ris)
        if var is None:
            why = "is not mapped" if tag not in KNOWN_TAGS else "has no meaning in this type"
            self.keep_extra(tl.tag, value, tl.line, why)
            return
        if tag == "SN":
            var = sn_variable(value, self.ris)
        elif tag == "DO":
            value = _DOI_PREFIX.sub("", value)
            if normalise_doi(value) is None:
                self.keep_extra(tl.tag, value, tl.line, "is not a DOI")
                return
        elif tag == "UR":
            first, *more = _URL_LIST.split(value)
            for url in more:  # "UR  - http://a; http://b", as some exports write
                self.keep_extra("UR", url, tl.line, "holds more than one URL")
            if "URL" in self.text and self.text["URL"] != first:
                self.keep_extra("UR", first, tl.line, "repeats URL")
                return
            value = first
        self.set_text(var, value, tl.tag, tl.line)

    def finish_dates(self) -> dict[str, Date]:
        out: dict[str, Date] = {}
        py = self.dates.get("PY", [])
        da = self.dates.get("DA", [])
        issued: Date | None = None
        py_date: Date | None = None
        if py:
            py_date, rest = parse_ris_date(py[0][0])
            if py_date is None:
                self.note("BC202", f"date {py[0][0]!r} is not understood; kept as literal", py[0][1])
                py_date = Date(literal=py[0][0])
            elif rest:
                self.keep_extra(
                    "PY", py[0][0], py[0][1], f"has a date part bibconv does not understand ({rest!r})"
                )
            for value, line in py[1:]:
                self.keep_extra("PY", value, line, "repeats the date")
        issued = py_date
        if da:
            value, line = da[0]
            da_date, rest = parse_ris_date(value)
            month = month_number(value)
            if da_date is not None and da_date.start is not None:
                if rest:
                    self.keep_extra(
                        "DA", value, line, f"has a date part bibconv does not understand ({rest!r})"
                    )
                if py_date is not None and py_date.year is not None and py_date.year != da_date.year:
                    self.keep_extra("PY", py[0][0], py[0][1], "disagrees with DA, which wins")
                issued = da_date
            elif month is not None and py_date is not None and py_date.start and len(py_date.start) == 1:
                issued = Date(start=(py_date.start[0], month))
            elif py_date is None:
                if da_date is None:
                    self.note("BC202", f"date {value!r} is not understood; kept as literal", line)
                issued = da_date or Date(literal=value)
            else:
                self.keep_extra("DA", value, line, "is not a date bibconv understands")
            for value, line in da[1:]:
                self.keep_extra("DA", value, line, "repeats the date")
        if issued is not None:
            out["issued"] = issued
        for n, (value, line) in enumerate(self.dates.get("Y2", [])):
            if n:
                self.keep_extra("Y2", value, line, "repeats the access date")
                continue
            acc, rest = parse_ris_date(value)
            if acc is None:
                self.note("BC202", f"date {value!r} is not understood; kept as literal", line)
                acc = Date(literal=value)
            elif rest:
                self.keep_extra("Y2", value, line, f"has a date part bibconv does not understand ({rest!r})")
            out["accessed"] = acc
        return out

    def finish_pages(self) -> None:
        sp = self.text.get("page") or self.text.get("number-of-pages")
        ep = self.text.pop("_EP", None)
        if ep is None:
            return
        if sp is None:
            self.text["page"] = ep
            return
        if self.text.get("number-of-pages") == sp:
            del self.text["number-of-pages"]
        if "-" in sp and not sp.endswith(f"-{ep}"):
            self.keep_extra("EP", ep, self.line, "disagrees with the page range in SP")
        self.text["page"] = sp if ("-" in sp or sp == ep) else f"{sp}-{ep}"


def _apply_catch_all(
    record: Record, blobs: list[tuple[str, int]], diags: list[Diagnostic], file: str | None
) -> Record:
    """Overlay the writer's catch-all notes (exact CSL values) on a record, as every tagged
    format does (:func:`bibconv.formats.tagged.apply_catch_all`; a damaged one is BC135)."""
    from bibconv.formats.tagged import apply_catch_all

    for blob, line in blobs:
        record, _ = apply_catch_all(record, None, blob, diags, file, line)
    return record


_NOT_TRUNCATED: frozenset[str] = frozenset()


def build_record(
    tags: Sequence[TagLine],
    diags: list[Diagnostic],
    *,
    file: str | None = None,
    line: int = 0,
    fallback_id: str = "",
    quick: bool = True,
) -> tuple[Record, bool]:
    """One record's tag lines → (record, whether its id came from an ``ID`` tag).

    The writer calls this too, to check that what it wrote reads back.
    ``quick=False`` sends every tag through :meth:`_Builder.add` (the tests
    compare the two ways).
    """
    # the TY line comes first where the reader puts it
    first_ty = tags[0].value if tags and tags[0].tag == "TY" else None
    ty = first_ty if first_ty is not None else next((t.value for t in tags if t.tag == "TY"), "")
    csl, known = csl_type(ty)
    if not known:
        diags.append(
            Diagnostic.make(
                "BC200",
                f"RIS type {ty or '(none)'!r} is not a standard type; read as {csl!r}",
                file=file,
                line=line,
            )
        )
    ris = ty.strip().upper()
    b = _Builder(ris, diags, file, line)
    add, text, names = b.add, b.text, b.names
    for tl in tags if quick else ():
        # _Builder.add's answer for the tags nearly every record has, inline: the first value
        # of a plain text variable, a name, PY, ID; anything else takes the whole of add
        value = tl.value
        if not value:
            continue  # add ignores an empty value of any tag
        tag = tl.tag
        plain = tag not in _SPECIAL_TAGS
        if plain or tag in _INLINE_TAGS:
            if "  " in value or not value.isprintable():
                value = _SPACES.sub(" ", value)  # runs of white space, as add folds them
            if plain:
                var = text_var(tag, ris)
                if var is not None and var not in text:
                    text[var] = value
                    continue
            elif tag == "ID":
                text.setdefault("_ID", value)
                continue
            elif tag != "PY":  # a name tag
                name = parse_name(value)
                var = name_var(tag, ris)
                if name is not None and var is not None:
                    names.setdefault(var, []).append(name)
                continue
            elif value.strip("/") not in ("0000", "0"):  # else add keeps Scopus's "year unknown"
                b.dates.setdefault("PY", []).append((value, tl.line))
                continue
        elif tag == "TY":
            continue
        add(tl)
    if not quick:
        for tl in tags:
            if tl.tag != "TY":
                add(tl)
    for tl in list(b.late):
        b.add(tl)
    b.finish_pages()
    dates = b.finish_dates()
    for tag, values in b.multi.items():
        var = text_var(tag, ris)
        if var is not None:
            b.text[var] = _MULTI[tag].join(values)
    given_id = b.text.pop("_ID", None)
    # the builder's dicts were made for this record: handed over, not copied
    record = Record.adopt(
        given_id or fallback_id or "ref",
        csl,
        b.text,
        {k: tuple(v) for k, v in b.names.items()},
        dates,
        b.extra,
        _NOT_TRUNCATED,
        SourceSpan(file, line, 1),
    )
    if b.catch:
        record = _apply_catch_all(record, b.catch, diags, file)
    return record, given_id is not None
