"""LaTeX field text ⇄ the IR's rich text, in one table-driven pass each way.

Why not pylatexenc: it is slow on a 10 MB corpus and it decodes math, while a
bibliography must keep ``$x^2$`` verbatim (a citation processor or the next
LaTeX run renders it).  The decoder below tokenises with one regex, walks the
tokens once, and only runs for values that contain a LaTeX-significant
character at all; most fields take the fast path.

BibTeX rules followed on decoding:

* a brace group at the top level protects case and becomes
  ``<span class="nocase">``, unless it starts with a command, which makes it a
  "special character" (``{\\"o}``) that is decoded without protection;
* ``\\emph``/``\\textit``/``{\\em ..}``/``{\\it ..}`` → ``<i>``, ``\\textbf``/``{\\bf ..}``
  → ``<b>``, ``\\textsc`` → small caps, ``\\textsuperscript``/``\\textsubscript``;
* ``--``/``---`` → en/em dash, ````` ``/'' ````` → curly double quotes, ``~`` →
  no-break space, escaped specials (``\\& \\% \\$ \\# \\_ \\{ \\}``) → the character;
* ``$…$`` is kept verbatim; a lone ``$`` is a literal dollar and reported;
* an unknown command is kept verbatim and reported, never silently dropped.

The encoder is the exact inverse on everything the decoder produces, which is
what makes ``read(write(r)) == r`` hold for arbitrary Unicode.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bibconv.richtext import tokens as rich_tokens

__all__ = ["Decoded", "Problem", "decode", "encode", "needs_decoding"]

# Accent commands → combining character.
ACCENTS: dict[str, str] = {
    "`": "\u0300",
    "'": "\u0301",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    "u": "\u0306",
    ".": "\u0307",
    '"': "\u0308",
    "r": "\u030a",
    "H": "\u030b",
    "v": "\u030c",
    "d": "\u0323",
    "c": "\u0327",
    "k": "\u0328",
    "b": "\u0331",
    "t": "\u0361",
    "G": "\u030f",
}

# Commands without arguments → text.
SYMBOLS: dict[str, str] = {
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "o": "ø",
    "O": "Ø",
    "l": "ł",
    "L": "Ł",
    "ss": "ß",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "dj": "đ",
    "DJ": "Đ",
    "ij": "ĳ",
    "IJ": "Ĳ",
    "textbackslash": "\\",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textasciigrave": "`",
    "textunderscore": "_",
    "textdollar": "$",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textless": "<",
    "textgreater": ">",
    "textbar": "|",
    "textquotedbl": '"',
    "textquotesingle": "'",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "quotedblbase": "„",
    "quotesinglbase": "‚",
    "textendash": "–",
    "textemdash": "—",
    "textellipsis": "…",
    "ldots": "…",
    "dots": "…",
    "textregistered": "®",
    "texttrademark": "™",
    "textcopyright": "©",
    "copyright": "©",
    "textdegree": "°",
    "textsection": "§",
    "S": "§",
    "P": "¶",
    "textparagraph": "¶",
    "dag": "†",
    "textdagger": "†",
    "ddag": "‡",
    "textdaggerdbl": "‡",
    "pounds": "£",
    "textsterling": "£",
    "euro": "€",
    "texteuro": "€",
    "textyen": "¥",
    "textcent": "¢",
    "textexclamdown": "¡",
    "textquestiondown": "¿",
    "guillemotleft": "«",
    "guillemotright": "»",
    "guilsinglleft": "‹",
    "guilsinglright": "›",
    "textbullet": "•",
    "textperiodcentered": "·",
    "textmu": "µ",
    "textordfeminine": "ª",
    "textordmasculine": "º",
    "textonehalf": "½",
    "textonequarter": "¼",
    "textthreequarters": "¾",
    "texttimes": "×",
    "textdiv": "÷",
    "textpm": "±",
    "textminus": "−",
    "slash": "/",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "BibTeX": "BibTeX",
    "LaTeXe": "LaTeX2ε",
    "quad": "\u2003",
    "qquad": "\u2003\u2003",
    "par": " ",
    "newline": " ",
    "hyphen": "-",
    "textampersand": "&",
    "glqq": "„",
    "grqq": "“",
    "glq": "‚",
    "grq": "‘",
    "flqq": "«",
    "frqq": "»",
    "texttheta": "θ",
    "relax": "",
    "aftergroup": "",
    "ignorespaces": "",
    "protect": "",
    # math-mode symbols met in text mode: decoded, never produced by the encoder
    "times": "×",
    "pm": "±",
    "mp": "∓",
    "cdot": "⋅",
    "infty": "∞",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "ne": "≠",
    "approx": "≈",
    "sim": "∼",
    "rightarrow": "→",
    "to": "→",
    "leftarrow": "←",
    "Rightarrow": "⇒",
    "leftrightarrow": "↔",
    "circ": "∘",
    "partial": "∂",
    "nabla": "∇",
    "sum": "∑",
    "prod": "∏",
    "int": "∫",
    "sqrt": "√",
    "in": "∈",
    "ell": "ℓ",
    "hbar": "ℏ",
    "aleph": "ℵ",
    "emptyset": "∅",
}
_GREEK = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "pi",
    "rho",
    "sigma",
    "tau",
    "upsilon",
    "phi",
    "chi",
    "psi",
    "omega",
]
for _n, _name in enumerate(_GREEK):
    # the list has no omicron (U+03BF, after xi) and Unicode has final sigma (U+03C2, after rho)
    _cp = 0x3B1 + _n + (1 if _n >= 14 else 0) + (1 if _n >= 16 else 0)
    SYMBOLS[_name] = chr(_cp)
    if _name not in (
        "alpha",
        "beta",
        "epsilon",
        "zeta",
        "eta",
        "iota",
        "kappa",
        "mu",
        "nu",
        "rho",
        "tau",
        "chi",
    ):
        SYMBOLS[_name.capitalize()] = chr(_cp - 0x20)
SYMBOLS.update({"varepsilon": "ε", "vartheta": "ϑ", "varphi": "φ", "varsigma": "ς", "varrho": "ϱ"})
SYMBOLS["omicron"] = "ο"

# One-character control symbols → text.
ESCAPES: dict[str, str] = {
    "&": "&",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    " ": " ",
    "\n": " ",
    "\t": " ",
    ",": "\u2009",
    ";": "\u2004",
    ":": "\u205f",
    "!": "",
    "-": "\u00ad",
    "/": "",
    "@": "",
    "\\": " ",
}

# Commands with one argument → (open, close) markup.
WRAPPERS: dict[str, tuple[str, str]] = {
    "emph": ("<i>", "</i>"),
    "textit": ("<i>", "</i>"),
    "textsl": ("<i>", "</i>"),
    "mkbibemph": ("<i>", "</i>"),
    "mkbibitalic": ("<i>", "</i>"),
    "textbf": ("<b>", "</b>"),
    "mkbibbold": ("<b>", "</b>"),
    "textsc": ('<span style="font-variant:small-caps;">', "</span>"),
    "textsuperscript": ("<sup>", "</sup>"),
    "mkbibsuperscript": ("<sup>", "</sup>"),
    "textsubscript": ("<sub>", "</sub>"),
    "mkbibsubscript": ("<sub>", "</sub>"),
    "mkbibquote": ("“", "”"),
    "enquote": ("“", "”"),
    "textquote": ("“", "”"),
    "textrm": ("", ""),
    "textsf": ("", ""),
    "texttt": ("", ""),
    "textup": ("", ""),
    "textmd": ("", ""),
    "textnormal": ("", ""),
    "text": ("", ""),
    "mbox": ("", ""),
    "hbox": ("", ""),
    "NoCaseChange": ("", ""),
    "nocase": ("", ""),
    "ensuremath": ("", ""),
    "url": ("", ""),
    "path": ("", ""),
    "uppercase": ("", ""),
    "MakeUppercase": ("", ""),
}
# Declarations that style the rest of their group.
DECLARATIONS: dict[str, tuple[str, str]] = {
    "em": ("<i>", "</i>"),
    "it": ("<i>", "</i>"),
    "itshape": ("<i>", "</i>"),
    "sl": ("<i>", "</i>"),
    "slshape": ("<i>", "</i>"),
    "bf": ("<b>", "</b>"),
    "bfseries": ("<b>", "</b>"),
    "sc": ('<span style="font-variant:small-caps;">', "</span>"),
    "scshape": ('<span style="font-variant:small-caps;">', "</span>"),
    "rm": ("", ""),
    "sf": ("", ""),
    "tt": ("", ""),
    "normalfont": ("", ""),
    "upshape": ("", ""),
    "small": ("", ""),
    "footnotesize": ("", ""),
    "large": ("", ""),
}
#: biblatex localisation keys (\\bibstring) → English text.
BIBSTRINGS: dict[str, str] = {
    "newseries": "new series",
    "oldseries": "old series",
    "jourser": "series",
    "edition": "edition",
    "volume": "volume",
    "and": "and",
    "andothers": "et al.",
    "page": "page",
    "pages": "pages",
    "reprint": "reprint",
    "translation": "translation",
}
NOCASE_OPEN, NOCASE_CLOSE = '<span class="nocase">', "</span>"

_TOKEN = re.compile(
    r"\\(?:[A-Za-z]+[ \t\n]*|[^A-Za-z]?)"  # control word (eats spaces) or control symbol
    r"|[{}$~]|-{2,3}|``|''|[!?]`|[ \t\n]+"
    r"|[^\\{}$~\-`'!? \t\n]+|[\s\S]"
)
_NEEDS = re.compile(r"[\\{}$~\n\t`]|--|''|  ")


_BLANKS = re.compile(r"\s+")


def _one_line(math: str) -> str:
    """Verbatim math with each run of blanks (line breaks too) as one space.

    A line break inside ``$…$`` must not reach a line-based output (RIS).
    """
    return _BLANKS.sub(" ", math) if "\n" in math or "\t" in math else math


def needs_decoding(text: str) -> bool:
    """True when ``text`` contains anything the decoder would change."""
    return _NEEDS.search(text) is not None


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in a field the decoder could not honour; ``offset`` is within the value."""

    code: str
    offset: int
    message: str


@dataclass(slots=True)
class Decoded:
    """Decoded rich text and the problems met on the way."""

    text: str
    problems: list[Problem] = field(default_factory=list)


def _compose(base: str, accent: str) -> str:
    if not base:
        return unicodedata.normalize("NFC", " " + accent).strip() or accent
    head, rest = base[0], base[1:]
    if head == "ı":
        head = "i"
    elif head == "ȷ":
        head = "j"
    return unicodedata.normalize("NFC", head + accent) + rest


class _Decoder:
    __slots__ = ("nocase", "pos", "problems", "starts", "toks")

    def __init__(self, text: str, nocase: bool) -> None:
        self.toks: list[str] = []
        self.starts: list[int] = []
        for m in _TOKEN.finditer(text):
            self.toks.append(m.group())
            self.starts.append(m.start())
        self.pos = 0
        self.nocase = nocase
        self.problems: list[Problem] = []

    def problem(self, code: str, index: int, message: str) -> None:
        offset = self.starts[index] if index < len(self.starts) else (self.starts[-1] if self.starts else 0)
        self.problems.append(Problem(code, offset, message))

    def seq(self, depth: int, cased: bool, stop_close: bool) -> str:
        """Decode tokens until the group closes (consumed) or the input ends."""
        out: list[str] = []
        toks = self.toks
        n = len(toks)
        no_more_math = False
        while self.pos < n:
            tok = toks[self.pos]
            c = tok[0]
            if c == "}":
                if stop_close:
                    self.pos += 1
                    return "".join(out)
                self.problem("BC104", self.pos, "a '}' closes no group; ignored")
                self.pos += 1
                continue
            if c == "{":
                self.pos += 1
                out.append(self.group(depth + 1, cased))
                continue
            if c == "\\":
                out.append(self.command(depth, cased))
                continue
            if c == "$":
                if no_more_math:
                    out.append("$")
                    self.pos += 1
                    continue
                math = self.math()
                if math is None:
                    no_more_math = True
                    self.problem("BC113", self.pos, "unbalanced '$': kept as a literal dollar sign")
                    out.append("$")
                    self.pos += 1
                else:
                    out.append(_math_text(math) or math)
                continue
            self.pos += 1
            if c == "~" and tok == "~":
                out.append("\u00a0")
            elif c in " \t\n":
                out.append(" ")
            elif tok == "--":
                out.append("–")
            elif tok == "---":
                out.append("—")
            elif tok == "``":
                out.append("“")
            elif tok == "''":
                out.append("”")
            elif tok == "!`":
                out.append("¡")
            elif tok == "?`":
                out.append("¿")
            else:
                out.append(tok)
        if stop_close:
            self.problem("BC104", n - 1, "a '{' is never closed")
        return "".join(out)

    def group(self, depth: int, cased: bool) -> str:
        """A brace group; at the case-protecting level it becomes a nocase span."""
        first = self.toks[self.pos] if self.pos < len(self.toks) else ""
        special = first.startswith("\\")
        inner = self.seq(depth, False if not special else cased, True)
        if cased and self.nocase and not special and inner.strip():
            return NOCASE_OPEN + inner + NOCASE_CLOSE
        return inner

    def math(self) -> str | None:
        """Verbatim ``$…$`` (or ``$$…$$``) within the current group, or None if unclosed."""
        toks = self.toks
        start = self.pos
        double = start + 1 < len(toks) and toks[start + 1] == "$"
        i = start + (2 if double else 1)
        depth = 0
        while i < len(toks):
            t = toks[i]
            if t == "{":
                depth += 1
            elif t == "}":
                depth -= 1
                if depth < 0:
                    return None
            elif t == "$" and depth == 0:
                if double:
                    if i + 1 < len(toks) and toks[i + 1] == "$":
                        self.pos = i + 2
                        return _one_line("".join(toks[start : i + 2]))
                else:
                    self.pos = i + 1
                    return _one_line("".join(toks[start : i + 1]))
            i += 1
        return None

    def argument(self, depth: int, cased: bool) -> str:
        """One macro argument: a group (not case-protecting) or a single token."""
        toks = self.toks
        while self.pos < len(toks) and toks[self.pos][0] in " \t\n":
            self.pos += 1
        if self.pos >= len(toks):
            return ""
        tok = toks[self.pos]
        if tok == "{":
            self.pos += 1
            return self.seq(depth + 1, cased, True)
        if tok.startswith("\\"):
            return self.command(depth, cased)
        if tok == "}":
            return ""
        self.pos += 1
        if len(tok) > 1 and tok[0] not in "~-`'!?":
            # a text run: the argument is its first character only
            self.pos -= 1
            toks[self.pos] = tok[1:]
            self.starts[self.pos] += 1
            return tok[0]
        return self.seq_one(tok)

    @staticmethod
    def seq_one(tok: str) -> str:
        return {"~": "\u00a0", "--": "–", "---": "—", "``": "“", "''": "”"}.get(tok, tok)

    def raw_argument(self) -> str:
        """A verbatim group (for ``\\url``): the text between the braces, undecoded."""
        toks = self.toks
        if self.pos < len(toks) and toks[self.pos] == "{":
            depth = 0
            start = self.pos
            while self.pos < len(toks):
                t = toks[self.pos]
                self.pos += 1
                if t == "{":
                    depth += 1
                elif t == "}":
                    depth -= 1
                    if depth == 0:
                        return "".join(toks[start + 1 : self.pos - 1])
            return "".join(toks[start + 1 :])
        return self.argument(0, False)

    def command(self, depth: int, cased: bool) -> str:
        index = self.pos
        tok = self.toks[index]
        self.pos += 1
        name = tok[1:].rstrip(" \t\n") if len(tok) > 1 and tok[1].isalpha() else tok[1:]
        if name in ACCENTS:
            base = self.argument(depth, cased)
            return _compose(base, ACCENTS[name])
        if name in ESCAPES:
            return ESCAPES[name]
        if name in SYMBOLS:
            if self.pos < len(self.toks) and self.toks[self.pos] == "{" and self.peek_empty():
                self.pos += 2  # "\ss{}"
            return SYMBOLS[name]
        if name in WRAPPERS:
            if name in ("url", "path"):
                return self.raw_argument()
            open_, close = WRAPPERS[name]
            return open_ + self.argument(depth, cased) + close
        if name in ("cite", "citet", "citep", "autocite", "parencite", "textcite"):
            return self.raw_argument()  # a citation inside a field prints its key, as peers show it
        if name in ("hspace", "vspace", "hskip"):
            self.raw_argument()
            return " "
        if name in ("noopsort", "SortNoop", "nocite", "vphantom", "phantom"):
            self.argument(depth, cased)  # sort keys and hidden citations print nothing
            return ""
        if name == "ElsevierGlyph":
            code = self.raw_argument()
            try:
                char = chr(int(code, 16))
            except ValueError:
                return self.unknown(index, name)
            if "\ud800" <= char <= "\udfff":  # a lone surrogate cannot be written out
                return self.unknown(index, name)
            return char
        if name == "bibstring":
            word = self.raw_argument()
            return BIBSTRINGS.get(word, word)
        if name == "begin" and self.pos < len(self.toks) and self.toks[self.pos] == "{":
            env = self.raw_argument()
            if env in DECLARATIONS:
                open_, close = DECLARATIONS[env]
                inner = self.until_end(env, depth, cased)
                return open_ + inner + close
            return self.until_end(env, depth, cased)
        if name == "end" and self.pos < len(self.toks) and self.toks[self.pos] == "{":
            self.raw_argument()
            return ""
        if name == "href":
            url = self.raw_argument()
            text = self.argument(depth, cased)
            return text or url
        if name in DECLARATIONS:
            open_, close = DECLARATIONS[name]
            rest = self.seq(depth, cased, False) if depth == 0 else self.rest_of_group(depth, cased)
            return open_ + rest + close if rest else ""
        if name == "(":
            # inline math \( … \): kept verbatim like $…$
            out = ["\\("]
            while self.pos < len(self.toks) and self.toks[self.pos] != "\\)":
                out.append(self.toks[self.pos])
                self.pos += 1
            if self.pos < len(self.toks):
                self.pos += 1
                out.append("\\)")
                return _one_line("".join(out))
            self.problem("BC113", index, "\\( is never closed")
            return "".join(out)
        if name == "":
            return "\\"
        return self.unknown(index, name)

    def until_end(self, env: str, depth: int, cased: bool) -> str:
        """Decode up to ``\\end{env}`` (consumed), or to the end of the group."""
        out: list[str] = []
        toks = self.toks
        while self.pos < len(toks):
            tok = toks[self.pos]
            if tok.rstrip() == "\\end" and self.pos + 1 < len(toks) and toks[self.pos + 1] == "{":
                save = self.pos
                self.pos += 1
                if self.raw_argument() == env:
                    return "".join(out)
                self.pos = save
            if tok == "}":
                break
            start = self.pos
            piece = self.seq_until_one(depth, cased)
            out.append(piece)
            if self.pos == start:
                self.pos += 1
        return "".join(out)

    def seq_until_one(self, depth: int, cased: bool) -> str:
        """Decode exactly one element (token, group or command) at the current position."""
        tok = self.toks[self.pos]
        if tok == "{":
            self.pos += 1
            return self.group(depth + 1, cased)
        if tok.startswith("\\"):
            return self.command(depth, cased)
        if tok == "$":
            math = self.math()
            if math is not None:
                return _math_text(math) or math
            self.pos += 1
            return "$"
        self.pos += 1
        if tok[0] in " \t\n":
            return " "
        return self.seq_one(tok)

    def rest_of_group(self, depth: int, cased: bool) -> str:
        """Decode to the end of the current group without consuming its '}'."""
        out = self.seq(depth, cased, True)
        self.pos -= 1  # give the closing brace back to the caller
        if self.pos < 0 or self.toks[self.pos] != "}":
            self.pos += 1
        return out

    def peek_empty(self) -> bool:
        return self.pos + 1 < len(self.toks) and self.toks[self.pos + 1] == "}"

    def unknown(self, index: int, name: str) -> str:
        """Keep an unknown command verbatim, with its brace arguments (never a nocase span)."""
        self.problem("BC114", index, f"LaTeX command \\{name} is not known; kept verbatim")
        out = "\\" + name
        if self.pos < len(self.toks) and self.toks[self.pos] == "{":
            while self.pos < len(self.toks) and self.toks[self.pos] == "{":
                out += "{" + self.raw_argument() + "}"
        elif self.toks[index].endswith((" ", "\n", "\t")):
            out += " "
        return out


def decode(text: str, *, nocase: bool = True) -> Decoded:
    """LaTeX field text → rich text; with ``nocase=False`` protecting braces are just removed."""
    if not _NEEDS.search(text):
        return Decoded(text.strip())
    dec = _Decoder(text, nocase)
    out = dec.seq(0, True, False)
    out = " ".join(out.split(" ")) if "  " not in out else re.sub(" {2,}", " ", out)
    return Decoded(out.strip(" "), dec.problems)


# ---------------------------------------------------------------- encoding
_MATH_ONLY = frozenset(
    [
        "times",
        "pm",
        "mp",
        "cdot",
        "infty",
        "leq",
        "le",
        "geq",
        "ge",
        "neq",
        "ne",
        "approx",
        "sim",
        "rightarrow",
        "to",
        "leftarrow",
        "Rightarrow",
        "leftrightarrow",
        "circ",
        "partial",
        "nabla",
        "sum",
        "prod",
        "int",
        "sqrt",
        "in",
        "ell",
        "hbar",
        "aleph",
        "emptyset",
        "varepsilon",
        "vartheta",
        "varphi",
        "varsigma",
        "varrho",
        "omicron",
    ]
)


def _build_encode_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, char in SYMBOLS.items():
        if name in _MATH_ONLY or name.lower() in _GREEK:
            continue
        if len(char) == 1 and ord(char) > 127 and char not in table:
            table[char] = "{\\" + name + "}"
    for name, mark in ACCENTS.items():
        for base in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz":
            composed = unicodedata.normalize("NFC", base + mark)
            if len(composed) == 1 and composed not in table:
                arg = "\\i" if base == "i" and name not in ("c", "d", "b", "k") else base
                sep = " " if name.isalpha() else ""
                table[composed] = (
                    "{\\" + name + sep + arg + "}" if arg[0] != "\\" else "{\\" + name + arg + "}"
                )
    table["\u00a0"] = "~"
    table["–"] = "--"
    table["—"] = "---"
    table["“"] = "``"
    table["”"] = "''"
    table["\u00ad"] = "\\-"
    table["\u2009"] = "\\,"
    return table


_ENCODE = _build_encode_table()


def _build_math_table() -> dict[str, str]:
    """Greek letters and math symbols → ``{\\ensuremath{\\alpha}}``.

    ``\\ensuremath`` works in text and in math with no package (``\\textalpha``
    needs textgreek and an LGR font), and the braces make it one "special
    character" to BibTeX, so ``purify$`` and sorting see one letter.
    """
    table: dict[str, str] = {}
    for name, char in SYMBOLS.items():
        if (name in _MATH_ONLY or name.lower() in _GREEK) and len(char) == 1 and ord(char) > 127:
            table.setdefault(char, "{\\ensuremath{\\" + name + "}}")
    return table


_MATH_ENCODE = _build_math_table()
_MARK_NAMES = {mark: name for name, mark in ACCENTS.items()}


def _accent_command(text: str) -> str | None:
    """``Z`` + U+0303 → ``{\\~Z}``; None when a mark has no command or no nesting reads back.

    Several marks nest; the order the decoder applies them in depends on
    which letters Unicode precomposes, so both orders are tried and the one
    that decodes to the same text (in NFC) is taken.
    """
    decomposed = unicodedata.normalize("NFD", text)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not (base.isascii() and base.isalpha()) or any(m not in _MARK_NAMES for m in marks):
        return None
    want = unicodedata.normalize("NFC", text)
    orders = [marks] if len(marks) == 1 else [marks, marks[::-1]]
    for order in orders:
        inner = base
        for mark in order:
            name = _MARK_NAMES[mark]
            arg = "\\i" if inner == "i" and name not in ("c", "d", "b", "k") else inner
            if arg.startswith(("{", "\\")):  # a group or a command needs no space after the accent
                inner = "{\\" + name + arg + "}"
            else:
                inner = "{\\" + name + (" " if name.isalpha() else "") + arg + "}"
        if len(marks) == 1 or unicodedata.normalize("NFC", decode(inner).text) == want:
            return inner
    return None


def ascii_command(char: str) -> str | None:
    """The LaTeX command for one non-ASCII character or accent cluster, or None when there is none.

    Text is compared in NFC, so a decomposed ``e`` + acute gets ``{\\'e}``
    like ``é`` (and reads back as ``é``: canonically the same text); Greek is
    math (``{\\ensuremath{\\theta}}``) before any text command, since that
    needs no package.
    """
    composed = unicodedata.normalize("NFC", char) if len(char) > 1 or not char.isascii() else char
    for candidate in dict.fromkeys((char, composed)):
        if len(candidate) != 1:
            continue
        greek = "\u0370" <= candidate <= "\u03ff"
        found = (_MATH_ENCODE.get(candidate) if greek else None) or _ENCODE.get(candidate)
        found = found or _MATH_ENCODE.get(candidate)
        if found is not None:
            return found
    return _accent_command(char)


_ASCII_SPECIAL = {
    "\\": "\\textbackslash{}",
    "~": "\\textasciitilde{}",
    "^": "\\textasciicircum{}",
    "`": "\\textasciigrave{}",
    # BibTeX counts braces even when escaped, so a lone brace must not be "\{"
    "{": "\\textbraceleft{}",
    "}": "\\textbraceright{}",
    "%": "\\%",
    "&": "\\&",
    "$": "\\$",
    "#": "\\#",
    "_": "\\_",
}
#: (Non-ASCII is written ``[^\x00-\x7f]``: the same characters as ``[\u0080-\U0010ffff]``,
#: whose compiled form took 2 ms of every start-up per pattern.)
_ENC_RE = re.compile(r"[\\~^`{}%&$#_]|[^\x00-\x7f]|-(?=-)|'(?=')|[!?](?=`)")
#: ASCII output also takes a letter and its combining marks together (``Z`` + tilde → ``{\\~Z}``),
#: and a dash before another dash: en and em dashes are written ``--``/``---``, so ``-–``
#: would read back as ``---`` (an em dash) without a ``{}`` between them.
_ENC_ASCII_RE = re.compile(
    r"(?P<dash>[-\u2013\u2014])(?=[-\u2013\u2014])|[^\u0300-\u036f\\~^`{}%&$#_][\u0300-\u036f]+|"
    + _ENC_RE.pattern
)
#: _ENC_ASCII_RE without its letter-and-combining-marks branch, for text with no combining
#: mark (nearly all: ASCII output is NFC).  That branch can start at any character, which
#: stops the regex engine from skipping ahead to the characters that need escaping; this one
#: scans an abstract in about half the time, with the same matches.
_ENC_ASCII_SIMPLE_RE = re.compile(r"(?P<dash>[-\u2013\u2014])(?=[-\u2013\u2014])|" + _ENC_RE.pattern)
_COMBINING_MARK = re.compile("[\u0300-\u036f]")
#: The pairs _ENC_ASCII_SIMPLE_RE looks at a character's neighbour for: two dashes, two
#: apostrophes, ``!``/``?`` before a backquote.  Text without any (nearly all) is escaped
#: character by character: _ENC_ONE_RE, one class the regex engine skips through in a
#: fraction of the time the alternatives with look-aheads take (abstracts: about a fifth).
_ENC_PAIRS = re.compile("[-\u2013\u2014][-\u2013\u2014]|''|[!?]`")
_ENC_ONE_RE = re.compile(
    "[^" + re.escape("".join(chr(c) for c in range(128) if chr(c) not in "\\~^`{}%&$#_")) + "]"
)
_SAFE_MATH = re.compile(r"\$[^$%#&\s](?:[^$%#&]{0,200}[^$%#&\s])?\$")

# -- math with a text form ----------------------------------------------------------
# ``$\alpha$-synuclein`` and ``H$_2$O`` have exact Unicode forms (α, ₂); ``$e=mc^2$``
# (italic variables) and ``$\frac{a}{b}$`` have none.  The decoder turns a ``$…$``
# span into text only when the encoder writes that text back as the very same span,
# so CSL-JSON, RIS and formatted output get "α-synuclein" while BibTeX → BibTeX
# keeps the math byte for byte.  Anything else stays verbatim.
#: Math commands with a one-character text form, in the order the encoder prefers them.
_MATH_NAMES: tuple[str, ...] = (
    *_GREEK,
    *(n.capitalize() for n in _GREEK if n.capitalize() in SYMBOLS),
    "varepsilon",
    "vartheta",
    "varphi",
    "varsigma",
    "varrho",
    "theta",
    "Theta",
    "times",
    "pm",
    "mp",
    "cdot",
    "infty",
    "leq",
    "le",
    "geq",
    "ge",
    "neq",
    "ne",
    "approx",
    "sim",
    "rightarrow",
    "to",
    "leftarrow",
    "Rightarrow",
    "leftrightarrow",
    "partial",
    "nabla",
    "ell",
    "hbar",
    "aleph",
)
#: (× ± θ are written as math too, not as ``\texttimes`` …: bibliographies write them as math)
_MATH_CHAR: dict[str, str] = {n: SYMBOLS[n] for n in _MATH_NAMES}
_MATH_CMD: dict[str, str] = {}
for _name, _char in _MATH_CHAR.items():
    _MATH_CMD.setdefault(_char, _name)
_SUP = dict(zip("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", strict=True))
_SUB = dict(zip("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", strict=True))
_FROM_SUP = {v: k for k, v in _SUP.items()}
_FROM_SUB = {v: k for k, v in _SUB.items()}
_MATH_TOKEN = re.compile(r"\\([A-Za-z]+)|([\^_])(?:\{([^{}]*)\}|([^{}\\]))|(.)", re.DOTALL)
_MATH_RUN = re.compile("[" + re.escape("".join(_MATH_CMD) + "".join(_FROM_SUP) + "".join(_FROM_SUB)) + "]+")


def _math_text(span: str) -> str | None:
    """The text form of a ``$…$`` span, when the encoder gives the same span back; else None."""
    if len(span) < 3 or span[1] == "$" or len(span) > 200:
        return None
    out: list[str] = []
    for m in _MATH_TOKEN.finditer(span, 1, len(span) - 1):
        name, script, group, single, _other = m.groups()
        if name is not None:
            char = _MATH_CHAR.get(name)
            if char is None:
                return None
            out.append(char)
        elif script is not None:
            body = group if group is not None else single
            table = _SUP if script == "^" else _SUB
            if not body or any(c not in table for c in body):
                return None
            out.append("".join(table[c] for c in body))
        else:
            return None  # letters (italic variables), spaces, digits: no exact text form
    text = "".join(out)
    return text if _math_source(text) == span else None


def _math_source(run: str) -> str:
    """A run of math characters (α, ≤, ², ₂ …) as one ``$…$`` span."""
    out: list[str] = ["$"]
    i = 0
    while i < len(run):
        c = run[i]
        table = _FROM_SUP if c in _FROM_SUP else _FROM_SUB if c in _FROM_SUB else None
        if table is None:
            cmd = _MATH_CMD[c]
            out.append("\\" + cmd)
            i += 1
            continue
        j = i
        while j < len(run) and run[j] in table:
            j += 1
        body = "".join(table[ch] for ch in run[i:j])
        out.append(("^" if table is _FROM_SUP else "_") + (body if len(body) == 1 else "{" + body + "}"))
        i = j
    out.append("$")
    return "".join(out)


def _encode_with_math(text: str, unicode: bool, math_before: bool, math_after: bool) -> str:
    """``_encode_plain``, writing runs of math characters as math (ASCII output only).

    ``math_before``/``math_after``: the text touches a ``$…$`` span there, so a
    run at that end is braced (``$x$$\alpha$`` would read as display math).
    """
    if unicode or _MATH_RUN.search(text) is None:
        return _encode_plain(text, unicode)
    out: list[str] = []
    pos = 0
    for m in _MATH_RUN.finditer(text):
        out.append(_encode_plain(text[pos : m.start()], unicode))
        span = _math_source(m.group())
        touching = (m.start() == 0 and math_before) or (m.end() == len(text) and math_after)
        out.append("{" + span + "}" if touching else span)
        pos = m.end()
    out.append(_encode_plain(text[pos:], unicode))
    return "".join(out)


_MARKUP: dict[str, tuple[str, str]] = {
    "i": ("\\textit{", "}"),
    "b": ("\\textbf{", "}"),
    "sup": ("\\textsuperscript{", "}"),
    "sub": ("\\textsubscript{", "}"),
    "sc": ("\\textsc{", "}"),
    "nocase": ("{", "}"),
}


def _replacement(s: str, dash: bool, unicode: bool) -> str:
    """What ``_encode_plain`` writes for one match ``s`` (``dash``: a dash before another dash)."""
    if dash:
        return ("-" if s == "-" else ascii_command(s) or s) + "{}"
    if s in _ASCII_SPECIAL:
        return _ASCII_SPECIAL[s]
    if s in "-'!?":
        return s + "{}"
    if unicode:
        return s
    command = ascii_command(s)
    if command is not None:
        return command
    if len(s) > 1:  # a cluster with no command: its base may still need escaping
        return _ENC_RE.sub(lambda m: _replacement(m.group(), False, False), s[0]) + s[1:]
    return s  # no command: kept as UTF-8 (the writer reports it)


#: _replacement's answers, per output kind and dash or not: a text's few distinct characters
#: recur (accented letters, ``&``), and a command lookup normalises each one.  Bounded, as the
#: matches (letters with combining marks) come from data.
_REPLACED: dict[tuple[bool, bool], dict[str, str]] = {
    (unicode, dash): {} for unicode in (False, True) for dash in (False, True)
}


def _encode_plain(text: str, unicode: bool) -> str:
    plain, dashed = _REPLACED[unicode, False], _REPLACED[unicode, True]

    def sub(m: re.Match[str]) -> str:
        s = m.group()
        dash = m.lastgroup == "dash"
        memo = dashed if dash else plain
        found = memo.get(s)
        if found is None:
            if len(memo) >= 8192:
                memo.clear()
            found = memo[s] = _replacement(s, dash, unicode)
        return found

    if unicode:
        return _ENC_RE.sub(sub, text)
    if text.isascii() or _COMBINING_MARK.search(text) is None:
        if not (
            "--" in text
            or "''" in text
            or ("`" in text and ("!`" in text or "?`" in text))
            # (substring tests in C first: the regex stops at every hyphen and apostrophe)
            or (("\u2013" in text or "\u2014" in text) and _ENC_PAIRS.search(text) is not None)
        ):
            return _ENC_ONE_RE.sub(sub, text)
        return _ENC_ASCII_SIMPLE_RE.sub(sub, text)
    return _ENC_ASCII_RE.sub(sub, text)


def balanced(s: str) -> bool:
    """True when every ``{`` in ``s`` is closed, in order (BibTeX counts escaped braces too)."""
    depth = 0
    for ch in s:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _encode_text(text: str, unicode: bool) -> str:
    """Escape one run of text, keeping balanced math (``$x^2$``) as math.

    ASCII output is written from NFC text: the reader gives back composed
    characters, so an Ohm sign or a decomposed accent is written as the
    character it reads back as (writing stays idempotent).
    """
    if not unicode and not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if "$" not in text:
        return _encode_with_math(text, unicode, False, False)
    out: list[str] = []
    pos = 0
    for m in _SAFE_MATH.finditer(text):
        body = m.group()
        if not balanced(body) or "\\$" in body or body.endswith("\\$"):
            continue
        if _math_text(body) is not None:
            # a span with a text form (``$^-$``, ``$\\alpha$``) reads back as that text (⁻, α):
            # the dollars of text that has them are escaped instead, so it reads back as it is
            continue
        out.append(_encode_with_math(text[pos : m.start()], unicode, pos > 0, True))
        out.append(body)
        pos = m.end()
    out.append(_encode_with_math(text[pos:], unicode, pos > 0, False))
    return "".join(out)


def encode(text: str, *, unicode: bool = False) -> str:
    """Rich text → LaTeX field text that :func:`decode` turns back into ``text``.

    Markup becomes commands, nocase spans become protecting braces, and
    characters are escaped only where LaTeX or BibTeX needs it; with
    ``unicode=True`` non-ASCII characters stay UTF-8 (for Biber).
    """
    if "<" not in text:
        return _encode_text(text, unicode)
    out: list[str] = []
    after_nocase = False
    for tok in rich_tokens(text):
        if tok.kind == "text":
            piece = _encode_text(tok.value, unicode)
        elif tok.kind == "open":
            piece = _MARKUP[tok.value][0]
        else:
            piece = _MARKUP[tok.value][1]
        if after_nocase and piece.startswith("\\"):
            # "{\x" would be a BibTeX special character, which does not protect case
            piece = "{}" + piece
        after_nocase = tok.kind == "open" and tok.value == "nocase"
        out.append(piece)
    return "".join(out)
