"""``bibconv format``: normalise the layout of BibTeX files (the only command that rewrites input)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bibconv.commands._common import EXIT_INPUT, EXIT_OK, ProgressBar, add_verbosity, emit, guarded

DESCRIPTION = """\
Normalise BibTeX/BibLaTeX files in place: lower-case entry types and field
names, one field per line in a conventional order, values in braces.  Values
are kept byte for byte (no LaTeX re-encoding) and comments stay where they
are; entries with syntax errors are left untouched.  Files are replaced
atomically, and only when the content changed: a symlink is written through
(the link stays), the file's mode is kept, a file with several hard links is
rewritten in place so every name sees the change, and a read-only file is
refused.  Only plain UTF-8 files are rewritten (UTF-16 or Windows-1252 files
are reported, BC317, and left as they are).

With --check nothing is written: files that would change are reported
(BC316) and the exit status is 1.  'bibconv validate' never writes files.
"""


def register(sub: Any) -> None:
    """Add the ``format`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "format",
        help="normalise BibTeX layout in place (--check: only report)",
        description=DESCRIPTION,
        epilog="examples:\n  bibconv format refs.bib\n  bibconv format --check *.bib\n"
        "  bibconv format --check *.bib --diagnostics-format github\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="BibTeX files to normalise")
    p.add_argument("--check", action="store_true", help="report files that would change; write nothing")
    p.add_argument(
        "--format",
        dest="diagnostics_format",
        choices=("text", "json", "github"),
        default=argparse.SUPPRESS,
        help="how to print findings (= --diagnostics-format)",
    )
    add_verbosity(p)
    p.set_defaults(func=guarded(run))


def run(args: argparse.Namespace) -> int:
    """Format each file (or check it); exit 1 when --check found work or a file was refused."""
    from pathlib import Path

    from bibconv.diagnostics import Diagnostic
    from bibconv.textio import atomic_write, open_input, read_path
    from bibconv.validate.fmt import FormatError, format_bibtex

    findings: list[Diagnostic] = []
    changed = 0
    bar = ProgressBar(args)
    for done, name in enumerate(args.files):
        bar("files", done, len(args.files))
        source = open_input(name)
        if not isinstance(source, Path):
            findings.append(
                Diagnostic.make(
                    "BC317",
                    "not formatted: not a regular file (format rewrites files in place)",
                    file=name,
                    line=1,
                )
            )
            continue
        path = source
        raw = path.read_bytes()
        text, decode_diags = read_path(path)
        if decode_diags or path.suffix == ".gz" or not _plain_utf8(raw):
            # format keeps bytes as they are: it only rewrites plain UTF-8 (UTF-16, cp1252 … stay untouched)
            findings.append(
                Diagnostic.make("BC317", "not formatted: the file is not plain UTF-8 text", file=name, line=1)
            )
            continue
        try:
            out = format_bibtex(text)
        except FormatError as exc:
            findings.append(Diagnostic.make("BC317", f"not formatted: {exc}", file=name, line=1))
            continue
        if out.encode("utf-8") == raw or out == raw.decode("utf-8-sig"):
            continue
        changed += 1
        if args.check:
            findings.append(
                Diagnostic.make(
                    "BC316", "file is not formatted; run 'bibconv format' on it", file=name, line=1
                )
            )
        else:
            atomic_write(path, out)
            bar.write(f"formatted {name}\n")
    bar.close()
    emit(args, findings, stream=sys.stdout)
    return EXIT_INPUT if findings else EXIT_OK


def _plain_utf8(raw: bytes) -> bool:
    """True for bytes that decode as UTF-8 (a UTF-8 BOM allowed, no NULs): text format may rewrite."""
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in raw
