"""``bibconv convert``: read one or more inputs, optionally merge, write one output."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bibconv.commands._common import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    ProgressBar,
    add_verbosity,
    emit,
    fail,
    guarded,
    input_sources,
    is_style,
    nonempty,
    note,
    process_count,
    threshold,
    warn,
    write_stdout,
)
from bibconv.commands.options import add_option_flag

#: Writers that format a bibliography in a CSL style (what ``--style`` applies to).
FORMATTED = ("text", "html", "markdown")

#: Input errors after which the record was still read and written whole: an
#: entry without a citation key gets a generated one (BC210), so for a
#: conversion it is a warning; ``--strict`` keeps it an error.
RECOVERED = frozenset({"BC105"})

DESCRIPTION = """\
Read bibliographic records and write them in another format.

Inputs are files or '-' for standard input; several inputs are read in turn
and written as one output.  The input format is detected from the content
(and the file extension) unless -f names it; detection refuses to guess
between formats that fit about equally well.  The output goes to standard
output, or atomically to -o FILE (an existing file is replaced only when the
conversion finished).  The output format may be left out when -o has a known
extension (.bib writes BibTeX, as .bib input is read by BibTeX's rules; -t
biblatex for BibLaTeX), or when --style is given (a text bibliography); a
note on stderr says which format was chosen.

An entry without a citation key is written with a generated key and
reported as a warning; --strict makes it an error.  Repeated diagnostics
are summarised after the first few (--all prints every one); a progress bar
shows on a terminal when the work takes more than a second.
"""

EXAMPLES = """\
examples:
  bibconv convert refs.bib -t csljson -o refs.json
  bibconv convert export.ris -o refs.bib             (BibTeX, chosen from the extension)
  bibconv convert - -f ris -t bibtex < export.ris
  bibconv convert feed.txt arxiv.txt --merge --merge-report -t bibtex
  bibconv convert refs.bib --style apa               (a text bibliography: -t text implied)
  bibconv convert refs.bib -t html --style ieee --locale de-DE
  bibconv convert refs.json -t biblatex --unicode --key-pattern '{author}{year}'
  bibconv convert huge.bib -t csljson -o huge.json -j 4 --no-progress
  bibconv convert refs.bib -t ris --all              (every diagnostic, no summarising)
  bibconv convert refs.bib -t csljson -O indent=0    (a writer option; 'bibconv formats csljson')
"""


def register(sub: Any) -> None:
    """Add the ``convert`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "convert",
        help="convert records from one format to another",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="+", metavar="IN", help="input files, or - for stdin")
    p.add_argument(
        "-t",
        "--to",
        metavar="FORMAT",
        help="output format: bibtex, biblatex, csljson, ris, text, html, markdown (see 'bibconv formats')",
    )
    p.add_argument(
        "-f",
        "--from",
        dest="from_format",
        metavar="FORMAT",
        help="input format (default: detect): bibtex, biblatex, csljson, ris, abstracts, feed, arxiv",
    )
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout; '-' is stdout"
    )
    p.add_argument(
        "--merge",
        action="store_true",
        help="combine records of the same paper (by DOI, arXiv id, title, abstract)",
    )
    p.add_argument(
        "--merge-report", action="store_true", help="with --merge: print which records were merged and why"
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=process_count(0),
        default=1,
        metavar="N",
        help="N processes (0: one per CPU; default 1): blocks of a large BibTeX file are "
        "read and written in parallel",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="treat data the output format cannot carry, and input errors, as failures",
    )
    p.add_argument(
        "--lossless",
        action="store_true",
        help="BibTeX/RIS: also keep what the format has no place for, in fields only bibconv reads "
        "(csl-<var>, RIS 'N1 - bibconv-csl:' notes); default: clean output, the loss reported (BC204)",
    )
    fmt = p.add_argument_group("formatted bibliographies (-t text/html/markdown)")
    fmt.add_argument(
        "--style",
        type=nonempty,
        help="CSL style: a name (apa, ieee, ...), a .csl path, or a bundled style; without -t, "
        "implies -t text (or the -o extension's .html/.md)",
    )
    fmt.add_argument("--locale", type=nonempty, help="CSL locale, e.g. en-US, de-DE (default: the style's)")
    fmt.add_argument(
        "--print-empty",
        action="store_true",
        help="print records that have nothing to cite (BC450) instead of leaving them out",
    )
    bib = p.add_argument_group("BibTeX/BibLaTeX output")
    bib.add_argument("--unicode", action="store_true", help="keep UTF-8 instead of LaTeX escapes")
    bib.add_argument(
        "--key-pattern",
        metavar="PATTERN",
        help="pattern for generated keys (default {author}{year}{title})",
    )
    lst = p.add_argument_group("listing input (abstracts, feed, arxiv)")
    lst.add_argument(
        "--reference-date",
        metavar="YYYY-MM-DD",
        help="date whose year completes year-less dates in listings (default: today)",
    )
    add_option_flag(p, "writer (-t)")
    add_verbosity(p)
    p.set_defaults(func=guarded(run))


class _Stdout:
    """Pieces of output to stdout as UTF-8, whatever the locale (see ``write_stdout``).

    A progress bar and output on one terminal would overwrite each other, so
    the bar is removed before the first piece is written.
    """

    def __init__(self, bar: ProgressBar) -> None:
        self.bar = bar

    def write(self, text: str) -> None:
        if _isatty_stdout():
            self.bar.enabled = False
            self.bar.close()
        write_stdout(text)


def _isatty_stdout() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _target(args: argparse.Namespace) -> str | int:
    """The output format, or an exit code after a message: -t, else --style or -o's extension."""
    from bibconv.errors import UnknownFormatError
    from bibconv.registry import default_registry

    reg = default_registry()
    if args.to is not None:
        try:
            name = reg.writer(args.to).name
        except UnknownFormatError:
            if is_style(args.to):
                return fail(
                    f"{args.to!r} is a CSL style, not an output format; did you mean "
                    f"--style {args.to} (with -t text, html or markdown)?",
                    EXIT_USAGE,
                )
            raise
        if (args.style or args.locale) and name not in FORMATTED:
            note(args, f"--style and --locale are ignored: {name} is not a formatted bibliography")
        return str(args.to)
    by_extension = reg.writers_for_extension(args.output) if args.output else []
    if args.style:
        to = next((n for n in by_extension if n in FORMATTED), "text")
        note(args, f"--style without -t: writing a formatted bibliography as {to} (-t html or -t markdown)")
        return to
    if not by_extension:
        return fail("an output format is needed: -t FORMAT (see 'bibconv formats')", EXIT_USAGE)
    to, others = by_extension[0], by_extension[1:]
    also = "".join(f"; -t {other} writes {other}" for other in others)
    note(args, f"writing {to}, chosen from the extension of {args.output}{also}")
    return to


def _write_options(args: argparse.Namespace, to: str) -> dict[str, Any] | int:
    """The writer's options from the dedicated flags and ``-O``; an exit code after a usage error.

    A dedicated flag the writer does not declare is not passed on (its typed
    options would refuse it) and, unlike before typed options, not ignored
    without a word: --style/--locale keep their note (see :func:`_target`),
    --lossless is a note for a writer that keeps everything anyway, any other
    flag a warning.
    """
    from bibconv.commands.options import OptionError, describe, parse_options
    from bibconv.registry import declares, default_registry

    writer = type(default_registry().writer(to))
    out: dict[str, Any] = {}
    for name, flag, value in (
        ("style", "--style", args.style),
        ("locale", "--locale", args.locale),
        ("empty", "--print-empty", "print" if args.print_empty else None),
        ("unicode", "--unicode", args.unicode or None),
        ("key_pattern", "--key-pattern", args.key_pattern),
        ("lossless", "--lossless", args.lossless or None),
    ):
        if value is None:
            continue
        if declares(writer, name):
            out[name] = value
        elif name in ("style", "locale"):
            pass  # already noted by _target
        elif name == "lossless" and writer.catch_all:
            note(args, f"--lossless: {writer.name} keeps what it has no field for already")
        else:
            warn(
                f"{flag} does not apply to {writer.name} output and is ignored; "
                f"its options: {describe(writer)}"
            )
    try:
        out.update(parse_options(writer, args.plugin_options))
    except OptionError as exc:
        return fail(f"{exc} (see 'bibconv formats {writer.name}')", EXIT_USAGE)
    return out


def _read_options(args: argparse.Namespace) -> Any:
    """``--reference-date`` for the listing inputs: for every reader that declares it.

    With -f naming a reader that does not take it, a warning says so; with
    detection, each input's reader takes it if it declares it
    (:class:`bibconv.registry.ForAnyPlugin`), since inputs may mix formats.
    """
    if not args.reference_date:
        return None
    from bibconv.registry import ForAnyPlugin, declares, default_registry

    if args.from_format is not None:
        reader = type(default_registry().reader(args.from_format))
        if not declares(reader, "reference_date"):
            warn(f"--reference-date does not apply to {reader.name} input and is ignored")
            return None
    return ForAnyPlugin(reference_date=args.reference_date)


def _recovered(args: argparse.Namespace, diagnostics: list[Any]) -> list[Any]:
    """Diagnostics with :data:`RECOVERED` errors lowered to warnings (unless --strict)."""
    from dataclasses import replace

    from bibconv.diagnostics import Severity

    if args.strict:
        return diagnostics
    return [
        replace(d, severity=Severity.WARNING) if d.code in RECOVERED and d.severity > Severity.WARNING else d
        for d in diagnostics
    ]


def _failed(diagnostics: list[Any]) -> bool:
    from bibconv.diagnostics import Severity

    return any(d.severity >= Severity.ERROR for d in diagnostics)


def run(args: argparse.Namespace) -> int:
    """Convert; exit 1 when the input had errors (the output is still written)."""
    from bibconv.api import convert

    if args.output == "-":
        args.output = None  # '-' is stdout, as for inputs
    if args.merge_report and not args.merge:
        return fail("--merge-report needs --merge", EXIT_USAGE)
    to = _target(args)
    if isinstance(to, int):
        return to
    write_options = _write_options(args, to)
    if isinstance(write_options, int):
        return write_options
    read_options = _read_options(args)
    sources = input_sources(args.inputs)
    if not args.merge:
        return _stream(args, sources, to, read_options, write_options)
    with ProgressBar(args) as bar:
        result = convert(
            sources,
            to,
            from_format=args.from_format,
            merge=args.merge,
            strict=args.strict,
            read_options=read_options,
            progress=bar,
            **write_options,
        )
    diags = _recovered(args, result.diagnostics)
    if not args.merge_report:
        diags = [d for d in diags if d.code != "BC208"]
    emit(args, diags)
    if args.merge_report:
        for d in result.diagnostics:
            if d.code in ("BC208", "BC209"):
                sys.stderr.write(f"merge: {d.message}\n")
    if args.output:
        from bibconv.textio import atomic_write

        atomic_write(args.output, result.text)
    else:
        write_stdout(result.text)
    return EXIT_INPUT if _failed(diags) else EXIT_OK


def _stream(
    args: argparse.Namespace,
    sources: list[Any],
    to: str,
    read_options: dict[str, Any] | None,
    write_options: dict[str, Any],
) -> int:
    """Convert without holding every record: block by block where the formats allow it."""
    import io

    from bibconv.stream import convert_stream

    level = threshold(args)

    def run_into(out: Any, bar: ProgressBar) -> Any:
        return convert_stream(
            sources,
            to,
            out,
            from_format=args.from_format,
            strict=args.strict,
            read_options=read_options,
            keep=lambda d: d.severity >= level or d.code in RECOVERED,
            jobs=args.jobs,
            progress=bar,
            **write_options,
        )

    with ProgressBar(args) as bar:
        if args.output:
            from bibconv.textio import atomic_writer

            with atomic_writer(args.output) as fh:
                stats = run_into(fh, bar)
        elif args.strict:  # nothing reaches stdout unless the whole conversion passes
            buffer = io.StringIO()
            stats = run_into(buffer, bar)
            bar.close()
            write_stdout(buffer.getvalue())
        else:
            stats = run_into(_Stdout(bar), bar)
    diags = [d for d in _recovered(args, stats.diagnostics) if d.severity >= level]
    emit(args, diags)
    return EXIT_INPUT if _failed(diags) else EXIT_OK
