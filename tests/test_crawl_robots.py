"""robots.txt per RFC 9309: longest match, Allow wins ties, 4xx allows, 5xx forbids, cached at most 24 h."""

from __future__ import annotations

import time

from detector.crawl.robots import Rules

from .crawl_site import config_file, serve

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


def test_a_missing_robots_txt_allows_and_a_failing_one_forbids(run, tmp_path):
    with serve() as open_site, serve() as failing:
        open_site.page("/p", PAGE.format(1))
        failing.page("/robots.txt", "down", "text/plain", status=500)
        failing.page("/p", PAGE.format(2))
        result = _crawl(run, tmp_path, [open_site.url("/p"), failing.url("/p")])
    assert "1 fetched" in result.out and "1 skipped by robots.txt" in result.out
    assert "/p" not in failing.paths()


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


def test_a_crawl_delay_over_the_cap_skips_the_host(run, tmp_path):
    with serve() as site:
        site.page("/robots.txt", "User-agent: *\nCrawl-delay: 3600\n", "text/plain")
        site.page("/p", PAGE.format(1))
        result = _crawl(run, tmp_path, [site.url("/p")])
    assert "1 skipped" in result.out and "/p" not in site.paths()
