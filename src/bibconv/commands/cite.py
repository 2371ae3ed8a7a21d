"""``bibconv cite``: in-text citations (and optionally the bibliography) for chosen keys."""

from __future__ import annotations

import argparse
from typing import Any

from bibconv.commands._common import (
    EXIT_INPUT,
    EXIT_OK,
    ProgressBar,
    add_verbosity,
    emit,
    guarded,
    input_sources,
    nonempty,
    write_stdout,
)

DESCRIPTION = """\
Print in-text citations for the given keys in a CSL style, one line per
citation.  A citation none of whose keys has a record prints nothing; it is
reported (BC405, with the file's name) and the exit status is 1.  Keys
joined with '+' are cited together ("a+b" → "(A, 2020; B, 2021)").
With --bibliography the formatted bibliography of the cited records follows.
"""

EXAMPLES = """\
examples:
  bibconv cite refs.bib knuth:ct:a knuth:ct:b --style apa
  bibconv cite refs.bib sigfridsson+aksin --style chicago
  bibconv cite refs.json smith2020 --style ieee --bibliography -t markdown
  bibconv cite refs.bib a b c --style apa --bibliography --no-progress
"""


def register(sub: Any) -> None:
    """Add the ``cite`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "cite",
        help="print in-text citations for keys in a CSL style",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", metavar="IN", help="bibliography file")
    p.add_argument("keys", nargs="+", metavar="KEY", help="citation keys; a+b cites a and b together")
    p.add_argument(
        "-f", "--from", dest="from_format", metavar="FORMAT", help="input format (default: detect)"
    )
    p.add_argument(
        "--style",
        type=nonempty,
        default="apa",
        help="CSL style: name, .csl path or bundled style (default apa)",
    )
    p.add_argument("--locale", type=nonempty, help="CSL locale, e.g. de-DE (default: the style's)")
    p.add_argument(
        "-t",
        "--to",
        default="text",
        choices=("text", "html", "markdown"),
        help="output markup (default text)",
    )
    p.add_argument("--bibliography", action="store_true", help="also print the cited records' bibliography")
    add_verbosity(p)
    p.set_defaults(func=guarded(run))


def _expand_sets(keys: list[str], records: list[Any]) -> list[str]:
    """A cited ``@set`` stands for its members (a set is a grouping, not a work)."""
    from bibconv.ir import set_members

    by_id = {r.id: r for r in records}
    out: list[str] = []
    for key in keys:
        members = set_members(by_id[key]) if key in by_id else None
        present = [m for m in members or () if m in by_id]
        out.extend(present or [key])
    return list(dict.fromkeys(out))


def run(args: argparse.Namespace) -> int:
    """Cite; exit 1 when a key has no record or the input had errors."""
    from bibconv.api import read
    from bibconv.citation import convert_marked
    from bibconv.citation.render import cite_marked, render_bibliography
    from bibconv.diagnostics import Severity

    (source,) = input_sources([args.input])
    name = "<stdin>" if args.input == "-" else args.input
    result = read(source, args.from_format, file=name)
    groups = [_expand_sets(k.split("+"), result.records) for k in args.keys]
    texts, diags = cite_marked(result.records, groups, args.style, args.locale)
    # a citation of keys none of which has a record prints nothing (its BC405 says why)
    known = {r.id for r in result.records}
    out = [
        convert_marked(t, args.to)
        for t, g in zip(texts, groups, strict=True)
        if t or any(k in known for k in g)
    ]
    diags = [d.located(name) if d.file is None else d for d in diags]
    if args.bibliography:
        by_id = {r.id: r for r in result.records}
        order = dict.fromkeys(k for group in groups for k in group if k in by_id)
        cited = [by_id[k] for k in order]
        with ProgressBar(args) as bar:
            rendered = render_bibliography(cited, args.style, args.locale, progress=bar)
        diags += rendered.diagnostics
        out.append("")
        out.extend(convert_marked(e.text, args.to) for e in rendered.entries)
    all_diags = result.diagnostics + diags
    emit(args, all_diags)
    write_stdout("".join(f"{line}\n" for line in out))
    failed = any(d.severity >= Severity.ERROR for d in all_diags) or any(d.code == "BC405" for d in diags)
    return EXIT_INPUT if failed else EXIT_OK
