"""Workers that share one archive read disjoint parts of it that together hold every record once.

A file gzipped per record is cut into byte ranges at record boundaries, so
no worker decompresses another's records; an uncompressed file is read whole
by each worker, which keeps every n-th record.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from detector.scan import ArchivedPage, Capture, Corrupt, read_archive, write_warc
from detector.scan.local import PARTS_PER_WORKER, plan_shards
from detector.scan.writer import warc_record

from .test_scan_matches_check import PAGES, SAMPLES, figures, manifest


def _captures(count: int) -> list[Capture]:
    """Responses of different sizes, with request and metadata records between them, as Common Crawl lays them out."""
    captures = []
    for i in range(count):
        uri = f"https://site{i % 7}.example/post/{i}/"
        body = (f"<html><body><article><p>Post {i}.</p>" + "<p>Some words here.</p>" * (i * 37 % 200)
                + "</article></body></html>").encode()
        captures += [Capture(uri, f"GET /post/{i}/ HTTP/1.1\r\nHost: x\r\n\r\n".encode(), kind="request"),
                     Capture(uri, body),
                     Capture(uri, b"fetchTimeMs: 12\r\n", kind="metadata")]
    return captures


def _write(path: Path, captures: list[Capture], compress: bool, corrupt_after: int | None = None) -> None:
    write_warc(path, captures, compress=compress)
    if corrupt_after is not None:  # a gzip member cut short and garbled, between two good ones
        with open(path, "wb") as out:
            for index, capture in enumerate(captures):
                out.write(gzip.compress(warc_record(capture), mtime=0))
                if index == corrupt_after:
                    damaged = gzip.compress(warc_record(Capture("https://x.example/lost/", b"<p>lost</p>")), mtime=0)
                    out.write(damaged[:30] + b"\x00garbage" * 4)


def _read(path: Path, part: int = 0, parts: int = 1) -> tuple[list[str], int]:
    """The URIs of the pages read, and how many corrupt records were reported."""
    uris, corrupt = [], 0
    for item in read_archive(path, 5_000_000, part, parts):
        if isinstance(item, Corrupt):
            corrupt += 1
        elif isinstance(item, ArchivedPage):
            uris.append(item.uri)
    return uris, corrupt


@pytest.mark.parametrize("compress", [True, False], ids=["gzip-per-record", "uncompressed"])
@pytest.mark.parametrize("parts", [2, 3, 7])
def test_the_parts_of_an_archive_hold_every_record_exactly_once(tmp_path: Path, compress: bool, parts: int) -> None:
    path = tmp_path / ("a.warc.gz" if compress else "a.warc")
    _write(path, _captures(40), compress)
    whole, _ = _read(path)
    assert len(whole) == 40
    read = [uri for part in range(parts) for uri in _read(path, part, parts)[0]]
    assert Counter(read) == Counter(whole)
    assert all(_read(path, part, parts)[0] for part in range(parts))  # every part has records to read


def test_a_corrupt_record_is_reported_once_by_the_part_that_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    _write(path, _captures(30), compress=True, corrupt_after=44)
    whole, corrupt = _read(path)
    assert (len(whole), corrupt) == (30, 1)
    for parts in (2, 3, 5):
        results = [_read(path, part, parts) for part in range(parts)]
        assert Counter(uri for uris, _ in results for uri in uris) == Counter(whole)
        assert sum(count for _, count in results) == 1


def test_scanning_one_archive_with_two_workers_stores_what_one_worker_stores(run, tmp_path: Path) -> None:
    urls = manifest()
    captures = [Capture(url, (PAGES / name).read_bytes()) for name, url in sorted(urls.items())]
    archive = tmp_path / "copies.warc.gz"
    _write(archive, _captures(20) + captures + _captures(20), compress=True, corrupt_after=30)
    stores = {workers: tmp_path / f"w{workers}.db" for workers in (1, 2)}
    outputs = {}
    for workers, db in stores.items():
        assert run("register", str(SAMPLES / "posts"), db_path=db).code == 0
        result = run("scan", "--workers", str(workers), "--quiet", str(archive), db_path=db)
        assert result.code == 0, result.err
        outputs[workers] = result.out.strip().splitlines()[-1]
    assert outputs[1] == outputs[2]
    assert "1 corrupt records skipped" in outputs[2] and f"{len(captures) + 40} records" in outputs[2]
    one, two = (figures(json.loads(run("matches", "--json", db_path=db).out)) for db in stores.values())
    assert len(one) == 6 and one == two


def test_a_gzipped_archive_is_cut_finer_than_the_workers_and_an_uncompressed_one_is_not(tmp_path: Path) -> None:
    """Finer parts of a gzipped file balance the workers' last minutes; each part of an uncompressed file
    reads the whole file, so it gets one part per worker."""
    gz, plain, other = tmp_path / "a.warc.gz", tmp_path / "b.warc", tmp_path / "c.warc.gz"
    _write(gz, _captures(4), compress=True)
    _write(plain, _captures(4), compress=False)
    _write(other, _captures(4), compress=True)
    assert [(s.index, s.count) for s in plan_shards([str(gz)], 2)] == [(i, 2 * PARTS_PER_WORKER) for i in range(8)]
    assert [(s.index, s.count) for s in plan_shards([str(plain)], 2)] == [(0, 2), (1, 2)]
    assert [(s.path, s.count) for s in plan_shards([str(gz), str(plain), str(other)], 2)] == [
        (str(gz), 1), (str(plain), 1), (str(other), 1)]
    assert len(plan_shards([str(gz)], 1)) == 1
    assert plan_shards([], 2) == []
