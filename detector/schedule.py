"""Run each source's crawl on its schedule, unattended, with APScheduler 3.x (4.0 is still alpha).

Jobs live in a SQLite job store (SQLAlchemyJobStore), so next run times
survive restarts and a run missed while the machine slept still happens
(within ``[schedule] misfire_grace_time``; several missed runs coalesce into
one). Only one process may use a job store, so an exclusive lock file next
to it refuses a second scheduler. Crawls run one at a time on one thread,
because they share the store's single connection; each is given the
scheduler's stop event, so SIGINT or SIGTERM finishes the pages in flight,
stores them, and leaves the rest of the frontier for the next run.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.base import BaseExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import SQLAlchemyError

from .config import SourceConfig
from .crawl.crawler import Crawler, CrawlSummary
from .errors import ConfigError, CrawlBusy, SchedulerLocked, StoreError
from .lockfile import exclusive

if TYPE_CHECKING:
    from .api import Detector

__all__ = ["Schedule", "trigger_for", "crawl_source"]

log = logging.getLogger("detector.schedule")

_INTERVAL = re.compile(r"every\s+([1-9]\d*)\s*([smhd])", re.IGNORECASE)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def trigger_for(source: SourceConfig) -> BaseTrigger:
    """The trigger for a source's ``schedule``: "every 30m" / "every 6h" / "every 1d", or a 5-field cron line."""
    text = source.schedule.strip()
    interval = _INTERVAL.fullmatch(text)
    if interval:
        return IntervalTrigger(**{_UNITS[interval.group(2).lower()]: int(interval.group(1))}, timezone=timezone.utc)
    try:
        return CronTrigger.from_crontab(text)
    except ValueError as error:
        raise ConfigError(f"config: [[sources]] '{source.name}' schedule {text!r} is not a valid cron line ({error})")


#: Failed pages named in the log per scheduled run, as 'detector crawl' names them on stderr.
_FAILURES_LOGGED = 10


def crawl_source(source: str) -> None:
    """The function each stored job names; jobs are run by :class:`Schedule`'s own executor instead.

    The job store can only name an importable function, but a crawl needs
    the live store and stop event, which only the running ``Schedule`` has.
    """
    raise RuntimeError(f"the crawl of source {source!r} runs inside 'detector schedule'")


class _SerialExecutor(BaseExecutor):
    """Runs jobs one at a time on one thread, through ``runner`` (with APScheduler's misfire rule)."""

    def __init__(self, runner: Callable[[str], CrawlSummary | None]) -> None:
        super().__init__()
        self._runner = runner
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crawl-job")

    def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
        future = self._pool.submit(self._run, job, run_times)
        future.add_done_callback(lambda done: self._finished(job.id, done))

    def _run(self, job: Any, run_times: list[datetime]) -> list[JobExecutionEvent]:
        events = []
        for run_time in run_times:
            late = datetime.now(timezone.utc) - run_time
            if job.misfire_grace_time is not None and late > timedelta(seconds=job.misfire_grace_time):
                log.warning("source %s: run due at %s missed by %s; waiting for the next one", job.id, run_time, late)
                events.append(JobExecutionEvent(EVENT_JOB_MISSED, job.id, job._jobstore_alias, run_time))
                continue
            try:
                self._runner(job.id)
            except Exception as error:  # noqa: BLE001 - logged; the next run tries again
                log.error("source %s: crawl failed: %s: %s", job.id, type(error).__name__, error)
                events.append(JobExecutionEvent(EVENT_JOB_ERROR, job.id, job._jobstore_alias, run_time,
                                                exception=error))
            else:
                events.append(JobExecutionEvent(EVENT_JOB_EXECUTED, job.id, job._jobstore_alias, run_time))
        return events

    def _finished(self, job_id: str, done: Future[list[JobExecutionEvent]]) -> None:
        error = done.exception()
        if error is not None:
            self._run_job_error(job_id, error)
        else:
            self._run_job_success(job_id, done.result())

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait)


class _Registry(BackgroundScheduler):
    """A scheduler that only reads and writes the job store: it never runs nor reschedules a job.

    Syncing jobs with the config and ``--once`` need the job store, but a
    started scheduler would process due jobs on its own thread in the
    meantime (and move their next run time past the run we are about to do).
    """

    def _process_jobs(self) -> float | None:
        return None


class Schedule:
    """The scheduled crawls of one config and store."""

    def __init__(self, detector: Detector, stop: threading.Event | None = None) -> None:
        self.detector = detector
        self.config = detector.config
        self.stop = stop or threading.Event()
        self.jobstore = Path(self.config.schedule.jobstore)
        self.sources = {s.name: s for s in self.config.sources if s.schedule}
        self.triggers = {name: trigger_for(s) for name, s in self.sources.items()}

    def crawl(self, name: str) -> CrawlSummary | None:
        """One run of a source's crawl (resuming its unfinished run, if any); its summary is logged.
        None when another process is crawling the source right now."""
        if name not in self.sources:
            raise ConfigError(f"config: no scheduled [[sources]] named '{name}'")
        log.info("source %s: crawl starting", name)
        try:
            summary = Crawler(self.detector, self.stop).run([self.sources[name]])
        except CrawlBusy as busy:
            # a manual crawl of the same source is fetching these pages now: this turn is left to it
            log.info("source %s: not crawled this time: %s", name, busy)
            return None
        for line in summary.lines():
            log.info("source %s: %s", name, line)
        for failure in summary.failures[:_FAILURES_LOGGED]:
            log.warning("source %s: %s", name, failure)
        if len(summary.failures) > _FAILURES_LOGGED:
            log.warning("source %s: ... and %d more failed pages", name, len(summary.failures) - _FAILURES_LOGGED)
        return summary

    def _require_sources(self) -> None:
        if not self.sources:
            raise ConfigError("config: no [[sources]] has a 'schedule', so there is nothing to run on a schedule")

    def run_forever(self) -> None:
        """Run due crawls until ``stop`` is set (SIGINT, SIGTERM): the crawl in progress stops cleanly first."""
        self._require_sources()
        with self._locked():
            self._sync().shutdown(wait=False)
            scheduler = BlockingScheduler(**self._options())

            def watch() -> None:
                self.stop.wait()
                scheduler.shutdown(wait=True)

            threading.Thread(target=watch, name="schedule-stop", daemon=True).start()
            log.info("scheduler started: %d scheduled source(s); job store %s", len(self.sources), self.jobstore)
            if not self.stop.is_set():
                scheduler.start()
            log.info("scheduler stopped")

    def run_due(self) -> list[str]:
        """Run every job that is due now, once, in order, then move each to its next time; returns the names of
        those that ran.

        A job due longer ago than ``misfire_grace_time`` is not run but moved on, as the long-running scheduler
        does; one whose source another process is crawling is moved on too, and neither counts as run. With no
        scheduled source this is a configuration error, as for :meth:`run_forever`: a cron line running
        ``schedule --once`` against a config that lost its sources must not print "ran 0 due jobs" forever.
        """
        self._require_sources()
        ran: list[str] = []
        grace = timedelta(seconds=self.config.schedule.misfire_grace_time)
        with self._locked():
            scheduler = self._sync()
            try:
                now = datetime.now(timezone.utc)
                due = [job for job in scheduler.get_jobs() if job.next_run_time and job.next_run_time <= now]
                for job in sorted(due, key=lambda j: j.next_run_time):
                    if self.stop.is_set():
                        break
                    late = datetime.now(timezone.utc) - job.next_run_time
                    if late > grace:
                        log.warning("source %s: run due at %s missed by %s ([schedule] misfire_grace_time);"
                                    " waiting for the next one", job.id, job.next_run_time, late)
                    elif self.crawl(job.id) is not None:
                        ran.append(job.id)
                    job.modify(next_run_time=job.trigger.get_next_fire_time(None, datetime.now(timezone.utc)))
            finally:
                scheduler.shutdown(wait=False)
        return ran

    def _options(self) -> dict[str, Any]:
        self.jobstore.parent.mkdir(parents=True, exist_ok=True)
        return {
            "jobstores": {"default": SQLAlchemyJobStore(url=f"sqlite:///{self.jobstore.resolve()}")},
            "executors": {"default": _SerialExecutor(self.crawl)},
            "job_defaults": {"coalesce": True, "max_instances": 1,
                             "misfire_grace_time": self.config.schedule.misfire_grace_time},
        }

    def _sync(self) -> BaseScheduler:
        """Make the stored jobs match the config; returns the registry that did it (shut it down).

        A job whose trigger is unchanged keeps its stored next run time, so
        a restart neither loses nor repeats a run; a new interval job runs now.
        """
        scheduler = _Registry(**self._options())
        try:
            scheduler.start()
            stored = {job.id: job for job in scheduler.get_jobs()}
        except SQLAlchemyError as error:
            cause = getattr(error, "orig", None) or error
            raise StoreError(f"schedule: job store {self.jobstore} cannot be read ({type(cause).__name__}: {cause});"
                             " move it aside and run again: the jobs are made anew from the config, and their next"
                             " run times start over") from None
        for name in stored.keys() - self.sources.keys():
            scheduler.remove_job(name)
            log.info("source %s: no longer scheduled, job removed", name)
        for name, trigger in self.triggers.items():
            job = stored.get(name)
            if job is not None and str(job.trigger) == str(trigger):
                continue
            first: dict[str, Any] = {"next_run_time": datetime.now(timezone.utc)} if isinstance(
                trigger, IntervalTrigger) else {}
            scheduler.add_job(crawl_source, trigger, args=[name], id=name, name=f"crawl {name}",
                              replace_existing=True, **first)
            log.info("source %s: scheduled %s", name, self.sources[name].schedule)
        return scheduler

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold an exclusive lock on ``<jobstore>.lock`` for as long as this process uses the job store."""
        with exclusive(self.jobstore.with_name(self.jobstore.name + ".lock"),
                       lambda holder: SchedulerLocked(f"schedule: job store {self.jobstore} is in use by {holder}")):
            yield
