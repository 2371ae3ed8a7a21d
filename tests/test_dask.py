"""bibconv.dask on a two-process LocalCluster gives what one process gives.

The cluster listens on loopback only, has no dashboard, and is closed by its
fixture; every wait is bounded.  Output files (one per partition) are joined
and compared with :func:`bibconv.convert` of the same input, and so are the
diagnostics, positions included.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

import bibconv

from .conftest import shared_path
from .test_chunks import SMALL

distributed = pytest.importorskip("distributed")
bdask = pytest.importorskip("bibconv.dask")


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    cluster = distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
        timeout=60,
    )
    try:
        with distributed.Client(cluster, timeout=60) as c:
            c.wait_for_workers(2, timeout=60)
            yield c
    finally:
        cluster.close(timeout=60)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.bib"
    path.write_text(SMALL, encoding="utf-8")
    return path


def worker_pids(client: distributed.Client) -> set[int]:
    return set(client.run(os.getpid, wait=True).values())


def test_csljson_on_two_workers_equals_one_process(
    client: distributed.Client, small: Path, tmp_path: Path
) -> None:
    assert len(worker_pids(client) - {os.getpid()}) == 2
    with distributed.get_task_stream(client) as stream:
        done = bdask.write_bag(bdask.read_bag(small, block_bytes=64), tmp_path / "out", "csljson")
    assert stream.data, "the work ran on the cluster's workers"
    assert {t["worker"] for t in stream.data} <= set(client.scheduler_info()["workers"])
    chunks = bibconv.plan(small, block_bytes=64)
    assert [Path(f).name for f in done.files] == [f"part-{i:05d}.json" for i in range(len(chunks))]
    items = [item for f in done.files for item in json.loads(Path(f).read_text(encoding="utf-8"))]
    conv = bibconv.convert(small, "csljson")
    assert items == json.loads(conv.text)
    assert Counter(done.diagnostics) == Counter(conv.diagnostics)
    assert all(d.file == str(small) and d.line for d in done.diagnostics if d.code != "BC201")
    assert {"BC106", "BC111"} <= {d.code for d in done.diagnostics}


def test_ris_parts_join_to_the_single_process_file(
    client: distributed.Client, small: Path, tmp_path: Path
) -> None:
    done = bdask.write_bag(bdask.read_bag(small, block_bytes=64), tmp_path / "out", "ris")
    texts = [Path(f).read_bytes().decode("utf-8") for f in done.files]
    conv = bibconv.convert(small, "ris")
    assert "\r\n".join(t for t in texts if t) == conv.text
    assert Counter(done.diagnostics) == Counter(conv.diagnostics)


def test_a_mapped_bag_and_unpacked_read(client: distributed.Client, small: Path, tmp_path: Path) -> None:
    records, diagnostics = bdask.read_bag([small, small], block_bytes=256)
    kept = records.filter(lambda r: r.type == "article-journal")
    done = bdask.write_bag(kept, tmp_path / "out", "csljson", indent=0)
    items = [item for f in done.files for item in json.loads(Path(f).read_text(encoding="utf-8"))]
    whole = [r for r in bibconv.read(small).records * 2 if r.type == "article-journal"]
    # the second copy of the file repeats every id: renamed across partitions as one write renames them
    assert [i["id"] for i in items] == [i["id"] for i in json.loads(bibconv.write(whole, "csljson"))]
    assert len({i["id"] for i in items}) == len(items)
    assert sum(d.code == "BC211" for d in done.diagnostics) == len(whole) - len({r.id for r in whole})
    assert Counter(diagnostics.compute()) == Counter(bibconv.read(small).diagnostics * 2)


def test_writers_that_need_every_record_are_refused(small: Path, tmp_path: Path) -> None:
    for fmt in ("bibtex", "biblatex", "text"):
        with pytest.raises(ValueError, match="cannot be written one partition at a time"):
            bdask.write_bag(bdask.read_bag(small), tmp_path / fmt, fmt)
        assert not (tmp_path / fmt).exists()


@pytest.mark.slow
def test_corpus_on_two_workers_equals_one_process(client: distributed.Client, tmp_path: Path) -> None:
    corpus = shared_path("corpus", "jgrey-main.bib.gz")
    done = bdask.write_bag(bdask.read_bag(corpus, block_bytes=1 << 20), tmp_path / "out", "csljson")
    assert len(done.files) > 4
    items = [item for f in done.files for item in json.loads(Path(f).read_text(encoding="utf-8"))]
    conv = bibconv.convert(corpus, "csljson")
    assert items == json.loads(conv.text)
    assert Counter(done.diagnostics) == Counter(conv.diagnostics)
