"""While one process crawls some sources into a store, a second crawl of the same sources steps aside.

Both would resume the same run and fetch its pending pages twice. The lock
is the kernel's, so a crawl killed with SIGKILL leaves nothing to clear.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from detector.config import SourceConfig
from detector.crawl.crawler import scope_of
from detector.store import Store
from detector.store.frontier import Frontier

from .crawl_site import config_file, serve, source

ROOT = Path(__file__).resolve().parent.parent
HOLD = """
import sys, time
from detector.crawl.lock import scope_lock
with scope_lock(sys.argv[1], sys.argv[2]):
    print("held", flush=True)
    time.sleep(120)
"""


def _holder(db: Path, scope: str) -> subprocess.Popen:
    """Another process that holds the crawl lock of ``scope`` until it is killed."""
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(db), scope], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    return child


def test_a_second_crawl_of_the_same_source_fetches_nothing_and_says_who_is_crawling(run, tmp_path: Path) -> None:
    with serve() as site:
        site.page("/a", "<html><body><article><p>A page of its own, long enough to be read.</p></article></body></html>")
        (tmp_path / "urls.txt").write_text(site.url("/a"))
        farm = source("farm", "urls", file="urls.txt")
        cfg = config_file(tmp_path / "cfg.toml", farm)
        db = tmp_path / "store.db"
        holder = _holder(db, scope_of([SourceConfig(name="farm", type="urls", url="")], []))
        try:
            busy = run("--config", cfg, "crawl", "--quiet", db_path=None)
            assert busy.code != 0 and "Traceback" not in busy.err
            assert f"source:farm is already running in pid {holder.pid} (" in busy.err
            assert len(busy.err.strip().splitlines()) == 1
            assert site.paths() == []  # not even robots.txt
            other = run("--config", cfg, "crawl", "--quiet", "--url", site.url("/a"), db_path=None)
            assert other.code == 0, other.err  # another scope is not held
        finally:
            os.kill(holder.pid, signal.SIGKILL)
            holder.wait()
        fetched_before = site.paths().count("/a")
        again = run("--config", cfg, "crawl", "--quiet", db_path=None)
        assert again.code == 0, again.err
        assert "crawl run" in again.out and "(resumed)" not in again.out
        assert site.paths().count("/a") == fetched_before + 1


def test_status_tells_a_crawl_at_work_from_an_interrupted_one(run, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    scope = scope_of([SourceConfig(name="farm", type="urls", url="")], [])
    store = Store.open(db)
    try:
        Frontier(store).open_run(scope)  # an unfinished run of the scope, as a crawl leaves while it works
    finally:
        store.close()
    holder = _holder(db, scope)
    try:
        now = run("status", db_path=db)
        assert now.code == 0, now.err
        assert f"crawl of {scope} running now, in pid {holder.pid}" in now.out
        assert "interrupted" not in now.out
        listed = json.loads(run("status", "--json", db_path=db).out)
        assert listed["running_crawls"] == [{"scope": scope, "holder": f"pid {holder.pid}"}]
        assert listed["unfinished_crawls"] == 1
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    later = run("status", db_path=db)
    # no config names farm here, so the command names it
    assert "interrupted crawl of source:farm: 'detector crawl --source farm' resumes it" in later.out
    assert "running now" not in later.out


def test_status_names_the_command_that_resumes_an_interrupted_crawl() -> None:
    """Only the same sources and URLs resume a run: 'the next detector crawl' does not resume a --sitemap run."""
    from detector.cli.status import resume_command

    sitemap = scope_of([SourceConfig(name="sitemap:https://x.example/s.xml", type="sitemap", url="")], [])
    assert resume_command(sitemap, ["farm"]) == "'detector crawl --sitemap https://x.example/s.xml'"
    farm = scope_of([SourceConfig(name="farm", type="urls", url="")], [])
    assert resume_command(farm, ["farm"]) == "'detector crawl'"
    assert resume_command(farm, ["farm", "mill"]) == "'detector crawl --source farm'"
    urls = scope_of([], ["https://x.example/a"])
    assert resume_command(urls, []) == "'detector crawl --url ... (the same URLs as before)'"


HOLD_SOURCES = """
import sys, time
from detector.crawl.lock import sources_lock
with sources_lock(sys.argv[1], sys.argv[2:]):
    print("held", flush=True)
    time.sleep(120)
"""


def test_a_crawl_of_everything_steps_aside_for_a_run_of_one_of_its_sources(run, tmp_path: Path) -> None:
    """'detector crawl' (every source) while the schedule crawls one of them would fetch that source's pages
    twice, ignoring the per-host delay between the two processes: it must step aside, naming the source."""
    with serve() as site:
        site.page("/a", "<html><body><article><p>A page of its own, long enough to be read.</p></article></body></html>")
        (tmp_path / "urls.txt").write_text(site.url("/a"))
        sources = source("farm", "urls", file="urls.txt") + source("mill", "urls", file="urls.txt")
        cfg = config_file(tmp_path / "cfg.toml", sources)
        db = tmp_path / "store.db"
        holder = subprocess.Popen([sys.executable, "-c", HOLD_SOURCES, str(db), "mill"], cwd=ROOT,
                                  stdout=subprocess.PIPE, text=True)
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        try:
            busy = run("--config", cfg, "crawl", "--quiet", db_path=None)
            alone = run("--config", cfg, "crawl", "--quiet", "--source", "farm", db_path=None)
        finally:
            os.kill(holder.pid, signal.SIGKILL)
            holder.wait()
    assert busy.code != 0 and len(busy.err.strip().splitlines()) == 1 and busy.err.startswith(
        f"detector: source mill is being crawled in pid {holder.pid}, so this crawl did not start (--source names"
        " the sources to crawl now)")
    assert alone.code == 0 and "1 fetched" in alone.out
    assert site.paths().count("/a") == 1  # only the run of farm alone fetched it
