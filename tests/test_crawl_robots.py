"""robots.txt per RFC 9309: longest match, Allow wins ties, 4xx allows, 5xx forbids, cached at most 24 h."""

from __future__ import annotations

import time

from detector.crawl.robots import Rules

from .crawl_site import config_file, serve
from .reliability.conftest import run_detector

UA = "detector/1.0 (+https://example.org/contact)"
PAGE = "<html><body><article><p>Some words on page {}.</p></article></body></html>"


def test_the_longest_match_wins_and_allow_wins_a_tie():
    rules = Rules.make(200, "User-agent: *\nDisallow: /a\nAllow: /a/b\nAllow: /tie\nDisallow: /tie\n"
                            "Disallow: /*.pdf$\n", time.time())
    assert rules.allowed("https://x.example/a/b/c", UA)
    assert not rules.allowed("https://x.example/a/x", UA)
    assert rules.allowed("https://x.example/tie", UA)
    assert not rules.allowed("https://x.example/file.pdf", UA) and rules.allowed("https://x.example/file.pdf?x", UA)


def test_our_own_group_wins_over_the_star_group_and_carries_its_crawl_delay():
    rules = Rules.make(200, "User-agent: *\nDisallow: /\n\nUser-agent: detector\nAllow: /\nCrawl-delay: 3\n", 0)
    assert rules.allowed("https://x.example/page", UA) and rules.crawl_delay(UA) == 3.0


def test_status_codes_map_as_rfc_9309_says():
    assert Rules.make(404, "", 0).allowed("https://x.example/a", UA)
    assert Rules.make(403, "", 0).allowed("https://x.example/a", UA)
    assert not Rules.make(503, "", 0).allowed("https://x.example/a", UA)
    assert not Rules.make(0, "", 0).allowed("https://x.example/a", UA)  # unreachable
    assert not Rules.make(429, "", 0).allowed("https://x.example/a", UA)


def _crawl(run, tmp_path, urls, **sections):
    args = ["--config", config_file(tmp_path / "cfg.toml", **sections), "crawl", "--quiet"]
    for url in urls:
        args += ["--url", url]
    return run(*args, db_path=None)


def test_a_missing_robots_txt_allows_and_a_failing_one_forbids_and_says_why(run, tmp_path):
    """RFC 9309: a 5xx or no answer at all forbids the site. That is the site failing, not the site
    shutting the crawler out, so the page is a failure with the cause, never 'skipped by robots.txt'."""
    with serve() as open_site, serve() as failing:
        open_site.page("/p", PAGE.format(1))
        failing.page("/robots.txt", "down", "text/plain", status=500)
        failing.page("/p", PAGE.format(2))
        result = _crawl(run, tmp_path, [open_site.url("/p"), failing.url("/p"), "http://127.0.0.1:9/p"])
    assert "1 fetched" in result.out and "0 skipped by robots.txt" in result.out
    assert "robots.txt answered 500: 1" in result.out and "robots.txt unreachable: 1" in result.out
    assert "/p" not in failing.paths()
    errors = result.err.strip().splitlines()
    assert f"detector: {failing.url('/p')}: robots.txt answered 500" in errors
    assert any(e.startswith("detector: http://127.0.0.1:9/p: robots.txt unreachable (") and "cannot connect" in e
               for e in errors)


def test_a_robots_txt_over_500_kib_is_read_up_to_there_not_taken_as_forbidding_all(run, tmp_path):
    with serve() as site:
        comments = "".join(f"# line {i} of a very long robots.txt\n" for i in range(20_000))
        site.page("/robots.txt", "User-agent: *\nDisallow: /private\n" + comments, "text/plain")
        site.page("/p", PAGE.format(1))
        site.page("/private/q", PAGE.format(2))
        result = _crawl(run, tmp_path, [site.url("/p"), site.url("/private/q")])
    assert "1 fetched" in result.out and "1 skipped by robots.txt" in result.out
    assert "/private/q" not in site.paths()


def test_robots_txt_is_cached_in_the_store_between_runs(run, tmp_path):
    with serve() as site:
        site.page("/robots.txt", "User-agent: *\nDisallow: /no\n", "text/plain")
        site.page("/p", PAGE.format(1))
        first = _crawl(run, tmp_path, [site.url("/p")])
        second = _crawl(run, tmp_path, [site.url("/p"), site.url("/no")])
        expired = _crawl(run, tmp_path, [site.url("/p")], crawl={"robots_cache_hours": 0.0})
    assert "1 fetched" in first.out and "1 skipped by robots.txt" in second.out and expired.code == 0
    assert site.paths().count("/robots.txt") == 2  # the first run and the one with a zero-hour cache
    assert "/no" not in site.paths()


def test_a_crawl_delay_over_the_cap_skips_the_host_at_once(tmp_path):
    """The host's other pages are skipped too, without waiting out the Crawl-delay between them: a robots.txt
    asking for a day between requests must not stall the crawl (or the schedule behind it) for a day."""
    with serve() as site:
        site.page("/robots.txt", "User-agent: *\nCrawl-delay: 86400\n", "text/plain")
        site.page("/p", PAGE.format(1))
        site.page("/q", PAGE.format(2))
        cfg = config_file(tmp_path / "cfg.toml")
        result = run_detector(["--config", cfg, "crawl", "--url", site.url("/p"), "--url", site.url("/q")],
                              tmp_path, timeout=120)
    assert "2 skipped" in result.out and "/p" not in site.paths() and "/q" not in site.paths()
