"""Pieces every listing dialect needs: record keys, the reference date, code links.

Keeping these in one place makes the three readers agree on what a listing
record looks like: CSL type ``article`` (a preprint) unless a journal
reference says otherwise, keys from :func:`bibconv.keys.make_key` made unique
per file, and the source line in :attr:`Record.span`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import replace

from bibconv.diagnostics import Diagnostic
from bibconv.formats.listing.sniff import Paragraph, paragraphs
from bibconv.ir import Date, Record
from bibconv.keys import make_key, unique_keys
from bibconv.richtext import to_plain

__all__ = [
    "Paragraph",
    "code_url",
    "finalise",
    "finalise_ids",
    "non_empty",
    "paragraphs",
    "reference_date",
    "tex_diagnostics",
]

# Hosts where a link in an abstract is the paper's own code or project page.
_CODE_HOSTS = re.compile(
    r"^https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|huggingface\.co"
    r"|sourceforge\.net|[\w-]{1,63}\.github\.io|sites\.google\.com|colab\.research\.google\.com)/",
    re.IGNORECASE,
)
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'{}|\\^`\])]{1,500}", re.IGNORECASE)
_CODE_WORDS = re.compile(
    r"\b(?:code|implementation|implementations|project page|project website|available at|"
    r"released at|open[- ]source|repository|demo|website)\b",
    re.IGNORECASE,
)


def code_url(abstract: str) -> str | None:
    """The paper's code or project link if the abstract gives one, else None.

    A link counts when it is on a code or project host (GitHub, GitLab,
    Hugging Face, ``*.github.io`` …) or when the sentence that holds it says
    it is code, an implementation or a project page.  Other links in
    abstracts usually point at someone else's data or tool, so they are not
    the record's URL.
    """
    plain = to_plain(abstract)
    for m in _URL_IN_TEXT.finditer(plain):
        url = m.group().rstrip(".,;:!?")
        sentence_start = max(plain.rfind(". ", 0, m.start()), 0)
        sentence = plain[sentence_start : m.end()]
        if _CODE_HOSTS.match(url) or _CODE_WORDS.search(sentence):
            return url
    return None


def reference_date(value: str | dt.date | None, diags: list[Diagnostic], file: str | None) -> dt.date:
    """The ``reference_date`` option (``YYYY-MM-DD`` or a ``date``), default today."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            diags.append(
                Diagnostic.make(
                    "BC150",
                    f"reference_date {value!r} is not YYYY-MM-DD; today's date is used",
                    file=file,
                )
            )
    return dt.date.today()


def year_less(month: int, day: int | None, ref: dt.date) -> Date | None:
    """A month and day completed with the reference year, or None if impossible (Feb 30)."""
    parts: tuple[int, ...] = (ref.year, month) if day is None else (ref.year, month, day)
    try:
        if day is not None:
            dt.date(ref.year, month, day)
        return Date(start=parts)
    except ValueError:
        return None


def non_empty(text: dict[str, str]) -> dict[str, str]:
    """Text variables with surrounding space removed and empty ones left out.

    Decoding can empty a value (``\\emph{}``), and the IR forbids empty text.
    """
    out = {}
    for key, value in text.items():
        value = value.strip()
        if value:
            out[key] = value
    return out


def finalise(records: list[Record], diags: list[Diagnostic]) -> tuple[list[Record], list[Diagnostic]]:
    """Final keys for ``records``, and the diagnostics' provisional record ids rewritten to them."""
    final = finalise_ids(records)
    mapping = {old.id: new.id for old, new in zip(records, final)}
    fixed = [replace(d, record_id=mapping[d.record_id]) if d.record_id in mapping else d for d in diags]
    return final, fixed


def finalise_ids(records: list[Record]) -> list[Record]:
    """Give every record a key from :func:`make_key`, unique within the list.

    A record with neither author nor title would get a bare year (``2024``)
    or ``ref``; it gets ``arXiv:ID`` when it has an arXiv id, as arXiv's own
    BibTeX keys do, else ``abstract-`` and six hex digits of a hash of its
    abstract: stable, distinct for different abstracts, and the same for the
    same abstract pasted into two files (so keys agree across files).  A
    record with nothing but a date gets ``line`` and its line number.
    """
    keys: list[str] = []
    for r in records:
        key = make_key(r)
        if not r.names.get("author") and not r.text.get("title"):
            if r.text.get("arxiv"):
                key = f"arXiv:{r.text['arxiv']}"
            elif not r.text.get("abstract"):
                key = f"line{r.span.line if r.span and r.span.line is not None else len(keys) + 1}"
            else:
                words = " ".join(to_plain(r.text.get("abstract", "")).casefold().split())
                key = "abstract-" + hashlib.sha1(words.encode("utf-8")).hexdigest()[:6]
        keys.append(key)
    return [r.evolve(id=k) for r, k in zip(records, unique_keys(keys))]


def tex_diagnostics(
    unknown: list[str], *, file: str | None, line: int | None, record_id: str | None = None
) -> list[Diagnostic]:
    """One BC114 per distinct TeX command that was kept verbatim."""
    return [
        Diagnostic.make(
            "BC114",
            f"TeX command \\{name} in the abstract was not decoded; kept as written",
            file=file,
            line=line,
            record_id=record_id,
        )
        for name in dict.fromkeys(unknown)
    ]
