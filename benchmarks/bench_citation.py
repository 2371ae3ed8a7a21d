"""Time APA and IEEE bibliographies: bibconv's own processor, and citeproc-py as is.

    python benchmarks/bench_citation.py RECORDS.json [N]

RECORDS.json is CSL-JSON (e.g. ``bibconv convert jgrey.bib -t csljson``); the first N
records (default 1000; 0: all) are rendered in one process.  bibconv's own processor
(bibconv.csl) renders APA and IEEE, cold (style parsed inside the timing) and warm;
the style parse time is printed on its own.  citeproc-py as is renders APA for
comparison (skipped above 2,000 records: slow).
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


def style_parse_ms(style: str) -> float:
    """Milliseconds to parse ``style`` into the new processor's model (cache bypassed)."""
    from bibconv.citation.styles import resolve_style
    from bibconv.csl import style as csl_style

    data = resolve_style(style).read_bytes()
    start = time.perf_counter()
    csl_style.parse_style(data)  # uncached (load_style caches by content digest)
    return (time.perf_counter() - start) * 1000


def new_processor(items: list[dict[str, object]], style: str) -> tuple[float, float]:
    """(cold: the style's first use in this process, warm) seconds of bibconv's own processor."""
    import bibconv
    from bibconv.citation import bibliography

    records = bibconv.read(json.dumps(items), "csljson").records
    start = time.perf_counter()
    out = bibliography(records, style=style)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    bibliography(records, style=style)
    warm = time.perf_counter() - start
    assert len(out) >= len(records) * 0.99
    return cold, warm


def main() -> int:
    import resource

    path = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    items = json.loads(path.read_text(encoding="utf-8"))
    items = items[:n] if n else items
    print(f"{len(items)} records")
    for style in ("apa", "ieee"):
        print(f"{style}: style parse {style_parse_ms(style):.1f} ms")
        cold, warm = new_processor(items, style)
        print(f"{style}: bibconv's own processor {cold:.2f} s cold, {warm:.2f} s warm")
    if len(items) <= 2000:
        print(f"apa: citeproc-py as is {citeproc_py_as_is(items):.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
