"""``bibconv cite``: in-text citations (and optionally the bibliography) for chosen keys."""

from __future__ import annotations

import argparse
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
    nonempty,
    write_stdout,
)

DESCRIPTION = """\
Print in-text citations for the given keys in a CSL style, one line per
citation.  A citation none of whose keys has a record prints nothing; it is
reported (BC405, with the file's name) and the exit status is 1.  Keys
joined with '+' are cited together ("a+b" → "(A, 2020; B, 2021)").
Citations may also be written in pandoc's syntax, with locators, prefixes and
suffixes: "[@a, p. 33; @b]", "[see @a, chap. 2]", "[-@a]", or "@a [p. 4]" for
the author in the text.
With --bibliography the formatted bibliography of the cited records follows.
"""

EXAMPLES = """\
examples:
  bibconv cite refs.bib knuth:ct:a knuth:ct:b --style apa
  bibconv cite refs.bib sigfridsson+aksin --style chicago
  bibconv cite refs.bib "[@knuth:ct:a, p. 33; @knuth:ct:b]" "@sigfridsson [p. 4]"
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
    p.add_argument(
        "keys",
        nargs="+",
        metavar="KEY",
        help="citation keys (a+b cites a and b together) or citations in pandoc's syntax ([@a, p. 3; @b])",
    )
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
        type=_markup,
        metavar="{text,html,markdown}",
        help="output markup (default text)",
    )
    p.add_argument("--bibliography", action="store_true", help="also print the cited records' bibliography")
    add_verbosity(p)
    p.set_defaults(func=guarded(run))


def run(args: argparse.Namespace) -> int:
    """Cite; exit 1 when a key has no record or the input had errors."""
    from bibconv.api import read
    from bibconv.diagnostics import Severity

    (source,) = input_sources([args.input])
    name = "<stdin>" if args.input == "-" else args.input
    result = read(source, args.from_format, file=name)
    from bibconv.citation.citesyntax import CitationSyntaxError

    try:
        out, diags = _cite(result.records, args)
    except CitationSyntaxError as exc:
        return fail(f"citation {exc}", EXIT_USAGE)
    diags = [d.located(name) if d.file is None else d for d in diags]
    all_diags = result.diagnostics + diags
    emit(args, all_diags)
    write_stdout("".join(f"{line}\n" for line in out))
    failed = any(d.severity >= Severity.ERROR for d in all_diags) or any(d.code == "BC405" for d in diags)
    return EXIT_INPUT if failed else EXIT_OK


def _cite(records: Any, args: argparse.Namespace) -> tuple[list[str], list[Any]]:
    """Every argument is one printed line: pandoc syntax, or keys joined with '+'."""
    from bibconv.citation import process
    from bibconv.citation.citesyntax import parse_citations
    from bibconv.csl import Citation, Cite
    from bibconv.csl.records import records_to_items

    citations: list[Any] = []
    lines: list[list[tuple[int, bool]]] = []  # per argument: (index of citation, author-in-text)
    line_ids: list[set[str]] = []  # per argument: the keys it cites
    for arg in args.keys:
        spans: list[tuple[int, bool]] = []
        if _pandoc(arg):
            for parsed in parse_citations(arg):
                spans.append((len(citations), parsed.author_in_text))
                citations.extend(parsed.citations)
        else:
            spans.append((len(citations), False))
            citations.append(Citation(tuple(Cite(k) for k in arg.split("+") if k)))
        lines.append(spans)
        line_ids.append({ci.id for c in citations[spans[0][0] :] for ci in c.items})
    sets = records_to_items(records).sets  # citing a @set cites its members
    cited = list(dict.fromkeys(m for c in citations for ci in c.items for m in sets.get(ci.id, (ci.id,))))
    res = process(records, citations, style=args.style, locale=args.locale, format=args.to)
    texts = [c.text for c in res.citations]
    known = {r.id for r in records}
    out = []
    for spans, arg_ids in zip(lines, line_ids, strict=True):
        if not arg_ids & known:
            continue  # none of its keys has a record: nothing to print (BC405 says why)
        parts = []
        for start, in_text in spans:
            parts.append(f"{texts[start]} {texts[start + 1]}" if in_text else texts[start])
        out.append(" ".join(parts))
    diags = list(res.diagnostics)
    if args.bibliography:
        by_id = {r.id: r for r in records}
        chosen = [by_id[k] for k in cited if k in by_id]
        bib = process(chosen, (), style=args.style, locale=args.locale, format=args.to)
        diags += [d for d in bib.diagnostics if d not in diags]  # the records' notes came with the citations
        out.append("")
        out.extend(bib.bibliography)
    return out, diags


def _pandoc(arg: str) -> bool:
    """Is this argument a citation in pandoc's syntax (else keys joined with '+')?"""
    return "@" in arg or arg.lstrip().startswith("[")


def _markup(value: str) -> str:
    """``-t``'s value; a style name there gets a hint instead of a bare "invalid choice"."""
    if value in ("text", "html", "markdown"):
        return value
    import argparse

    from bibconv.commands._common import is_style

    if is_style(value):
        raise argparse.ArgumentTypeError(
            f"{value!r} is a CSL style, not a markup; did you mean --style {value}?"
        )
    raise argparse.ArgumentTypeError(f"invalid choice: {value!r} (choose from text, html, markdown)")
