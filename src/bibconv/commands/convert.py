"""``bibconv convert``: read one or more inputs, optionally merge, write one output."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bibconv.commands._common import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    add_verbosity,
    emit,
    fail,
    guarded,
    input_sources,
    process_count,
    threshold,
    write_stdout,
)

DESCRIPTION = """\
Read bibliographic records and write them in another format.

Inputs are files or '-' for standard input; several inputs are read in turn
and written as one output.  The input format is detected from the content
(and the file extension) unless -f names it; detection refuses to guess
between formats that fit about equally well.  The output goes to standard
output, or atomically to -o FILE (an existing file is replaced only when the
conversion finished).  The output format may be left out when -o has a known
extension.
"""

EXAMPLES = """\
examples:
  bibconv convert refs.bib -t csljson -o refs.json
  bibconv convert - -f ris -t bibtex < export.ris
  bibconv convert feed.txt arxiv.txt --merge --merge-report -t bibtex
  bibconv convert refs.bib -t html --style ieee --locale de-DE
  bibconv convert refs.json -t biblatex --unicode --key-pattern '{author}{year}'
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
    p.add_argument("-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout")
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
    fmt = p.add_argument_group("formatted bibliographies (-t text/html/markdown)")
    fmt.add_argument("--style", help="CSL style: a name (apa, ieee, ...), a .csl path, or a bundled style")
    fmt.add_argument("--locale", help="CSL locale, e.g. en-US, de-DE (default: the style's)")
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
    add_verbosity(p)
    p.set_defaults(func=guarded(run))


class _Stdout:
    """Pieces of output to stdout as UTF-8, whatever the locale (see ``write_stdout``)."""

    def write(self, text: str) -> None:
        write_stdout(text)


def run(args: argparse.Namespace) -> int:
    """Convert; exit 1 when the input had errors (the output is still written)."""
    from bibconv.api import convert
    from bibconv.registry import default_registry

    to = args.to
    if to is None and args.output:
        to = default_registry().writer_for_extension(args.output)
    if to is None:
        return fail("an output format is needed: -t FORMAT (see 'bibconv formats')", EXIT_USAGE)
    if args.merge_report and not args.merge:
        return fail("--merge-report needs --merge", EXIT_USAGE)
    write_options: dict[str, Any] = {
        key: value
        for key, value in (
            ("style", args.style),
            ("locale", args.locale),
            ("empty", "print" if args.print_empty else None),
            ("unicode", args.unicode or None),
            ("key_pattern", args.key_pattern),
        )
        if value is not None
    }
    read_options = {"reference_date": args.reference_date} if args.reference_date else None
    sources = input_sources(args.inputs)
    if not args.merge:
        return _stream(args, sources, to, read_options, write_options)
    result = convert(
        sources,
        to,
        from_format=args.from_format,
        merge=args.merge,
        strict=args.strict,
        read_options=read_options,
        **write_options,
    )
    diags = result.diagnostics
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
    return EXIT_OK if result.ok else EXIT_INPUT


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

    def run_into(out: Any) -> Any:
        return convert_stream(
            sources,
            to,
            out,
            from_format=args.from_format,
            strict=args.strict,
            read_options=read_options,
            keep=lambda d: d.severity >= level,
            jobs=args.jobs,
            **write_options,
        )

    if args.output:
        from bibconv.textio import atomic_writer

        with atomic_writer(args.output) as fh:
            stats = run_into(fh)
    elif args.strict:  # nothing reaches stdout unless the whole conversion passes
        buffer = io.StringIO()
        stats = run_into(buffer)
        write_stdout(buffer.getvalue())
    else:
        stats = run_into(_Stdout())
    emit(args, stats.diagnostics)
    return EXIT_OK if stats.ok else EXIT_INPUT
