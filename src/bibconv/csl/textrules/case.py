"""CSL ``text-case`` on rich-text runs, the way citeproc-js applies it.

Readers compare formatted titles with what Zotero (citeproc-js) prints, so the rules
here follow that processor rather than a literal reading of the specification:

* text is cut into *segments* at markup boundaries, quote marks, brackets and the
  punctuation ``- – — / . , ; ? ! :``; words are the space-separated parts of a
  segment, so ``self-esteem`` is two words and ``Fine<i>tuning</i>`` too;
* ``nocase``, ``nodecor``, small caps, superscript and subscript runs are never
  changed (citeproc-js treats the last three as implicit nocase);
* **title**: a word is capitalised when it is entirely lower case and is not a stop
  word (one-letter words count as stop words), or when it is the first word, the
  first after ``:``, ``?`` or ``!``, or the last word; words with any capital are
  kept; a stop word directly before a hyphen is capitalised only in the text's first
  segment (``To-do`` but ``Out-of-Fashion``);
* **sentence**: the first word's first letter is upper-cased, every other word is
  lower-cased;
* **capitalize-first** / **capitalize-all**: the first / every word is capitalised
  when entirely lower case;
* after an apostrophe or a quote mark that pairs with nothing (``l’interprétation``,
  ``Shafi’i``), the next letter keeps its original case;
* a lone Greek letter is never upper-cased (it is a symbol: ``β-carotine``);
* upper/lower casing follows Turkish and Azeri dotted/dotless *i* when the language
  says so.

Title case is for English only: :func:`title_case_applies` says when, from the item's
``language`` and the style's ``default-locale``.
"""

from __future__ import annotations

import re
from typing import Final

from bibconv.csl.textrules.runs import Node, Rich, Span

__all__ = ["CASES", "STOP_WORDS", "apply_case", "apply_case_text", "lower", "title_case_applies", "upper"]

#: The ``text-case`` values this module implements.
CASES: Final = frozenset(
    ["lowercase", "uppercase", "capitalize-first", "capitalize-all", "sentence", "title"]
)

#: Words kept lower case inside an English title (citeproc-js's single-word list, which
#: extends the CSL 1.0.2 list with more prepositions and the particles von/van/de).
STOP_WORDS: Final = frozenset(
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
        "vs",
        "v",
        "via",
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
        "von",
        "van",
        "c",
        "ca",
    ]
)

_PROTECTING = frozenset(["nocase", "nodecor", "sc", "sup", "sub"])
_SPLIT = re.compile("([-\u2013\u2014/.,;?!:\\[\\]()\u2018\u2019\u201c\u201d\"'])")
_QUOTE_CHARS = frozenset("\u2018\u2019\u201c\u201d\"'")
_WORDS = re.compile("([\u00a0 \u2000-\u200b\u205f\u3000]+)")
_TURKIC = re.compile(r"^(?:tr|az)(?:[-_]|$)", re.IGNORECASE)
_LANG = re.compile(r"^([A-Za-z]{2,3})(?:-|$)")

# tag kinds of the flattened text
_T_PUNCT, _T_QUOTE, _T_POPEN, _T_PCLOSE, _T_OTHER, _T_LOCK = range(6)


def _is_stop_word(word: str) -> bool:
    """Whether a lower-cased word stays lower case in a title.

    citeproc-js matches its list as a regular expression in which the entries ``v.``
    and ``vs.`` match any two- and three-letter word starting ``v``/``vs`` (``vi``,
    ``vs``), so those stay lower case too (``Extensible vi Layer``).
    """
    if word in STOP_WORDS:
        return True
    n = len(word)
    return (n == 2 and word[0] == "v") or (n == 3 and word.startswith("vs"))


def title_case_applies(language: str | None, default_locale: str | None = None) -> bool:
    """Whether ``text-case="title"`` may change an item's text (CSL: English items only).

    An item with a ``language`` is English when that value starts with the ``en``
    primary tag (``en``, ``en-GB``, ``en--anything``); a value that is not a
    language tag (``fr French``, free text) is treated as non-English.  An item
    without ``language`` takes the style's ``default-locale`` (English when unset).
    """
    lang = (language or "").strip()
    if not lang:
        lang = (default_locale or "en").strip() or "en"
    m = _LANG.match(lang)
    return m is not None and m.group(1).lower() == "en"


def upper(text: str, language: str | None = None) -> str:
    """Upper case, with Turkish/Azeri ``i`` → ``İ`` when ``language`` is one of them."""
    if language and "i" in text and _TURKIC.match(language):
        text = text.replace("i", "\u0130")
    return text.upper()


def lower(text: str, language: str | None = None) -> str:
    """Lower case, with Turkish/Azeri ``I`` → ``ı`` and ``İ`` → ``i`` when ``language`` is one of them."""
    if language and _TURKIC.match(language):
        text = text.replace("I", "\u0131").replace("\u0130", "i")
    return text.lower()


def _capitalise(word: str, language: str | None) -> str:
    for k, ch in enumerate(word):
        if ch.isspace():
            continue
        if "\u0370" <= ch <= "\u03ff" and k == len(word) - 1:
            return word  # a lone Greek letter is a symbol
        return word[:k] + upper(ch, language) + word[k + 1 :]
    return word


class _Engine:
    """One text-case pass over the flattened segments (strings and the tags between them)."""

    __slots__ = ("after_punct", "case", "is_first", "lang", "last_word")

    def __init__(self, case: str, lang: str | None) -> None:
        self.case = case
        self.lang = lang
        self.is_first = True
        self.after_punct = False
        self.last_word: tuple[int, int] | None = None

    def words(self, text: str, index: int, following: str | None) -> str:
        case = self.case
        lang = self.lang
        if case == "lowercase" or case == "uppercase":
            return lower(text, lang) if case == "lowercase" else upper(text, lang)
        if case == "sentence":
            parts = text.split(" ")
            for j, word in enumerate(parts):
                if word:
                    if self.is_first:
                        parts[j] = _capitalise(word, lang)
                        self.is_first = False
                    else:
                        parts[j] = lower(word, lang)
            return " ".join(parts)
        if case == "title" and not text.strip():
            return text
        if case == "capitalize-first" and not self.is_first:
            return text
        parts = _WORDS.split(text)
        last = len(parts) - 1
        for j in range(0, len(parts), 2):
            word = parts[j]
            if not word:
                continue
            lc = lower(word, lang)
            if case == "title":
                capitalise = (
                    (len(word) > 1 and not _is_stop_word(lc))
                    or (j == last and following == "-")
                    or self.is_first
                    or self.after_punct
                )
                if capitalise and word == lc:
                    parts[j] = _capitalise(word, lang)
                self.after_punct = False
                self.is_first = False
                self.last_word = (index, j)
            elif case == "capitalize-all":
                if word == lc:
                    parts[j] = _capitalise(word, lang)
            else:  # capitalize-first
                if word == lc:
                    parts[j] = _capitalise(word, lang)
                self.is_first = False
                break
        return "".join(parts)

    @staticmethod
    def _restore(strings: list[str], original: list[str], index: int) -> None:
        if original[index]:
            strings[index] = original[index][0] + strings[index][1:]

    def run(self, strings: list[str], tags: list[tuple[int, str]]) -> None:
        case = self.case
        title = case == "title"
        quotes = case not in ("lowercase", "uppercase")
        original = strings[:] if quotes else strings
        if strings[0].strip():
            strings[0] = self.words(strings[0], 0, tags[0][1] if tags else None)
        depth = 0
        for i, (kind, tag) in enumerate(tags):
            text = strings[i + 1]
            if kind == _T_POPEN:
                depth += 1
            elif kind == _T_PCLOSE:
                depth -= 1
            elif title and kind == _T_PUNCT and tag in "!?:":
                self.after_punct = True
            if depth == 0:
                strings[i + 1] = self.words(text, i + 1, None)
            elif text.strip():
                self.last_word = None
            if quotes and kind == _T_QUOTE and text:
                # a quote mark that pairs with nothing: the letter after it keeps its case
                strings[i + 1] = original[i + 1][0] + strings[i + 1][1:]
                self.last_word = None
            if text.strip():
                self.is_first = False
                self.after_punct = False
        if quotes:
            # Quotes citeproc-js reads as unclosed keep the case of their first letter; when a
            # second one opens while the first is pending, only the first is restored (its
            # quote state forgets the position of the later ones).
            pending: int | None = None
            for i, (kind, _tag) in enumerate(tags):
                if kind == _T_LOCK:
                    if pending is None:
                        pending = i + 1
                    elif pending >= 0:
                        self._restore(strings, original, pending)
                        pending = -1
            if pending is not None and pending >= 0:
                self._restore(strings, original, pending)
        if title and self.last_word is not None:
            index, j = self.last_word
            parts = _WORDS.split(strings[index])
            word = parts[j]
            if len(word) > 1 and _is_stop_word(lower(word, self.lang)):
                parts[j] = _capitalise(word, self.lang)
                strings[index] = "".join(parts)


def _flatten(
    rich: Rich, strings: list[str], tags: list[tuple[int, str]], spans: list[tuple[int, int]]
) -> None:
    for node in rich:
        if isinstance(node, str):
            if strings[-1]:
                tags.append((_T_OTHER, ""))
                strings.append("")
            start = len(strings) - 1
            pieces = _SPLIT.split(node)
            strings[-1] = pieces[0]
            for k in range(1, len(pieces), 2):
                char = pieces[k]
                tags.append((_T_QUOTE if char in _QUOTE_CHARS else _T_PUNCT, char))
                strings.append(pieces[k + 1])
            spans.append((start, len(strings) - 1))
        else:
            protect = node.kind in _PROTECTING
            tags.append((_T_POPEN if protect else _T_LOCK if node.keep_case else _T_OTHER, ""))
            strings.append("")
            _flatten(node.children, strings, tags, spans)
            tags.append((_T_PCLOSE if protect else _T_OTHER, ""))
            strings.append("")


def _rebuild(
    rich: Rich, strings: list[str], tags: list[tuple[int, str]], spans: list[tuple[int, int]], at: list[int]
) -> Rich:
    out: list[Node] = []
    for node in rich:
        if isinstance(node, str):
            start, end = spans[at[0]]
            at[0] += 1
            if start == end:
                out.append(strings[start])
            else:
                pieces = [strings[start]]
                for k in range(start, end):
                    pieces.append(tags[k][1])
                    pieces.append(strings[k + 1])
                out.append("".join(pieces))
        else:
            out.append(
                Span(node.kind, _rebuild(node.children, strings, tags, spans, at), node.outer, node.keep_case)
            )
    return tuple(out)


def apply_case(rich: Rich, text_case: str | None, language: str | None = None) -> Rich:
    """``rich`` with a CSL ``text-case`` applied; protected runs are kept as they are.

    ``language`` only matters for Turkish/Azeri casing; whether ``title`` applies at
    all is :func:`title_case_applies`'s decision, taken by the caller.  An unknown or
    empty ``text_case`` returns ``rich`` unchanged.  Example:
    ``apply_case(parse("out-of-fashion initiatives: a second story"), "title")`` →
    ``("Out-of-Fashion Initiatives: A Second Story",)``.
    """
    if not rich or text_case not in CASES:
        return rich
    strings: list[str] = [""]
    tags: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    _flatten(rich, strings, tags, spans)
    _Engine(text_case, language).run(strings, tags)
    return _rebuild(rich, strings, tags, spans, [0])


def apply_case_text(text: str, text_case: str | None, language: str | None = None) -> str:
    """:func:`apply_case` for a plain string without markup (terms, numbers, labels)."""
    if not text or text_case not in CASES:
        return text
    if text_case == "lowercase":
        return lower(text, language)
    if text_case == "uppercase":
        return upper(text, language)
    result = apply_case((text,), text_case, language)
    return result[0] if isinstance(result[0], str) else text
