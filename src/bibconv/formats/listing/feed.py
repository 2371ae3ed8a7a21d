"""The ``feed`` dialect: a paper-feed listing, three lines a record.

::

    70.5AIMar 26                         header: score? subject date Code?
    Some TitleAnn Lee, Bo Chen et al. · uni   title + authors run together, · affiliations
    The abstract ...

The header's subject code is an arXiv computer-science category (``LG`` →
``cs.LG``, kept as ``arxiv-class``; ``ML`` → ``stat.ML`` and a few other
cross-listed classes too); its date may lack a year (``Mar 26``),
which then takes the year of the reference date (reader option
``reference_date``, default today) with a ``BC207`` note, and the raw text is
kept in ``extra['feed:date']`` so merging can prefer a date that had a year.
Score, ``Code`` flag and affiliations have no CSL home and go to ``extra``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bibconv.dates import month_number
from bibconv.diagnostics import Diagnostic, plural
from bibconv.formats.listing.common import finalise, non_empty, reference_date, tex_diagnostics, year_less
from bibconv.formats.listing.names import parse_name_list
from bibconv.formats.listing.sniff import FEED_HEADER
from bibconv.formats.listing.split import MIN_CONFIDENT, split_title_authors
from bibconv.formats.listing.tex import decode_tex
from bibconv.ir import Date, Name, Record, SourceSpan
from bibconv.registry import ReadResult

__all__ = ["ARXIV_CS", "OTHER_CLASSES", "parse_header", "read_feed"]

#: arXiv's computer-science subject classes (``cs.XX``).
ARXIV_CS = frozenset(
    [
        "AI",
        "AR",
        "CC",
        "CE",
        "CG",
        "CL",
        "CR",
        "CV",
        "CY",
        "DB",
        "DC",
        "DL",
        "DM",
        "DS",
        "ET",
        "FL",
        "GL",
        "GR",
        "GT",
        "HC",
        "IR",
        "IT",
        "LG",
        "LO",
        "MA",
        "MM",
        "MS",
        "NA",
        "NE",
        "NI",
        "OH",
        "OS",
        "PF",
        "PL",
        "RO",
        "SC",
        "SD",
        "SE",
        "SI",
        "SY",
    ]
)
#: Two-letter codes of other archives that feeds of computer-science papers cross-list.
OTHER_CLASSES = {"ML": "stat.ML", "AS": "eess.AS", "IV": "eess.IV", "SP": "eess.SP"}


@dataclass(frozen=True, slots=True)
class Header:
    """What a header line says."""

    score: str | None
    subject: str
    month: int
    day: int
    year: int | None
    date_text: str
    code: bool


def parse_header(line: str) -> Header | None:
    """``"70.5AIMar 26"`` → score 70.5, subject AI, March 26, no year; None if not a header."""
    m = FEED_HEADER.fullmatch(line)
    if not m:
        return None
    month = month_number(m.group("mon"))
    if month is None:  # pragma: no cover - the regex only admits month names
        return None
    return Header(
        score=m.group("score"),
        subject=m.group("subj"),
        month=month,
        day=int(m.group("day")),
        year=int(m.group("year")) if m.group("year") else None,
        date_text=m.group("date"),
        code=m.group("code") is not None,
    )


@dataclass(slots=True)
class _Pending:
    line: int
    header: Header
    body: list[tuple[int, str]] = field(default_factory=list)


def _date(h: Header, ref: dt.date, pid: str, line: int, file: str | None, diags: list[Diagnostic]) -> Date:
    if h.year is not None:
        try:
            dt.date(h.year, h.month, h.day)
            return Date(start=(h.year, h.month, h.day))
        except ValueError:
            pass
    else:
        completed = year_less(h.month, h.day, ref)
        if completed is not None:
            diags.append(
                Diagnostic.make(
                    "BC207",
                    f"date {h.date_text!r} has no year; took {ref.year} "
                    f"from the reference date {ref.isoformat()}",
                    file=file,
                    line=line,
                    record_id=pid,
                )
            )
            return completed
    diags.append(
        Diagnostic.make(
            "BC202",
            f"date {h.date_text!r} is impossible; kept as literal",
            file=file,
            line=line,
            record_id=pid,
        )
    )
    return Date(literal=h.date_text)


def _title_authors(
    raw: str, line: int, pid: str, file: str | None, diags: list[Diagnostic]
) -> tuple[str | None, tuple[Name, ...], bool, str | None]:
    """(title, authors, truncated, affiliations) from the run-on second line."""
    main, sep, affil = raw.rpartition(" · ")
    if not sep:
        main, affil = raw, ""
    split = split_title_authors(main)
    if not split.authors:
        diags.append(
            Diagnostic.make(
                "BC206",
                "no author list found after the title; the whole line was kept as the title",
                file=file,
                line=line,
                record_id=pid,
            )
        )
        return main.strip() or None, (), False, affil.strip() or None
    if not split.confident and split.score < MIN_CONFIDENT:
        # nothing after the title looks like a name list: wrong authors would be
        # worse than none, so the whole line stays the title
        diags.append(
            Diagnostic.make(
                "BC206",
                f"no convincing author list found (best split {split.title!r} | {split.authors!r}, "
                f"score {split.score}); the whole line was kept as the title",
                file=file,
                line=line,
                record_id=pid,
            )
        )
        return main.strip() or None, (), False, affil.strip() or None
    if not split.confident:
        others = "; ".join(f"{t!r} ({s})" for t, s in split.alternatives) or "none"
        diags.append(
            Diagnostic.make(
                "BC206",
                f"title/author split is unsure (score {split.score}): chose title {split.title!r}; "
                f"other candidates: {others}",
                file=file,
                line=line,
                record_id=pid,
            )
        )
    names = parse_name_list(split.authors)
    return split.title or None, names.names, names.truncated, affil.strip() or None


def _build(p: _Pending, pid: str, ref: dt.date, file: str | None, diags: list[Diagnostic]) -> Record:
    h = p.header
    text: dict[str, str] = {}
    extra: dict[str, str] = {}
    names: dict[str, tuple[Name, ...]] = {}
    truncated: set[str] = set()
    if h.subject in ARXIV_CS:
        text["arxiv-class"] = f"cs.{h.subject}"
    elif h.subject in OTHER_CLASSES:
        text["arxiv-class"] = OTHER_CLASSES[h.subject]
    else:
        extra["feed:subject"] = h.subject
        diags.append(
            Diagnostic.make(
                "BC151",
                f"subject code {h.subject!r} is not an arXiv cs category; kept in extra",
                file=file,
                line=p.line,
                record_id=pid,
            )
        )
    if h.score:
        extra["feed:score"] = h.score
    if h.code:
        extra["feed:code"] = "yes"
    date = _date(h, ref, pid, p.line, file, diags)
    if h.year is None:
        extra["feed:date"] = h.date_text
    if not p.body:
        diags.append(
            Diagnostic.make(
                "BC152",
                "header is not followed by a title line; the record has only the header's data",
                file=file,
                line=p.line,
                record_id=pid,
            )
        )
    else:
        line2, raw = p.body[0]
        title, authors, trunc, affil = _title_authors(raw, line2, pid, file, diags)
        if title:
            decoded, unknown = decode_tex(title)
            diags.extend(tex_diagnostics(unknown, file=file, line=line2, record_id=pid))
            text["title"] = decoded
        if authors:
            names["author"] = authors
            if trunc:
                truncated.add("author")
        if affil:
            extra["feed:affiliations"] = affil
        if len(p.body) > 1:
            abstract, unknown = decode_tex(" ".join(t for _, t in p.body[1:]))
            diags.extend(tex_diagnostics(unknown, file=file, line=p.body[1][0], record_id=pid))
            if abstract:
                text["abstract"] = abstract
            if len(p.body) > 2:
                diags.append(
                    Diagnostic.make(
                        "BC116",
                        f"{plural(len(p.body) - 2, 'line')} after the abstract line; joined to the abstract",
                        file=file,
                        line=p.body[2][0],
                        record_id=pid,
                    )
                )
    return Record(
        id=pid,
        type="article",
        text=non_empty(text),
        names=names,
        dates={"issued": date},
        extra=extra,
        truncated=frozenset(truncated),
        span=SourceSpan(file, p.line, 1),
    )


def read_feed(text: str, *, file: str | None = None, reference: str | dt.date | None = None) -> ReadResult:
    """Header, title-and-authors line, abstract; blank lines between records are allowed.

    ``reference`` (``YYYY-MM-DD`` or a date, default today) completes dates printed without a year.
    """
    diags: list[Diagnostic] = []
    ref = reference_date(reference, diags, file)
    pending: list[_Pending] = []
    orphans: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        header = parse_header(line)
        if header is not None:
            pending.append(_Pending(number, header))
        elif pending:
            pending[-1].body.append((number, line.strip()))
        else:
            orphans.append((number, line.strip()))
    if orphans:
        first_line, first_text = orphans[0]
        diags.append(
            Diagnostic.make(
                "BC116",
                f"{plural(len(orphans), 'line')} before the first feed header could not be understood, "
                f"starting with {first_text[:60]!r}",
                file=file,
                line=first_line,
            )
        )
    if not pending and not diags:
        diags.append(Diagnostic.make("BC005", "input is empty", file=file))
    records = [_build(p, f"@{i}", ref, file, diags) for i, p in enumerate(pending)]
    records, diags = finalise(records, diags)
    return ReadResult(records, diags)
