"""A crawl killed with SIGKILL in the middle resumes: every page is processed exactly once, none is lost."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest

from .crawl_site import config_file, serve, source

ROOT = Path(__file__).resolve().parent.parent
HOSTS = 4


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
            return int(connection.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # not created or not migrated yet
        return 0


def _kill_and_resume(run, tmp_path: Path, pages: int) -> None:
    with ExitStack() as stack:
        sites = [stack.enter_context(serve()) for _ in range(HOSTS)]
        urls = []
        for n in range(pages):
            site = sites[n % HOSTS]
            site.page(f"/p{n}", f"<html><body><article><p>Page {n} has a short text of its own.</p></article>"
                                f"</body></html>")
            urls.append(site.url(f"/p{n}"))
        (tmp_path / "urls.txt").write_text("\n".join(urls))
        cfg = config_file(tmp_path / "cfg.toml", source("many", "urls", file="urls.txt"),
                          crawl={"per_host_delay": 0.005, "max_pages_per_run": pages, "max_pages_per_source": pages,
                                 "fetch_process_pages": 100})  # both runs fetch in a child process
        db = tmp_path / "store.db"
        crawl = subprocess.Popen([sys.executable, "-m", "detector", "--config", cfg, "crawl", "--quiet"],
                                 cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        done_sql = "SELECT COUNT(*) FROM frontier WHERE state != 'pending'"
        deadline = time.monotonic() + 120
        while _count(db, done_sql) < pages // 4 and crawl.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(crawl.pid, signal.SIGKILL)
        crawl.wait()
        with sqlite3.connect(db) as connection:
            done_before = {row[0] for row in connection.execute("SELECT url FROM frontier WHERE state != 'pending'")}
        hits_before = [len(s.hits) for s in sites]
        assert pages // 4 <= len(done_before) < pages, "the crawl was not killed in the middle"

        resumed = run("--config", cfg, "crawl", "--quiet", db_path=None)
        assert resumed.code == 0 and "(resumed)" in resumed.out, resumed.out + resumed.err
        refetched = {s.url(h.path) for s, before in zip(sites, hits_before) for h in s.hits[before:]}
        time.sleep(0.5)  # a fetch process orphaned by the kill stops on its own when it sees its pipe close
        orphans = [len(s.hits) for s in sites]

    assert not refetched & done_before
    assert orphans == [len(s.hits) for s in sites]
    assert _count(db, "SELECT COUNT(*) FROM crawl_runs") == 1
    assert _count(db, "SELECT COUNT(*) FROM crawl_runs WHERE finished_at IS NOT NULL") == 1
    assert _count(db, "SELECT COUNT(*) FROM frontier WHERE state = 'fetched'") == pages
    assert _count(db, "SELECT COUNT(DISTINCT key) FROM pages") == _count(db, "SELECT COUNT(*) FROM pages") == pages
    assert _count(db, "SELECT COUNT(*) FROM snapshots") == pages
    assert _count(db, "SELECT COUNT(DISTINCT final_url) FROM snapshots") == pages
    assert _count(db, "SELECT COUNT(*) FROM snapshots s JOIN pages p ON p.id = s.page_id") == pages


def test_a_killed_crawl_of_200_pages_resumes_exactly_once(run, tmp_path):
    _kill_and_resume(run, tmp_path, 200)


@pytest.mark.long
def test_a_killed_crawl_of_2000_pages_resumes_exactly_once(run, tmp_path):
    _kill_and_resume(run, tmp_path, 2000)


def test_an_unchanged_page_is_not_fetched_again_nor_matched(run, tmp_path):
    with serve() as site:
        site.page("/p", "<html><body><article><p>Stable text of a page.</p></article></body></html>",
                  headers={"ETag": '"v1"'})
        site.page("/q", "<html><body><article><p>Another stable page.</p></article></body></html>")
        cfg = config_file(tmp_path / "cfg.toml")
        first = run("--config", cfg, "crawl", "--url", site.url("/p"), "--url", site.url("/q"), db_path=None)
        original = site.routes["/p"]
        site.routes["/p"] = lambda h: (h.send_response(304), h.send_header("Content-Length", "0"), h.end_headers()) \
            if h.headers.get("If-None-Match") == '"v1"' else original(h)
        second = run("--config", cfg, "crawl", "--url", site.url("/p"), "--url", site.url("/q"), db_path=None)
    assert "2 fetched" in first.out and "0 fetched, 2 unchanged" in second.out
    assert [h.headers.get("if-none-match") for h in site.hits if h.path == "/p"] == [None, '"v1"']
    db = tmp_path / "store.db"
    assert _count(db, "SELECT COUNT(*) FROM crawl_runs WHERE finished_at IS NOT NULL") == 2
    assert _count(db, "SELECT COUNT(*) FROM snapshots") == 3  # /q's unchanged 200 is a fetch: its snapshot is kept
    assert _count(db, "SELECT COUNT(*) FROM snapshot_bodies") == 2


def test_an_unchanged_page_is_matched_again_once_a_post_is_registered_after_it_was_crawled(run, tmp_path):
    """A scraper often copied a post before its author registered it: the page never changes after that,
    and a crawl that skipped unchanged pages would never find the copy."""
    samples = ROOT / "detector" / "samples"
    body = (samples / "posts" / "truing-a-bicycle-wheel.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    page = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in body.split("\n\n") if p.strip())
    with serve() as site:
        site.page("/copy", page + "</article></body></html>", headers={"ETag": '"v1"'})
        original = site.routes["/copy"]
        site.routes["/copy"] = lambda h: (h.send_response(304), h.send_header("Content-Length", "0"), h.end_headers()) \
            if h.headers.get("If-None-Match") == '"v1"' else original(h)
        cfg = config_file(tmp_path / "cfg.toml")
        run("--config", cfg, "register", str(samples / "posts" / "field-notebook-of-birds.md"), db_path=None)
        crawl = ("--config", cfg, "crawl", "--url", site.url("/copy"))
        before = run(*crawl, db_path=None)
        run("--config", cfg, "register", str(samples / "posts" / "truing-a-bicycle-wheel.md"), db_path=None)
        after = run(*crawl, db_path=None)
        settled = run(*crawl, db_path=None)
    assert "1 fetched" in before.out and "0 new matches" in before.out
    assert "1 fetched" in after.out and "1 new match" in after.out
    assert "1 unchanged" in settled.out and "0 new matches" in settled.out
    assert [h.headers.get("if-none-match") for h in site.hits if h.path == "/copy"] == [None, None, '"v1"']
