"""Several detector processes on one store at once: nothing lost, nothing stored twice, no "database is locked".

``crawl`` and ``register`` start together (on an existing store, and on one
neither has created yet), with readers (``matches``, ``status``) alongside;
``schedule --once`` starts while a manual ``crawl`` of the same source is
half way. Every process must end 0 with nothing about a lock on stderr, and
the store must equal what the same work gives when run alone.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from ..crawl_site import config_file, serve, source
from .conftest import child_env, detector_argv, kill_tagged, new_tag, scaled, wait_rusage, write_posts
from .invariants import count, peek, store_problems
from .stores import checkpoint, copy_page, copy_store, matches_by_page, rows

TIMEOUT = 240.0


def _start(args: list[str], cwd: Path, name: str, tag: str) -> tuple[subprocess.Popen, Path]:
    err = cwd / f"{name}.err"
    with open(cwd / f"{name}.out", "wb") as out, open(err, "wb") as errors:
        return subprocess.Popen(detector_argv(*args), cwd=cwd, stdout=out, stderr=errors, env=child_env(tag)), err


def _finish(children: list[tuple[str, subprocess.Popen, Path]], problems: list[str], label: str) -> int:
    """Wait for every child; returns how many hung. Any non-zero exit or any stderr is a problem."""
    hangs = 0
    for name, child, err in children:
        code, _ = wait_rusage(child, TIMEOUT)
        text = err.read_text(errors="replace")
        if code is None:
            hangs += 1
            problems.append(f"{label}: {name} did not finish within {TIMEOUT:g} s")
        elif code != 0 or "locked" in text.lower() or _complaints(name, text):
            problems.append(f"{label}: {name} ended {code}: {text.strip()[:300]}")
    return hangs


def _complaints(name: str, text: str) -> list[str]:
    """stderr lines that report a problem; the scheduler logs its runs there at INFO level."""
    lines = [line for line in text.splitlines() if line.strip()]
    if name == "schedule":
        return [line for line in lines if " INFO " not in line]
    return lines


@pytest.fixture
def farm(posts, tmp_path, run):
    """Copies of 8 registered posts, 8 posts registered during the crawl and 8 never registered, on one host."""
    first, during = posts[:8], posts[8:16]
    write_posts(tmp_path / "first", first)
    write_posts(tmp_path / "during", during + posts[24:56])
    template = tmp_path / "template.db"
    assert run("--db", str(template), "register", str(tmp_path / "first"), "--quiet", db_path=None).code == 0
    checkpoint(template)
    with serve() as site:
        urls = []
        for number, post in enumerate(first + during + posts[16:24]):
            site.page(f"/{number}/", copy_page(post.title, post.body))
            urls.append(site.url(f"/{number}/"))
        yield template, urls, site


def _setup(base: Path, template: Path | None, urls: list[str], delay: float) -> tuple[Path, str]:
    base.mkdir()
    if template is not None:
        copy_store(template, base / "store.db")
    (base / "urls.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
    cfg = config_file(base / "cfg.toml", source("farm", "urls", file="urls.txt", schedule="every 1h"),
                      crawl={"per_host_delay": delay, "concurrency": 4}, schedule={"jobstore": "jobs.db"},
                      store={"path": "store.db", "busy_timeout": 30.0})
    return base / "store.db", cfg


@pytest.mark.parametrize("rounds", scaled(2, 12))
def test_crawl_and_register_at_once_lose_and_double_nothing(rounds, farm, tmp_path, run, rng, ledger):
    template, urls, _ = farm
    reference, cfg = _setup(tmp_path / "reference", template, urls, 0.0)
    assert run("--config", cfg, "register", str(tmp_path / "during"), "--quiet", db_path=None).code == 0
    works = set(rows(reference, "SELECT key, sha256 FROM works"))
    assert run("--config", cfg, "crawl", "--quiet", db_path=None).code == 0
    everything = matches_by_page(reference)
    first_keys = {key for key, _ in rows(template, "SELECT key, sha256 FROM works")}
    problems: list[str] = []
    hangs = lost = duplicated = 0
    for number in range(rounds):
        fresh = number % 3 == 0  # both processes create and migrate the store at the same instant
        db, cfg = _setup(tmp_path / f"round{number}", None if fresh else template, urls, rng.choice([0.0, 0.01, 0.03]))
        tag = new_tag()
        crawl = _start(["--config", cfg, "crawl", "--quiet"], db.parent, "crawl", tag)
        time.sleep(0 if fresh else rng.uniform(0.0, 1.5))
        register = _start(["--config", cfg, "register", str(tmp_path / "during"), str(tmp_path / "first"), "--quiet"],
                          db.parent, "register", tag)
        readers = [_start(["--config", cfg, command], db.parent, command, tag) for command in ("matches", "status")]
        hangs += _finish([("crawl", *crawl), ("register", *register),
                          *[(name, *child) for name, child in zip(("matches", "status"), readers)]],
                         problems, f"round {number}")
        kill_tagged(tag)
        problems += [f"round {number}: {p}" for p in store_problems(db)]
        got_works = rows(db, "SELECT key, sha256 FROM works")
        lost += len(works - set(got_works))
        duplicated += len(got_works) - len(set(got_works)) + len(set(got_works) - works)
        got = matches_by_page(db)
        for page, found in got.items():
            if any(m not in everything.get(page, []) for m in found) or len(found) != len(set(found)):
                duplicated += 1
                problems.append(f"round {number}: {page} has matches no lone crawl gives: {found}")
        if not fresh:  # the works registered before the crawl are always matched
            for page, found in everything.items():
                expected = [m for m in found if m[0] in first_keys]
                if any(m not in got.get(page, []) for m in expected):
                    lost += 1
                    problems.append(f"round {number}: {page} lost the matches {expected}")
        pages = count(db, "SELECT COUNT(*) FROM pages")
        if pages != len(urls):
            problems.append(f"round {number}: {pages} pages stored for {len(urls)} URLs")
    ledger.record("concurrency", "crawl + register + readers in separate processes", inputs=rounds,
                  crashes=len(problems), lost=lost, duplicated=duplicated, hangs=hangs, processes_per_round=4)
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("rounds", scaled(1, 10))
def test_schedule_once_during_a_manual_crawl_of_the_same_source(rounds, farm, tmp_path, run, rng, ledger):
    template, urls, site = farm
    reference, cfg = _setup(tmp_path / "reference", template, urls, 0.0)
    assert run("--config", cfg, "crawl", "--quiet", db_path=None).code == 0
    expected = matches_by_page(reference)
    problems: list[str] = []
    hangs = lost = duplicated = twice = overlapped = 0
    for number in range(rounds):
        hits = len(site.paths())
        db, cfg = _setup(tmp_path / f"round{number}", template, urls, 0.3)
        tag = new_tag()
        crawl = _start(["--config", cfg, "crawl", "--source", "farm", "--quiet"], db.parent, "crawl", tag)
        target = rng.randrange(len(urls) // 4)
        deadline = time.monotonic() + TIMEOUT
        # the manual crawl opens its run once it holds the scope's lock: only then is the schedule "during" it
        # (started sooner, the schedule may take the lock first, and the manual crawl rightly refuses)
        while (peek(db, "SELECT COUNT(*) FROM crawl_runs WHERE finished_at IS NULL") < 1
               or peek(db, "SELECT COUNT(*) FROM frontier WHERE state != 'pending'") < target) \
                and crawl[0].poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        schedule = _start(["--config", cfg, "schedule", "--once"], db.parent, "schedule", tag)
        hangs += _finish([("crawl", *crawl), ("schedule", *schedule)], problems, f"round {number}")
        kill_tagged(tag)
        paths = [p for p in site.paths()[hits:] if p != "/robots.txt"]
        repeated = len(paths) - len(set(paths))
        twice += repeated
        if "not crawled this time" in schedule[1].read_text(errors="replace"):
            overlapped += 1  # the schedule met the crawl at work and left the source to it
            if repeated:
                problems.append(f"round {number}: {repeated} pages fetched twice while both processes ran")
        problems += [f"round {number}: {p}" for p in store_problems(db)]
        got = matches_by_page(db)
        lost += sum(1 for page, found in expected.items() for m in found if m not in got.get(page, []))
        duplicated += sum(max(0, len(found) - len(expected.get(page, []))) for page, found in got.items())
        unclaimed = count(db, "SELECT COUNT(*) FROM snapshots s WHERE (SELECT COUNT(*) FROM frontier f"
                              " WHERE f.snapshot_id = s.id) != 1")
        pages = count(db, "SELECT COUNT(*) FROM pages")
        unfinished = count(db, "SELECT COUNT(*) FROM crawl_runs WHERE finished_at IS NULL")
        duplicated += unclaimed
        if got != expected or unclaimed or pages != len(urls) or unfinished:
            problems.append(f"round {number}: matches equal {got == expected}, {pages} pages, {unclaimed} snapshots"
                            f" not claimed by exactly one frontier entry, {unfinished} unfinished runs")
    ledger.record("concurrency", "schedule --once during a manual crawl of the same source", inputs=rounds,
                  crashes=len(problems), lost=lost, duplicated=duplicated, hangs=hangs, processes_per_round=2,
                  pages_fetched_twice=twice, rounds_overlapped=overlapped)
    assert not problems, "\n".join(problems[:20])
