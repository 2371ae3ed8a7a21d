"""Hostile inputs against every reader, and hostile files against every command.

``python tools/hostile.py`` runs each case at full size (a 50 MB field, a
million-entry file, ...) for every registered reader, each in its own process
with a time limit, then the file and process cases (:data:`FILE_CASES`: a
directory, a FIFO, a symlink loop, ``/dev/zero``, a read-only target …)
against the commands, and writes both tables to ``docs/robustness.md``.
``python tools/hostile.py --files-only`` regenerates only the second table.
``tests/test_hostile.py`` runs the same cases at a small scale in CI.

A result is "ok" when the reader returned (records and/or diagnostics) within
the limit and writing those records as CSL-JSON worked; anything else (an
exception, a recursion error, a timeout, running out of memory) is a failure.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

MB = 1 << 20


def _bib_entries(n: int) -> bytes:
    one = "@article{k%d,\n  author = {Doe, Jane and Roe, R.},\n  title = {Title %d},\n  year = {2020}\n}\n"
    return "".join(one % (i, i) for i in range(n)).encode()


def _string_doubling(levels: int) -> bytes:
    lines = ['@string{m0 = "xy"}'] + [f"@string{{m{i} = m{i - 1} # m{i - 1}}}" for i in range(1, levels + 1)]
    lines.append(f"@misc{{k, title = m{levels}, note = m{levels} # m{levels}}}")
    return ("\n".join(lines) + "\n").encode()


def _crossref_chain(chain: int, cycle: int) -> bytes:
    """A chain whose child comes first (so resolving walks it all) and a closed loop."""
    lines = [f"@inbook{{e{i}, crossref = {{e{i + 1}}}, pages = {{{i}}}}}" for i in range(chain)]
    lines.append(f"@book{{e{chain}, title = {{Top}}, publisher = {{P}}, year = 2000}}")
    lines += [f"@book{{c{i}, crossref = {{c{(i + 1) % cycle}}}, title = {{T{i}}}}}" for i in range(cycle)]
    return ("\n".join(lines) + "\n").encode()


#: name → (description, builder(scale) -> bytes).  ``scale`` is 1.0 at full size.
CASES: dict[str, tuple[str, Callable[[float], bytes]]] = {
    "nested-braces": (
        "100,000 nested `{` (and `[`) with no closers",
        lambda s: b"@article{k, title = " + b"{" * int(100_000 * s) + b"[" * int(100_000 * s),
    ),
    "huge-field": (
        "one 50 MB field value",
        lambda s: b"@misc{k, note = {" + b"x" * int(50 * MB * s) + b"}}\nTY  - GEN\nN1  - x\nER  - \n",
    ),
    "million-entries": (
        "a file of 1,000,000 small BibTeX entries",
        lambda s: _bib_entries(int(1_000_000 * s)),
    ),
    "nul-bytes": ("1 MB of NUL bytes", lambda s: b"\x00" * int(MB * s)),
    "invalid-utf8": (
        "bytes that are not UTF-8 (0xff 0xfe runs, lone continuation bytes)",
        lambda s: (
            (b"@book{k, title={\xff\xfe\x80abc}}\nTY  - BOOK\nTI  - \xc3\x28\nER  - \n") * int(1000 * s + 1)
        ),
    ),
    "mixed-newlines": (
        "LF, CRLF and lone CR mixed",
        lambda s: (
            b"@book{a,\r\n title={T},\r year={2000}}\n\rTY  - BOOK\r\nTI  - T\rER  - \n" * int(1000 * s + 1)
        ),
    ),
    "string-cycle": (
        "@string macros that refer to each other in a cycle",
        lambda s: b"@string{a = b}\n@string{b = a # c}\n@string{c = a}\n@book{k, title = a}\n",
    ),
    "crossref-cycle": (
        "crossref chains that loop",
        lambda s: b"@book{a, crossref={b}, title={A}}\n@book{b, crossref={c}}\n@book{c, crossref={a}}\n",
    ),
    "string-doubling": (
        "40 `@string` macros, each the previous one `#` itself (2**40 characters unbounded; "
        "cut at 1 Mi characters per value, 64 Mi per file: BC122)",
        lambda s: _string_doubling(max(2, int(40 * s) if s < 1 else 40)),
    ),
    "crossref-chain": (
        "a crossref chain of 1,000 entries and a crossref cycle of 20,000 (followed 64 entries up: BC123)",
        lambda s: _crossref_chain(max(3, int(1_000 * s)), max(3, int(20_000 * s))),
    ),
    "redos-probe": (
        "long runs of near-matches for every sniffer/lexer pattern",
        lambda s: (
            b"@" * int(50_000 * s)
            + b"TY  -" * int(20_000 * s)
            + b"Abstract:" * int(20_000 * s)
            + b"arXiv:2" * int(20_000 * s)
            + b"LGNov 15, 2022" * int(10_000 * s)
            + b'{"id": ' * int(20_000 * s)
        ),
    ),
    "deep-json": (
        "JSON nested 100,000 levels deep",
        lambda s: b"[" * int(100_000 * s) + b"]" * int(100_000 * s),
    ),
    "xml-entity-bomb": (
        "an XML entity bomb and an external entity (CSL-style-like input)",
        lambda s: (
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
            b'<!ENTITY x SYSTEM "file:///etc/passwd">]><style>&c;&x;</style>'
        ),
    ),
}


def _peak_mb() -> int:
    """This process's peak RSS since exec.

    ``ru_maxrss`` keeps the high-water mark of the parent at fork time (Linux
    carries it across exec), so the per-address-space ``VmHWM`` is read instead.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _child(reader_name: str, path: str) -> None:
    """Run one reader on one file and print a JSON result (inside a subprocess)."""
    from bibconv.registry import default_registry
    from bibconv.textio import decode

    reg = default_registry()
    start = time.monotonic()
    out: dict[str, object] = {}
    try:
        text, diags = decode(Path(path).read_bytes(), path)
        result = reg.reader(reader_name).read(text, file=path)
        reg.writer("csljson").write(result.records)
        codes = sorted({d.code for d in [*diags, *result.diagnostics]})
        out = {"ok": True, "records": len(result.records), "codes": codes}
    except BaseException as exc:  # the point is to catch everything and report it
        out = {"ok": False, "error": f"{type(exc).__name__}: {str(exc)[:120]}"}
    out["seconds"] = round(time.monotonic() - start, 2)
    out["peak_mb"] = _peak_mb()
    print(json.dumps(out))


def run_case(reader: str, case: str, scale: float, workdir: Path, limit: float) -> dict[str, object]:
    """Run one (reader, case) in a subprocess with a time limit."""
    data = CASES[case][1](scale)
    path = workdir / f"{case}.in"
    if not path.exists() or path.stat().st_size != len(data):
        path.write_bytes(data)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", reader, str(path)],
            capture_output=True,
            text=True,
            timeout=limit,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"timeout after {limit:.0f} s"}
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        return {"ok": False, "error": f"exit {proc.returncode}: {proc.stderr.strip()[-200:]}"}
    result: dict[str, object] = json.loads(lines[-1])
    return result


def _file_setup(tmp: Path) -> dict[str, Path]:
    """The files the file cases use, made fresh in ``tmp``."""
    ok = tmp / "ok.bib"
    ok.write_text("@article{k, author = {Doe, Jane}, title = {A Title}, journal = {J}, year = {2020}}\n")
    (tmp / "dir").mkdir(exist_ok=True)
    for a, b in (("loop1", "loop2"), ("loop2", "loop1")):
        if not (tmp / a).is_symlink():
            (tmp / a).symlink_to(tmp / b)
    if not (tmp / "dangling").is_symlink():
        (tmp / "dangling").symlink_to(tmp / "nowhere")
    (tmp / "u16.bib").write_bytes("@ARTICLE{k,TITLE={T}}\n".encode("utf-16"))
    ro = tmp / "readonly.json"
    if not ro.exists():
        ro.write_text("keep")
    ro.chmod(0o444)
    big = tmp / "bigtitle.ris"  # no ID: the key is generated from the title
    big.write_text("TY  - BOOK\nTI  - " + "x" * (10 * MB) + "\nER  - \n")
    return {"ok": ok, "big": big}


#: name → (description, argv after ``bibconv`` with ``{tmp}`` for the work folder, allowed exit codes).
FILE_CASES: dict[str, tuple[str, list[str], tuple[int, ...]]] = {
    "directory": ("a directory as input", ["convert", "{tmp}/dir", "-t", "ris"], (5,)),
    "symlink-loop": ("a symlink loop as input", ["validate", "{tmp}/loop1"], (5,)),
    "dangling-link": ("a dangling symlink as input", ["convert", "{tmp}/dangling", "-t", "ris"], (5,)),
    "dev-zero-input": (
        "`/dev/zero` as input (read up to the stream bound)",
        ["convert", "/dev/zero", "-t", "ris"],
        (5,),
    ),
    "pipe-input": ("a pipe (`<(...)`, `/dev/fd/N`) as input", ["convert", "{pipe}", "-t", "ris"], (0,)),
    "dev-zero-style": (
        "`--style /dev/zero`",
        ["convert", "{tmp}/ok.bib", "-t", "text", "--style", "/dev/zero"],
        (4,),
    ),
    "empty-style": ("`--style ''`", ["convert", "{tmp}/ok.bib", "-t", "text", "--style", ""], (2,)),
    "utf16-format": ("`format` on a UTF-16 file", ["format", "{tmp}/u16.bib"], (1,)),
    "readonly-output": (
        "`-o` onto a read-only file",
        ["convert", "{tmp}/ok.bib", "-t", "csljson", "-o", "{tmp}/readonly.json"],
        (5,),
    ),
    "missing-output-dir": (
        "`-o` into a folder that does not exist",
        ["convert", "{tmp}/ok.bib", "-t", "csljson", "-o", "{tmp}/no/out.json"],
        (5,),
    ),
    "missing-cite-key": ("`cite` with a key that has no record", ["cite", "{tmp}/ok.bib", "nosuchkey"], (1,)),
    "10mb-title-key": (
        "a 10 MB title that a key is generated from",
        ["convert", "{tmp}/bigtitle.ris", "-t", "bibtex"],
        (0,),
    ),
}


def run_file_case(case: str, tmp: Path, limit: float) -> dict[str, object]:
    """Run one command case in a subprocess: it must exit with an allowed code and no traceback."""
    _file_setup(tmp)
    _, argv, allowed = FILE_CASES[case]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    read_fd = write_fd = -1
    fds: tuple[int, ...] = ()
    if "{pipe}" in argv:
        read_fd, write_fd = os.pipe()
        os.write(write_fd, (tmp / "ok.bib").read_bytes())
        os.close(write_fd)
        fds = (read_fd,)
    args = [a.replace("{tmp}", str(tmp)).replace("{pipe}", f"/dev/fd/{read_fd}") for a in argv]
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bibconv", *args],
            capture_output=True,
            text=True,
            timeout=limit,
            env=env,
            pass_fds=fds,
        )
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"timeout after {limit:.0f} s"}
    finally:
        if read_fd >= 0:
            os.close(read_fd)
    seconds = round(time.monotonic() - start, 2)
    # format and validate print their findings on stdout; convert's stdout is the output itself
    said = proc.stderr.strip() or (proc.stdout.strip() if argv[0] in ("format", "validate") else "")
    message = (said.splitlines() or [""])[-1].replace(str(tmp), "…")[:110]
    traceback = "Traceback" in proc.stderr
    longest_key = max((len(line) for line in proc.stdout.splitlines() if line.startswith("@")), default=0)
    return {
        "ok": proc.returncode in allowed and not traceback,
        "exit": proc.returncode,
        "seconds": seconds,
        "message": message,
        "error": "traceback" if traceback else f"exit {proc.returncode}, expected {allowed}",
        "key_line": longest_key,
    }


def _file_table(limit: float) -> tuple[str, int]:
    import tempfile

    rows = []
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case, (desc, _, _) in FILE_CASES.items():
            r = run_file_case(case, Path(tmp), limit)
            if r.get("ok"):
                extra = f"; longest `@type{{key,` line {r['key_line']} chars" if r.get("key_line") else ""
                cell = f"ok: exit {r['exit']}, {r['seconds']} s{extra}; `{r['message']}`"
            else:
                failures += 1
                cell = f"**FAIL** {r.get('error')}"
            print(case, cell, flush=True)
            rows.append(f"| {case} | {desc} | {cell} |")
        (Path(tmp) / "readonly.json").chmod(0o644)
    from bibconv.citation.styles import MAX_STYLE_BYTES
    from bibconv.keys import MAX_KEY_LENGTH
    from bibconv.textio import MAX_STREAM_BYTES

    text = (
        f"{FILES_HEADING}\n\n"
        "Each case runs `bibconv` in its own process; it must end with the expected exit code and a\n"
        "one-line message, never a traceback.  `tests/test_hostile.py` runs these cases in CI.\n\n"
        "| case | input | result |\n|---|---|---|\n" + "\n".join(rows) + "\n\n"
        "Bounds:\n\n"
        "* a non-seekable input (stdin, a pipe, `<(...)`, a device) is read up to"
        f" {MAX_STREAM_BYTES // MB} MB (`bibconv.textio.MAX_STREAM_BYTES`), then refused with exit 5;\n"
        f"* a CSL style file must be a regular file of at most {MAX_STYLE_BYTES // MB} MB"
        " (`bibconv.citation.styles.MAX_STYLE_BYTES`; a device or FIFO is refused unread, exit 4);\n"
        f"* a generated citation key has at most {MAX_KEY_LENGTH} characters"
        " (`bibconv.keys.MAX_KEY_LENGTH`);\n"
        "* every output file is written through one helper (`bibconv.textio.atomic_writer`): a temporary\n"
        "  file in the target's folder, renamed over the target when complete; symlinks are written\n"
        "  through, the mode is kept, a read-only target is refused (exit 5), a target with several hard\n"
        "  links is rewritten in place once the new content is complete, SIGINT/SIGTERM remove the\n"
        "  temporary file, and every error names the target, not the temporary file;\n"
        "* a closed stdout (`bibconv convert big.bib | head -1`) ends the command quietly with exit 0.\n"
    )
    return text, failures


FILES_HEADING = "## Files and processes"


def main() -> int:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--limit", type=float, default=300.0, help="seconds per reader and case")
    parser.add_argument("--output", default=str(ROOT / "docs" / "robustness.md"))
    parser.add_argument(
        "--files-only", action="store_true", help="regenerate only the files-and-processes table"
    )
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return 0
    if args.files_only:
        files, failed = _file_table(min(args.limit, 120.0))
        page = Path(args.output).read_text(encoding="utf-8")
        page = page.split(FILES_HEADING, 1)[0].rstrip("\n") + "\n\n" + files
        Path(args.output).write_text(page, encoding="utf-8")
        return 1 if failed else 0

    from bibconv.registry import default_registry

    readers = default_registry().names("readers")
    rows = []
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case, (desc, _) in CASES.items():
            cells = []
            for reader in readers:
                r = run_case(reader, case, args.scale, Path(tmp), args.limit)
                if r.get("ok"):
                    codes = ",".join(r["codes"][:4]) if r.get("codes") else "-"  # type: ignore[index]
                    cells.append(f"ok: {r['records']} rec, {codes}; {r['seconds']} s, {r['peak_mb']} MB")
                else:
                    failures += 1
                    cells.append(f"**FAIL** {r.get('error')}")
                print(case, reader, cells[-1], flush=True)
            rows.append(f"| {case} | {desc} | " + " | ".join(cells) + " |")
    header = (
        "# Robustness: hostile inputs per reader\n\n"
        f"Generated by `python tools/hostile.py` on {date.today().isoformat()} "
        f"(scale {args.scale}, limit {args.limit:.0f} s per cell, {os.cpu_count()} cores).  Each cell: "
        "records read, the first diagnostic codes, wall time, peak RSS of the process.  A reader\n"
        "given input of another format simply finds no records: the point is that it returns,\n"
        "in bounded time and memory, with diagnostics.  `tests/test_hostile.py` runs the same\n"
        "cases at a small scale in CI.\n\n"
        "| case | input | " + " | ".join(readers) + " |\n|---|---|" + "---|" * len(readers) + "\n"
    )
    files, failed = _file_table(min(args.limit, 120.0))
    Path(args.output).write_text(header + "\n".join(rows) + "\n\n" + files, encoding="utf-8")
    return 1 if failures or failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
