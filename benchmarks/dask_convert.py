"""Convert files to CSL-JSON through bibconv.dask on a local two-process cluster (a benchmark job).

    python benchmarks/dask_convert.py INPUT OUTDIR [--workers 2] [--to csljson]

The whole process is timed by benchmarks/run.py, so the figure includes
starting and closing the cluster (about a second), as a user's script would.
The cluster listens on loopback only and has no dashboard.
"""

from __future__ import annotations

import argparse
import shutil


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("input", nargs="+")
    parser.add_argument("outdir")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--to", default="csljson")
    args = parser.parse_args()

    from distributed import Client, LocalCluster

    from bibconv.dask import read_bag, write_bag

    shutil.rmtree(args.outdir, ignore_errors=True)  # no stale parts from an earlier run
    with (
        LocalCluster(
            n_workers=args.workers,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster),
    ):
        done = write_bag(read_bag(args.input), args.outdir, args.to)
    print(f"{len(done.files)} files, {len(done.diagnostics)} diagnostics")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
