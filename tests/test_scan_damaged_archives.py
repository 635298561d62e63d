"""Archives that a download or a copy left incomplete, or that hold nothing, are reported, not half-read.

FastWARC hands over a record that the file cuts off as if it were whole, and
reads an empty file as an archive of no records. A page missing its end is
not evidence, and a file of nothing is most likely a mistake, so both are said.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from detector.scan import ArchivedPage, Capture, Corrupt, WarcError, read_archive, write_warc
from detector.scan.writer import warc_record

from .test_scan_matches_check import PAGES, SAMPLES


def _captures() -> list[Capture]:
    return [Capture(f"https://copier.example/{name}", (PAGES / name).read_bytes())
            for name in ("unrelated.html", "partial-copy.html", "farm-mirror.html")]


def _items(path: Path, part: int = 0, parts: int = 1) -> list[ArchivedPage | Corrupt | None]:
    return list(read_archive(path, 5_000_000, part, parts))


def _pages(items: list[ArchivedPage | Corrupt | None]) -> list[tuple[str, str, bytes]]:
    return [(item.uri, item.record_id, item.body) for item in items if isinstance(item, ArchivedPage)]


def _corrupted_copy(path: Path, cut: int) -> Path:
    """``path`` with its last ``cut`` bytes gone."""
    data = path.read_bytes()
    target = path.with_name("cut-" + path.name)
    target.write_bytes(data[: len(data) - cut])
    return target


@pytest.mark.parametrize("compress", [True, False], ids=["gzip-per-record", "uncompressed"])
@pytest.mark.parametrize("cut", [500, 5_000])
def test_a_last_record_the_file_cuts_off_is_reported_as_corrupt_not_read_in_part(
        tmp_path: Path, compress: bool, cut: int) -> None:
    path = tmp_path / ("a.warc.gz" if compress else "a.warc")
    write_warc(path, _captures(), compress=compress)
    whole = _items(path)
    assert all(isinstance(item, ArchivedPage) for item in whole) and len(whole) == 3
    items = _items(_corrupted_copy(path, cut))
    assert _pages(items[:2]) == _pages(whole[:2])
    assert len(items) == 3 and isinstance(items[2], Corrupt)
    assert "ends inside this record" in items[2].reason
    assert items[2].offset > 0


def test_a_gzip_member_that_lost_only_its_trailer_still_gives_the_whole_page(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    write_warc(path, _captures(), compress=True)
    # the last 8 bytes of a gzip member are its checksum and length, not content
    assert _pages(_items(_corrupted_copy(path, 4))) == _pages(_items(path))


def test_the_parts_of_a_cut_archive_report_the_cut_record_once(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    write_warc(path, _captures() * 4, compress=True)
    cut = _corrupted_copy(path, 2_000)
    for parts in (1, 2, 3):
        items = [item for part in range(parts) for item in _items(cut, part, parts)]
        assert sum(isinstance(item, Corrupt) for item in items) == 1
        assert sum(isinstance(item, ArchivedPage) for item in items) == 11


# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the test process the child was forked from
READ_AND_MEASURE = """
import re, sys
from detector.scan import read_archive
items = list(read_archive(sys.argv[1], 5_000_000))
with open("/proc/self/status") as status:
    peak_kb = int(re.search(r"VmHWM:\\s*(\\d+)", status.read())[1])
print(len(items), sum(item is None for item in items), peak_kb // 1024)
"""


def test_checking_a_last_record_that_inflates_to_gigabytes_takes_no_memory(tmp_path: Path) -> None:
    # a 400 MB response (a video, a bomb) as the file's last record: over the size cap, so not a page,
    # and checked for a cut end by counting its inflated bytes, not by holding them
    path = tmp_path / "big.warc.gz"
    write_warc(path, _captures()[:1], compress=True)
    huge = warc_record(Capture("https://copier.example/video", b"\0" * 400_000_000, content_type="text/html"))
    with open(path, "ab") as out:
        out.write(gzip.compress(huge, compresslevel=1))
    del huge
    done = subprocess.run([sys.executable, "-c", READ_AND_MEASURE, str(path)], capture_output=True, text=True,
                          timeout=300, check=True)
    records, skipped, peak_mb = map(int, done.stdout.split())
    assert (records, skipped) == (2, 1)
    assert peak_mb < 250


@pytest.mark.parametrize("content", [b"", b"just some text, not an archive\n"], ids=["empty", "text"])
def test_a_file_without_any_warc_record_is_an_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "nothing.warc"
    path.write_bytes(content)
    with pytest.raises(WarcError, match="holds no WARC record|not a readable WARC file"):
        _items(path)


def test_scan_names_the_cut_record_and_the_empty_file_in_one_line_each_and_goes_on(run, tmp_path: Path) -> None:
    good, empty = tmp_path / "good.warc.gz", tmp_path / "empty.warc"
    write_warc(good, _captures(), compress=True)
    cut = _corrupted_copy(good, 3_000)
    empty.write_bytes(b"")
    assert run("register", str(SAMPLES / "posts"), db_path=tmp_path / "s.db").code == 0
    result = run("scan", "--quiet", str(cut), str(empty), db_path=tmp_path / "s.db")
    assert result.code == 0, result.err  # one file was scanned
    lines = result.err.strip().splitlines()
    assert any(str(cut) in line and "ends inside this record" in line for line in lines)
    assert any(str(empty) in line and "holds no WARC record" in line for line in lines)
    assert "Traceback" not in result.err
    summary = result.out.strip().splitlines()[-1]
    assert "1 corrupt records skipped" in summary and "1 files failed" in summary
