"""Identifiers: recognise, normalise and check DOIs, arXiv ids, ISBNs, ISSNs, URLs.

Shared by readers (to fill identifiers in), merging (to match records) and the
validator (to flag malformed ones), so all three agree on what "the same DOI"
means.  All regexes are anchored and free of nested quantifiers (linear time).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "arxiv_doi",
    "arxiv_url",
    "isbn_valid",
    "issn_valid",
    "normalise_arxiv",
    "normalise_doi",
    "normalise_title",
    "url_valid",
]

_DOI = re.compile(r"10\.\d{4,9}/\S{1,300}")
_DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi.org/",
    "doi:",
    "doi ",
)
# New-style ids (2007+): YYMM.NNNN or YYMM.NNNNN with optional version.
_ARXIV_NEW = re.compile(r"(\d{2}(?:0[1-9]|1[0-2]))\.(\d{4,5})(v\d{1,3})?")
# Old-style ids: archive(.SUBJ)/YYMMNNN.
_ARXIV_OLD = re.compile(r"([a-z]{2,8}(?:-[a-z]{2,5})?(?:\.[A-Z]{2})?)/(\d{7})(v\d{1,3})?")
_ARXIV_PREFIXES = ("https://arxiv.org/abs/", "http://arxiv.org/abs/", "https://arxiv.org/pdf/", "arxiv:")
_URL = re.compile(r"(?:https?|ftp)://[^\s/?#<>\"{}|\\^`]{1,253}(?:[/?#][^\s<>\"{}|\\^`]{0,2000})?")


def normalise_doi(text: str) -> str | None:
    """The bare DOI (``10.1145/3593013.3593995``) in canonical lower case, or None.

    DOIs are case-insensitive; resolver prefixes and ``doi:`` are stripped, and
    trailing sentence punctuation (from listings: ``... 3593995.``) is removed.
    """
    t = text.strip()
    low = t.lower()
    for prefix in _DOI_PREFIXES:
        if low.startswith(prefix):
            t = t[len(prefix) :].strip()
            break
    m = _DOI.fullmatch(t.rstrip(".,;"))
    return m.group().lower() if m else None


def normalise_arxiv(text: str, *, keep_version: bool = False) -> str | None:
    """The arXiv id (``2505.03859`` or ``hep-th/9901001``) from an id, URL or ``arXiv:`` form."""
    t = text.strip()
    low = t.lower()
    for prefix in _ARXIV_PREFIXES:
        if low.startswith(prefix):
            t = t[len(prefix) :]
            break
    if t.lower().startswith("10.48550/arxiv."):
        t = t[len("10.48550/arxiv.") :]
    t = t.removesuffix(".pdf").strip()
    m = _ARXIV_NEW.fullmatch(t)
    if m:
        return f"{m.group(1)}.{m.group(2)}" + ((m.group(3) or "") if keep_version else "")
    m = _ARXIV_OLD.fullmatch(t)
    if m:
        return f"{m.group(1)}/{m.group(2)}" + ((m.group(3) or "") if keep_version else "")
    return None


def arxiv_url(arxiv_id: str) -> str:
    """The abstract page, as arXiv links it."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def arxiv_doi(arxiv_id: str) -> str:
    """The DataCite DOI arXiv assigns to every paper (``10.48550/arXiv.ID``)."""
    return f"10.48550/arXiv.{arxiv_id}"


def isbn_valid(text: str) -> bool:
    """True for an ISBN-10 or ISBN-13 whose check digit is right (hyphens/spaces ignored)."""
    digits = re.sub(r"[\s\-]", "", text.strip()).upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if re.fullmatch(r"97[89]\d{10}", digits):
        total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


def issn_valid(text: str) -> bool:
    """True for ``NNNN-NNNC`` with the right check character."""
    m = re.fullmatch(r"(\d{4})-?(\d{3}[\dXx])", text.strip())
    if not m:
        return False
    digits = (m.group(1) + m.group(2)).upper()
    total = sum((8 - i) * int(c) for i, c in enumerate(digits[:7]))
    check = (11 - total % 11) % 11
    return digits[7] == ("X" if check == 10 else str(check))


def url_valid(text: str) -> bool:
    """True for an absolute http(s)/ftp URL with a host and no spaces."""
    return _URL.fullmatch(text.strip()) is not None


_TAGS = re.compile(r"</?[a-z]{1,4}(?: [^<>]{0,60})?>")


def normalise_title(title: str) -> str:
    """A matching key for titles: markup, accents, case, punctuation and spacing removed.

    ``"NEVIS'22: A Stream of <i>100</i> Tasks"`` → ``"nevis22 a stream of 100 tasks"``.
    """
    t = _TAGS.sub("", title) if "<" in title else title
    if not t.isascii():  # ASCII has no accents to strip (and NFKD leaves it as it is)
        t = unicodedata.normalize("NFKD", t)
        t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.casefold()
    t = _QUOTES.sub("", t)
    t = _NON_WORD.sub(" ", t)
    return " ".join(t.split())


_QUOTES = re.compile(r"['’`]")
_NON_WORD = re.compile(r"[^\w]+")
