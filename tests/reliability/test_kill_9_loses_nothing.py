"""SIGKILL at random instants of ``register``, ``crawl`` and ``report``: the store stays whole, the next run ends the work.

Each kill lands either at a random time after the start (so some hit the
imports, the store's creation or its migration) or at a random point of
progress (after the N-th work, page or file) plus a few milliseconds. After
every kill the store passes ``PRAGMA integrity_check`` and every row is
whole (``invariants.store_problems``); then the same command runs again and
the result must equal a run that was never killed: nothing lost, nothing
stored twice. A crawl's fetch child must not outlive its killed parent.
"""

from __future__ import annotations


import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ..crawl_site import config_file, serve, source
from .conftest import child_env, detector_argv, kill_tagged, new_tag, scaled, wait_for_no_leftovers, write_posts
from .invariants import count, count_or_zero, peek, store_problems
from .stores import build_report_store, checkpoint, content_digest, copy_page, copy_store, matches_by_page, rows

KILL_TIMEOUT = 180.0


@dataclass
class Tally:
    """What the kills of one test did; the ledger gets it, the assertion lists the problems."""

    kills: int = 0
    killed_mid_run: int = 0
    crashes: int = 0
    lost: int = 0
    duplicated: int = 0
    corrupt: int = 0
    leftovers: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, what: str) -> None:
        self.problems.append(what)

    def record(self, ledger, check: str, **extra: float) -> None:  # noqa: ANN001 - the conftest fixture
        ledger.record("fault injection", check, inputs=self.kills, crashes=self.crashes, lost=self.lost,
                      duplicated=self.duplicated, corrupt_after_kill=self.corrupt, killed_mid_run=self.killed_mid_run,
                      orphan_processes=self.leftovers, **extra)

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems[:30])


def kill_during(args: list[str], cwd: Path, ready, delay: float, tally: Tally) -> bool:  # noqa: ANN001 - a predicate
    """Start ``detector args``; once ``ready()`` holds, wait ``delay`` s and SIGKILL it. True if it died mid-run."""
    tag = new_tag()
    with open(cwd / "killed.err", "ab") as err:
        child = subprocess.Popen(detector_argv(*args), cwd=cwd, stdout=subprocess.DEVNULL, stderr=err,
                                 env=child_env(tag))
        deadline = time.monotonic() + KILL_TIMEOUT
        while child.poll() is None and not ready():
            if time.monotonic() > deadline:
                tally.problem(f"{args[-1]}: never reached its kill point within {KILL_TIMEOUT:g} s (a hang)")
                break
            time.sleep(0.003)
        time.sleep(delay)
        mid_run = child.poll() is None
        if mid_run:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
    tally.kills += 1
    tally.killed_mid_run += mid_run
    left = wait_for_no_leftovers(tag)
    if left:
        tally.leftovers += len(left)
        tally.problem(f"processes {left} outlived their killed parent")
        kill_tagged(tag)
    return mid_run


def check_whole(db: Path, tally: Tally, when: str) -> None:
    problems = store_problems(db)
    if problems:
        tally.corrupt += 1
        tally.problem(f"{when}: " + "; ".join(problems[:5]))


# register ----------------------------------------------------------------------


@pytest.mark.parametrize("kills", scaled(3, 30))
def test_register_killed_anywhere_loses_nothing_and_the_next_run_finishes(kills, posts, tmp_path, rng, run, ledger):
    folder = tmp_path / "posts"
    write_posts(folder, posts[:40])
    reference = tmp_path / "reference.db"
    assert run("--db", str(reference), "register", str(folder), "--quiet", db_path=None).code == 0
    expected = set(rows(reference, "SELECT key, sha256 FROM works"))
    tally = Tally()
    for number in range(kills):
        db = tmp_path / f"kill{number}" / "store.db"
        db.parent.mkdir()
        if rng.random() < 0.25:
            ready, delay = (lambda: True), rng.uniform(0.0, 5.0)
        else:
            target = rng.randrange(len(expected))
            ready, delay = (lambda: peek(db, "SELECT COUNT(*) FROM works") >= target), rng.uniform(0.0, 0.03)
        kill_during(["--db", str(db), "register", str(folder), "--quiet"], db.parent, ready, delay, tally)
        check_whole(db, tally, f"kill {number}")
        before = count_or_zero(db, "SELECT COUNT(*) FROM works")
        again = run("--db", str(db), "register", str(folder), "--quiet", db_path=None)
        if again.code != 0 or again.err:
            tally.crashes += 1
            tally.problem(f"kill {number}: the next register ended {again.code}: {again.err.strip()[:300]}")
        elif f"{len(expected) - before} added, {before} unchanged" not in again.out:
            tally.problem(f"kill {number}: the next register said {again.out.strip()!r} after {before} works")
        got = rows(db, "SELECT key, sha256 FROM works")
        tally.lost += len(expected - set(got))
        tally.duplicated += len(got) - len(set(got)) + len(set(got) - expected)
        check_whole(db, tally, f"after the run that followed kill {number}")
    tally.record(ledger, "kill -9 during register")
    assert tally.lost == tally.duplicated == 0
    tally.assert_clean()


@pytest.mark.parametrize("kills", scaled(2, 10))
def test_a_register_killed_while_its_worker_processes_sign_leaves_no_worker_behind(kills, posts, tmp_path, rng, run,
                                                                                   ledger):
    folder = tmp_path / "posts"
    folder.mkdir()
    for number in range(240):  # over POOL_MIN_FILES: two worker processes read and sign, the parent writes
        post = posts[number % len(posts)]
        body = post.body + f"\n\nThis is copy number {number} of the post, kept apart by this sentence.\n"
        (folder / f"{number:04d}.md").write_text(f"---\ntitle: Copy {number}\n---\n\n{body}", encoding="utf-8")
    tally = Tally()
    for number in range(kills):
        db = tmp_path / f"kill{number}" / "store.db"
        db.parent.mkdir()
        target = rng.randrange(1, 200)
        ready = lambda: peek(db, "SELECT COUNT(*) FROM works") >= target  # noqa: E731, B023 - polled at once
        kill_during(["--db", str(db), "register", "--workers", "2", str(folder), "--quiet"], db.parent, ready,
                    rng.uniform(0.0, 0.05), tally)
        check_whole(db, tally, f"kill {number}")
        before = count_or_zero(db, "SELECT COUNT(*) FROM works")
        again = run("--db", str(db), "register", "--workers", "2", str(folder), "--quiet", db_path=None)
        if again.code != 0 or f"{240 - before} added, {before} unchanged" not in again.out:
            tally.problem(f"kill {number}: the next register ended {again.code}: {again.out.strip()} {again.err[:300]}")
        tally.lost += 240 - count_or_zero(db, "SELECT COUNT(DISTINCT sha256) FROM works")
    tally.record(ledger, "kill -9 during a register with worker processes")
    assert tally.lost == 0
    tally.assert_clean()


# crawl -------------------------------------------------------------------------


@pytest.fixture
def farm(posts, tmp_path, run):
    """Two local hosts serving copies of 12 registered posts and 12 unregistered ones; a template store."""
    registered, others = posts[:12], posts[12:24]
    folder = tmp_path / "registered"
    write_posts(folder, registered)
    template = tmp_path / "template.db"
    assert run("--db", str(template), "register", str(folder), "--quiet", db_path=None).code == 0
    checkpoint(template)
    with serve() as one, serve() as two:
        urls = []
        for number, post in enumerate(registered + others):
            site = (one, two)[number % 2]
            path = f"/{number}/{post.name[:30]}/"
            site.page(path, copy_page(post.title, post.body))
            urls.append(site.url(path))
        yield template, urls


def _crawl_dir(base: Path, template: Path, urls: list[str], child_process: bool) -> tuple[Path, str]:
    base.mkdir()
    copy_store(template, base / "store.db")
    (base / "urls.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
    cfg = config_file(base / "cfg.toml", source("farm", "urls", file="urls.txt"),
                      crawl={"per_host_delay": 0.03, "concurrency": 4, "fetch_process_pages": 1 if child_process else 0})
    return base / "store.db", cfg


@pytest.mark.parametrize("kills", scaled(2, 24))
def test_crawl_killed_anywhere_resumes_to_the_same_store(kills, farm, tmp_path, rng, run, ledger):
    template, urls = farm
    reference, cfg = _crawl_dir(tmp_path / "reference", template, urls, child_process=False)
    assert run("--config", cfg, "crawl", "--quiet", db_path=None).code == 0
    expected = matches_by_page(reference)
    assert len(expected) >= 10, "the farm's copies should match their originals"
    tally = Tally()
    done = "SELECT COUNT(*) FROM frontier WHERE state != 'pending'"
    for number in range(kills):
        db, cfg = _crawl_dir(tmp_path / f"kill{number}", template, urls, child_process=number % 2 == 1)
        for again in range(1 + (rng.random() < 0.3)):
            if rng.random() < 0.25:
                ready, delay = (lambda: True), rng.uniform(0.0, 6.0)
            else:
                target = rng.randrange(len(urls))
                ready, delay = (lambda: peek(db, done) >= target), rng.uniform(0.0, 0.05)
            kill_during(["--config", cfg, "crawl", "--quiet"], db.parent, ready, delay, tally)
            check_whole(db, tally, f"kill {number}.{again}")
        resumed = run("--config", cfg, "crawl", "--quiet", db_path=None)
        if resumed.code != 0 or resumed.err:
            tally.crashes += 1
            tally.problem(f"kill {number}: the next crawl ended {resumed.code}: {resumed.err.strip()[:300]}")
        _compare_crawl(db, urls, expected, tally, number)
    tally.record(ledger, "kill -9 during crawl (threads and fetch child)")
    assert tally.lost == tally.duplicated == 0
    tally.assert_clean()


def _compare_crawl(db: Path, urls: list[str], expected: dict, tally: Tally, number: int) -> None:  # type: ignore[type-arg]
    """The resumed store against the never-killed one; a kill after the run's end makes the next crawl a new run."""
    check_whole(db, tally, f"after the crawl that followed kill {number}")
    got = matches_by_page(db)
    tally.lost += sum(1 for page, found in expected.items() for m in found if m not in got.get(page, []))
    tally.duplicated += sum(max(0, len(found) - len(expected.get(page, []))) for page, found in got.items())
    pages = count(db, "SELECT COUNT(*) FROM pages")
    unclaimed = count(db, "SELECT COUNT(*) FROM snapshots s WHERE (SELECT COUNT(*) FROM frontier f"
                          " WHERE f.snapshot_id = s.id) != 1")
    last = count(db, "SELECT COUNT(*) FROM frontier WHERE run_id = (SELECT MAX(id) FROM crawl_runs)"
                     " AND state IN ('fetched', 'unchanged')")
    unfinished = count(db, "SELECT COUNT(*) FROM crawl_runs WHERE finished_at IS NULL")
    tally.lost += max(0, len(urls) - pages) + max(0, len(urls) - last)
    tally.duplicated += max(0, pages - len(urls)) + unclaimed + max(0, last - len(urls))
    if (pages, last, unclaimed, unfinished) != (len(urls), len(urls), 0, 0) or got != expected:
        tally.problem(f"kill {number}: {pages} pages, {last} done in the last run, {unclaimed} snapshots not"
                      f" claimed by exactly one frontier entry, {unfinished} unfinished runs, matches equal:"
                      f" {got == expected} (expected {len(urls)} pages)")


# report ------------------------------------------------------------------------

_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:\+00:00|Z| UTC)?")


def _report_files(folder: Path) -> tuple[dict[str, bytes], int]:
    """The report folder's files (temporary ones only counted), timestamps masked."""
    files, temporary = {}, 0
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            continue
        if path.name.startswith(".tmp-"):
            temporary += 1
            continue
        data = path.read_bytes()
        if not path.parent.name == "snapshots":
            data = _TIME.sub("<time>", data.decode("utf-8")).encode("utf-8")
        files[path.relative_to(folder).as_posix()] = data
    return files, temporary


@pytest.mark.parametrize("kills", scaled(3, 30))
def test_report_killed_anywhere_leaves_only_whole_files_and_an_unchanged_store(kills, posts, tmp_path, rng, run,
                                                                              ledger):
    db = tmp_path / "store.db"
    build_report_store(db, posts[:10], hosts=12, pages_per_host=2)
    digest = content_digest(db)
    args = ["report", "--all", "--format", "html", "--format", "md", "--format", "json"]
    assert run("--db", str(db), *args, "--out", str(tmp_path / "reference"), db_path=None).code == 0
    expected, _ = _report_files(tmp_path / "reference")
    tally = Tally()
    leftover_temporary = 0
    for number in range(kills):
        out = tmp_path / f"out{number}"
        if rng.random() < 0.25:
            ready, delay = (lambda: True), rng.uniform(0.0, 5.0)
        else:
            target = rng.randrange(len(expected))
            ready, delay = (lambda: out.exists() and sum(1 for _ in out.rglob("*.*")) >= target), rng.uniform(0, 0.02)
        kill_during(["--db", str(db), *args, "--out", str(out)], tmp_path, ready, delay, tally)
        written, temporary = _report_files(out) if out.exists() else ({}, 0)
        partial = [name for name, data in written.items() if expected.get(name) != data]
        tally.corrupt += len(partial)
        if partial:
            tally.problem(f"kill {number}: files that look complete but are not: {partial[:5]}")
        again = run("--db", str(db), *args, "--out", str(out), db_path=None)
        written, temporary = _report_files(out)
        leftover_temporary += temporary
        if again.code != 0 or written != expected:
            tally.crashes += again.code != 0
            tally.problem(f"kill {number}: the next report ended {again.code} and wrote"
                          f" {sorted(set(written) ^ set(expected))[:5]} differently")
    if content_digest(db) != digest or store_problems(db):
        tally.problem("report changed or damaged the store it reads")
    tally.record(ledger, "kill -9 during report", leftover_temporary_files=leftover_temporary)
    tally.assert_clean()
