"""Coverage-guided fuzzing of every registered reader with atheris.

Usage::

    python tools/fuzz.py                      # every reader, 60 s each
    python tools/fuzz.py --reader bibtex --seconds 600
    python tools/fuzz.py --seed 1 --runs 2000 # repeatable: what the CI runs
    python tools/fuzz.py --list

Each reader runs in its own process (atheris allows one fuzz loop per
process).  An input is a crash when reading it raises, when writing the
records it produced to any writer raises, or when it takes longer than
``--timeout`` seconds.  Crashing inputs are saved under ``tools/_work/crashes``
so they can become regression tests (``tests/regressions/``).  Seed inputs
come from the project's own fixtures (``tests/data``) and the examples.

atheris is a development tool, not a dependency: ``pip install atheris``.
The CI runs a short fuzz with a fixed seed and a fixed number of inputs, so
that its verdict depends on the code, not on the draw or on the machine's
speed; exploring with fresh seeds and longer runs is done by hand, and what it
finds becomes a regression test.  The hypothesis-based fuzz
test (``tests/test_fuzz.py``) runs in the test suite.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "tools" / "_work"
sys.path.insert(0, str(ROOT / "src"))


def _seed_files(reader: str) -> list[Path]:
    """Project-owned example inputs that the reader accepts, as a starting corpus."""
    from bibconv.registry import default_registry

    cls = type(default_registry().reader(reader))
    found = []
    for folder in (ROOT / "tests" / "data", ROOT / "docs" / "examples"):
        if not folder.exists():
            continue
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.stat().st_size > 200_000:
                continue
            head = path.read_text(encoding="utf-8", errors="replace")[:8192]
            try:
                if cls().sniff(head) >= 0.5:
                    found.append(path)
            except Exception:
                continue
    return found[:50]


def run_one(reader: str) -> None:
    """The fuzz loop for one reader (runs inside the child process)."""
    import atheris

    with atheris.instrument_imports():
        import bibconv.api  # noqa: F401
        from bibconv.registry import default_registry
        from bibconv.textio import decode

        # the registry imports a plugin only when it is asked for (lazy), so the reader and
        # the writers are loaded here, inside the instrumentation, for coverage guidance
        registry = default_registry()
        target = registry.reader(reader)
        writers = [
            registry.writer(name)
            for name in registry.names("writers")
            if name not in ("text", "html", "markdown")
        ]

    def one_input(data: bytes) -> None:
        text, _ = decode(data, "fuzz")
        result = target.read(text, file="fuzz")
        for writer in writers:
            writer.write(result.records)

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reader", action="append", help="reader name (repeatable; default: all)")
    parser.add_argument("--seconds", type=int, default=60, help="fuzzing time per reader")
    parser.add_argument("--timeout", type=int, default=10, help="seconds one input may take")
    parser.add_argument("--max-len", type=int, default=4096, help="largest input in bytes")
    parser.add_argument(
        "--runs",
        type=int,
        default=0,
        help="inputs per reader (0: as many as --seconds allow); with --seed, the same inputs each time",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="libFuzzer's random seed; 0 (default) draws one, a fixed seed makes a run repeatable",
    )
    parser.add_argument("--list", action="store_true", help="list the readers and exit")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()

    if args.child:
        sys.argv = [sys.argv[0], *rest]
        run_one(args.child)
        return 0

    from bibconv.registry import default_registry

    readers = args.reader or default_registry().names("readers")
    if args.list:
        print("\n".join(readers))
        return 0
    failures = 0
    for reader in readers:
        corpus = WORK / "corpus" / reader
        crashes = WORK / "crashes" / reader
        corpus.mkdir(parents=True, exist_ok=True)
        crashes.mkdir(parents=True, exist_ok=True)
        for seed in _seed_files(reader):
            (corpus / seed.name).write_bytes(seed.read_bytes())
        cmd = [
            sys.executable,
            __file__,
            "--child",
            reader,
            f"-max_total_time={args.seconds}",
            f"-timeout={args.timeout}",
            f"-max_len={args.max_len}",
            f"-seed={args.seed}",
            f"-runs={args.runs or -1}",
            f"-artifact_prefix={crashes}/",
            "-rss_limit_mb=4096",
            "-print_final_stats=1",
            str(corpus),
        ]
        start = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        elapsed = time.monotonic() - start
        stats = [
            line for line in proc.stderr.splitlines() if line.startswith("stat::number_of_executed_units")
        ]
        runs = stats[-1].split(":")[-1].strip() if stats else "?"
        status = "ok" if proc.returncode == 0 else f"CRASH (exit {proc.returncode})"
        print(f"{reader:<10} {elapsed:7.1f} s  {runs:>9} inputs  {status}")
        if proc.returncode != 0:
            failures += 1
            # atheris prints an uncaught exception's traceback on stdout, libFuzzer's report on stderr
            print("\n".join(proc.stdout.splitlines()[-40:]))
            print("\n".join(proc.stderr.splitlines()[-15:]))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
