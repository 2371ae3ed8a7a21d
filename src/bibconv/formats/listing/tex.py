"""The little TeX that arXiv abstract text carries, decoded to IR rich text.

arXiv abstracts are typed by authors in TeX habits: ``97\\%``, ``\\emph{Circuit
analysis}``, ``\\"o``, ``$\\alpha$``.  This module handles exactly what
abstract text uses: escaped specials, emphasis and font commands (→
``<i>``/``<b>``), accent commands and a few symbol macros.  It differs from
BibTeX field decoding (``bibconv.formats.bibtex.latex`` on the BibTeX branch) on purpose:
braces do not protect case here, ``~`` stays a tilde ("~10%" means
approximately) and ``--`` stays as typed, because listings paste abstracts
that use them as plain text.  Maths between ``$`` stays as written (it is
meaningful to readers and no markup subset can carry it); anything else
unknown is kept verbatim and reported, never dropped.
"""

from __future__ import annotations

import re
import unicodedata

from bibconv.richtext import escape_literal

__all__ = ["decode_tex"]

_ESCAPES = {"%": "%", "&": "&", "_": "_", "#": "#", "$": "$", "{": "{", "}": "}", " ": " "}
_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "c": "\u0327",
    "v": "\u030c",
    "u": "\u0306",
    "H": "\u030b",
    "k": "\u0328",
}
_SYMBOLS = {
    "ldots": "…",
    "dots": "…",
    "textendash": "–",
    "textemdash": "—",
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
}
_STYLE = {
    "emph": "i",
    "textit": "i",
    "textsl": "i",
    "textbf": "b",
    "textsc": None,
    "texttt": None,
    "textrm": None,
}
_MATH = re.compile(r"(?<!\\)\$[^$]{1,500}?(?<!\\)\$")
_TOKEN = re.compile(
    r"\\(?P<acc>['`^\"~=.])\s{0,2}(?:\{(?P<accarg1>\w?)\}|(?P<accarg2>\w))"
    r"|\\(?P<acc2>[cvuHk])(?:\{(?P<accarg3>\w?)\}|\s(?P<accarg4>\w))"
    r"|\\(?P<esc>[%&_#${} ])"
    r"|\\(?P<style>emph|textit|textsl|textbf|textsc|texttt|textrm)\{(?P<arg>[^{}]{0,2000})\}"
    r"|\\(?P<sym>[A-Za-z]+)(?:\{\})?"
)


def decode_tex(text: str) -> tuple[str, list[str]]:
    """Abstract text → (IR rich text, names of commands that were kept verbatim).

    >>> decode_tex(r"\\emph{Circuit analysis} reaches 97\\%")[0]
    '<i>Circuit analysis</i> reaches 97%'
    """
    unknown: list[str] = []
    if "\\" not in text:
        return escape_literal(text), unknown
    if "$" in text:
        # maths stays verbatim: decode only the text between formulas
        pieces: list[str] = []
        pos = 0
        for m in _MATH.finditer(text):
            decoded, more = _decode_text(text[pos : m.start()])
            pieces += [decoded, escape_literal(m.group())]
            unknown += more
            pos = m.end()
        decoded, more = _decode_text(text[pos:])
        return "".join([*pieces, decoded]), unknown + more
    return _decode_text(text)


_BRACED_ACCENT = re.compile(r"\{(\\(?:['`^\"~=.]|[cvuHk](?=[\s{]))\s?(?:\{\w\}|\w))\}")


def _decode_text(text: str) -> tuple[str, list[str]]:
    # "{\"o}" is how BibTeX habits protect an accent; the braces are not text
    text = _BRACED_ACCENT.sub(r"\1", text)
    unknown: list[str] = []
    out: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() < pos:
            continue
        out.append(escape_literal(text[pos : m.start()]))
        pos = m.end()
        if m.group("acc") or m.group("acc2"):
            mark = _ACCENTS[m.group("acc") or m.group("acc2")]
            base = next((g for g in m.group("accarg1", "accarg2", "accarg3", "accarg4") if g), "")
            out.append(unicodedata.normalize("NFC", base + mark) if base else mark.strip())
        elif m.group("esc"):
            out.append(_ESCAPES[m.group("esc")])
        elif m.group("style"):
            inner, more = _decode_text(m.group("arg"))
            unknown.extend(more)
            tag = _STYLE[m.group("style")]
            out.append(f"<{tag}>{inner}</{tag}>" if tag and inner else inner)
        else:
            name = m.group("sym")
            if name in _SYMBOLS:
                out.append(_SYMBOLS[name])
            else:
                unknown.append(name)
                out.append(escape_literal(m.group()))
    out.append(escape_literal(text[pos:]))
    return "".join(out), unknown
