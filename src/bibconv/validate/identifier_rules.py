"""Identifiers that do not parse or whose check digit is wrong.

The tests of "well-formed" are those in :mod:`bibconv.identifiers`, which
readers and merging use too, so a DOI the validator accepts is one merging
matches on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bibconv.diagnostics import Diagnostic
from bibconv.identifiers import isbn_valid, issn_valid, normalise_arxiv, normalise_doi, url_valid
from bibconv.ir import Record
from bibconv.validate.rule import Context, record_rule

# Several ISBNs/ISSNs in one field are common ("978-... (hbk), 978-... (pbk)").
_SPLIT = re.compile(r"\s*[,;]\s*|\s+(?=97[89]|\d{4}-)")
_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")


def _parts(value: str) -> list[str]:
    out = []
    for part in _SPLIT.split(value.strip()):
        part = _QUALIFIER.sub("", part).strip()
        if part.lower().startswith(("isbn", "issn")):
            part = part[4:].lstrip(":- ").strip()
        if part:
            out.append(part)
    return out


@record_rule("BC303", needs=["DOI"])
def doi_wellformed(record: Record, ctx: Context) -> Iterator[Diagnostic]:
    """A DOI must be ``10.NNNN/suffix`` (a resolver URL or ``doi:`` prefix is fine)."""
    doi = record.get("DOI")
    if doi and normalise_doi(doi) is None:
        yield Diagnostic.make("BC303", f"malformed DOI {doi!r} (expected 10.NNNN/suffix)")


@record_rule("BC304", needs=["ISBN"])
def isbn_checksum(record: Record, ctx: Context) -> Iterator[Diagnostic]:
    """Every ISBN in the field must be an ISBN-10 or ISBN-13 with the right check digit."""
    value = record.get("ISBN")
    if value:
        for part in _parts(value):
            if not isbn_valid(part):
                yield Diagnostic.make("BC304", f"invalid ISBN {part!r} (wrong length or check digit)")


@record_rule("BC305", needs=["ISSN"])
def issn_checksum(record: Record, ctx: Context) -> Iterator[Diagnostic]:
    """Every ISSN in the field must be ``NNNN-NNNC`` with the right check character."""
    value = record.get("ISSN")
    if value:
        for part in _parts(value):
            if not issn_valid(part):
                yield Diagnostic.make("BC305", f"invalid ISSN {part!r} (wrong form or check digit)")


@record_rule("BC306", needs=["arxiv"])
def arxiv_wellformed(record: Record, ctx: Context) -> Iterator[Diagnostic]:
    """An arXiv id must be ``YYMM.NNNNN`` (2007+) or ``archive/YYMMNNN``, optionally versioned."""
    value = record.get("arxiv")
    if value and normalise_arxiv(value) is None:
        yield Diagnostic.make("BC306", f"malformed arXiv identifier {value!r}")


@record_rule("BC307", needs=["URL"])
def url_wellformed(record: Record, ctx: Context) -> Iterator[Diagnostic]:
    """A URL must be absolute (http, https or ftp), with a host and no spaces."""
    value = record.get("URL")
    if value and not url_valid(value):
        yield Diagnostic.make("BC307", f"malformed URL {value!r:.80}")
