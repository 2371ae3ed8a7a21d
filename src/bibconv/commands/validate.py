"""``bibconv validate``: check bibliography files and report, never modify them."""

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
    process_count,
)

DESCRIPTION = """\
Check bibliography files (BibTeX, BibLaTeX, CSL-JSON, RIS, ...) and report
problems as file:line:col: severity CODE message [key].  Files are only read,
never written.  The exit status is 1 when an error-severity finding remains
after --select/--ignore, configuration and inline suppression; warnings alone
exit 0.

Settings come from the nearest pyproject.toml with a [tool.bibconv] table
(or --config FILE): select, ignore, model and per-code severity.  In BibTeX, a
comment line '% bibconv: ignore BC302' directly above an entry silences those
codes for that entry; '% bibconv: ignore-file BC107' for the whole file.
Codes and examples: docs/validate.md and docs/diagnostics.md.

In text output a code repeated more than three times (per subject, e.g. per
undefined macro) is summarised as '… and N more'; --all or -v prints every
one.  A tally ('3 errors, 12 warnings in 2 files') closes the output on stderr.
"""

EXAMPLES = """\
examples:
  bibconv validate refs.bib
  bibconv validate refs.bib refs.json --select BC3 --ignore BC310
  bibconv validate refs.bib --format github        (annotations in GitHub Actions)
  bibconv validate refs.bib --format json > findings.json   (every finding, never summarised)
  bibconv validate big.bib --all                   (every repeat, not '… and N more')
"""


def register(sub: Any) -> None:
    """Add the ``validate`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "validate",
        help="check files for errors and suspicious data (never modifies them)",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="files to check, or - for stdin")
    p.add_argument(
        "--select",
        action="append",
        metavar="CODES",
        help="report only these codes or prefixes, e.g. BC3,BC104 (replaces the configured list)",
    )
    p.add_argument(
        "--ignore",
        action="append",
        metavar="CODES",
        help="do not report these codes or prefixes, e.g. BC310 (added to the configured list)",
    )
    p.add_argument(
        "--format",
        dest="diagnostics_format",
        choices=("text", "json", "github"),
        default=argparse.SUPPRESS,
        help="output: text lines, a JSON array, or GitHub Actions annotations (= --diagnostics-format)",
    )
    p.add_argument("--config", metavar="FILE", help="a pyproject.toml to read [tool.bibconv] from")
    p.add_argument(
        "-f",
        "--from",
        dest="from_format",
        metavar="FORMAT",
        help="input format (default: detect per file)",
    )
    p.add_argument(
        "--model",
        choices=("bibtex", "biblatex", "none"),
        help="required-fields data model (default: bibtex for BibTeX input, else biblatex)",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=process_count(1),
        default=2,
        metavar="N",
        help="processes for a large BibTeX file (1 MB+): 2 or more scan its source in a second "
        "process while the records are read (default 2; 1: one process)",
    )
    add_verbosity(p)
    p.set_defaults(func=guarded(run))


def run(args: argparse.Namespace) -> int:
    """Validate; exit 1 when an error remains, 0 otherwise; files are never written."""
    from dataclasses import replace

    from bibconv.diagnostics import plural
    from bibconv.validate import ConfigError, load_config, validate

    try:
        config = load_config(args.config).with_options(args.select, args.ignore)
    except ConfigError as exc:
        return fail(str(exc), EXIT_USAGE)
    if args.model:
        config = replace(config, model=args.model)
    sources = input_sources(args.files)
    with ProgressBar(args) as bar:
        report = validate(sources, config=config, format=args.from_format, jobs=args.jobs, progress=bar)
    # Findings go to stdout (they are the command's output); summaries to stderr.
    emit(args, report.diagnostics, stream=sys.stdout)
    if args.verbose:
        sys.stderr.write(
            f"bibconv validate: {plural(report.files, 'file')}, {plural(report.records, 'record')}, "
            f"{plural(len(report.diagnostics), 'finding')}, {report.suppressed:,} suppressed\n"
        )
    return EXIT_OK if report.ok else EXIT_INPUT
