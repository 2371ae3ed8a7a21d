"""Real ``bibtex`` and ``biber`` on bibconv's output: no errors, and no warnings bibconv caused.

``bibtex`` runs with an .aux file that cites everything (``\\nocite{*}``) in the
``plain`` style; ``biber --tool --validate-datamodel`` checks BibLaTeX output
against Biber's data model without needing a LaTeX run.  Skipped, with the
reason, only when the program is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bibconv.formats.bibtex.reader import read_bibtex
from bibconv.formats.bibtex.writer import write_bibtex
from bibconv.ir import Date, Name, Record
from bibconv.textio import read_path
from tests.conftest import shared_path

pytestmark = pytest.mark.external

#: Warnings about the data itself (a field the source entry lacks), not about the file's syntax.
DATA_WARNING = re.compile(
    r"Warning--(?:empty [\w ,]+|can't use both \w+ and \w+ fields|to sort, need [\w ,]+) in "
)

GENERATED = [
    Record(
        id="muller2020dna",
        type="article-journal",
        text={
            "title": 'The <span class="nocase">DNA</span> of 50% & $x^2$: costs_{1} #1 ~ “quotes” — Gödel',
            "container-title": "Journal of Ümlaut & Ligature Studies",
            "volume": "12",
            "issue": "3",
            "page": "1–10",
            "DOI": "10.1000/xyz_123",
        },
        names={
            "author": (
                Name(family="Müller", given="Jörg"),
                Name(family="Beethoven", given="Ludwig", non_dropping_particle="van"),
                Name(family="King", given="Martin Luther", suffix="Jr."),
                Name(literal="Gemini Team"),
            )
        },
        dates={"issued": Date(start=(2020, 5))},
    ),
    Record(
        id="smith2019book",
        type="book",
        text={
            "title": "Łódź and Kraków: A {History}",
            "publisher": "O'Reilly & Sons",
            "publisher-place": "Zürich",
        },
        names={"author": (Name(family="de la Cruz", given="Ana"),)},
        dates={"issued": Date(start=(2019,))},
    ),
    Record(
        id="lee2018conf",
        type="paper-conference",
        text={"title": "Learning to ^ and \\ escape", "container-title": "Proc. of ICML", "page": "5-9"},
        names={
            "author": (Name(family="Lee", given="Dong-Hyun"),),
            "editor": (Name(family="Ng", given="A."),),
        },
        dates={"issued": Date(start=(2018, 7, 10))},
    ),
    Record(
        id="zhang2021thesis",
        type="thesis",
        text={"title": "Ɛ-nets for Ωmega", "publisher": "Université de Montréal", "genre": "PhD thesis"},
        names={"author": (Name(family="Zhang", given="Wei"),)},
        dates={"issued": Date(start=(2021,))},
    ),
    Record(
        id="doe2017report",
        type="report",
        text={"title": "A report", "publisher": "NASA", "number": "TR-17"},
        names={"author": (Name(family="Doe", given="Jane"),)},
        dates={"issued": Date(start=(2017,))},
    ),
    Record(
        id="vaswani2017attention",
        type="article",
        text={
            "title": "Attention Is All You Need",
            "arxiv": "1706.03762",
            "arxiv-class": "cs.CL",
            "URL": "https://arxiv.org/abs/1706.03762",
            "DOI": "10.48550/arXiv.1706.03762",
        },
        names={"author": (Name(family="Vaswani", given="Ashish"), Name(family="Shazeer", given="Noam"))},
        dates={"issued": Date(start=(2017,))},
    ),
]


def _bibtex(tmp: Path, bib_text: str) -> list[str]:
    if shutil.which("bibtex") is None:
        pytest.skip("bibtex is not installed (apt-get install texlive-binaries)")
    (tmp / "refs.bib").write_text(bib_text, encoding="utf-8")
    (tmp / "doc.aux").write_text(
        "\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n", encoding="utf-8"
    )
    proc = subprocess.run(["bibtex", "doc"], cwd=tmp, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr  # 2 and 3 are errors
    assert "error" not in proc.stdout.lower(), proc.stdout
    assert (tmp / "doc.bbl").exists()
    return [line for line in proc.stdout.splitlines() if line.startswith("Warning--")]


def _biber(tmp: Path, bib_text: str) -> list[str]:
    if shutil.which("biber") is None:
        pytest.skip("biber is not installed (apt-get install biber)")
    (tmp / "refs.bib").write_text(bib_text, encoding="utf-8")
    proc = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--output-file", str(tmp / "out.bib"), "refs.bib"],
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "ERROR" not in out, out
    return [line for line in out.splitlines() if line.startswith("WARN")]


def _catch_all(warning: str) -> bool:
    """Biber ignores bibconv's catch-all fields (CSL variables, other formats' extras) by design."""
    m = re.search(r"Field '([^']+)' invalid in data model", warning)
    return bool(m) and (":" in m.group(1) or "-" in m.group(1))


def test_bibtex_accepts_generated_records(tmp_path: Path) -> None:
    warnings = _bibtex(tmp_path, write_bibtex(GENERATED))
    assert warnings == []
    assert read_bibtex(write_bibtex(GENERATED, options={"lossless": True})).records == GENERATED


def test_bibtex_on_converted_biblatex_examples(tmp_path: Path) -> None:
    text, _ = read_path(shared_path("corpus", "biblatex-examples.bib"))
    warnings = _bibtex(tmp_path, write_bibtex(read_bibtex(text).records))
    # the examples are BibLaTeX data: classic styles miss authors/years some entries do not have
    assert all(DATA_WARNING.match(w) for w in warnings), warnings
    original = tmp_path / "orig"
    original.mkdir()
    assert len(warnings) <= len(_bibtex(original, text))


def test_biber_accepts_generated_records(tmp_path: Path) -> None:
    for unicode in (False, True):
        warnings = _biber(tmp_path, write_bibtex(GENERATED, dialect="biblatex", options={"unicode": unicode}))
        assert [w for w in warnings if not _catch_all(w)] == []


def test_biber_on_converted_biblatex_examples(tmp_path: Path) -> None:
    text, _ = read_path(shared_path("corpus", "biblatex-examples.bib"))
    converted = write_bibtex(read_bibtex(text).records, dialect="biblatex", options={"unicode": True})
    ours = {re.sub(r"\(.*?\)", "", w) for w in _biber(tmp_path, converted) if not _catch_all(w)}
    original = tmp_path / "orig"
    original.mkdir()
    theirs = {re.sub(r"\(.*?\)", "", w) for w in _biber(original, text)}
    assert ours <= theirs, sorted(ours - theirs)


def test_bibtex_on_ascii_output_with_accents_greek_and_symbols(tmp_path: Path) -> None:
    """Issue 14 item 9: ``-t bibtex`` is ASCII wherever LaTeX has a command, and bibtex takes it."""
    record = Record(
        id="zelly",
        type="article-journal",
        text={
            "title": "Z\u0303elly, \u03b1-synuclein and \u03a3 \u2264 \u03c0 in e\u0301te\u0301",
            "container-title": "J",
        },
        names={
            "author": (Name(family="Gödel", given="Kurt"), Name(family="\u03a3\u03bc\u03b9\u03b8", given="J"))
        },
        dates={"issued": Date(start=(2020,))},
    )
    out = write_bibtex([record])
    assert str(out).isascii(), str(out)
    # Greek and math characters are written as math, the form BibTeX sources use (so
    # BibTeX -> BibTeX keeps math byte for byte).  Case protection stays the IR's
    # nocase spans: an unprotected capital is as unprotected as in a source's $\Sigma$.
    assert "{\\~Z}elly" in out and "$\\alpha$-synuclein" in out and "{\\'e}t{\\'e}" in out
    assert "$\\Sigma$ $\\leq$ $\\pi$" in out
    assert not [d for d in out.diagnostics if d.code == "BC212"]
    warnings = _bibtex(tmp_path, str(out))
    assert all(DATA_WARNING.match(w) for w in warnings), warnings
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert "$\\Sigma\\mu\\iota\\theta$" in bbl and "{\\~Z}elly" in bbl
    if shutil.which("pdflatex"):  # and LaTeX typesets the bibliography with no package
        (tmp_path / "doc.tex").write_text(
            "\\documentclass{article}\\begin{document}\\nocite{*}"
            "\\bibliographystyle{plain}\\bibliography{refs}\\end{document}\n",
            encoding="utf-8",
        )
        tex = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert tex.returncode == 0, tex.stdout[-2000:]
    back = read_bibtex(str(out)).records[0]
    assert back.text["title"] == "Z\u0303elly, \u03b1-synuclein and \u03a3 \u2264 \u03c0 in \u00e9t\u00e9"


def test_characters_without_a_command_are_reported_and_unicode_mode_is_utf8(tmp_path: Path) -> None:
    record = Record(
        id="tokyo", type="book", text={"title": "東京 \u03b1"}, dates={"issued": Date(start=(2020,))}
    )
    ascii_out = write_bibtex([record])
    (report,) = [d for d in ascii_out.diagnostics if d.code == "BC212"]
    assert "東京" in report.message and "\u03b1" not in report.message
    _bibtex(tmp_path, str(ascii_out))  # bibtex passes the UTF-8 bytes through without an error
    utf8 = write_bibtex([record], dialect="biblatex", options={"unicode": True})
    assert "東京 \u03b1" in utf8 and not [d for d in utf8.diagnostics if d.code == "BC212"]
