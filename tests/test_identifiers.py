"""Identifier normalisation and checksums (shared by readers, merging and validate)."""

from __future__ import annotations

import pytest

from bibconv.identifiers import (
    isbn_valid,
    issn_valid,
    normalise_arxiv,
    normalise_doi,
    normalise_title,
    url_valid,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.1145/3593013.3593995", "10.1145/3593013.3593995"),
        ("https://doi.org/10.1145/ABC.1", "10.1145/abc.1"),
        ("doi: 10.1145/3593013.3593995.", "10.1145/3593013.3593995"),
        ("10.48550/arXiv.2505.03859", "10.48550/arxiv.2505.03859"),
        ("11.1145/x", None),
        ("10.1145", None),
    ],
)
def test_doi(text: str, expected: str | None) -> None:
    assert normalise_doi(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2505.03859", "2505.03859"),
        ("arXiv:2306.01800v2", "2306.01800"),
        ("https://arxiv.org/abs/1706.03762", "1706.03762"),
        ("10.48550/arXiv.2505.03859", "2505.03859"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("2513.03859", None),
        ("1706.037", None),
    ],
)
def test_arxiv(text: str, expected: str | None) -> None:
    assert normalise_arxiv(text) == expected


def test_arxiv_keeps_version_when_asked() -> None:
    assert normalise_arxiv("2306.01800v2", keep_version=True) == "2306.01800v2"


@pytest.mark.parametrize(
    ("isbn", "ok"),
    [
        ("0-306-40615-2", True),
        ("978-0-306-40615-7", True),
        ("0-306-40615-3", False),
        ("978-0-306-40615-6", False),
        ("080442957X", True),
        ("12345", False),
    ],
)
def test_isbn(isbn: str, ok: bool) -> None:
    assert isbn_valid(isbn) is ok


@pytest.mark.parametrize(
    ("issn", "ok"), [("0378-5955", True), ("0378-5954", False), ("2434-561X", True), ("123", False)]
)
def test_issn(issn: str, ok: bool) -> None:
    assert issn_valid(issn) is ok


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://arxiv.org/abs/1", True),
        ("http://x.org", True),
        ("www.x.org", False),
        ("https://a b.org", False),
    ],
)
def test_url(url: str, ok: bool) -> None:
    assert url_valid(url) is ok


def test_title_key() -> None:
    assert normalise_title("NEVIS'22: A Stream of <i>100</i> Tasks") == "nevis22 a stream of 100 tasks"
    assert normalise_title("Über  Fine-Tuning") == normalise_title("uber fine tuning")


def test_unique_keys_suffixes_and_keeps_first() -> None:
    from bibconv.keys import unique_keys

    assert unique_keys(["a", "b", "a", "a", "ab"]) == ["a", "b", "aa", "ac", "ab"]
    many = unique_keys(["k"] * 5000)
    assert len(set(many)) == 5000 and many[0] == "k" and many[1] == "ka"
