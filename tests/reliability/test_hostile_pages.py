"""Pages built to break a crawler, served by a real local server, crawled and checked within their caps.

100,000 links, 10,000-deep nesting, 50 MB of text in one element, invalid
UTF-8, NUL bytes and ``<meta http-equiv=refresh>`` to private addresses.
Each page hides a copy of a registered post, so handling a page means
finding the copy, not only surviving it; the one page over the body cap
must fail alone with a one-line reason. The crawl runs in a child process
whose time and peak memory are bounded; a meta refresh is never followed.
"""

from __future__ import annotations

import html
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from detector.api import Detector
from detector.config import load_config
from detector.crawl.addresses import check_url
from detector.crawl.crawler import Crawler

from ..crawl_site import config_file, serve, source
from .conftest import Post, one_line_error, run_detector, scaled, write_posts
from .invariants import store_problems
from .stores import copy_page, matches_by_page, rows

CRAWL_SECONDS = 240.0
CRAWL_RSS_MB = 1500.0
MB = 1_000_000


def _article(post: Post) -> str:
    """The copy's paragraphs, as markup to embed in a hostile page."""
    page = copy_page(post.title, post.body)
    return page[page.index("<article>"):page.index("</article>") + len("</article>")]


def _stream(total: int, chunk: bytes, head: bytes, tail: bytes):  # noqa: ANN202 - a route
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Connection", "close")
        handler.end_headers()
        try:
            handler.wfile.write(head)
            for _ in range(total // len(chunk)):
                handler.wfile.write(chunk)
            handler.wfile.write(tail)
        except OSError:
            pass  # the crawler hung up at its cap

    return route


def hostile_pages(posts: list[Post], site) -> dict[str, tuple[str, str | None]]:  # noqa: ANN001 - crawl_site.Site
    """Serve every hostile page; returns path -> (what it is, the work key its copy must match or None)."""
    a, b, c, d, e, f = (_article(p) for p in posts[:6])
    links = "".join(f'<a href="/l/{i}">link {i}</a> ' for i in range(100_000))
    site.page("/links", f"<html><body><nav>{links}</nav>{a}</body></html>")
    site.page("/deep", "<html><body>" + "<div>" * 10_000 + b + "</div>" * 10_000 + "</body></html>")
    site.page("/deep-unclosed", "<html><body>" + "<div><span>" * 10_000 + c)
    site.routes["/huge"] = _stream(50 * MB, b"lorem ipsum dolor sit amet " * 2000, b"<html><body><p>",
                                   b"</p></body></html>")
    words = "plain words in one enormous paragraph with no markup at all "
    site.page("/biggest", "<html><body>" + d + "<p>" + words * (4_800_000 // len(words)) + "</p></body></html>")
    bad = e.encode("utf-8").replace(b"</p><p>", b"</p>\xff\xfe\xc0\xaf\xed\xa0\x80\xe2\x82<p>")
    site.page("/bad-utf8", b"<html><head><meta charset=utf-8><title>\xff\xfeT\xc3</title></head><body>" + bad
              + b"\xf0\x9f\x92</body></html>", "text/html; charset=utf-8")
    nul = f.replace("</p><p>", "</p>\x00<p>").replace(". ", ".\x00 ")
    site.page("/nul", f"<html><head><title>T\x00itle</title><meta name=author content='A\x00B'></head>"
                      f"<body data-x='\x00'>{nul}</body></html>")
    for path, target in (("/refresh-metadata", "http://169.254.169.254/latest/meta-data/"),
                         ("/refresh-lan", "http://10.0.0.1/admin"), ("/refresh-local", site.url("/secret"))):
        site.page(path, f'<html><head><meta http-equiv="refresh" content="0; url={html.escape(target)}">'
                        f"</head><body>{a}</body></html>")
    site.page("/secret", "<html><body><p>internal page that must never be fetched</p></body></html>")
    return {"/links": ("100,000 links", "a"), "/deep": ("10,000-deep nesting", "b"),
            "/deep-unclosed": ("20,000 unclosed elements", "c"), "/huge": ("50 MB of text in one element", None),
            "/biggest": ("4.8 MB of text in one element, under the cap", "d"), "/bad-utf8": ("invalid UTF-8", "e"),
            "/nul": ("NUL bytes", "f"), "/refresh-metadata": ("meta refresh to 169.254.169.254", "a"),
            "/refresh-lan": ("meta refresh to 10.0.0.1", "a"), "/refresh-local": ("meta refresh to this host", "a")}


@pytest.fixture
def registered(posts, tmp_path, run) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "posts"
    paths = write_posts(folder, posts[:6])
    db = tmp_path / "store.db"
    assert run("--db", str(db), "register", str(folder), "--quiet", db_path=None).code == 0
    by_file = {Path(source).name: key for key, source in rows(db, "SELECT key, source FROM works")}
    return db, {letter: by_file[path.name] for letter, path in zip("abcdef", paths)}


@pytest.mark.parametrize("rounds", scaled(1, 3))
def test_hostile_pages_are_crawled_within_caps_and_their_copies_found(rounds, posts, registered, tmp_path, ledger):
    db, keys = registered
    problems: list[str] = []
    worst_seconds = worst_rss = 0.0
    with serve() as site:
        pages = hostile_pages(posts, site)
        (tmp_path / "urls.txt").write_text("\n".join(site.url(p) for p in pages) + "\n", encoding="utf-8")
        sources = source("hostile", "urls", file="urls.txt") + source("links", "page", site.url("/links"), max_pages=20)
        cfg = config_file(tmp_path / "cfg.toml", sources, crawl={"per_host_delay": 0.0, "concurrency": 4})
        for number in range(rounds):
            result = run_detector(["--config", cfg, "crawl", "--quiet"], tmp_path, timeout=CRAWL_SECONDS)
            worst_seconds, worst_rss = max(worst_seconds, result.seconds), max(worst_rss, result.max_rss_mb)
            unexpected = [line for line in result.err.splitlines()
                          if not line.startswith(("detector: http://", "detector: ... and "))]
            if result.code != 0 or unexpected:  # failed pages are named, one line each; nothing else may appear
                problems.append(f"round {number}: crawl ended {result.code}: {unexpected[:3]}")
            if result.max_rss_mb > CRAWL_RSS_MB:
                problems.append(f"round {number}: the crawl peaked at {result.max_rss_mb:.0f} MB")
        requested = set(site.paths())
    problems += store_problems(db)
    states = {url: (state, reason) for url, state, reason in rows(
        db, "SELECT url, state, reason FROM frontier WHERE run_id = (SELECT MAX(id) FROM crawl_runs)")}
    found = matches_by_page(db)
    for path, (what, letter) in pages.items():
        url = site.url(path)
        state = states.get(url)
        if letter is None:
            if state != ("failed", "too large"):
                problems.append(f"{what}: {state}, expected to fail alone as too large")
        elif state is None or state[0] not in ("fetched", "unchanged"):
            problems.append(f"{what}: {state}, expected fetched")
        elif keys[letter] not in {m[0] for m in found.get(url, [])}:
            problems.append(f"{what}: the copy it holds was not found ({found.get(url)})")
    if "/secret" in requested:
        problems.append("a meta refresh was followed to /secret")
    link_pages = rows(db, "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM frontier WHERE source = 'links'"
                          " GROUP BY run_id)")[0][0]
    if link_pages > 20:
        problems.append(f"the page source queued {link_pages} of 100,000 links, over its cap of 20")
    ledger.record("hostile pages", "crawl of the hostile pages (child process)", inputs=len(pages) * rounds,
                  crashes=len(problems), hangs=int(worst_seconds > CRAWL_SECONDS),
                  max_crawl_seconds=round(worst_seconds, 1), max_crawl_rss_mb=round(worst_rss))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rounds", scaled(1, 3))
def test_each_hostile_page_checked_by_url_is_one_result_or_one_line(rounds, posts, registered, tmp_path, run, ledger):
    db, keys = registered
    problems: list[str] = []
    with serve() as site:
        pages = hostile_pages(posts, site)
        cfg = config_file(tmp_path / "cfg.toml", store={"path": str(db)})
        for path, (what, letter) in [item for _ in range(rounds) for item in pages.items()]:
            result = run("--config", cfg, "check", "--json", site.url(path), db_path=None)
            if letter is None:
                if result.code != 1 or not one_line_error(result.err) or "cap" not in result.err:
                    problems.append(f"{what}: exit {result.code}, {result.err.strip()[:200]}")
            elif result.code != 0 or result.err or keys[letter] not in result.out:
                problems.append(f"{what}: exit {result.code}, copy found: {keys[letter] in result.out},"
                                f" {result.err.strip()[:200]}")
        requested = set(site.paths())
    if "/secret" in requested:
        problems.append("a meta refresh was followed to /secret")
    problems += store_problems(db)
    ledger.record("hostile pages", "detector check URL on each hostile page", inputs=len(pages) * rounds,
                  crashes=len(problems))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rounds", scaled(1, 3))
def test_a_meta_refresh_is_never_followed_and_private_addresses_are_refused(rounds, posts, tmp_path, run, ledger):
    for number in range(rounds):
        _refresh_round(posts, tmp_path / f"round{number}", run)
    ledger.record("hostile pages", "meta refresh to private addresses", inputs=9 * rounds, crashes=0)


def _refresh_round(posts: list[Post], tmp_path: Path, run) -> None:  # noqa: ANN001 - the conftest fixture
    tmp_path.mkdir()
    asked: list[str] = []

    def public_only(url: str) -> None:  # the local server stands for a public host; every other URL is checked
        asked.append(url)
        if not url.startswith(site.base):
            check_url(url, allow_private=False)

    with serve() as site:
        hostile_pages(posts, site)
        urls = [site.url(p) for p in ("/refresh-metadata", "/refresh-lan", "/refresh-local")]
        config = load_config(config_file(tmp_path / "cfg.toml", crawl={"per_host_delay": 0.0}))
        with Detector(config) as detector:
            summary = Crawler(detector, check=public_only).run([], urls)
        refused = config_file(tmp_path / "private.toml", crawl={"allow_private_addresses": False})
        crawled = run("--config", refused, "crawl", "--quiet", *sum((["--url", u] for u in urls), []), db_path=None)
        write_posts(tmp_path / "posts", posts[:1])  # check refuses to run against a store with nothing registered
        run("--config", refused, "register", str(tmp_path / "posts"), "--quiet", db_path=None)
        checked = run("--config", refused, "check", urls[0], db_path=None)
        requested = site.paths()
    assert summary.fetched == 3 and not summary.failed
    assert {u for u in asked if "robots.txt" not in u} == set(urls), "the crawler asked for a refresh target"
    assert "/secret" not in requested
    assert crawled.code == 1 and "blocked address: 3" in crawled.out  # every page refused: nothing crawled
    assert checked.code == 1 and one_line_error(checked.err) and "private address" in checked.err
    assert sorted(p for p in requested if p != "/robots.txt") == sorted(u[len(site.base):] for u in urls)
