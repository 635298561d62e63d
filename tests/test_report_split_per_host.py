"""One report per host name, cut into parts of at most 250 URLs (Cloudflare's limit for one form)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from detector.api import Detector
from detector.config import load_config
from detector.extract import extract_html
from detector.report import CLOUDFLARE_MAX_URLS, build_reports, write_reports
from detector.report.build import Selection

SAMPLES = Path(__file__).resolve().parent.parent / "detector" / "samples"


def _detector(tmp_path: Path) -> Detector:
    detector = Detector(load_config(db=str(tmp_path / "store.db")))
    assert detector.register([str(SAMPLES / "posts")]).added
    return detector


def _copy(detector: Detector, url: str) -> None:
    """Store a page at ``url`` through the same call the crawler makes for each page."""
    page = extract_html((SAMPLES / "pages" / "farm-mirror.html").read_bytes(), url=url)
    _, matches = detector.check_page(url, page, url, url)
    assert matches and matches[0].takedown


def test_copies_are_grouped_by_exact_host_name_and_cut_at_the_url_limit(tmp_path):
    urls = [f"https://farm.example/p/{n}/" for n in range(5)] + ["https://www.farm.example/p/0/",
                                                                 "https://other.example/copy/"]
    with _detector(tmp_path) as detector:
        for url in urls:
            _copy(detector, url)
        built = build_reports(detector.store, detector.config, max_urls=2)
        written = write_reports(detector.store, built.reports, tmp_path / "out", ("html", "json"))
    parts = [(r.host, r.part, r.parts) for r in built.reports]
    assert parts == [("farm.example", 1, 3), ("farm.example", 2, 3), ("farm.example", 3, 3),
                     ("other.example", 1, 1), ("www.farm.example", 1, 1)]
    for report in built.reports:
        assert report.notice is not None
        hosts = {urlsplit(url).hostname for url in report.notice.urls}
        assert hosts == {report.host} and len(report.notice.urls) <= 2
        assert report.notice.cloudflare["urls"].split("\n") == list(report.notice.urls)
    reported = sorted(url for r in built.reports for url in r.notice.urls)  # type: ignore[union-attr]
    assert reported == sorted(urls)
    names = sorted(f.name for w in written for f in w.files)
    assert "report-farm.example-part-3-of-3.html" in names and len(names) == len(set(names)) == 10


def test_the_default_limit_is_cloudflares_250(tmp_path):
    assert CLOUDFLARE_MAX_URLS == 250
    with _detector(tmp_path) as detector:
        for n in range(3):
            _copy(detector, f"https://farm.example/{n}/")
        built = build_reports(detector.store, detector.config, Selection(host="FARM.example"))
    assert [(r.host, r.parts, len(r.copies)) for r in built.reports] == [("farm.example", 1, 3)]
