"""``bibconv formats``: the readers and writers this installation has."""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import Any


def register(sub: Any) -> None:
    """Add the ``formats`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "formats",
        help="list the input and output formats, with aliases and file extensions",
        description="List every reader and writer, including those added by installed plugins; "
        "with a FORMAT, describe that format: detection, streaming and its reader's and writer's "
        "options (-O NAME=VALUE on convert).",
    )
    p.add_argument("format", nargs="?", metavar="FORMAT", help="a format name or alias to describe")
    p.set_defaults(func=run)


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().split("\n")[0].strip().rstrip(".")


def _sniff_doc(reader: type[Any]) -> str | None:
    """The sniffer's docstring: the declared sniff function's for a built-in, else the method's."""
    info = getattr(reader, "info", None)
    if info is not None and info.sniff:
        from bibconv.registry import load_path

        return getattr(load_path(info.sniff), "__doc__", None)
    return getattr(reader.sniff, "__doc__", None)


def _options(out: Any, plugin: type[Any], how: str) -> None:
    """One line per option: name, type, default and help; ``how`` says how to give them."""
    from bibconv.commands.options import _hints, type_name
    from bibconv.registry import option_fields

    if getattr(plugin, "Options", None) is None:
        out.write("    options: not declared (a plugin without typed options; -O cannot set them)\n")
        return
    fields = option_fields(plugin)
    if not fields:
        out.write("    options: none\n")
        return
    hints = _hints(plugin)
    out.write(f"    options ({how}):\n")
    for f in fields:
        out.write(f"      {f.name}: {type_name(hints.get(f.name, f.type))} = {f.default!r}\n")
        if f.metadata.get("help"):
            out.write(f"          {f.metadata['help']}\n")


def describe_format(name: str) -> int:
    """Print what bibconv knows about one format; exit 2 when no reader or writer has that name."""
    from bibconv.commands._common import EXIT_USAGE, fail
    from bibconv.errors import UnknownFormatError
    from bibconv.registry import StreamingReader, StreamingWriter, default_registry

    reg = default_registry()
    found: dict[str, Any] = {}
    for kind in ("readers", "writers"):
        with contextlib.suppress(UnknownFormatError):
            found[kind] = reg.plugin_class(kind, name)
    if not found:
        known = sorted(set(reg.names("readers")) | set(reg.names("writers")))
        return fail(f"no format {name!r}; known: {', '.join(known)}", EXIT_USAGE)
    out = sys.stdout
    main = found.get("readers") or found["writers"]
    out.write(f"{main.name}: {main.description}\n")
    aliases = sorted({a for cls in found.values() for a in cls.aliases})
    exts = sorted({e for cls in found.values() for e in cls.extensions})
    out.write(f"  aliases: {', '.join(aliases) or '-'}\n  extensions: {' '.join(exts) or '-'}\n")
    reader, writer = found.get("readers"), found.get("writers")
    if reader is None:
        out.write("  read: no\n")
    else:
        family = getattr(reader, "dialect_of", None)
        out.write("  read: yes" + (f" (a dialect of {family})" if family else "") + "\n")
        out.write(f"    detection: {_first_line(_sniff_doc(reader)) or 'content sniffer'}")
        out.write(f"; extension bonus for {' '.join(reader.extensions)}\n" if reader.extensions else "\n")
        out.write(f"    streams: {'yes, block by block' if issubclass(reader, StreamingReader) else 'no'}\n")
        _options(out, reader, "bibconv.read(..., options={NAME: VALUE})")
    if writer is None:
        out.write("  write: no\n")
    else:
        own = writer.description if writer.description != main.description else ""
        out.write(f"  write: yes ({own})\n" if own else "  write: yes\n")
        out.write(f"    streams: {'yes, chunk by chunk' if issubclass(writer, StreamingWriter) else 'no'}\n")
        _options(out, writer, "convert -O NAME=VALUE; bibconv.write(..., NAME=VALUE)")
    return 0


def run(args: argparse.Namespace) -> int:
    """Print a table of readers and writers, or one format's description."""
    from bibconv.registry import default_registry

    if args.format:
        return describe_format(args.format)
    reg = default_registry()
    out = sys.stdout
    for kind, title in (("readers", "Input formats (-f)"), ("writers", "Output formats (-t)")):
        out.write(f"{title}:\n")
        classes = reg.classes(kind)
        width = max([10, *(len(cls.name) for cls in classes)])  # names like endnote-xml are longer
        for cls in classes:
            aliases = ", ".join(cls.aliases) or "-"
            exts = " ".join(cls.extensions) or "-"
            out.write(f"  {cls.name:<{width}} {cls.description}\n")
            out.write(f"  {'':<{width}} aliases: {aliases}; extensions: {exts}\n")
        out.write("\n")
    for d in reg.diagnostics:
        sys.stderr.write(f"{d}\n")
    return 0
