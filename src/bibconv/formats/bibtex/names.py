"""BibTeX name lists ⇄ :class:`~bibconv.ir.Name`, by BibTeX's own rules.

Splitting happens on the raw LaTeX, *before* decoding, because braces carry
meaning here: ``{Gemini Team}`` is one organisation and ``{van} Houten`` is not
a particle.  Only the finished parts are decoded to Unicode.

Forms understood: ``First von Last``, ``von Last, First``, ``von Last, Jr,
First``, a single braced group (an organisation, kept as ``literal``), a final
``and others`` (the list is truncated), and BibLaTeX's extended form
``family=Doe, given=Jane, prefix=de, useprefix=true``.  The ``von`` part maps to
CSL's non-dropping particle, as citeproc-js and pandoc map it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bibconv.formats.bibtex.latex import ACCENTS, SYMBOLS, Problem, decode, encode, needs_decoding
from bibconv.ir import Name

__all__ = ["ParsedNames", "format_name", "format_names", "parse_name", "parse_names", "split_names"]

_TIE = re.compile(r"(?<!\\)~")
# ``and`` between blanks, the blanks left out of the match, so in ``A and and B``
# both are separators and the empty name between them shows (as in BibTeX, where
# a leading or trailing ``and`` of the stripped list is part of a name).
_AND = re.compile(r"(?<=\s)and(?=\s)", re.IGNORECASE)
_EXTENDED = re.compile(r"\s*(?:family|given|prefix|suffix|useprefix|name|id)\s*=", re.IGNORECASE)


@dataclass(slots=True)
class ParsedNames:
    """A name list: the names, whether it ended in ``and others``, and decoding problems."""

    names: list[Name] = field(default_factory=list)
    truncated: bool = False
    problems: list[Problem] = field(default_factory=list)
    #: empty names between ``and`` separators (``A and and B``), dropped; the reader reports them
    empty: int = 0


def _depth0_spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Matches of ``pattern`` that lie at brace depth 0."""
    if "{" not in text:
        return [m.span() for m in pattern.finditer(text)]
    if "\\begin" in text:
        # an environment groups like braces ("A\\begin{center} and \\end{center}B" is one name)
        text = re.sub(r"\\begin\{[^{}]*\}", lambda m: "{" + " " * (len(m.group()) - 1), text)
        text = re.sub(r"\\end\{[^{}]*\}", lambda m: " " * (len(m.group()) - 1) + "}", text)
    depth_at = []
    depth = 0
    for ch in text:
        depth_at.append(depth)
        if ch == "{":
            depth += 1
        elif ch == "}" and depth > 0:
            depth -= 1
    return [
        m.span() for m in pattern.finditer(text) if depth_at[m.start()] == 0 and depth_at[m.end() - 1] == 0
    ]


def split_names(value: str, *, keep_empty: bool = False) -> list[str]:
    """Split a name list on ``and`` at brace depth 0 (case-insensitive, as BibTeX does).

    With ``keep_empty`` the empty names of ``A and and B`` are kept as ``""``
    so the caller can report them.
    """
    value = value.strip()
    if not value:
        return []
    if " " not in value and "\n" not in value and "\t" not in value:
        return [value]
    if "and" not in value.lower():
        return [value]  # no separator at all: skip the regex
    out: list[str] = []
    pos = 0
    for start, end in _depth0_spans(value, _AND):
        out.append(value[pos:start])
        pos = end
    out.append(value[pos:])
    return [p.strip() for p in out if keep_empty or p.strip()]


def _split_commas(text: str) -> list[str]:
    if "{" not in text:
        return [p.strip() for p in text.split(",")]
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}" and depth > 0:
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def _words(text: str) -> list[str]:
    """Whitespace/tie-separated words at depth 0."""
    if "{" not in text:
        return _TIE.sub(" ", text).split() if "~" in text else text.split()
    words: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}" and depth > 0:
            depth -= 1
        if depth == 0 and (ch.isspace() or (ch == "~" and not (cur and cur[-1] == "\\"))):
            if cur:
                words.append("".join(cur))
                cur = []
            continue
        cur.append(ch)
    if cur:
        words.append("".join(cur))
    return words


def _is_lower(word: str) -> bool:
    """BibTeX's von test: the first letter at depth 0 (or of a special character) is lower case."""
    first = word[:1]
    if first.isalpha():
        return first.islower()
    i = 0
    n = len(word)
    while i < n:
        ch = word[i]
        if ch == "{":
            if i + 1 < n and word[i + 1] == "\\":
                # a special character: its case is that of the letter it yields
                end = _group_end(word, i)
                m = re.match(r"\{\\([A-Za-z]+|.)", word[i:end])
                if m and m.group(1) not in ACCENTS and m.group(1) not in SYMBOLS:
                    return False  # "{\\sltt DVI}": an unknown command makes the word caseless
                decoded = decode(word[i:end]).text
                for c in decoded:
                    if c.isalpha():
                        return c.islower()
                i = end  # e.g. {\noopsort{x}}: prints nothing, look further
                continue
            i = _group_end(word, i)
            continue
        if ch == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", word[i:])
            step = m.end() if m else 1
            if m and m.group(1) not in (
                "'",
                "`",
                "^",
                '"',
                "~",
                "=",
                ".",
                "u",
                "v",
                "H",
                "c",
                "d",
                "b",
                "k",
                "r",
            ):
                decoded = decode(m.group()).text
                if decoded[:1].isalpha():
                    return decoded[0].islower()
            i += step
            continue
        if ch.isalpha():
            return ch.islower()
        i += 1
    return False


def _group_end(text: str, start: int) -> int:
    depth = 0
    for j in range(start, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text)


def _plain(text: str, problems: list[Problem]) -> str | None:
    if not text:
        return None
    if not needs_decoding(text):
        return text.strip() or None
    d = decode(text, nocase=False)
    problems.extend(d.problems)
    # a tie is only a space to the name splitter
    return d.text.replace("\u00a0", " ") or None


def _extended(raw: str, problems: list[Problem]) -> Name:
    parts: dict[str, str] = {}
    for piece in _split_commas(raw):
        key, _, value = piece.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == "{" and _group_end(value, 0) == len(value):
            value = value[1:-1]
        parts[key.strip().lower()] = value
    if "name" in parts and "family" not in parts:
        return Name(literal=_plain(parts["name"], problems) or raw)
    family = _plain(parts.get("family", ""), problems)
    given = _plain(parts.get("given", ""), problems)
    if family is None and given is None:
        return Name(literal=_plain(raw, problems) or raw)
    return Name(
        family=family,
        given=given,
        non_dropping_particle=_plain(parts.get("prefix", ""), problems),
        suffix=_plain(parts.get("suffix", ""), problems),
    )


def _parse_plain(raw: str) -> Name | None:
    """The common case quickly: no braces, commands, ties or ``=`` (nothing to decode).

    Same rules as :func:`parse_name`, without its per-part decoding calls;
    None for the rare plain name that is not a personal name (no words).
    """
    parts = [p.strip() for p in raw.split(",")]
    von: list[str] = []
    first: list[str] = []
    jr: list[str] = []
    words = parts[0].split()
    if not words:
        return None
    lower = [i for i, w in enumerate(words[:-1]) if _is_lower(w)]
    if len(parts) == 1:
        if lower:
            first, von, last = words[: lower[0]], words[lower[0] : lower[-1] + 1], words[lower[-1] + 1 :]
        else:
            first, last = words[:-1], words[-1:]
    else:
        if lower and lower[0] == 0:
            von, last = words[: lower[-1] + 1], words[lower[-1] + 1 :]
        else:
            last = words
        if len(parts) == 2:
            first = parts[1].split()
        else:
            jr = parts[1].split()
            first = " ".join(parts[2:]).split()
    family = " ".join(last) or None
    particle = " ".join(von) or None
    if family is None and particle is not None:
        family, particle = particle, None
    given = " ".join(first) or None
    if family is None and given is None:
        return None
    return Name(family=family, given=given, non_dropping_particle=particle, suffix=" ".join(jr) or None)


def parse_name(raw: str, problems: list[Problem] | None = None) -> Name:
    """One BibTeX name (raw LaTeX) → :class:`Name`; never raises."""
    probs: list[Problem] = [] if problems is None else problems
    raw = raw.strip()
    if not needs_decoding(raw) and "=" not in raw:
        plain = _parse_plain(raw)
        if plain is not None:
            return plain
    return _parse_general(raw, probs)


def _parse_general(raw: str, probs: list[Problem]) -> Name:
    """Every form: braces, commands, ties, the extended ``family=`` form."""
    if raw.startswith("{") and _group_end(raw, 0) == len(raw) and not raw.startswith("{\\"):
        return Name(literal=_plain(raw[1:-1], probs) or raw)
    if _EXTENDED.match(raw) and "=" in raw:
        return _extended(raw, probs)
    parts = _split_commas(raw)
    von: list[str] = []
    last: list[str]
    first: list[str] = []
    jr: list[str] = []
    if len(parts) == 1:
        words = _words(parts[0])
        if not words:
            return Name(literal=raw)
        lower = [i for i, w in enumerate(words[:-1]) if _is_lower(w)]
        if lower:
            first = words[: lower[0]]
            von = words[lower[0] : lower[-1] + 1]
            last = words[lower[-1] + 1 :]
        else:
            first, last = words[:-1], words[-1:]
    else:
        words = _words(parts[0])
        lower = [i for i, w in enumerate(words[:-1]) if _is_lower(w)]
        if lower and lower[0] == 0:
            # "Galouzeau de Villepin, D." keeps its family whole: a particle must come first
            # (Biber, citeproc-py and Better BibTeX agree on this)
            von, last = words[: lower[-1] + 1], words[lower[-1] + 1 :]
        else:
            last = words
        if len(parts) == 2:
            first = _words(parts[1])
        else:
            jr = _words(parts[1])
            first = _words(" ".join(parts[2:]))
    family = _plain(" ".join(last), probs)
    given = _plain(" ".join(first), probs)
    particle = _plain(" ".join(von), probs)
    suffix = _plain(" ".join(jr), probs)
    if family is None and particle is not None:
        family, particle = particle, None
    if family is None and given is None:
        return Name(literal=_plain(raw, probs) or raw)
    return Name(family=family, given=given, non_dropping_particle=particle, suffix=suffix)


def parse_names(value: str) -> ParsedNames:
    """A whole name field → names; a final ``others`` sets ``truncated``."""
    out = ParsedNames()
    raw_names = split_names(value, keep_empty=True)
    if raw_names and raw_names[-1].lower() == "others":
        out.truncated = True
        raw_names = raw_names[:-1]
    for raw in raw_names:
        if not raw.strip(" ,~"):
            out.empty += 1  # "A and and B", "A and ,": no name there
            continue
        cached = _CACHE.get(raw)
        if cached is None:
            problems: list[Problem] = []
            cached = parse_name(raw, problems)
            if problems:
                out.problems.extend(problems)
            elif len(_CACHE) < 100_000:
                _CACHE[raw] = cached  # authors recur across a bibliography; names are immutable
        out.names.append(cached)
    return out


_CACHE: dict[str, Name] = {}


_NEEDS_BRACES = re.compile(r"[\s,~]|\band\b", re.IGNORECASE)


_WORD_AND = re.compile(r"(?<![\w{])(and)(?![\w}])", re.IGNORECASE)


def _protect_and(text: str) -> str:
    """Brace a word ``and`` so it never splits the list."""
    if "and" not in text.lower():  # most names: no regex at all
        return text
    return _WORD_AND.sub(r"{\1}", text)


def _first_alpha_lower(text: str) -> bool:
    for c in text:
        if c.isalpha():
            return c.islower()
        if not c.isspace():
            return True  # starts with a symbol: brace it, BibTeX would guess
    return False


#: "Family, Given" with nothing to escape or protect: ASCII letters, and in the given
#: names spaces, periods, hyphens and apostrophes (no doubled ones, which LaTeX joins).
_PLAIN_FAMILY = re.compile(r"[A-Z][A-Za-z]*")
_PLAIN_GIVEN = re.compile(r"(?:[A-Za-z]|[.' ](?![.' ])|-(?!-))+")
#: The two above as "Family, Given" in one match (", " cannot be in either part, and a
#: word "and" cannot span it, so checking the joined text checks both parts).
_PLAIN_FAMILY_GIVEN = re.compile(_PLAIN_FAMILY.pattern + ", " + _PLAIN_GIVEN.pattern)


def format_name(name: Name, *, unicode: bool = False, extended: bool = False) -> str:
    """A :class:`Name` → BibTeX name text that :func:`parse_name` reads back identically."""
    if not extended:
        plain = _plain_form(name)
        if plain is not None:
            return plain
    return _format_general(name, unicode=unicode, extended=extended)


def _plain_form(name: Name) -> str | None:
    """``Family, Given`` when that is what the general rules give, else None.

    The common case (most names of a bibliography), decided without them.
    """
    family, given = name.family, name.given
    if (
        family is not None  # (then the name has no literal: the IR sees to that)
        and given is not None
        and not (name.non_dropping_particle or name.dropping_particle or name.suffix)
    ):
        plain = f"{family}, {given}"
        if (
            _PLAIN_FAMILY_GIVEN.fullmatch(plain)
            and (family[0] != "O" or family.lower() != "others")  # (the match starts it upper-case)
            # a word "and" is braced by the general rules; "Anderson" or "Alexander" is not
            and ("and" not in plain.lower() or _WORD_AND.search(plain) is None)
        ):
            return plain
    return None


def _format_general(name: Name, *, unicode: bool, extended: bool) -> str:
    """Every shape: particles, suffixes, organisations, characters that need escaping."""
    if name.literal is not None:
        return "{" + encode(name.literal, unicode=unicode) + "}"
    if extended:
        pieces = []
        for key, value in (
            ("family", name.family),
            ("given", name.given),
            ("prefix", name.non_dropping_particle or name.dropping_particle),
            ("suffix", name.suffix),
        ):
            if value:
                pieces.append(f"{key}={{{encode(value, unicode=unicode)}}}")
        return ", ".join(pieces)
    family = encode(name.family or "", unicode=unicode)
    alone = not (name.given or name.suffix or name.non_dropping_particle or name.dropping_particle)
    if family and (
        _NEEDS_BRACES.search(family)
        or (_first_alpha_lower(family) and not alone)
        or "-" in family[:1]
        or family.lower() == "others"
    ):
        # (a single lower-case word alone is the Last part anyway: the last token always is)
        family = "{" + family + "}"
    particle_text = name.non_dropping_particle or name.dropping_particle
    particle = ""
    if particle_text:
        particle = _protect_and(encode(particle_text, unicode=unicode))
        pwords = _words(particle)
        # BibTeX's von part runs from the first to the last lower-case word ("de Oliveira de")
        if "," in particle or not pwords or not (_is_lower(pwords[0]) and _is_lower(pwords[-1])):
            # BibTeX only recognises lower-case particles; others stay part of the family
            family = "{" + particle + " " + family.strip("{}") + "}" if family else "{" + particle + "}"
            particle = ""
    given = _protect_and(encode(name.given or "", unicode=unicode))
    if "," in given:
        given = "{" + given + "}"
    suffix = encode(name.suffix or "", unicode=unicode)
    if suffix and ("," in suffix or _AND.search(f" {suffix} ")):
        suffix = "{" + suffix + "}"
    head = f"{particle} {family}".strip()
    if not family:
        head = "{}"
    if suffix:
        return f"{head}, {suffix}, {given}".rstrip()
    if given:
        return f"{head}, {given}"
    if head.startswith("{") and not particle:
        # a braced family alone would read as an organisation; \relax makes the group a
        # "special character" (one name token, not a literal) and prints nothing
        return "{\\relax " + head[1:]
    return head


def format_names(
    names: tuple[Name, ...] | list[Name],
    truncated: bool = False,
    *,
    unicode: bool = False,
    extended: bool = False,
) -> str:
    """A name list joined with `` and ``, ending in ``and others`` when truncated."""
    if extended:
        parts = [format_name(n, unicode=unicode, extended=True) for n in names]
    else:  # format_name's two ways, without its call
        parts = [_plain_form(n) or _format_general(n, unicode=unicode, extended=False) for n in names]
    if truncated:
        parts.append("others")
    return " and ".join(parts)
