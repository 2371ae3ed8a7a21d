"""The ``arxiv`` dialect: an arXiv author listing, blank-line separated blocks.

::

    Title line                        optional, with the authors line below it
    Given Family, Given Family, ...

    Abstract paragraph.

    Comments (optional): "13 pages", "To be presented at ..."

    arXiv:2306.01800 - doi: 10.1145/3593013.3593995. 2023 ACM Conference ...
    Created: 2023-06-01

A record ends at its ``arXiv:``/``Created:`` block.  Before it, the longest
paragraph is the abstract; what precedes the abstract is the title (and the
authors line, recognised by :func:`bibconv.formats.listing.names.name_score`); what
follows it are comments, kept as ``note`` (``N pages`` also fills
``number-of-pages``).  Identifiers are filled in as arXiv itself exports them:
``arxiv`` (the eprint), ``URL`` ``https://arxiv.org/abs/ID``, and ``DOI`` the
publisher's when the listing gives one, else the arXiv DataCite DOI
``10.48550/arXiv.ID``.  Type: ``article`` (a preprint, with publisher arXiv
and number ``arXiv:ID`` as arXiv's own CSL export has), or
``paper-conference`` / ``article-journal`` when a journal reference names a
proceedings or a journal (it becomes ``container-title``).
"""

from __future__ import annotations

import re

from bibconv.dates import parse_date
from bibconv.diagnostics import Diagnostic
from bibconv.formats.listing.common import finalise, non_empty, tex_diagnostics
from bibconv.formats.listing.names import name_pieces, parse_name_list
from bibconv.formats.listing.sniff import (
    ARXIV_CREATED,
    ARXIV_ID_LINE,
    Paragraph,
    is_id_paragraph,
    names_line,
    paragraphs,
)
from bibconv.formats.listing.tex import decode_tex
from bibconv.identifiers import arxiv_doi, arxiv_url, normalise_arxiv, normalise_doi
from bibconv.ir import Date, Name, Record, SourceSpan
from bibconv.registry import ReadResult

__all__ = ["parse_arxiv_line", "read_arxiv"]

_DOI_START = re.compile(r"doi:[ \t]{0,4}(?P<doi>\S{1,300})[ \t]{0,4}", re.IGNORECASE)
_PROCEEDINGS = re.compile(
    r"\b(?:proceedings|proc\.|conference|workshop|symposium|colloquium)\b", re.IGNORECASE
)
_PAGES = re.compile(r"(\d{1,4})\s{1,3}pages\b", re.IGNORECASE)


def parse_arxiv_line(line: str) -> tuple[str | None, str | None, str | None, str]:
    """``arXiv:ID - doi: DOI. Journal ref`` → (arXiv id, publisher DOI, journal reference, raw id)."""
    m = ARXIV_ID_LINE.match(line.strip())
    if not m:
        return None, None, None, ""
    raw_id = m.group("id").rstrip(".,;")
    rest = (m.group("rest") or "").strip()
    doi = None
    d = _DOI_START.match(rest)
    if d:
        doi = normalise_doi(d.group("doi"))
        rest = rest[d.end() :].strip(" .;,")
    return normalise_arxiv(raw_id), doi, rest or None, raw_id


class _Builder:
    """Collects one record's fields and diagnostics."""

    def __init__(self, pid: str, line: int, file: str | None, diags: list[Diagnostic]) -> None:
        self.pid, self.line, self.file, self.diags = pid, line, file, diags
        self.text: dict[str, str] = {}
        self.names: dict[str, tuple[Name, ...]] = {}
        self.dates: dict[str, Date] = {}
        self.extra: dict[str, str] = {}
        self.truncated: set[str] = set()
        self.notes: list[str] = []
        self.type = "article"

    def warn(self, code: str, message: str, line: int | None = None) -> None:
        self.diags.append(
            Diagnostic.make(code, message, file=self.file, line=line or self.line, record_id=self.pid)
        )

    def decoded(self, raw: str, line: int) -> str:
        out, unknown = decode_tex(raw)
        self.diags.extend(tex_diagnostics(unknown, file=self.file, line=line, record_id=self.pid))
        return out

    def content(self, paras: list[Paragraph]) -> None:
        if not paras:
            self.warn("BC152", "block has no abstract, title or comments; only its identifiers were read")
            return
        # a title + authors paragraph can be longer than the abstract (900 authors),
        # so it is recognised first; the abstract is the longest of the rest
        skip = 0
        if len(paras) > 1 and any(names_line(s) for s in paras[0].lines[1:]):
            skip = 1  # title line(s) and authors line in one paragraph
        elif len(paras) > 2 and len(paras[0].lines) == 1 and names_line(paras[1].text):
            skip = 2  # title, blank line, authors
        main = max(range(skip, len(paras)), key=lambda i: (len(paras[i].text), -i))
        self.text["abstract"] = self.decoded(paras[main].text, paras[main].line)
        before = [(p.line + k, s.strip()) for p in paras[:main] for k, s in enumerate(p.lines)]
        if before:
            self.head(before)
        for p in paras[main + 1 :]:
            self.notes.append(p.text)
            pages = _PAGES.search(p.text)
            if pages and "number-of-pages" not in self.text:
                self.text["number-of-pages"] = pages.group(1)

    def head(self, lines: list[tuple[int, str]]) -> None:
        """Title and authors lines (both optional) before the abstract."""
        rest = lines
        at = next((i for i in range(1, len(lines)) if names_line(lines[i][1])), None)
        if at is not None:
            # a title may be wrapped over several lines before the authors line
            self.text["title"] = self.decoded(" ".join(s for _, s in lines[:at]), lines[0][0])
            self.authors(lines[at][1])
            rest = lines[at + 1 :]
        elif names_line(lines[0][1]) and len(name_pieces(lines[0][1])) >= 2:
            self.authors(lines[0][1])
            rest = lines[1:]
        else:
            self.text["title"] = self.decoded(lines[0][1], lines[0][0])
            rest = lines[1:]
        for number, s in rest:
            self.warn(
                "BC116", "line between the title and the abstract was not understood; kept in note", number
            )
            self.notes.append(s)

    def authors(self, line: str) -> None:
        parsed = parse_name_list(line)
        if parsed.names:
            self.names["author"] = parsed.names
            if parsed.truncated:
                self.truncated.add("author")

    def identifiers(self, para: Paragraph) -> None:
        for k, raw in enumerate(para.lines):
            s, number = raw.strip(), para.line + k
            created = ARXIV_CREATED.match(s)
            if ARXIV_ID_LINE.match(s):
                self.arxiv_line(s, number)
            elif created:
                date = parse_date(created.group("date").strip())
                if date is None:
                    self.warn(
                        "BC202",
                        f"Created date {created.group('date')!r} not understood; kept as literal",
                        number,
                    )
                    date = Date(literal=created.group("date").strip())
                self.dates["issued"] = date
            else:
                self.warn("BC116", "line in the identifier block was not understood; kept in note", number)
                self.notes.append(s)

    def arxiv_line(self, line: str, number: int) -> None:
        eprint, doi, ref, raw_id = parse_arxiv_line(line)
        if eprint is None:
            self.warn("BC306", f"arXiv identifier {raw_id!r} is malformed; kept in extra", number)
            self.extra["arxiv:id"] = raw_id
        else:
            self.text["arxiv"] = eprint
            self.text["URL"] = arxiv_url(eprint)
            version = normalise_arxiv(raw_id, keep_version=True)
            if version and version != eprint:
                self.extra["arxiv:version"] = version[len(eprint) :]
        if doi:
            self.text["DOI"] = doi
        elif eprint:
            self.text["DOI"] = arxiv_doi(eprint)
        container = self.decoded(ref, number).strip() if ref else ""
        if container:
            self.text["container-title"] = container
            self.type = "paper-conference" if _PROCEEDINGS.search(ref or "") else "article-journal"

    def build(self) -> Record:
        if self.type == "article" and "arxiv" in self.text:
            self.text.setdefault("publisher", "arXiv")
            self.text.setdefault("number", f"arXiv:{self.text['arxiv']}")
        if self.notes:
            self.text["note"] = self.decoded("; ".join(self.notes), self.line)
        return Record(
            id=self.pid,
            type=self.type,
            text=non_empty(self.text),
            names=self.names,
            dates=self.dates,
            extra=self.extra,
            truncated=frozenset(self.truncated),
            span=SourceSpan(self.file, self.line, 1),
        )


def read_arxiv(text: str, *, file: str | None = None) -> ReadResult:
    """Group paragraphs into records ending at an identifier block, then read each."""
    diags: list[Diagnostic] = []
    groups: list[tuple[list[Paragraph], Paragraph | None]] = []
    current: list[Paragraph] = []
    for p in paragraphs(text):
        if is_id_paragraph(p):
            groups.append((current, p))
            current = []
        else:
            current.append(p)
    if current:
        groups.append((current, None))
    if not groups:
        diags.append(Diagnostic.make("BC005", "input is empty", file=file))
    records = []
    for i, (content, ids) in enumerate(groups):
        first = content[0] if content else ids
        assert first is not None  # a group always has a paragraph
        b = _Builder(f"@{i}", first.line, file, diags)
        b.content(content)
        if ids is None:
            b.warn("BC152", "block has no arXiv: or Created: line (the listing ends early?)")
        else:
            b.identifiers(ids)
            if "arxiv" not in b.text and "arxiv:id" not in b.extra:
                b.warn("BC152", "block has no arXiv: line", ids.line)
        records.append(b.build())
    records, diags = finalise(records, diags)
    return ReadResult(records, diags)
