"""``bibconv formats``: the readers and writers this installation has."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    """Add the ``formats`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "formats",
        help="list the input and output formats, with aliases and file extensions",
        description="List every reader and writer, including those added by installed plugins.",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print a table of readers and writers."""
    from bibconv.registry import default_registry

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
