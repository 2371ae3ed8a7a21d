"""Time an APA bibliography: bibconv vs citeproc-py used as is.

    python benchmarks/bench_citation.py RECORDS.json [N]

RECORDS.json is CSL-JSON (e.g. ``pandoc -f bibtex -t csljson ../shared/corpus/cdl.bib``);
the first N records (default 1000) are rendered in APA by both, cold (style parsed
inside the timing, as a one-shot command would) and, for bibconv, warm as well.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def citeproc_py_as_is(items: list[dict[str, object]]) -> float:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = CiteProcJSON(items)
        style = CitationStylesStyle("apa", validate=False)
        bib = CitationStylesBibliography(style, source, formatter.plain)
        for item in items:
            bib.register(Citation([CitationItem(str(item["id"]))]))
        bib.sort()
        entries = bib.bibliography()
    elapsed = time.perf_counter() - start
    assert len(entries) == len(items)
    return elapsed


def bibconv_apa(items: list[dict[str, object]]) -> tuple[float, float]:
    import bibconv
    from bibconv.citation import bibliography
    from bibconv.citation.styles import clear_cache

    records = bibconv.read(json.dumps(items), "csljson").records
    clear_cache()
    start = time.perf_counter()
    out = bibliography(records, style="apa")
    cold = time.perf_counter() - start
    start = time.perf_counter()
    bibliography(records, style="apa")
    warm = time.perf_counter() - start
    assert len(out) == len(records)
    return cold, warm


def main() -> int:
    path = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    items = json.loads(path.read_text(encoding="utf-8"))[:n]
    ours_cold, ours_warm = bibconv_apa(items)
    theirs = citeproc_py_as_is(items)
    print(f"{len(items)} records, APA")
    print(f"citeproc-py as is: {theirs:.2f} s")
    print(f"bibconv (cold):    {ours_cold:.2f} s  ({theirs / ours_cold:.1f}x faster)")
    print(f"bibconv (warm):    {ours_warm:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
