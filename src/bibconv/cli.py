"""The ``bibconv`` command line.

Each sub-command lives in its own ``bibconv.commands.<name>`` module with a
``register(subparsers)`` function; this module only assembles them, so adding
a command touches one line here.  Imports stay light until a command runs,
which keeps ``bibconv --help`` fast.

Exit codes (also in ``bibconv --help`` and docs/cli.md):

====  =========================================================
0     success (warnings may have been printed)
1     the input had errors, or ``--strict`` found data loss
2     usage error (bad options)
3     input format unknown or ambiguous, or no such writer
4     CSL style or locale not found, or a missing optional package
5     a file could not be read or written
====  =========================================================
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bibconv import __version__

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_FORMAT, EXIT_STYLE, EXIT_IO = 0, 1, 2, 3, 4, 5

#: Modules that add a sub-command, in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = (
    "bibconv.commands.convert",
    "bibconv.commands.formats",
    "bibconv.commands.validate",
    "bibconv.commands.format",
    "bibconv.commands.cite",
)

EPILOG = """\
examples:
  bibconv convert refs.bib -t csljson -o refs.json
  bibconv convert listing.txt -t bibtex            (input format detected)
  bibconv convert a.txt b.txt --merge -t bibtex    (same paper in several files → one record)
  bibconv convert refs.bib --style apa             (a text bibliography; -t html, -t markdown)
  bibconv convert export.ris -o refs.bib           (BibTeX, chosen from the extension)
  bibconv validate refs.bib --all                  (every finding, no '… and N more')
  bibconv formats

exit codes: 0 ok, 1 errors in the input (or loss with --strict), 2 usage,
3 unknown or ambiguous format, 4 style/locale not found or missing package,
5 file not readable or writable.  Diagnostics go to stderr as
file:line:col: severity CODE message [key]; codes are listed in docs/diagnostics.md.
A code repeated more than three times is summarised (--all prints every one), and
a tally ends the run ('3 errors, 12 warnings in 2 files').  Long work shows a
progress bar when stderr is a terminal (--no-progress, or -q, to hide it).
"""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser (used by ``main`` and by the docs test).

    ``command``: build only that sub-command's parser.  Why: each command
    module brings its options and imports, and a run needs one of them
    (a tenth of ``bibconv convert``'s start-up was the others); ``--help``
    and anything unrecognised get the full parser.
    """
    parser = argparse.ArgumentParser(
        prog="bibconv",
        description=(
            "Convert bibliographic records between BibTeX, BibLaTeX, CSL-JSON, RIS, "
            "scraped paper listings and formatted bibliographies, and check them."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"bibconv {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for path in COMMANDS:
        if command is None or path.rpartition(".")[2] == command:
            importlib.import_module(path).register(sub)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    """The sub-command ``argv`` names first, when it is one (else None: build them all)."""
    names = {path.rpartition(".")[2] for path in COMMANDS}
    first = next(iter(argv), None)
    return first if first in names else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code instead of exiting (for tests)."""
    parser = build_parser(_command_of(sys.argv[1:] if argv is None else argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from bibconv.bulk import bulk_allocation
    from bibconv.commands._common import quiet_broken_pipe

    previous = _terminate_as_exception()
    try:
        # the command is the whole process's work: many small objects, no cycles (see bibconv.bulk)
        with bulk_allocation():
            code: int = args.func(args)
    except BrokenPipeError:
        quiet_broken_pipe()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Terminated:
        return 128 + 15
    finally:
        _restore(previous)
    return code


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so ``finally`` blocks run (temporary files go away)."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def _terminate_as_exception() -> object:
    """Make SIGTERM unwind like Ctrl-C does; the old handler, or None off the main thread."""
    import signal

    try:
        return signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # signal handlers can only be set in the main thread
        return None


def _restore(previous: object) -> None:
    import signal

    if previous is not None:
        signal.signal(signal.SIGTERM, previous)  # type: ignore[arg-type]


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
