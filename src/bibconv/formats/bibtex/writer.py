"""Records → BibTeX or BibLaTeX that ``bibtex``/``biber`` accept without warnings.

Output is stable (fields in a fixed order, one a line, two-space indent) so it
diffs well.  Text is escaped only where LaTeX needs it (:func:`bibconv.formats.bibtex.latex.encode`);
nocase spans become protecting braces.  Every field is chosen so that the
reader maps it back to the same variable (:func:`bibconv.formats.bibtex.mapping.write_field`);
variables BibTeX has no field for are written under their CSL name, and the
entry type under ``csl-type`` when the BibTeX type would read back differently.
So everything the IR holds round-trips, and ``carries`` is honest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any, ClassVar

from bibconv.dates import format_edtf
from bibconv.diagnostics import Diagnostic
from bibconv.formats.bibtex import BIBLATEX_INFO, BIBTEX_INFO
from bibconv.formats.bibtex.latex import balanced, encode
from bibconv.formats.bibtex.macros import MONTH_MACROS
from bibconv.formats.bibtex.mapping import (
    BIBLATEX_TYPES,
    BIBTEX_TYPES,
    PUBLISHER_LIKE,
    WRITE_DATE_FIELDS,
    WRITE_NAME_FIELDS,
    field_candidates,
    field_target,
    is_date_field,
    is_name_field,
    langid_language,
    preferred_fields,
    read_type,
)
from bibconv.formats.bibtex.names import format_names
from bibconv.ir import Date, Record
from bibconv.keys import DEFAULT_PATTERN, make_key, renamed, unique_keys
from bibconv.registry import (
    DeclaredWriter,
    FormatInfo,
    LastChunk,
    Options,
    OptionsArg,
    WriteResult,
    make_options,
)
from bibconv.vocab import DATE_VARS, NAME_VARS, TEXT_VARS

__all__ = ["BibLatexWriter", "BibtexStream", "BibtexWriter", "write_bibtex"]

_MONTHS = tuple(MONTH_MACROS)  # jan … dec, the macros BibTeX styles define
_KEY_OK = re.compile(r"[^\s\"#%'(),={}\\~]{1,200}")
_FIELD_OK = re.compile(r"[a-z][^\s\"#%'(),={}\\~]{0,60}")
_VERBATIM_OK = re.compile(r"[^\s{}\\]{1,5000}")

#: Field order: identity first, then container, numbers, publication, identifiers, notes.
_ORDER = [
    "csl-type",
    "author",
    "editor",
    "translator",
    "bookauthor",
    "title",
    "shorttitle",
    "journal",
    "journaltitle",
    "booktitle",
    "shortjournal",
    "series",
    "volume",
    "number",
    "issue",
    "pages",
    "chapter",
    "edition",
    "publisher",
    "school",
    "institution",
    "organization",
    "howpublished",
    "address",
    "location",
    "year",
    "month",
    "date",
    "eventtitle",
    "eventdate",
    "venue",
    "origdate",
    "urldate",
    "doi",
    "eprint",
    "archiveprefix",
    "primaryclass",
    "url",
    "isbn",
    "issn",
    "pmid",
    "pmcid",
    "language",
    "keywords",
    "abstract",
    "note",
    "annote",
    "annotation",
]
_RANK = {name: i for i, name in enumerate(_ORDER)}
_DISPLAY = {"archiveprefix": "archivePrefix", "primaryclass": "primaryClass"}


def _date_value(date: Date) -> str:
    return format_edtf(date) or (date.literal or "")


# Text that latex.encode returns unchanged: none of the characters it escapes,
# no markup or math, no "--" or "''" (tests/test_bibtex_writer.py checks this
# against encode itself).  Most field values are like that, and the check is
# one regex match instead of encode's per-character work.
_NOTHING_TO_ENCODE = re.compile(
    # ASCII but for these (spelt out: a class reaching U+10FFFF takes 2 ms to compile)
    "[" + re.escape("".join(chr(c) for c in range(128) if chr(c) not in "\\~^`{}%&$#_<")) + "]*"
)


def _encode(text: str, unicode: bool) -> str:
    if _NOTHING_TO_ENCODE.fullmatch(text) and "--" not in text and "''" not in text:
        return text
    return encode(text, unicode=unicode)


def _verbatim(value: str) -> bool:
    """A URL or DOI the reader reads back unchanged from ``url``/``doi`` (spaces kept single)."""
    if _VERBATIM_OK.fullmatch(value):
        return True
    return "\\" not in value and " ".join(value.split()) == value and bool(value) and _balanced(value)


def _balanced(text: str) -> bool:
    """latex.balanced, answered at once for text without braces (most extras)."""
    return ("{" not in text and "}" not in text) or balanced(text)


@cache  # entry types × fields in a bibliography: a small set, asked once per record
def _free_raw_field(csl_type: str, fname: str) -> bool:
    """True when an extra ``bibtex:fname`` can be written as ``fname`` and read back into extra.

    The field must be a plain name that the reader maps to no variable (text,
    name or date) and does not consume with the whole entry.
    """
    return (
        _FIELD_OK.fullmatch(fname) is not None
        and field_target(csl_type, fname) is None
        and is_name_field(fname) is None
        and is_date_field(fname) is None
        and fname not in _RESERVED_RAW
    )


@cache  # one per CSL type (a record's type is one of CSL's)
def _own_fields(csl_type: str) -> dict[str, tuple[str, bool] | None]:
    """A table filled on demand: extra key → :func:`_own_field` for the type (bounded by the caller).

    Extra keys recur in every entry (jgrey: three an entry); a dict lookup is
    what each then costs.
    """
    return {}


def _own_field(csl_type: str, key: str) -> tuple[str, bool] | None:
    """For an extra ``bibtex:NAME``: (NAME, whether NAME is reserved) when the entry may use NAME.

    A reserved name (another variable's field, or one the reader consumes)
    is checked by reading the entry back (``check_restored``).  None for any
    other key, which :meth:`_EntryWriter.extras` handles in full.
    """
    if not key.startswith("bibtex:"):
        return None
    fname = key[7:]  # len("bibtex:")
    if fname == "titleaddon":
        return fname, False  # the reader keeps titleaddon in extra, so it reads back
    if not _field_ok(fname):
        return None
    return fname, not _free_raw_field(csl_type, fname)


@lru_cache(maxsize=4096)  # a few types a bibliography; bounded, as source entry types come from data
def _entry_type(dialect: str, csl_type: str, source_type: str, has_arxiv: bool) -> tuple[str, str]:
    """The entry type to write, and why ``csl-type`` is needed too ("" when it is not).

    The entry's source type (``bibtex:entrytype`` in extra) is kept when the
    reader maps it back to the same CSL type.
    """
    types = BIBLATEX_TYPES if dialect == "biblatex" else BIBTEX_TYPES
    etype = types.get(csl_type, "misc")
    if (
        source_type
        and read_type(source_type, "", "", has_arxiv) == csl_type
        and (dialect == "biblatex" or source_type in _CLASSIC_TYPES)
    ):
        etype = source_type  # the reader keeps it again: the round trip is unchanged
    if read_type(etype, "", "", has_arxiv) != csl_type:
        return etype, f"{dialect} has no entry type for {csl_type!r} (written as @{etype})"
    return etype, ""


@cache  # one per CSL type and dialect
def _field_choices(csl_type: str, dialect: str) -> dict[str, tuple[str | None, str | None, str]]:
    """A table filled on demand: text variable → field_candidates(csl_type, var, dialect) + extra key.

    write_field takes the first of those not already used in the entry, else
    ``csl-`` + var; only that last check depends on the entry, so the rest is
    worked out once per type.  The third item is ``bibtex:`` + the first
    field ("" without one), the key under which the entry's own field of
    that name would sit in extra.
    """
    return {}


@lru_cache(maxsize=4096)  # extra keys recur in every entry; bounded, as they come from data
def _field_ok(fname: str) -> bool:
    """True when ``fname`` can be written as a BibTeX field name."""
    return _FIELD_OK.fullmatch(fname) is not None


@cache  # one per CSL name variable
def _name_field(var: str) -> str:
    """The field for name variable ``var`` when it is free (else ``csl-`` + var)."""
    fname = WRITE_NAME_FIELDS.get(var, var)
    return fname if is_name_field(fname) == var else "csl-" + var


#: "Not in the table yet" for :func:`_own_fields` (None is an answer there).
_UNSEEN: Any = object()

# Text variables texts() treats specially; the rest go straight to their field.
_SPECIAL_TEXT = frozenset(
    {"title", "volume-title", "arxiv", "arxiv-class", "publisher", "URL", "DOI", "language"}
)


class _EntryWriter:
    """Collects one entry's fields, each checked to read back as the variable it carries."""

    # one per entry written, its attributes read throughout: slots make both cheaper
    __slots__ = (
        "arxiv_ok",
        "bare",
        "diags",
        "dialect",
        "etype",
        "fields",
        "key",
        "lossless",
        "record",
        "restored",
        "unicode",
    )

    def __init__(
        self,
        record: Record,
        dialect: str,
        unicode: bool,
        diags: list[Diagnostic],
        key: str,
        lossless: bool = False,
    ):
        self.record, self.dialect, self.unicode, self.diags, self.key = record, dialect, unicode, diags, key
        self.lossless = lossless
        self.fields: dict[str, str] = {}
        self.etype = "misc"
        #: the record's arXiv id can be an ``eprint`` field (set by build)
        self.arxiv_ok = False
        self.bare: set[str] = set()
        #: raw extras written under their own (reserved) field name, checked by reading back
        self.restored: dict[str, str] = {}

    def at(self) -> dict[str, Any]:
        """Where the record came from, for the writer's diagnostics."""
        span = self.record.span
        return {
            "file": span.file if span else None,
            "line": span.line if span else None,
            "record_id": self.key,
        }

    def private(self, name: str, value: str, what: str) -> None:
        """A field only bibconv reads (``csl-…``, ``ns:…``): written with ``lossless``, else reported.

        Reference managers show such fields as junk and no style prints
        them, so by default the value is left out with a BC204.
        """
        if self.lossless:
            self.put(name, value)
            return
        self.diags.append(
            Diagnostic.make(
                "BC204",
                f"{what}; dropped (--lossless keeps it as {name!r})",
                **self.at(),
            )
        )

    def put(self, name: str, value: str, *, bare: bool = False) -> None:
        self.fields[name] = value
        if bare:
            self.bare.add(name)

    def enc(self, text: str) -> str:
        return _encode(text, self.unicode)

    def build(self) -> tuple[str, str]:
        r = self.record
        arxiv = r.text.get("arxiv")
        has_arxiv = self.arxiv_ok = arxiv is not None and _VERBATIM_OK.fullmatch(arxiv) is not None
        etype, lost = _entry_type(self.dialect, r.type, r.extra.get("bibtex:entrytype", ""), has_arxiv)
        if lost:
            self.private("csl-type", r.type, lost)
        self.etype = etype
        self.names()
        self.dates()
        self.texts()
        self.extras()
        if self.restored:
            self.check_restored()
        text = self.render(etype)
        if not self.unicode and not text.isascii():  # an ASCII entry has nothing to report
            self.report_non_ascii()
        return etype, text

    def report_non_ascii(self) -> None:
        """ASCII output: characters with no LaTeX command (CJK, rare scripts) stay UTF-8, reported once.

        Every character that has a command (accents, including combining
        sequences, Greek, math symbols) was written as one by latex.encode.
        Called only for an entry whose text is not ASCII (see build).
        """
        odd: dict[str, None] = {}
        for value in self.fields.values():
            if not value.isascii():
                odd.update(dict.fromkeys(c for c in value if not c.isascii()))
        if odd:
            shown = "".join(list(odd)[:10]) + ("…" if len(odd) > 10 else "")
            self.diags.append(
                Diagnostic.make(
                    "BC212",
                    f"no LaTeX command for {shown!r}; kept as UTF-8 in ASCII output "
                    "(bibtex passes the bytes through; --unicode writes UTF-8 throughout)",
                    **self.at(),
                )
            )

    def check_restored(self) -> None:
        """Raw fields written under their own reserved name must read back as they were.

        ``organization`` next to ``publisher``, ``booktitle`` next to
        ``journal``, ACM's ``location`` next to ``address``: the reader keeps
        the second of such a pair in ``extra``, so writing it under its own
        name is exact, unless the pair would then read back the other way
        round.  This entry is read back to make sure; a field that does not
        come back falls back to the ``bibtex:`` name (lossless) or is reported.
        """
        from bibconv.formats.bibtex.reader import BibLatexReader, BibtexReader

        reader = BibLatexReader() if self.dialect == "biblatex" else BibtexReader()
        r = self.record
        back = reader.read(self.render(self.etype)).records
        got = back[0] if len(back) == 1 else None
        for key, fname in self.restored.items():
            same = (
                got is not None
                and got.extra.get(key) == r.extra[key]
                and all(got.text[v] == r.text[v] for v in r.text.keys() & got.text.keys())
                and all(got.names[v] == r.names[v] for v in r.names.keys() & got.names.keys())
            )
            if not same:
                value = self.fields.pop(fname)
                self.private(key, value, f"{fname!r} is taken by another value in this entry")

    def names(self) -> None:
        r = self.record
        names, fields, truncated, unicode = r.names, self.fields, r.truncated, self.unicode
        for var in sorted(names) if len(names) > 1 else names:
            fname = _name_field(var)
            if fname in fields:
                fname = "csl-" + var
            value = format_names(names[var], var in truncated, unicode=unicode)
            if fname.startswith("csl-"):
                self.private(fname, value, f"{self.dialect} has no field for the names in {var!r}")
            else:
                fields[fname] = value

    def dates(self) -> None:
        r = self.record
        for var in sorted(r.dates):
            date = r.dates[var]
            if var == "issued":
                self.issued(date)
                continue
            fname = WRITE_DATE_FIELDS.get(var, var)
            if is_date_field(fname) == var:
                self.put(fname, self.enc(_date_value(date)))
            else:
                self.private(
                    "csl-" + var,
                    self.enc(_date_value(date)),
                    f"{self.dialect} has no field for the date {var!r}",
                )

    def issued(self, date: Date) -> None:
        simple_year = (
            date.start is not None
            and date.end is None
            and not date.circa
            and date.season is None
            and date.literal is None
            and 0 < date.start[0] <= 9999
        )
        if self.dialect == "biblatex" and date.literal is None:
            self.put("date", _date_value(date))
            return
        if date.start is None:
            self.put("year", self.enc(date.literal or ""))
            return
        if date.start[0] > 0:
            self.put("year", str(date.start[0]))
            if len(date.start) >= 2 and date.end is None:
                self.put("month", _MONTHS[date.start[1] - 1], bare=True)
        if not simple_year or len(date.start) == 3:
            # BibTeX has no day or range: the full date goes to ``date`` as well, which wins on reading
            self.put("date", _date_value(date))

    def texts(self) -> None:
        r = self.record
        text = r.text
        arxiv_ok = self.arxiv_ok
        if arxiv_ok:
            # as arXiv exports it: eprint, archivePrefix, primaryClass (doi and url when known)
            self.put("eprint", text["arxiv"])
            self.put("archiveprefix", "arXiv")
        if (
            self.dialect == "biblatex"
            and "volume-title" in text
            and "title" in text
            and self.etype not in _IN_ENTRY_TYPES
        ):
            # the reader's inverse: a volume of a multi-volume work has maintitle + title
            self.put("maintitle", self.enc(text["title"]))
            self.put("title", self.enc(text["volume-title"]))
        fields = self.fields
        choices = _field_choices(r.type, self.dialect)
        unicode = self.unicode
        extra = r.extra
        for var in sorted(text):
            value = text[var]
            if var in _SPECIAL_TEXT:
                if var == "title" or var == "volume-title":
                    if "maintitle" in fields:
                        continue  # written above
                elif var == "language":
                    if value == langid_language(extra.get("bibtex:langid")):
                        continue  # the reader took it from the langid (in extra), which is written back
                elif var == "arxiv":
                    if arxiv_ok:
                        continue  # written above
                elif var == "arxiv-class":
                    if arxiv_ok and _VERBATIM_OK.fullmatch(value):
                        fields["primaryclass"] = value
                        continue
                elif var == "publisher":
                    fname = _PUBLISHER_FIELD.get(self.etype, "")
                    if (
                        fname
                        and fname not in fields
                        # another publisher-like field of the entry's own is in extra: then the
                        # plain ``publisher`` keeps the pair apart on reading (PUBLISHER_LIKE order)
                        and not any("bibtex:" + p in r.extra for p in PUBLISHER_LIKE)
                        and not (fname == "howpublished" and value.startswith(("http://", "https://")))
                    ):
                        fields[fname] = _encode(value, unicode)
                        continue
                else:  # URL, DOI
                    fname = var.lower()
                    if fname not in fields and _verbatim(value):
                        fields[fname] = value
                        continue
                    self.private(
                        "csl-" + var, _encode(value, unicode), f"this {var} cannot be a verbatim field"
                    )
                    continue
            # write_field, with its per-type part from the table
            choice = choices.get(var)
            if choice is None:
                first, second = field_candidates(r.type, var, self.dialect)
                choice = choices[var] = (first, second, "bibtex:" + first if first else "")
            first, second, own = choice
            if own and own in extra:
                # the entry's own field of that name is in extra: give the variable another
                # field a style prints it from, so both keep their names (address + location)
                first = next(
                    (
                        f
                        for f in sorted(preferred_fields(r.type, var))
                        if f not in fields and "bibtex:" + f not in r.extra and field_target(r.type, f) == var
                    ),
                    first,
                )
            if first and first not in fields:
                fname = first
            elif second and second not in fields:
                fname = second
            else:
                fname = "csl-" + var
                if fname in fields:
                    self.diags.append(
                        Diagnostic.make(
                            "BC204",
                            f"{var!r} has no free field in this entry; not written",
                            record_id=self.key,
                        )
                    )
                    continue
                self.private(fname, _encode(value, unicode), f"{self.dialect} has no field for {var!r}")
                continue
            # _encode, inline (once per text variable of every entry)
            if _NOTHING_TO_ENCODE.fullmatch(value) and "--" not in value and "''" not in value:
                fields[fname] = value
            else:
                fields[fname] = encode(value, unicode=unicode)

    def extras(self) -> None:
        r = self.record
        extra, fields, rtype, etype = r.extra, self.fields, r.type, self.etype
        owns = _own_fields(rtype)
        for key in sorted(extra):
            value = extra[key]
            own = owns.get(key, _UNSEEN)
            if own is _UNSEEN:
                if len(owns) >= 4096:  # extra keys come from data: bounded
                    owns.clear()
                own = owns[key] = _own_field(rtype, key)
            if (
                own is not None
                and own[0] not in fields
                and (("{" not in value and "}" not in value) or balanced(value))  # _balanced, inline
                and not (key == "bibtex:entrytype" and value == etype)
            ):
                # the entry's own field, written back under its name: styles know it, not
                # bibtex:… (titleaddon too: the reader keeps it in extra, so it reads back)
                fields[own[0]] = value
                if own[1]:
                    self.restored[key] = own[0]  # a reserved name: checked by reading back
                continue
            if key.startswith("bibtex:"):
                if key == "bibtex:entrytype" and etype == value:
                    continue
                fname = key[7:]  # len("bibtex:")
                # its name is taken, not a field name, or its braces do not balance
                if _balanced(value) and key not in fields:
                    self.private(key, value, f"{fname!r} is taken by another value in this entry")
                elif self.lossless:
                    self.diags.append(
                        Diagnostic.make(
                            "BC212",
                            f"{key!r} has unbalanced braces; written escaped",
                            record_id=self.key,
                        )
                    )
                    self.put(key.replace("bibtex:", "x-bibtex:"), self.enc(value))
                else:
                    self.private(key, value, f"{fname!r} has unbalanced braces")
                continue
            if _FIELD_OK.fullmatch(key) and ":" in key and key not in self.fields:
                self.private(key, self.enc(value), f"{key!r} is not a {self.dialect} field")
            else:
                self.diags.append(
                    Diagnostic.make(
                        "BC204",
                        f"extra {key!r} cannot be a BibTeX field name; not written",
                        record_id=self.key,
                    )
                )

    def render(self, etype: str) -> str:
        fields = self.fields
        if not fields:
            return f"@{etype}{{{self.key},\n}}\n"
        values, template = _template(tuple(fields), tuple(sorted(self.bare)) if self.bare else ())
        return template % (etype, self.key, *values(fields))


@lru_cache(maxsize=4096)  # entries share a few field sets; bounded, as field names come from data
def _template(
    fields: tuple[str, ...], bare: tuple[str, ...]
) -> tuple[Callable[[Mapping[str, str]], tuple[str, ...]], str]:
    """The entry's values in written order (a getter), and a %-template of the entry.

    One formatting per entry instead of a string per line: ``%s`` for the
    entry type, the key, then each value; a bare value (a month macro) has
    no braces.
    """
    names, prefixes = _layout(fields)
    lines = [
        prefix.replace("%", "%%") + ("%s," if n in bare else "{%s},")
        for n, prefix in zip(names, prefixes, strict=True)
    ]
    values: Callable[[Mapping[str, str]], tuple[str, ...]]
    if len(names) > 1:
        values = itemgetter(*names)
    else:
        (only,) = names
        values = lambda fields: (fields[only],)  # noqa: E731 (itemgetter of one name gives no tuple)
    return values, "@%s{%s,\n" + "\n".join(lines) + "\n}\n"


def _layout(fields: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The fields in written order and each line's start (``  name   = ``), names aligned.

    Asked by :func:`_template` only, whose cache already holds the answer.
    """
    # _ORDER's fields by rank, then the rest by name (the order of (rank, name) keys)
    names = sorted([n for n in fields if n in _RANK], key=_RANK.__getitem__)
    rest = [n for n in fields if n not in _RANK]
    if rest:
        names += sorted(rest)
    shown = [_DISPLAY.get(n, n) for n in names]
    width = max(map(len, shown))
    return tuple(names), tuple(f"  {label.ljust(width)} = " for label in shown)


#: Where the standard styles look for the publisher of these entry types.
_PUBLISHER_FIELD = {
    # plain.bst prints no publisher for these three; it prints these fields
    "misc": "howpublished",
    "booklet": "howpublished",
    "manual": "organization",
    "phdthesis": "school",
    "mastersthesis": "school",
    "thesis": "institution",
    "techreport": "institution",
    "report": "institution",
}
_CLASSIC_TYPES = frozenset(
    {
        "article",
        "book",
        "booklet",
        "conference",
        "inbook",
        "incollection",
        "inproceedings",
        "manual",
        "mastersthesis",
        "misc",
        "phdthesis",
        "proceedings",
        "techreport",
        "unpublished",
    }
)
_IN_ENTRY_TYPES = frozenset(
    {"inproceedings", "incollection", "inbook", "bookinbook", "inreference", "suppbook", "suppcollection"}
)
#: Fields the reader consumes whole-entry (dates, eprint): raw extras under these names must be renamed.
_RESERVED_RAW = frozenset(
    {
        "year",
        "month",
        "day",
        "date",
        "eprint",
        "archiveprefix",
        "eprinttype",
        "primaryclass",
        "eprintclass",
        "subtitle",
        "titleaddon",
        "maintitle",
        "mainsubtitle",
        "maintitleaddon",
        "school",
        "institution",
        "organization",
        "howpublished",
        "csl-type",
        "xdata",
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class BibtexOptions(Options):
    """The BibTeX and BibLaTeX writers' options."""

    unicode: bool = field(default=False, metadata={"help": "keep UTF-8 instead of LaTeX escapes"})
    key_pattern: str | None = field(
        default=None, metadata={"help": "the pattern of generated keys (bibconv.keys), e.g. {author}{year}"}
    )
    lossless: bool = field(
        default=False,
        metadata={"help": "keep what the format has no field for in csl-<var> fields bibconv reads back"},
    )


def _wanted(record: Record, pattern: str, diags: list[Diagnostic]) -> str:
    """The key ``record`` asks for: its id when that is a usable key, else one generated (BC210)."""
    if record.id and _KEY_OK.fullmatch(record.id):
        return record.id
    key = make_key(record, pattern)
    diags.append(
        Diagnostic.make(
            "BC210",
            f"record {record.id!r} has no usable citation key; generated {key!r}",
            record_id=record.id,
        )
    )
    return key


def _cased(want: str, low: str) -> str:
    """The key allocated in lower case (``low``), with the asked-for key's own case kept."""
    return want + low[len(want) :]


def write_bibtex(
    records: Sequence[Record], *, dialect: str = "bibtex", options: OptionsArg = None
) -> WriteResult:
    """Serialise records; keys are kept, generated when missing, and made unique.

    Each record's notes come together (generated key, renamed key, then what
    its entry lost), so a streamed write (:class:`BibtexStream`) reports in
    the same order chunk by chunk.
    """
    opts: BibtexOptions = make_options(BibtexWriter, options)
    unicode, lossless = opts.unicode, opts.lossless
    pattern = opts.key_pattern or DEFAULT_PATTERN
    diags: list[Diagnostic] = []
    chunks: list[str] = []
    notes: list[list[Diagnostic]] = [[] for _ in records]
    wanted = [_wanted(r, pattern, d) for r, d in zip(records, notes, strict=True)]
    # BibTeX compares keys ignoring case, so uniqueness is decided on lower-case keys
    lowered = unique_keys([k.lower() for k in wanted])
    for r, want, low, mine in zip(records, wanted, lowered, notes, strict=True):
        key = _cased(want, low)
        diags += mine
        if key != want:
            diags.append(renamed(r.evolve(id=want), key))
        _, text = _EntryWriter(r, dialect, unicode, diags, key, lossless).build()
        chunks.append(text)
    return WriteResult("\n".join(chunks), diags)


class BibtexStream:
    """The BibTeX output in pieces: entries joined by a blank line, nothing before or after.

    Keys must be unique over the whole file, so the stream driver
    (:mod:`bibconv.stream`) allocates them across chunks, as
    :func:`write_bibtex` does over a list: :meth:`keys` gives the lower-case
    keys a chunk asks for (BibTeX compares keys ignoring case; generated
    where the id is not a usable key), and :meth:`rekey` puts the allocated
    keys on the records, with the BC211 that :func:`write_bibtex` gives.
    :meth:`body` writes each record under the key it asks for.
    """

    head = ""
    sep = "\n"
    tail = ""
    empty = ""
    #: keys are made unique across chunks by the stream driver (see :meth:`keys`)
    renames_ids = False

    def __init__(self, dialect: str, options: BibtexOptions) -> None:
        self.dialect = dialect
        self.unicode, self.lossless = options.unicode, options.lossless
        self.pattern = options.key_pattern or DEFAULT_PATTERN
        #: the last chunk's entries (text, notes, key) by record: a chunk written again
        #: with a few keys changed (:meth:`rekey`) writes only those entries again
        self._last: LastChunk[tuple[str, list[Diagnostic], str]] = LastChunk()

    def keys(self, records: Sequence[Record]) -> list[str]:
        """The lower-case keys the records ask for, the domain of uniqueness.

        A record just written by :meth:`body` (the stream driver asks right
        after) gives the key it was written under, without working it out again.
        """
        last, pattern = self._last, self.pattern
        out = []
        for r in records:
            seen = last.get(r)
            out.append((seen[2] if seen is not None else _wanted(r, pattern, [])).lower())
        return out

    def rekey(self, records: Sequence[Record], keys: Sequence[str]) -> tuple[list[Record], list[Diagnostic]]:
        """``records`` under the allocated lower-case ``keys``; one BC211 per changed key."""
        out: list[Record] = []
        diags: list[Diagnostic] = []
        for r, low in zip(records, keys, strict=True):
            mine: list[Diagnostic] = []
            want = _wanted(r, self.pattern, mine)
            key = _cased(want, low)
            if key != want:
                # the record is written under ``key``, a usable key: its BC210 is given here
                diags += mine
                diags.append(renamed(r.evolve(id=want), key))
                r = r.evolve(id=key)
            out.append(r)
        return out, diags

    def body(self, records: Sequence[Record]) -> WriteResult:
        """The entries of ``records``, each under the key it asks for."""
        entries = self._last.make(records, self._entry)
        diags: list[Diagnostic] = []
        for _, mine, _ in entries:
            if mine:
                diags += mine
        return WriteResult("\n".join([text for text, _, _ in entries]), diags)

    def _entry(self, record: Record) -> tuple[str, list[Diagnostic], str]:
        """One record's entry, its notes and its key."""
        mine: list[Diagnostic] = []
        key = _wanted(record, self.pattern, mine)
        text = _EntryWriter(record, self.dialect, self.unicode, mine, key, self.lossless).build()[1]
        return text, mine, key


class BibtexWriter(DeclaredWriter):
    """Writes classic BibTeX (``-t bibtex``)."""

    info: ClassVar[FormatInfo] = BIBTEX_INFO

    carries: ClassVar[frozenset[str]] = NAME_VARS | DATE_VARS | TEXT_VARS | {"extra", "truncated"}
    catch_all: ClassVar[bool] = True
    #: ``csl-…`` fields and namespaced extras are written only with ``options['lossless']``.
    catch_all_option: ClassVar[str] = "lossless"
    Options: ClassVar[type[BibtexOptions]] = BibtexOptions
    dialect: ClassVar[str] = "bibtex"

    def write(self, records: Sequence[Record], *, options: OptionsArg = None) -> WriteResult:
        """Options: ``unicode`` (keep UTF-8), ``key_pattern`` (:mod:`bibconv.keys`), ``lossless``."""
        return write_bibtex(records, dialect=self.dialect, options=options)

    def stream(self, *, options: OptionsArg = None) -> BibtexStream:
        """Chunk by chunk, the same text as :meth:`write` (keys allocated by the caller)."""
        return BibtexStream(self.dialect, make_options(type(self), options))


class BibLatexWriter(BibtexWriter):
    """Writes BibLaTeX for Biber (``-t biblatex``): ``date``, ``journaltitle``, ``@online`` …"""

    info: ClassVar[FormatInfo] = BIBLATEX_INFO

    dialect: ClassVar[str] = "biblatex"
