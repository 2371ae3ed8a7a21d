"""Inline suppression for BibTeX: ``% bibconv: ignore CODES`` comments.

Two forms, both ordinary comment lines *outside* entries (BibTeX ignores any
text between entries, so neither changes what bibtex or biber read)::

    % bibconv: ignore BC302 BC310     ← the entry directly below
    @book{aristotle,
      author = {Aristotle}, ...
    }

    % bibconv: ignore-file BC107      ← the whole file

* ``ignore`` applies to the next entry; only other ``%`` comment lines may
  stand between the comment and the ``@`` (a blank line ends it, so a stray
  comment cannot silence an entry further down).  Every finding whose line
  lies inside that entry is dropped.
* ``ignore-file`` applies to every finding in the file.
* Codes are separated by spaces or commas and may be prefixes (``BC3``); no
  code at all means every code.  The leading ``%`` is optional.

Why not inside an entry?  BibTeX has no comment syntax inside ``@type{...}``:
a ``%`` line between fields is read as part of a field name and breaks the
entry for bibtex.  A suppression must never change how the file is read.

A comment that names no valid code, or that has no entry under it, is itself
reported (BC314), so a typo does not silently suppress nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bibconv.diagnostics import Diagnostic
from bibconv.formats.bibtex.lexer import Scan

__all__ = ["Suppressions", "collect"]

_DIRECTIVE = re.compile(r"^[ \t]*%*[ \t]*bibconv:[ \t]*(ignore-file|ignore)\b([^\n]*)$", re.MULTILINE)
_CODE = re.compile(r"BC\d{0,3}")


@dataclass(slots=True)
class Suppressions:
    """Line ranges with the codes suppressed in them, for one file."""

    #: (first line, last line, codes or None for all)
    ranges: list[tuple[int, int, tuple[str, ...] | None]] = field(default_factory=list)
    whole_file: list[tuple[str, ...] | None] = field(default_factory=list)
    #: BC314 findings about the comments themselves.
    problems: list[Diagnostic] = field(default_factory=list)

    @staticmethod
    def _matches(codes: tuple[str, ...] | None, code: str) -> bool:
        return codes is None or any(code.startswith(c) for c in codes)

    def suppressed(self, d: Diagnostic) -> bool:
        """True when a comment silences ``d``."""
        if d.code == "BC314":
            return False
        if any(self._matches(codes, d.code) for codes in self.whole_file):
            return True
        if d.line is None:
            return False
        return any(lo <= d.line <= hi and self._matches(codes, d.code) for lo, hi, codes in self.ranges)

    def filter(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """The diagnostics no comment silences."""
        return [d for d in diagnostics if not self.suppressed(d)]


def _only_comments_between(text: str, start: int, end: int) -> bool:
    lines = text[start:end].split("\n")
    # The first piece is the rest of the directive line (empty), the last the indentation before "@".
    return all(line.lstrip().startswith("%") for line in lines[1:-1]) and not lines[-1].strip()


def collect(scan: Scan, file: str | None) -> Suppressions:
    """Find the suppression comments in the gaps between entries."""
    out = Suppressions()
    text = scan.text
    starts = [e.start for e in scan.entries]
    import bisect

    for gap_start, gap_end in scan.gaps:
        if "bibconv:" not in text[gap_start:gap_end]:
            continue
        for m in _DIRECTIVE.finditer(text, gap_start, gap_end):
            line = scan.line(m.start())
            words = [w for w in re.split(r"[,\s]+", m.group(2).strip()) if w]
            comment = words.index("--") if "--" in words else len(words)
            words = words[:comment]
            bad = [w for w in words if not _CODE.fullmatch(w.upper())]
            if bad:
                out.problems.append(
                    Diagnostic.make(
                        "BC314",
                        f"suppression comment: {', '.join(bad)} is not a code (write e.g. BC302 or BC3)",
                        file=file,
                        line=line,
                    )
                )
                continue
            codes = tuple(w.upper() for w in words) or None
            if m.group(1) == "ignore-file":
                out.whole_file.append(codes)
                continue
            i = bisect.bisect_left(starts, m.end())
            entry = scan.entries[i] if i < len(starts) else None
            if entry is None or entry.braceless or not _only_comments_between(text, m.end(), entry.start):
                out.problems.append(
                    Diagnostic.make(
                        "BC314",
                        "suppression comment is not directly above an entry; it has no effect",
                        file=file,
                        line=line,
                    )
                )
                continue
            out.ranges.append((line, scan.line(max(entry.start, entry.end - 1)), codes))
    return out
