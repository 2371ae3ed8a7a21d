"""Time bibconv's BibTeX reader against bibtexparser 2.x on the 10 MB corpus (not a test).

Usage: python benchmarks/bibtex_read.py [path-to-.bib-or-.bib.gz]
Prints wall and CPU seconds for: decoding the file, bibtexparser.parse_string
(splitting only, no name or LaTeX handling), and bibconv's read_bibtex (lexing,
macros, crossref, names, LaTeX decoding, CSL mapping).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import bibtexparser

from bibconv.formats.bibtex.reader import read_bibtex
from bibconv.textio import read_path

ROOT = Path(__file__).resolve().parent.parent


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    print(f"{label:<36} wall {time.perf_counter() - wall:6.2f} s   cpu {time.process_time() - cpu:6.2f} s")
    return out


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/corpus/jgrey-main.bib.gz"
    text, _ = timed("decode file", lambda: read_path(path))
    lib = timed("bibtexparser.parse_string (split only)", lambda: bibtexparser.parse_string(text))
    result = timed("bibconv read_bibtex (to records)", lambda: read_bibtex(text))
    print(f"bibtexparser entries: {len(lib.entries)}; bibconv records: {len(result.records)}")


if __name__ == "__main__":
    main()
