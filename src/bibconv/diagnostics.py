"""One diagnostic type for readers, mapping, the validator and the CLI.

Codes are stable: tools (editors, CI annotations, ``--ignore``) key on them.
Ranges: ``BC0xx`` detection and I/O, ``BC1xx`` syntax, ``BC2xx`` mapping and
data loss, ``BC3xx`` validation findings, ``BC4xx`` formatting and styles.
The catalogue below is the single source for ``docs/diagnostics.md`` (a test
checks that the page lists every code).
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["CODES", "Diagnostic", "Severity", "Summary", "render_json", "render_text", "summarise"]


class Severity(enum.IntEnum):
    """Ordered so that ``max()`` over diagnostics gives the worst one."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """A catalogue row: the default severity, a one-line summary, and what repeats share.

    ``subject`` names what the first quoted value in the code's messages is,
    when that value is a cause many findings share (the undefined macro
    ``'jan'`` behind a thousand BC109).  Repeats are then summarised per
    subject (``… and 1,848 more BC109 for macro 'jan'``) instead of per code
    only, so a second, different cause is still shown.
    """

    severity: Severity
    summary: str
    subject: str | None = None


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

#: The catalogue of every code bibconv emits.  Plugins may add their own codes
#: with another prefix; bibconv's own stay in this table.
CODES: dict[str, CodeInfo] = {
    # detection, decoding, I/O
    "BC001": CodeInfo(_E, "input format could not be detected"),
    "BC002": CodeInfo(_E, "input format is ambiguous between several readers"),
    "BC003": CodeInfo(_W, "input is not UTF-8; decoded as Windows-1252"),
    "BC004": CodeInfo(_E, "file could not be read"),
    "BC005": CodeInfo(_I, "input is empty"),
    "BC006": CodeInfo(_W, "input contains NUL or other control characters"),
    "BC010": CodeInfo(_W, "a plugin name clashes with a built-in format"),
    "BC011": CodeInfo(_E, "a plugin could not be loaded"),
    # syntax (shared by all readers)
    "BC100": CodeInfo(_E, "input is not valid JSON"),
    "BC101": CodeInfo(_E, "CSL-JSON input is not a list of objects"),
    "BC102": CodeInfo(_E, "CSL-JSON item is not an object"),
    "BC103": CodeInfo(_W, "CSL-JSON item has no id; one was generated"),
    "BC104": CodeInfo(_E, "unbalanced braces"),
    "BC105": CodeInfo(_E, "entry has no citation key"),
    "BC106": CodeInfo(_W, "duplicate citation key"),
    "BC107": CodeInfo(_W, "text outside an entry was ignored"),
    "BC108": CodeInfo(_E, "malformed entry"),
    "BC109": CodeInfo(_W, "undefined @string macro", subject="macro"),
    "BC110": CodeInfo(_W, "@string macros refer to each other in a cycle"),
    "BC111": CodeInfo(_W, "crossref target not found"),
    "BC112": CodeInfo(_W, "crossref chain forms a cycle"),
    "BC113": CodeInfo(_W, "unbalanced $ (math) in a field"),
    "BC114": CodeInfo(_W, "LaTeX command could not be decoded"),
    "BC115": CodeInfo(_W, "record was not terminated (missing ER or closing brace)"),
    "BC116": CodeInfo(_W, "line could not be understood"),
    "BC117": CodeInfo(_E, "record could not be read"),
    "BC118": CodeInfo(_W, "value has the wrong JSON type"),
    "BC119": CodeInfo(_I, "field value was empty"),
    "BC120": CodeInfo(_W, "nesting too deep; value kept as text"),
    "BC121": CodeInfo(_W, "no records were read from a non-empty input"),
    "BC122": CodeInfo(_W, "@string expansion exceeded its size bound; the value was cut"),
    "BC123": CodeInfo(_W, "crossref chain is longer than the bound; inheritance stops there"),
    "BC124": CodeInfo(_W, "text held lone surrogates (not encodable); replaced with U+FFFD"),
    "BC125": CodeInfo(_W, 'empty name in a name list ("and and"); dropped'),
    "BC126": CodeInfo(_E, "missing comma between two fields"),
    "BC127": CodeInfo(_I, "a @set groups other entries; formatted output lists its members, not the set"),
    "BC128": CodeInfo(_I, "EDTF '?' (uncertain) read as circa, the one date qualifier CSL has"),
    # formats/ plugins (tagged and XML formats)
    "BC135": CodeInfo(_W, "bibconv catch-all note is damaged; kept as a note"),
    "BC136": CodeInfo(_W, "tagged record does not start with its record tag (PT, %0)"),
    "BC137": CodeInfo(_E, "YAML syntax error"),
    "BC138": CodeInfo(_E, "CSL-YAML document has no references list"),
    "BC139": CodeInfo(_E, "YAML aliases expand too far; the document was not read"),
    "BC140": CodeInfo(_E, "CSL-YAML item is not a mapping"),
    "BC141": CodeInfo(_E, "XML is not well-formed (the parser recovered what it could)"),
    "BC142": CodeInfo(_W, "XML root element is not the one the format expects"),
    "BC143": CodeInfo(_W, "PubMed article lacks a required element"),
    "BC144": CodeInfo(_W, "YAML mapping repeats a key; the earlier value is ignored"),
    # listing dialects (abstracts, feed, arxiv)
    "BC150": CodeInfo(_W, "reference_date option is not YYYY-MM-DD; today was used"),
    "BC151": CodeInfo(_I, "feed subject code is not an arXiv category; kept in extra"),
    "BC152": CodeInfo(_W, "listing record is incomplete (missing title line or identifier block)"),
    # mapping and loss
    "BC200": CodeInfo(_I, "unknown type mapped to a fallback CSL type"),
    "BC201": CodeInfo(_I, "field has no CSL mapping; kept in extra"),
    "BC202": CodeInfo(_W, "date could not be parsed; kept as literal"),
    "BC203": CodeInfo(_W, "name could not be parsed; kept as literal"),
    "BC204": CodeInfo(_W, "target format cannot carry a variable; it was dropped"),
    "BC205": CodeInfo(_I, "target format cannot carry a variable; kept in a catch-all field"),
    "BC206": CodeInfo(_W, "title and author list could not be split with confidence"),
    "BC207": CodeInfo(_I, "a year-less date took the year of the reference date"),
    "BC208": CodeInfo(_I, "records were merged"),
    "BC209": CodeInfo(_W, "merged records disagreed on a field"),
    "BC210": CodeInfo(_W, "citation key was generated"),
    "BC211": CodeInfo(_W, "citation key was changed to keep keys unique"),
    "BC212": CodeInfo(_W, "value was changed to fit the target format"),
    "BC213": CodeInfo(_W, "records share an identifier but nothing else; not merged"),
    # validation
    "BC300": CodeInfo(_E, "duplicate citation key"),
    "BC301": CodeInfo(_W, "duplicate record (same identifier or title)"),
    "BC302": CodeInfo(_W, "required field missing"),
    "BC303": CodeInfo(_W, "malformed DOI"),
    "BC304": CodeInfo(_W, "invalid ISBN"),
    "BC305": CodeInfo(_W, "invalid ISSN"),
    "BC306": CodeInfo(_W, "malformed arXiv identifier"),
    "BC307": CodeInfo(_W, "malformed URL"),
    "BC308": CodeInfo(_W, "invalid date"),
    "BC309": CodeInfo(_W, "malformed page range"),
    "BC310": CodeInfo(_W, "suspicious name"),
    "BC311": CodeInfo(_W, "text looks like mojibake (wrongly decoded UTF-8)"),
    "BC312": CodeInfo(_W, "record has no title, author or date"),
    "BC313": CodeInfo(_E, "CSL-JSON item violates the schema"),
    "BC314": CodeInfo(_W, "suppression comment is malformed or has no entry under it"),
    "BC315": CodeInfo(_W, "field given twice in one entry"),
    "BC316": CodeInfo(_E, "file is not formatted (bibconv format would change it)"),
    "BC317": CodeInfo(_E, "file was not formatted: syntax errors or an encoding that is not UTF-8"),
    # formatting
    "BC400": CodeInfo(_E, "CSL style not found"),
    "BC401": CodeInfo(_E, "CSL style could not be parsed"),
    "BC402": CodeInfo(_E, "citation processor failed on a record"),
    "BC403": CodeInfo(_E, "CSL locale not found"),
    "BC404": CodeInfo(_W, "bibliography could not be sorted; input order kept"),
    "BC405": CodeInfo(_W, "a cited key has no record"),
    "BC406": CodeInfo(_W, "a record prints nothing in the style's bibliography; left out"),
    "BC450": CodeInfo(_W, "a record has nothing to cite (no title, name, date or container)"),
    "BC452": CodeInfo(_W, "two records share an id; both are formatted, citations cite the first"),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    """A finding about the input, with enough position to jump to it."""

    code: str
    message: str
    severity: Severity = Severity.WARNING
    file: str | None = None
    line: int | None = None
    column: int | None = None
    record_id: str | None = None

    @classmethod
    def make(
        cls,
        code: str,
        message: str,
        *,
        severity: Severity | None = None,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        record_id: str | None = None,
    ) -> Diagnostic:
        """Build a diagnostic whose severity defaults to the catalogue's.

        Each slot is set once through its descriptor, as the IR's classes do
        (bibconv.ir._setters): the frozen class's generated ``__init__`` sets
        them by name through ``object.__setattr__``, and a large file can give
        thousands of findings (measured: 1.1 → 0.5 µs each).
        """
        if severity is None:
            info = CODES.get(code)
            severity = info.severity if info else Severity.WARNING
        d = _new(cls)
        _D_CODE(d, code)
        _D_MESSAGE(d, message)
        _D_SEVERITY(d, severity)
        _D_FILE(d, file)
        _D_LINE(d, line)
        _D_COLUMN(d, column)
        _D_RECORD_ID(d, record_id)
        return d

    def located(self, file: str | None) -> Diagnostic:
        """The same diagnostic with a file name, for readers that saw only text."""
        if file is None or self.file is not None:
            return self
        return Diagnostic(
            code=self.code,
            message=self.message,
            severity=self.severity,
            file=file,
            line=self.line,
            column=self.column,
            record_id=self.record_id,
        )

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = f" [{self.record_id}]" if self.record_id else ""
        return f"{where}: {self.severity} {self.code} {self.message}{key}"

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict with stable keys."""
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "record_id": self.record_id,
        }


_new = object.__new__
_D_CODE, _D_MESSAGE, _D_SEVERITY, _D_FILE, _D_LINE, _D_COLUMN, _D_RECORD_ID = (
    Diagnostic.__dict__[name].__set__
    for name in ("code", "message", "severity", "file", "line", "column", "record_id")
)


def render_text(diagnostics: Iterable[Diagnostic]) -> str:
    """One ``file:line:col: severity CODE message [key]`` line per diagnostic."""
    return "".join(f"{d}\n" for d in diagnostics)


def render_json(diagnostics: Iterable[Diagnostic]) -> str:
    """A JSON array of diagnostic objects."""
    return json.dumps([d.as_dict() for d in diagnostics], ensure_ascii=False, indent=2) + "\n"


def render_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands, which show as annotations on a pull request."""
    out = []
    for d in diagnostics:
        level = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(d.severity, "notice")
        props = []
        if d.file:
            props.append(f"file={d.file}")
        if d.line is not None:
            props.append(f"line={d.line}")
        if d.column is not None:
            props.append(f"col={d.column}")
        props.append(f"title={d.code}")
        msg = d.message + (f" [{d.record_id}]" if d.record_id else "")
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        out.append(f"::{level} {','.join(props)}::{msg}\n")
    return "".join(out)


def worst(diagnostics: Iterable[Diagnostic]) -> Severity | None:
    """The highest severity present, or None when there are no diagnostics."""
    return max((d.severity for d in diagnostics), default=None)


#: The first quoted value of a message (as ``repr`` quotes it), the subject of codes that have one.
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")


def repeat_group(d: Diagnostic) -> tuple[str, str | None]:
    """What makes two diagnostics repeats of each other: the code, and its subject when it has one."""
    info = CODES.get(d.code)
    if info is None or info.subject is None:
        return d.code, None
    m = _QUOTED.search(d.message)
    return d.code, (m.group(0) if m else None)


@dataclass(frozen=True, slots=True)
class Summary:
    """Diagnostics with repeats cut: the ones to show, and per group how many were held back."""

    shown: list[Diagnostic]
    #: (code, subject) → how many more of that group there were, in order of first appearance
    held_back: dict[tuple[str, str | None], int]

    def lines(self) -> list[str]:
        """One ``… and N more CODE …`` line per group that had more than were shown."""
        out = []
        for (code, subject), n in self.held_back.items():
            info = CODES.get(code)
            if subject is not None and info is not None and info.subject:
                what = f"for {info.subject} {subject}"
            else:
                what = f": {info.summary}" if info is not None else ""
            out.append(f"… and {n:,} more {code}{' ' if what.startswith('for') else ''}{what}")
        return out


def summarise(diagnostics: Sequence[Diagnostic], first: int = 3) -> Summary:
    """Keep the first ``first`` diagnostics of each repeat group (see :func:`repeat_group`), in order.

    Why: one cause (a macro a generated file never defines, a required field a
    whole corpus leaves out) can report once per entry, and two thousand
    identical lines bury the one finding that differs.  The count of what was
    held back is kept, so nothing disappears without a trace.
    """
    groups = [repeat_group(d) for d in diagnostics]
    total: dict[tuple[str, str | None], int] = {}
    for group in groups:
        total[group] = total.get(group, 0) + 1
    seen: dict[tuple[str, str | None], int] = {}
    shown: list[Diagnostic] = []
    held: dict[tuple[str, str | None], int] = {}
    for d, group in zip(diagnostics, groups):
        n = seen.get(group, 0) + 1
        seen[group] = n
        # one more is shown rather than summarised: the summary line would be as long
        if n <= first or total[group] == first + 1:
            shown.append(d)
        else:
            held[group] = held.get(group, 0) + 1
    return Summary(shown, held)


def tally(diagnostics: Sequence[Diagnostic]) -> str:
    """``3 errors, 12 warnings in 2 files``: counts by severity and the files they are in ("" when none)."""
    if not diagnostics:
        return ""
    counts = dict.fromkeys((Severity.ERROR, Severity.WARNING, Severity.INFO), 0)
    for d in diagnostics:
        counts[d.severity] += 1
    words = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    parts = [plural(n, words[s]) for s, n in counts.items() if n]
    files = len({d.file for d in diagnostics})
    return f"{', '.join(parts)} in {plural(files, 'file')}"


def plural(n: int, word: str) -> str:
    """``1 entry``, ``2 entries``, ``1,851 warnings``: a count with its noun in the right number."""
    if n == 1:
        return f"1 {word}"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return f"{n:,} {word[:-1]}ies"
    return f"{n:,} {word}{'es' if word.endswith(('s', 'x', 'ch', 'sh')) else 's'}"
