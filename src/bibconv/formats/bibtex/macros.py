"""@string macros: month names predefined, ``#`` concatenation, cycles detected.

Macros are resolved lazily and may refer to macros defined later (as Biber
allows); a macro that reaches itself is a cycle, reported once and expanded
to its name so no text is lost.  Expansion is bounded (``MAX_VALUE_CHARS`` per
value, ``MAX_TOTAL_CHARS`` per file, ``MAX_DEPTH`` levels) and reports what it cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["MAX_CUT_REPORTS", "MAX_DEPTH", "MAX_TOTAL_CHARS", "MAX_VALUE_CHARS", "MONTH_MACROS", "Macros"]

MONTH_MACROS: dict[str, str] = {
    "jan": "1",
    "feb": "2",
    "mar": "3",
    "apr": "4",
    "may": "5",
    "jun": "6",
    "jul": "7",
    "aug": "8",
    "sep": "9",
    "oct": "10",
    "nov": "11",
    "dec": "12",
}


#: The most characters one field value may reach by ``@string`` expansion (1 Mi).
#: ``#`` doubles a value per level, so 40 chained macros in a 1.5 KB file would
#: otherwise expand to 2**40 characters; past the bound the value is cut and BC122 says so.
MAX_VALUE_CHARS = 1 << 20
#: The most characters all expansions of one file (or one streamed file's worker) may
#: produce together (64 Mi): many fields each using one large macro are bounded too.
MAX_TOTAL_CHARS = 1 << 26
#: Cut values reported one by one; a file that keeps cutting (each of 250,000 fields
#: using a huge macro) gets one closing report instead of a diagnostic per field.
MAX_CUT_REPORTS = 100
#: Macros referring to macros deeper than this are not expanded further (BC120):
#: expansion recurses once per level.
MAX_DEPTH = 100


@dataclass(slots=True)
class Macros:
    """Macro definitions (lower-cased names) and a resolution cache."""

    raw: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    offsets: dict[str, int] = field(default_factory=dict)
    cache: dict[str, str] = field(default_factory=dict)
    #: characters produced by expansions so far, against ``MAX_TOTAL_CHARS``
    spent: int = 0
    #: values cut so far; after ``MAX_CUT_REPORTS`` one last BC122 says the rest are cut too
    cuts: int = 0

    def define(self, name: str, parts: list[tuple[str, str]], offset: int) -> None:
        key = name.lower()
        self.raw[key] = parts
        self.offsets[key] = offset
        self.cache.pop(key, None)

    def expand(
        self, parts: list[tuple[str, str]], problems: list[tuple[str, str]], _stack: tuple[str, ...] = ()
    ) -> str:
        """Concatenate ``parts``; undefined names, cycles and bounds are appended to ``problems``.

        ``problems`` gets (code, message) pairs: BC109 undefined, BC110 cycle,
        BC120 nesting deeper than ``MAX_DEPTH``, BC122 a value cut at
        ``MAX_VALUE_CHARS`` (or the file's ``MAX_TOTAL_CHARS`` spent).
        """
        if len(parts) == 1 and parts[0][0] != "macro":
            return parts[0][1]
        out: list[str] = []
        size = 0
        room = min(MAX_VALUE_CHARS, MAX_TOTAL_CHARS - self.spent)
        for kind, value in parts:
            if kind != "macro":
                piece = value
            else:
                key = value.lower()
                if key in self.cache:
                    piece = self.cache[key]
                elif key in _stack:
                    problems.append(("BC110", f"@string macros form a cycle: {' → '.join((*_stack, key))}"))
                    piece = value
                elif key in self.raw and len(_stack) >= MAX_DEPTH:
                    problems.append(
                        (
                            "BC120",
                            f"@string macros nest deeper than {MAX_DEPTH} levels; {value!r} kept as text",
                        )
                    )
                    piece = value
                elif key in self.raw:
                    piece = self.expand(self.raw[key], problems, (*_stack, key))
                    self.cache[key] = piece
                elif key in MONTH_MACROS:
                    piece = MONTH_MACROS[key]
                else:
                    # BibTeX expands an undefined macro to nothing; the warning keeps it visible
                    problems.append(
                        ("BC109", f"@string macro {value!r} is not defined; it expands to nothing")
                    )
                    continue
            if size + len(piece) > room:
                out.append(piece[: max(0, room - size)])
                size = max(size, room)
                self.cuts += 1
                if self.cuts <= MAX_CUT_REPORTS:
                    message = (
                        f"@string expansion is longer than {MAX_VALUE_CHARS} characters "
                        f"(or the file's {MAX_TOTAL_CHARS} are spent); the value was cut there"
                    )
                    if self.cuts == MAX_CUT_REPORTS:
                        message += "; later values cut the same way are not reported one by one"
                    problems.append(("BC122", message))
                break
            out.append(piece)
            size += len(piece)
        self.spent += size
        return "".join(out)
