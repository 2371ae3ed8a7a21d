"""Run validation: read each file, collect reader diagnostics, run every rule.

``validate`` = what the reader noticed (syntax, encoding, undefined macros,
...) + what the rules find.  The engine never writes: it reads bytes, decodes
them in memory and reports.  Order of findings is file order, then line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bibconv.diagnostics import Diagnostic, Severity
from bibconv.formats.bibtex.lexer import scan
from bibconv.ir import Record
from bibconv.progress import Progress
from bibconv.registry import Reader, Registry, default_registry
from bibconv.validate import (  # noqa: F401  (registration)
    bibtex_rules,
    csl_schema,
    date_rules,
    duplicates,
    identifier_rules,
    name_rules,
    required,
    text_rules,
)
from bibconv.validate.config import Config
from bibconv.validate.rule import RULES, Context
from bibconv.validate.suppress import Suppressions, collect

__all__ = ["Report", "validate"]

_LOOKS_BIBTEX = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.MULTILINE)

Source = str | bytes | os.PathLike[str]


@dataclass(slots=True)
class Report:
    """The outcome of :func:`validate`: findings (after config and suppression) and counts."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    records: int = 0
    #: Findings dropped by inline suppression comments.
    suppressed: int = 0

    @property
    def ok(self) -> bool:
        """True when no error-severity finding remains."""
        return all(d.severity < Severity.ERROR for d in self.diagnostics)


def default_model(fmt: str | None) -> str:
    """The data model for required fields when the config names none."""
    return "bibtex" if fmt == "bibtex" else "biblatex"


def _locate(d: Diagnostic, record: Record, file: str | None) -> Diagnostic:
    span = record.span
    changes: dict[str, Any] = {}
    if d.file is None:
        changes["file"] = (span.file if span else None) or file
    if d.line is None and span is not None:
        changes["line"] = span.line
        changes["column"] = span.column
    if d.record_id is None:
        changes["record_id"] = record.id
    return replace(d, **changes) if changes else d


def _choose(
    text: str, file: str | None, fmt: str | None, reg: Registry
) -> tuple[str | None, Reader | None, list[Diagnostic]]:
    """The format name and reader for a file; BibTeX without a reader still gets the scan."""
    from bibconv.errors import AmbiguousFormatError, UnknownFormatError
    from bibconv.pipeline import reader_name

    try:
        name = reader_name(reg, fmt, text, file)
    except (UnknownFormatError, AmbiguousFormatError) as exc:
        close = [c for c, _ in getattr(exc, "candidates", [])]
        if close and all(c in bibtex_rules.BIBTEX_FORMATS for c in close):
            # BibTeX or BibLaTeX: both readers read the file; the better-scoring one decides.
            name = close[0]
        elif _LOOKS_BIBTEX.search(text[:65536]) or (file or "").lower().endswith((".bib", ".bibtex")):
            try:
                return "bibtex", reg.reader("bibtex"), []
            except Exception:
                return "bibtex", None, []
        else:
            code = "BC002" if isinstance(exc, AmbiguousFormatError) else "BC001"
            return None, None, [Diagnostic.make(code, str(exc), file=file)]
    try:
        return name, reg.reader(name), []
    except Exception:
        if name in bibtex_rules.BIBTEX_FORMATS:
            return name, None, []
        raise


def validate(
    sources: Source | Sequence[Source],
    *,
    config: Config | None = None,
    format: str | None = None,
    registry: Registry | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    start_method: str | None = None,
) -> Report:
    """Validate files (paths), bytes or text; nothing is ever written.

    With ``jobs > 1`` the positional scan of a large BibTeX file (and the
    rules that read it) runs in a worker process (any start method, see
    :mod:`bibconv.workers`) while this one reads the records; the report is
    the same (``start_method`` chooses how the worker starts, as for
    :func:`bibconv.convert_stream`).  ``progress`` (see :mod:`bibconv.progress`) hears of the
    records checked in each file and of the files done.  Records come
    through :mod:`bibconv.pipeline`, as for ``bibconv.read``.  For a large
    file, run it inside :func:`bibconv.bulk_allocation` (the command line does).
    """
    return _validate(
        sources,
        config=config,
        format=format,
        registry=registry,
        jobs=jobs,
        progress=progress,
        start_method=start_method,
    )


def _validate(
    sources: Source | Sequence[Source],
    *,
    config: Config | None,
    format: str | None,
    registry: Registry | None,
    jobs: int = 1,
    progress: Progress | None = None,
    start_method: str | None = None,
) -> Report:
    from bibconv.pipeline import load_text, read_text

    if isinstance(sources, (str, bytes, os.PathLike)):
        sources = [sources]
    config = config or Config()
    reg = registry or default_registry()
    report = Report()
    found: list[Diagnostic] = []
    all_records: list[Record] = []
    suppressions: dict[str | None, Suppressions] = {}
    key_checked: set[str | None] = set()
    active = [r for r in RULES if any(config.enabled(c) for c in r.codes)]
    record_rules = [r for r in active if r.kind == "record"]
    source_rules = [r for r in active if r.kind == "source"]
    # one bar: records checked for a single file, files done for several
    per_record = progress if len(sources) == 1 else None

    for src in sources:
        report.files += 1
        try:
            text, file, decode_diags = load_text(src)
        except OSError as exc:
            name = os.fspath(src) if isinstance(src, os.PathLike) else None
            found.append(
                Diagnostic.make("BC004", f"file could not be read: {exc.strerror or exc}", file=name)
            )
            continue
        found.extend(decode_diags)
        fmt, reader, choose_diags = _choose(text, file, format, reg)
        found.extend(choose_diags)
        if fmt is None:
            continue
        ctx = Context(format=fmt, file=file, model=config.model or default_model(fmt))
        records: list[Record] = []
        bibtex = fmt in bibtex_rules.BIBTEX_FORMATS
        source_pass = None
        if bibtex and jobs > 1 and len(text) >= PARALLEL_MIN_CHARS:
            source_pass = _start_source_pass(text, ctx, source_rules, reader is not None, start_method)
        if reader is not None:
            try:
                result = read_text(text, fmt, reader, file=file)
            except Exception as exc:  # a reader bug must not hide the other files' findings
                found.append(Diagnostic.make("BC117", f"the {fmt} reader failed: {exc}", file=file))
            else:
                records = result.records
                found.extend(result.diagnostics)
        if bibtex:
            key_checked.add(file)
            if source_pass is not None:
                file_sup, source_diags = source_pass()
            else:
                file_sup, source_diags = _source_pass(text, ctx, source_rules, reader is not None)
            suppressions[file] = file_sup
            found.extend(file_sup.problems)
            found.extend(source_diags)
        else:
            for rule in source_rules:
                if fmt in rule.formats:
                    found.extend(rule.func(text, ctx))
        funcs = [(rule.func, rule.needs) for rule in record_rules]
        add = found.append
        for done, record in enumerate(records):  # the hot loop of validate: rules x records
            if per_record is not None and not done % PROGRESS_EVERY:
                per_record("records", done, len(records))
            variables = record.text
            for func, needs in funcs:
                if needs and needs.isdisjoint(variables):
                    continue  # nothing for this rule to check in this record
                for d in func(record, ctx):
                    add(_locate(d, record, file))
        all_records.extend(records)
        report.records += len(records)
        if progress is not None and per_record is None:
            progress("files", report.files, len(sources))

    global_ctx = Context(options={"key_checked_files": key_checked})
    for rule in active:
        if rule.kind == "collection":
            found.extend(rule.func(all_records, global_ctx))

    kept = []
    for d in found:
        sup = suppressions.get(d.file)
        if sup is not None and sup.suppressed(d):
            report.suppressed += 1
        else:
            kept.append(d)
    report.diagnostics = _ordered(config.apply(kept), sources)
    return report


#: Records checked between two progress reports (a report per record would cost more than the rules).
PROGRESS_EVERY = 2048


#: Below this size a BibTeX file is scanned in-process even with ``jobs > 1``:
#: forking costs more than the scan of a small file (a pre-commit run, say).
PARALLEL_MIN_CHARS = 1_000_000


def _source_pass(
    text: str, ctx: Context, source_rules: list[Any], has_reader: bool
) -> tuple[Suppressions, list[Diagnostic]]:
    """The positional scan of BibTeX text: suppression comments and the source rules' findings."""
    raw = scan(text)
    sup = collect(raw, ctx.file)
    found: list[Diagnostic] = []
    for rule in source_rules:
        if ctx.format in rule.formats and not (rule.fallback and has_reader):
            found.extend(rule.func(raw, ctx))
    if not has_reader:
        found.extend(bibtex_rules.syntax_fallback(raw, ctx))
    return sup, found


def _start_source_pass(
    text: str, ctx: Context, source_rules: list[Any], has_reader: bool, start_method: str | None = None
) -> Callable[[], tuple[Suppressions, list[Diagnostic]]] | None:
    """Run :func:`_source_pass` in a worker process; a function that waits for its result.

    The text and rules travel as arguments (pickled), so any start method
    works; only the small result comes back.  None when no worker could be
    started: the caller then scans in-process.
    """
    from bibconv.workers import process_pool

    try:
        pool = process_pool(1, start_method)  # an unknown start method raises ValueError
    except OSError:
        return None
    try:
        future = pool.submit(_source_pass, text, ctx, source_rules, has_reader)
    except Exception:
        pool.shutdown(wait=False)
        return None

    def result() -> tuple[Suppressions, list[Diagnostic]]:
        try:
            done: tuple[Suppressions, list[Diagnostic]] = future.result()
        finally:
            pool.shutdown(wait=True)
        return done

    return result


def _ordered(diags: Iterable[Diagnostic], sources: Sequence[Source]) -> list[Diagnostic]:
    order = {os.fspath(s): i for i, s in enumerate(sources) if isinstance(s, (str, os.PathLike))}
    unique = list(dict.fromkeys(diags))
    return sorted(
        unique,
        key=lambda d: (order.get(d.file or "", len(order)), d.file or "", d.line or 0, d.column or 0),
    )
