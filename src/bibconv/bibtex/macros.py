"""@string macros: month names predefined, ``#`` concatenation, cycles detected.

Macros are resolved lazily and may refer to macros defined later (as Biber
allows); a macro that reaches itself is a cycle, reported once and expanded
to its name so no text is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["MONTH_MACROS", "Macros"]

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


@dataclass(slots=True)
class Macros:
    """Macro definitions (lower-cased names) and a resolution cache."""

    raw: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    offsets: dict[str, int] = field(default_factory=dict)
    cache: dict[str, str] = field(default_factory=dict)

    def define(self, name: str, parts: list[tuple[str, str]], offset: int) -> None:
        key = name.lower()
        self.raw[key] = parts
        self.offsets[key] = offset
        self.cache.pop(key, None)

    def expand(
        self, parts: list[tuple[str, str]], problems: list[tuple[str, str]], _stack: tuple[str, ...] = ()
    ) -> str:
        """Concatenate ``parts``; undefined names and cycles are appended to ``problems``.

        ``problems`` gets (code, message) pairs: BC109 undefined, BC110 cycle.
        """
        if len(parts) == 1 and parts[0][0] != "macro":
            return parts[0][1]
        out: list[str] = []
        for kind, value in parts:
            if kind != "macro":
                out.append(value)
                continue
            key = value.lower()
            if key in self.cache:
                out.append(self.cache[key])
            elif key in _stack:
                problems.append(("BC110", f"@string macros form a cycle: {' → '.join((*_stack, key))}"))
                out.append(value)
            elif key in self.raw:
                text = self.expand(self.raw[key], problems, (*_stack, key))
                self.cache[key] = text
                out.append(text)
            elif key in MONTH_MACROS:
                out.append(MONTH_MACROS[key])
            else:
                # BibTeX expands an undefined macro to nothing; the warning keeps it visible
                problems.append(("BC109", f"@string macro {value!r} is not defined; it expands to nothing"))
        return "".join(out)
