"""``detector scan`` over WARC and WET files finds what ``check`` finds on the same pages, with the same figures."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

from detector.extract import extract_html
from detector.scan import Capture, write_warc
from detector.scan.writer import warc_record

from .conftest import ROOT

SAMPLES = ROOT / "detector" / "samples"
PAGES = SAMPLES / "pages"
FIGURES = ("work_url", "extent", "coverage", "similarity", "copied_words", "chrome", "chrome_score", "spun",
           "spun_score", "authorized", "takedown", "reasons", "passages")


def manifest() -> dict[str, str]:
    """Sample page file -> the URL the manifest gives its copier."""
    data = json.loads((PAGES / "MANIFEST.json").read_text(encoding="utf-8"))
    return {entry["file"]: entry["url"] for entry in data["pages"]}


def sample_archives(folder: Path) -> dict[str, Path]:
    """Three archives holding every sample page, as the tests' own WARC writer lays them out.

    ``copies.warc.gz`` (gzip per record, with a corrupt record in the middle),
    ``more.warc`` (uncompressed) and ``text.wet.gz`` (a WET conversion record
    of the spun copy's text). Returns the archives and the files ``check`` gets.
    """
    urls = manifest()
    captures = {name: Capture(url, (PAGES / name).read_bytes()) for name, url in sorted(urls.items())}
    first = ["farm-mirror.html", "spun-copy.html", "unrelated.html", "partial-copy.html"]
    with open(folder / "copies.warc.gz", "wb") as out:
        for index, name in enumerate(first):
            out.write(gzip.compress(warc_record(captures[name]), mtime=0))
            if index == 1:  # a damaged record: its gzip member is cut short and garbled
                damaged = gzip.compress(warc_record(Capture("https://x.example/lost/", b"<p>lost</p>")), mtime=0)
                out.write(damaged[:30] + b"\x00garbage" * 4)
    write_warc(folder / "more.warc", [c for n, c in captures.items() if n not in first], compress=False)
    spun_text = extract_html((PAGES / "spun-copy.html").read_bytes()).text
    (folder / "spun-copy.txt").write_text(spun_text, encoding="utf-8")
    write_warc(folder / "text.wet.gz", [Capture("https://wet.example/spun/", spun_text.encode(), kind="conversion")])
    checked = {urls[name]: PAGES / name for name in urls}
    checked["https://wet.example/spun/"] = folder / "spun-copy.txt"
    return checked


def figures(rows: list[dict]) -> dict[str, dict]:
    return {row["page_url"]: {k: row[k] for k in FIGURES} for row in rows}


def test_scan_finds_what_check_finds_with_the_same_figures(run, tmp_path: Path):
    checked = sample_archives(tmp_path)
    (tmp_path / "junk.warc.gz").write_bytes(b"this is not an archive\n" * 20)
    scan_db, check_db = tmp_path / "scan.db", tmp_path / "check.db"
    for db in (scan_db, check_db):
        assert run("register", str(SAMPLES / "posts"), db_path=db).code == 0

    result = run("scan", "--workers", "2", "--quiet", str(tmp_path / "copies.warc.gz"), str(tmp_path / "more.warc"),
                 str(tmp_path / "text.wet.gz"), str(tmp_path / "junk.warc.gz"), db_path=scan_db)
    assert result.code == 0, result.err
    assert "8 records" in result.out and "1 corrupt records skipped" in result.out and "1 files failed" in result.out
    errors = result.err.strip().splitlines()
    assert len(errors) == 2
    assert any("junk.warc.gz: not a readable WARC file" in line for line in errors)
    assert any("copies.warc.gz: corrupt record" in line for line in errors)

    assert run("check", *map(str, checked.values()), db_path=check_db).code == 0
    scanned = figures(json.loads(run("matches", "--json", db_path=scan_db).out))
    by_file = figures(json.loads(run("matches", "--json", db_path=check_db).out))
    expected = {url: by_file[str(path)] for url, path in checked.items() if str(path) in by_file}
    assert len(expected) == 7  # six sample copies and the WET text; the unrelated page matches nothing
    assert scanned == expected
    assert scanned["https://wet.example/spun/"]["spun"] is True


def test_a_scanned_copy_carries_the_warc_fields_as_evidence(run, tmp_path: Path):
    sample_archives(tmp_path)
    assert run("register", str(SAMPLES / "posts")).code == 0
    assert run("scan", "--workers", "1", str(tmp_path / "more.warc")).code == 0
    with sqlite3.connect(tmp_path / "store.db") as db:
        rows = db.execute("SELECT s.url, s.headers, s.fetched_at, s.sha256, p.key FROM snapshots s"
                          " JOIN pages p ON p.id = s.page_id").fetchall()
    assert rows
    for url, headers, fetched_at, _sha, key in rows:
        fields = json.loads(headers)
        assert url == key == fields["warc-target-uri"]
        assert fields["warc-record-id"].startswith("<urn:uuid:")
        assert fields["warc-payload-digest"].startswith("sha1:")
        assert fields["warc-filename"].endswith("more.warc")
        assert fetched_at == fields["warc-date"]
    report = run("report", "--format", "json", "--out", str(tmp_path / "reports"))
    assert report.code == 0, report.err
    assert list((tmp_path / "reports").glob("report-*.json"))


def test_scanning_again_adds_no_new_matches(run, tmp_path: Path):
    sample_archives(tmp_path)
    assert run("register", str(SAMPLES / "posts")).code == 0
    first = run("scan", "--workers", "1", str(tmp_path))
    again = run("scan", "--workers", "1", str(tmp_path))
    assert "7 new matches" in first.out and "0 new matches" in again.out
