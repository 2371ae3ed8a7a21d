"""The ``abstracts`` dialect: one ``Abstract:...`` line per paper.

Nothing but the abstract is known, so a record holds the abstract (TeX
decoded) and, when the abstract links the paper's own code or project page,
that link as ``URL`` (see :func:`bibconv.formats.listing.common.code_url`).  Such a
record is weak but honest; merging (:mod:`bibconv.merging`) can later match it
to a fuller listing of the same paper by abstract overlap.
"""

from __future__ import annotations

from bibconv.diagnostics import Diagnostic
from bibconv.formats.listing.common import code_url, finalise, non_empty, tex_diagnostics
from bibconv.formats.listing.sniff import ABSTRACT_LINE
from bibconv.formats.listing.tex import decode_tex
from bibconv.ir import Record, SourceSpan
from bibconv.registry import ReadResult

__all__ = ["read_abstracts"]


def _record(pid: str, raw: str, line: int, file: str | None, diags: list[Diagnostic]) -> Record:
    abstract, unknown = decode_tex(raw.strip())
    diags.extend(tex_diagnostics(unknown, file=file, line=line, record_id=pid))
    text = {"abstract": abstract}
    url = code_url(abstract)
    if url:
        text["URL"] = url
    return Record(id=pid, type="article", text=non_empty(text), span=SourceSpan(file, line, 1))


def read_abstracts(text: str, *, file: str | None = None) -> ReadResult:
    """One record per ``Abstract:`` line; other lines are reported and kept (see below).

    A non-blank line that does not start with ``Abstract:`` is most likely a
    wrapped continuation of the abstract above, so it is joined to it with a
    warning; before the first ``Abstract:`` it starts a record of its own.
    """
    diags: list[Diagnostic] = []
    raw: list[tuple[int, list[str]]] = []  # (line, pieces of abstract text)
    stray: dict[int, list[int]] = {}  # record index → numbers of lines not starting with Abstract:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        m = ABSTRACT_LINE.match(line)
        if m:
            body = line[m.end() :].strip()
            if not body:
                diags.append(
                    Diagnostic.make(
                        "BC119", "an Abstract: line with no text was skipped", file=file, line=number
                    )
                )
                continue
            raw.append((number, [body]))
            continue
        if not raw:
            raw.append((number, []))
        raw[-1][1].append(line.strip())
        stray.setdefault(len(raw) - 1, []).append(number)
    # one diagnostic per record, however many lines were joined (a huge non-listing
    # file must not produce a diagnostic per line)
    for index, numbers in stray.items():
        how = "read as an abstract" if raw[index][0] == numbers[0] else "joined to the abstract above"
        span = f"line {numbers[0]}" if len(numbers) == 1 else f"{len(numbers)} lines from line {numbers[0]}"
        diags.append(
            Diagnostic.make(
                "BC116",
                f"{span} not starting with 'Abstract:'; {how}",
                file=file,
                line=numbers[0],
                record_id=f"@{index}",
            )
        )
    if not raw:
        diags.append(Diagnostic.make("BC005", "input has no Abstract: lines", file=file))
    records = [_record(f"@{i}", " ".join(pieces), line, file, diags) for i, (line, pieces) in enumerate(raw)]
    records, diags = finalise(records, diags)
    return ReadResult(records, diags)
