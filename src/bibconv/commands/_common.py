"""What every sub-command shares: verbosity, progress, diagnostics on stderr, error → exit code."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

from bibconv.diagnostics import (
    Diagnostic,
    Severity,
    render_github,
    render_json,
    render_text,
    summarise,
    tally,
)

#: Repeats of one code (and subject) printed before the rest are summarised (see ``emit``).
FIRST_REPEATS = 3

#: Seconds a command runs before a progress bar appears; ``BIBCONV_PROGRESS_DELAY`` overrides it.
PROGRESS_DELAY = 1.0

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_FORMAT, EXIT_STYLE, EXIT_IO = 0, 1, 2, 3, 4, 5


def add_verbosity(parser: argparse.ArgumentParser) -> None:
    """-q/-v/--all, --diagnostics-format and --progress, identical for every command."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "-q", "--quiet", action="store_true", help="print errors only (no warnings, notes or progress bar)"
    )
    group.add_argument(
        "-v", "--verbose", action="store_true", help="also print informational notes, and every repeat"
    )
    parser.add_argument(
        "--all",
        dest="all_diagnostics",
        action="store_true",
        help=f"print every diagnostic (by default a code repeated more than {FIRST_REPEATS} times "
        "is summarised as '… and N more')",
    )
    parser.add_argument(
        "--diagnostics-format",
        choices=("text", "json", "github"),
        default="text",
        help="how to print diagnostics on stderr (github: Actions annotations); json and github "
        "list every diagnostic",
    )
    add_progress(parser)


def add_progress(parser: argparse.ArgumentParser) -> None:
    """--progress/--no-progress: a bar on stderr for long work (default: when stderr is a terminal)."""
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on stderr once the work has taken over a second "
        "(default: only when stderr is a terminal and -q is not given)",
    )


def input_sources(names: Iterable[str]) -> list[Any]:
    """Command-line inputs as sources: ``-`` is stdin's bytes, a regular file a path.

    A pipe, FIFO or process substitution (``<(...)``, i.e. ``/dev/fd/N``) is
    read as a stream, like stdin, up to :data:`bibconv.textio.MAX_STREAM_BYTES`.
    A missing file, a directory, a dangling link or a symlink loop each raise
    their own ``OSError`` before any work starts, which :func:`guarded` turns
    into exit code 5 with the file's name.
    """
    from bibconv.textio import open_input, read_stream

    sources: list[Any] = []
    for name in names:
        if name == "-":
            sources.append(read_stream(sys.stdin.buffer, "<stdin>"))
            continue
        sources.append(open_input(name))
    return sources


def nonempty(value: str) -> str:
    """An argparse type: an empty string (``--style ''``) is a usage error, not the default."""
    if not value.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return value


def process_count(minimum: int) -> Callable[[str], int]:
    """An argparse type for ``-j N``: at least ``minimum``; 0 (when allowed) means one per CPU."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number of processes, got {value!r}") from None
        if n < minimum:
            raise argparse.ArgumentTypeError(f"the number of processes must be at least {minimum}")
        if n == 0:
            import os

            return os.cpu_count() or 1
        return n

    return parse


def threshold(args: argparse.Namespace) -> Severity:
    """The lowest severity to print, from -q/-v."""
    if getattr(args, "quiet", False):
        return Severity.ERROR
    if getattr(args, "verbose", False):
        return Severity.INFO
    return Severity.WARNING


def emit(args: argparse.Namespace, diagnostics: Iterable[Diagnostic], stream: Any = None) -> None:
    """Print the diagnostics that pass the verbosity threshold, then a one-line tally on stderr.

    In text, repeats of one code (and subject, e.g. BC109's macro) after the
    first :data:`FIRST_REPEATS` become one ``… and N more`` line, so a cause
    that hits every entry does not bury the findings that differ; ``--all``
    and ``-v`` print every one.  JSON and GitHub annotations are read by
    tools, so they always list every diagnostic.  The tally
    (``3 errors, 12 warnings in 2 files``) counts everything printed or
    summarised, and goes to stderr even when findings go to stdout (but not
    after JSON or annotations on stderr, which a tool parses whole).
    """
    stream = stream or sys.stderr
    level = threshold(args)
    shown = [d for d in diagnostics if d.severity >= level]
    fmt = getattr(args, "diagnostics_format", "text")
    if fmt == "json":
        stream.write(render_json(shown))
    elif fmt == "github":
        stream.write(render_github(shown))
    elif getattr(args, "all_diagnostics", False) or getattr(args, "verbose", False):
        stream.write(render_text(shown))
    else:
        cut = summarise(shown, FIRST_REPEATS)
        stream.write(render_text(cut.shown))
        more = cut.lines()
        if more:
            stream.write("".join(f"{line}\n" for line in more))
            stream.write("(--all prints every diagnostic)\n")
    line = tally(shown)
    if line and (fmt == "text" or stream is not sys.stderr):  # JSON on stderr must stay parseable
        if stream is sys.stdout:
            sys.stdout.flush()
        sys.stderr.write(f"{line}\n")


def note(args: argparse.Namespace, message: str) -> None:
    """``bibconv: note: message`` on stderr, unless -q (for choices bibconv made on the user's behalf)."""
    if not getattr(args, "quiet", False):
        sys.stderr.write(f"bibconv: note: {message}\n")


def warn(message: str) -> None:
    """``bibconv: warning: message`` on stderr, even with -q: something the user asked for is not done."""
    sys.stderr.write(f"bibconv: warning: {message}\n")


class ProgressBar:
    """The CLI's progress hook (see :mod:`bibconv.progress`): a bar on stderr for long work only.

    A bar appears once the command has run :data:`PROGRESS_DELAY` seconds
    (``BIBCONV_PROGRESS_DELAY`` sets another value; tests use 0), so quick
    runs print nothing extra and short work never imports the bar library.
    By default it is shown only when stderr is a terminal and -q is not
    given, so pipes and logs stay clean; ``--progress`` forces it and
    ``--no-progress`` turns it off.

    The bar is drawn by tqdm: a small, pure-Python, well-kept library whose
    bar (count, rate, ETA, total when known) is exactly this job.  rich does
    it too but imports several times more code and would also restyle
    output bibconv prints itself; tqdm is imported only when a bar is shown.
    """

    def __init__(self, args: argparse.Namespace) -> None:
        wanted = getattr(args, "progress", None)
        if wanted is None:
            wanted = not getattr(args, "quiet", False) and _isatty(sys.stderr)
        self.enabled: bool = bool(wanted)
        self.started = time.monotonic()
        try:
            self.delay = float(os.environ.get("BIBCONV_PROGRESS_DELAY", PROGRESS_DELAY))
        except ValueError:
            self.delay = PROGRESS_DELAY
        self._bar: Any = None
        self._unit = ""

    def __call__(self, unit: str, done: int, total: int | None) -> None:
        """Advance (or start) the bar; does nothing until the work has run long enough."""
        if not self.enabled:
            return
        if self._bar is None or unit != self._unit:
            if self._bar is None and time.monotonic() - self.started < self.delay:
                return
            self.close()
            from tqdm import tqdm

            self._unit = unit
            width, height = _size(sys.stderr)
            self._bar = tqdm(
                total=total,
                initial=done,
                unit=f" {unit}",
                unit_scale=False,
                file=sys.stderr,
                # a terminal that reports no size (a fresh pseudo-terminal) gets 80x24: tqdm would
                # otherwise draw a bar of no width, or hide it below a screen of no rows
                dynamic_ncols=width > 0,
                ncols=None if width > 0 else 80,
                nrows=height if height > 0 else 24,
                leave=False,
                mininterval=0.2,
            )
            return
        if total is not None and self._bar.total != total:
            self._bar.total = total
        self._bar.update(done - self._bar.n)

    def write(self, text: str) -> None:
        """A line on stderr that does not tear the bar (it is redrawn below the line)."""
        if self._bar is None:
            sys.stderr.write(text)
        else:
            self._bar.write(text.rstrip("\n"), file=sys.stderr)

    def close(self) -> None:
        """Remove the bar (before diagnostics are printed, so they do not mix)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _size(stream: Any) -> tuple[int, int]:
    """(columns, rows) of the terminal ``stream`` is on; 0 for what it does not say."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (AttributeError, ValueError, OSError):
        return 0, 0
    return size.columns, size.lines


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def fail(message: str, code: int) -> int:
    """Print ``bibconv: error: message`` and return the exit code."""
    sys.stderr.write(f"bibconv: error: {message}\n")
    return code


def guarded(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Map bibconv's exceptions to exit codes with a one-line message, never a traceback."""

    def run(args: argparse.Namespace) -> int:
        from bibconv import errors

        try:
            return func(args)
        except (errors.UnknownFormatError, errors.AmbiguousFormatError) as exc:
            return fail(str(exc), EXIT_FORMAT)
        except (errors.StyleNotFoundError, errors.MissingDependencyError) as exc:
            return fail(str(exc), EXIT_STYLE)
        except (errors.ReadError, errors.WriteError) as exc:
            emit(args, exc.diagnostics)
            return fail(str(exc), EXIT_INPUT)
        except BrokenPipeError:
            quiet_broken_pipe()
            return EXIT_OK
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            return fail(f"{where}{exc.strerror or exc}", EXIT_IO)

    return run


def write_stdout(text: str) -> None:
    """Write UTF-8 to stdout whatever the locale says (output files are UTF-8 too)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        sys.stdout.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()


def quiet_broken_pipe() -> None:
    """The reader of stdout went away (``bibconv convert big.bib | head -1``): stop quietly.

    stdout is pointed at /dev/null so that the interpreter's final flush
    does not raise a second ``BrokenPipeError`` on the way out.
    """
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout without a descriptor (tests capture it)
        pass


def is_style(name: str) -> bool:
    """True when ``name`` is a CSL style bibconv can load (for the "did you mean --style" hints)."""
    from bibconv.errors import StyleNotFoundError

    try:
        from bibconv.citation.styles import resolve_style

        resolve_style(name)
    except (StyleNotFoundError, ImportError, OSError):
        return False
    return True
