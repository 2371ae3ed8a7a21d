"""CSL ``text-case`` the way citeproc-js does it.

citeproc-py's text-case rules differ from the reference processor in ways a
reader notices: ``capitalize-first`` turns ``arXiv`` into ``ArXiv``, and
``title`` leaves ``Fine-tuning`` alone because it splits words on spaces only.
citeproc-js (and so Zotero) splits on spaces *and* punctuation (hyphens,
slashes, colons, quotes), changes only words that are entirely lowercase, keeps
stop words lowercase except first, last and after a colon, ``?`` or ``!``.
This module applies those rules to citeproc-py's ``MixedString`` runs, so a
``NoCase`` run (from ``<span class="nocase">``) is never touched.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["STOP_WORDS", "apply_case"]

#: citeproc-js's English "skip words" for title case (single words only).
STOP_WORDS = frozenset(
    [
        "about",
        "above",
        "across",
        "afore",
        "after",
        "against",
        "al",
        "along",
        "alongside",
        "amid",
        "amidst",
        "among",
        "amongst",
        "anenst",
        "apropos",
        "apud",
        "around",
        "as",
        "aside",
        "astride",
        "at",
        "athwart",
        "atop",
        "barring",
        "before",
        "behind",
        "below",
        "beneath",
        "beside",
        "besides",
        "between",
        "beyond",
        "but",
        "by",
        "circa",
        "despite",
        "down",
        "during",
        "et",
        "except",
        "for",
        "forenenst",
        "from",
        "given",
        "in",
        "inside",
        "into",
        "lest",
        "like",
        "modulo",
        "near",
        "next",
        "notwithstanding",
        "of",
        "off",
        "on",
        "onto",
        "out",
        "over",
        "per",
        "plus",
        "pro",
        "qua",
        "sans",
        "since",
        "than",
        "through",
        "thru",
        "throughout",
        "thruout",
        "till",
        "to",
        "toward",
        "towards",
        "under",
        "underneath",
        "until",
        "unto",
        "up",
        "upon",
        "versus",
        "vs.",
        "v.",
        "vs",
        "v",
        "via",
        "vis-à-vis",
        "with",
        "within",
        "without",
        "or",
        "yet",
        "so",
        "and",
        "nor",
        "a",
        "an",
        "the",
        "de",
        "d'",
        "von",
        "van",
        "c",
        "ca",
    ]
)

# Separators that split words for title case (citeproc-js's tag splitter), plus
# bibconv's formatting markers.  An apostrophe inside a word does not split it.
_SEP = re.compile(
    r"(\s+|[\u201c\u201d\u2018\"]|(?<![A-Za-z\u00c0-\uffff])[\u2019']|[\u2019'](?![A-Za-z\u00c0-\uffff])"
    r"|[-\u2013\u2014/.,;?!:\[\]()]|[\ue010-\ue01f])"
)
_AFTER_PUNCT = re.compile(r"[!?:]$")


def _segments(text: Any) -> list[tuple[str, bool]]:
    """(run, protected) pairs from a citeproc-py string of any kind."""
    import citeproc.string as cs

    if isinstance(text, cs.MixedString):
        out: list[tuple[str, bool]] = []
        for part in text:
            out.extend(_segments(part))
        return out
    return [(str(text), isinstance(text, cs.NoCase))]


def _rebuild(segments: list[tuple[str, bool]]) -> Any:
    import citeproc.string as cs

    return cs.MixedString([cs.NoCase(s) if p else cs.String(s) for s, p in segments if s])


def _cap(word: str) -> str:
    for i, ch in enumerate(word):
        if ch.isalpha():
            if "\u0370" <= ch <= "\u03ff" and len(word) == 1:
                return word  # a lone Greek letter is a symbol
            return word[:i] + ch.upper() + word[i + 1 :]
        if not (ch.isspace() or "\ue010" <= ch <= "\ue01f"):
            return word
    return word


def _title(segments: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    out: list[list[str]] = []
    is_first = True
    after_punct = False
    last: tuple[int, int] | None = None
    # citeproc-js capitalises a stop word before a hyphen only in the text's first
    # run (before any punctuation): "To-do list" but "Digital-to-RF"
    first_run = True
    for run, protected in segments:
        if protected:
            out.append([run])
            if run.strip():
                is_first = after_punct = False
                last = None
            continue
        pieces = _SEP.split(run)
        for j, piece in enumerate(pieces):
            if not piece:
                continue
            if j % 2:  # a separator
                if _AFTER_PUNCT.search(piece):
                    after_punct = True
                if not piece.isspace():
                    first_run = False
                continue
            lower = piece.lower()
            nxt = pieces[j + 1] if j + 1 < len(pieces) else ""
            capitalize = (
                (len(piece) > 1 and lower not in STOP_WORDS)
                or (nxt == "-" and first_run)
                or is_first
                or after_punct
            )
            head, apostrophe, tail = piece.partition("\u2019")
            if apostrophe and not is_first:
                # citeproc-js treats ’ as a quote mark: "l’interpretation", "d’un" stay,
                # "theory’s" → "Theory’s"
                if len(head) > 1 and head.lower() not in STOP_WORDS and head == head.lower():
                    pieces[j] = _cap(head) + apostrophe + tail
            elif capitalize and piece == lower:
                pieces[j] = _cap(piece)
            is_first = after_punct = False
            last = (len(out), j)
        out.append(pieces)
    if last is not None:
        pieces = out[last[0]]
        word = pieces[last[1]]
        if len(word) > 1 and word.lower() in STOP_WORDS:
            pieces[last[1]] = _cap(word)
    return [("".join(p), seg[1]) for p, seg in zip(out, segments)]


def _first_word(segments: list[tuple[str, bool]], sentence: bool) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    done = False
    for run, protected in segments:
        if protected or done:
            if protected and run.strip():
                done = True
            out.append((run.lower() if sentence and done and not protected else run, protected))
            continue
        words = re.split(r"(\s+)", run)
        for k, word in enumerate(words):
            if k % 2 or not word or not any(ch.isalnum() for ch in word):
                continue
            if not done:
                if sentence or word == word.lower():
                    words[k] = _cap(word)
                done = True
            elif sentence:
                words[k] = word.lower()
        out.append(("".join(words), protected))
    return out


def apply_case(text: Any, text_case: str | None) -> Any:
    """``text`` with a CSL ``text-case`` applied, citeproc-js style; nocase runs kept."""
    if not text_case or text is None:
        return text
    segments = _segments(text)
    if text_case == "lowercase":
        segments = [(s if p else s.lower(), p) for s, p in segments]
    elif text_case == "uppercase":
        segments = [(s if p else s.upper(), p) for s, p in segments]
    elif text_case == "capitalize-first":
        segments = _first_word(segments, sentence=False)
    elif text_case == "sentence":
        segments = _first_word(segments, sentence=True)
    elif text_case == "capitalize-all":
        segments = [
            (s if p else " ".join(_cap(w) if w == w.lower() else w for w in s.split(" ")), p)
            for s, p in segments
        ]
    elif text_case == "title":
        segments = _title(segments)
    else:
        return text
    return _rebuild(segments)
