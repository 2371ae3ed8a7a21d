"""What every sub-command shares: verbosity, diagnostics on stderr, error → exit code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from typing import Any

from bibconv.diagnostics import Diagnostic, Severity, render_github, render_json, render_text

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_FORMAT, EXIT_STYLE, EXIT_IO = 0, 1, 2, 3, 4, 5


def add_verbosity(parser: argparse.ArgumentParser) -> None:
    """-q/-v and --diagnostics-format, identical for every command."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", help="print errors only (no warnings or notes)")
    group.add_argument("-v", "--verbose", action="store_true", help="also print informational notes")
    parser.add_argument(
        "--diagnostics-format",
        choices=("text", "json", "github"),
        default="text",
        help="how to print diagnostics on stderr (github: Actions annotations)",
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
    """Print the diagnostics that pass the verbosity threshold."""
    stream = stream or sys.stderr
    level = threshold(args)
    shown = [d for d in diagnostics if d.severity >= level]
    fmt = getattr(args, "diagnostics_format", "text")
    if fmt == "json":
        stream.write(render_json(shown))
    elif shown:
        stream.write(render_github(shown) if fmt == "github" else render_text(shown))


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
