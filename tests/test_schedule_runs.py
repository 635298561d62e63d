"""detector schedule: triggers from the config, --once, one scheduler per job store, clean SIGTERM."""

from __future__ import annotations

import logging
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from detector.config import SourceConfig
from detector.errors import ConfigError
from detector.schedule import trigger_for

from .crawl_site import config_file, serve, source

ROOT = Path(__file__).resolve().parent.parent
PAGE = "<html><body><article><p>Scheduled page {} with a few words.</p></article></body></html>"


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
            return int(connection.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_schedules_become_interval_and_cron_triggers():
    every = trigger_for(SourceConfig("a", "feed", "https://x/", schedule="every 30m"))
    daily = trigger_for(SourceConfig("b", "feed", "https://x/", schedule="0 3 * * *"))
    assert isinstance(every, IntervalTrigger) and every.interval.total_seconds() == 1800
    assert isinstance(daily, CronTrigger) and "hour='3'" in str(daily)
    assert trigger_for(SourceConfig("c", "feed", "https://x/", schedule="every 1d")).interval.days == 1
    with pytest.raises(ConfigError, match="'d'"):
        trigger_for(SourceConfig("d", "feed", "https://x/", schedule="99 * * * *"))


def test_once_runs_the_due_jobs_then_nothing_until_their_next_time(run, tmp_path, caplog):
    with serve() as site:
        for n in range(3):
            site.page(f"/p{n}", PAGE.format(n))
        (tmp_path / "urls.txt").write_text("\n".join(site.url(f"/p{n}") for n in range(3)))
        sources = source("hourly", "urls", file="urls.txt", schedule="every 1h") + source("manual", "urls",
                                                                                          file="urls.txt")
        cfg = config_file(tmp_path / "cfg.toml", sources, schedule={"jobstore": "jobs.db"})
        with caplog.at_level(logging.INFO, logger="detector.schedule"):
            first = run("--config", cfg, "schedule", "--once", db_path=None)
        second = run("--config", cfg, "schedule", "--once", db_path=None)
    assert first.code == 0 and first.out.strip() == "ran 1 due job: hourly"
    assert second.code == 0 and second.out.strip() == "ran 0 due jobs"
    assert any("source hourly: crawl run 1: 3 fetched" in r.getMessage() for r in caplog.records)
    assert (tmp_path / "jobs.db").exists()


def test_a_second_scheduler_is_refused_and_sigterm_stops_cleanly(run, tmp_path):
    pages = 40
    with serve() as site:
        for n in range(pages):
            site.page(f"/p{n}", PAGE.format(n))
        (tmp_path / "urls.txt").write_text("\n".join(site.url(f"/p{n}") for n in range(pages)))
        cfg = config_file(tmp_path / "cfg.toml", source("slow", "urls", file="urls.txt", schedule="every 1h"),
                          crawl={"per_host_delay": 0.05})
        db = tmp_path / "store.db"
        daemon = subprocess.Popen([sys.executable, "-m", "detector", "--config", cfg, "schedule"], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while _count(db, "SELECT COUNT(*) FROM frontier WHERE state = 'fetched'") < 3:
                assert daemon.poll() is None and time.monotonic() < deadline, "the scheduled crawl did not start"
                time.sleep(0.02)
            second = run("--config", cfg, "schedule", "--once", db_path=None)
            daemon.send_signal(signal.SIGTERM)
            _, log = daemon.communicate(timeout=60)
        finally:
            if daemon.poll() is None:
                daemon.kill()
        assert second.code == 1 and "in use by pid" in second.err and second.err.count("\n") == 1
        assert daemon.returncode == 0, log
        assert "interrupted" in log and "scheduler stopped" in log and "Traceback" not in log
        fetched = _count(db, "SELECT COUNT(*) FROM frontier WHERE state = 'fetched'")
        assert 3 <= fetched < pages
        assert _count(db, "SELECT COUNT(*) FROM frontier WHERE state = 'pending'") == pages - fetched
        assert _count(db, "SELECT COUNT(*) FROM snapshots") == fetched

        resumed = run("--config", cfg, "crawl", "--source", "slow", db_path=None)
    assert resumed.code == 0 and "(resumed)" in resumed.out and f"{pages} fetched" in resumed.out


def test_a_scheduler_with_nothing_scheduled_is_a_config_error(run, tmp_path):
    cfg = config_file(tmp_path / "cfg.toml", source("manual", "feed", "https://x.example/feed"))
    for once in ((), ("--once",)):  # --once too: a cron line would print "ran 0 due jobs" forever
        result = run("--config", cfg, "schedule", *once, db_path=None)
        assert result.code == 3 and result.err.strip() == (
            "detector: config: no [[sources]] has a 'schedule', so there is nothing to run on a schedule")


def test_once_skips_a_run_missed_by_more_than_the_grace_time_and_moves_it_on(run, tmp_path, caplog):
    """As the long-running scheduler does: a run due longer ago than misfire_grace_time waits for its next time."""
    from detector.api import Detector
    from detector.config import load_config
    from detector.schedule import Schedule

    (tmp_path / "urls.txt").write_text("http://127.0.0.1:9/never\n")
    cfg = config_file(tmp_path / "cfg.toml", source("hourly", "urls", file="urls.txt", schedule="every 1h"),
                      schedule={"jobstore": "jobs.db", "misfire_grace_time": 1})
    with Detector(load_config(cfg)) as detector:
        Schedule(detector)._sync().shutdown(wait=False)  # the job is stored, due now, and not run
    time.sleep(2.5)  # now it is late by more than the grace time
    with caplog.at_level(logging.WARNING, logger="detector.schedule"):
        late = run("--config", cfg, "schedule", "--once", db_path=None)
    again = run("--config", cfg, "schedule", "--once", db_path=None)
    assert late.code == 0 and late.out.strip() == "ran 0 due jobs"
    assert any("missed by" in r.getMessage() for r in caplog.records)
    assert again.out.strip() == "ran 0 due jobs"  # moved on to its next time, an hour away
    assert _count(tmp_path / "store.db", "SELECT COUNT(*) FROM crawl_runs") == 0


def test_a_damaged_job_store_is_a_store_error_not_a_crash(run, tmp_path):
    (tmp_path / "jobs.db").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "urls.txt").write_text("http://127.0.0.1:9/never\n")
    cfg = config_file(tmp_path / "cfg.toml", source("hourly", "urls", file="urls.txt", schedule="every 1h"),
                      schedule={"jobstore": "jobs.db"})
    result = run("--config", cfg, "schedule", "--once", db_path=None)
    assert result.code == 4 and len(result.err.strip().splitlines()) == 1
    assert result.err.startswith(f"detector: schedule: job store {tmp_path / 'jobs.db'} cannot be read (")
    assert "move it aside" in result.err


def test_a_scheduled_run_logs_each_failed_page_with_its_reason(run, tmp_path, caplog):
    (tmp_path / "urls.txt").write_text("http://127.0.0.1:9/gone\n")
    cfg = config_file(tmp_path / "cfg.toml", source("hourly", "urls", file="urls.txt", schedule="every 1h"),
                      schedule={"jobstore": "jobs.db"})
    with caplog.at_level(logging.WARNING, logger="detector.schedule"):
        assert run("--config", cfg, "schedule", "--once", db_path=None).code == 0
    assert any(r.getMessage().startswith("source hourly: http://127.0.0.1:9/gone: robots.txt unreachable (")
               for r in caplog.records), [r.getMessage() for r in caplog.records]
