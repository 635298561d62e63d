"""Fixtures of the reliability suite: quick/long sizes, the figures ledger, CLI processes and training posts."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from detector.synth.corpus import default_corpus_root, list_posts

CORPUS = default_corpus_root()
SUMMARY_ENV = "RELIABILITY_SUMMARY"
TAG_ENV = "RELIABILITY_TAG"
CLASSES = ("fuzzing", "fault injection", "concurrency", "hostile pages")


def scaled(quick: int, long: int) -> list:
    """Parameters for one test: ``quick`` runs in ``make test``, ``long`` only in ``make test-long``."""
    return [pytest.param(quick, id=f"quick{quick}"), pytest.param(long, id=f"long{long}", marks=pytest.mark.long)]


# The figures -----------------------------------------------------------------


@dataclass
class Figures:
    """What one check tried and what went wrong; every field but ``inputs`` must end at zero."""

    inputs: int = 0
    crashes: int = 0
    lost: int = 0
    duplicated: int = 0
    hangs: int = 0
    extra: dict[str, float] = field(default_factory=dict)


class Ledger:
    """Figures per (class, check), summed over the run and written where ``RELIABILITY_SUMMARY`` says."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Figures] = {}

    def record(self, kind: str, check: str, inputs: int = 0, crashes: int = 0, lost: int = 0, duplicated: int = 0,
               hangs: int = 0, **extra: float) -> None:
        assert kind in CLASSES, kind
        row = self.rows.setdefault((kind, check), Figures())
        row.inputs += inputs
        row.crashes += crashes
        row.lost += lost
        row.duplicated += duplicated
        row.hangs += hangs
        for key, value in extra.items():
            row.extra[key] = max(row.extra.get(key, value), value) if key.startswith("max_") else \
                row.extra.get(key, 0) + value

    def as_json(self) -> dict[str, object]:
        classes: dict[str, dict[str, object]] = {}
        for (kind, check), row in sorted(self.rows.items()):
            entry = classes.setdefault(kind, {"inputs": 0, "crashes": 0, "lost": 0, "duplicated": 0, "hangs": 0,
                                              "checks": {}})
            for name in ("inputs", "crashes", "lost", "duplicated", "hangs"):
                entry[name] += getattr(row, name)  # type: ignore[operator]
            entry["checks"][check] = {"inputs": row.inputs, "crashes": row.crashes, "lost": row.lost,  # type: ignore[index]
                                      "duplicated": row.duplicated, "hangs": row.hangs, **row.extra}
        return classes


_LEDGER = pytest.StashKey[Ledger]()


@pytest.fixture
def ledger(request: pytest.FixtureRequest) -> Ledger:
    stash = request.config.stash
    if _LEDGER not in stash:
        stash[_LEDGER] = Ledger()
    return stash[_LEDGER]


def pytest_sessionfinish(session: pytest.Session) -> None:
    ledger = session.config.stash.get(_LEDGER, None)
    target = os.environ.get(SUMMARY_ENV)
    if ledger is not None and target:
        Path(target).write_text(json.dumps(ledger.as_json(), indent=2) + "\n", encoding="utf-8")


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:  # noqa: ANN001 - pytest's hook
    ledger = config.stash.get(_LEDGER, None)
    if ledger is None or not ledger.rows:
        return
    terminalreporter.section("reliability figures")
    for kind, entry in ledger.as_json().items():
        terminalreporter.write_line(f"{kind}: " + ", ".join(f"{k} {v}" for k, v in entry.items() if k != "checks"))
        for check, row in entry["checks"].items():  # type: ignore[union-attr]
            terminalreporter.write_line(f"    {check}: " + ", ".join(f"{k} {v}" for k, v in row.items()))


# Processes -------------------------------------------------------------------


def detector_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "detector", *args]


def child_env(tag: str) -> dict[str, str]:
    """The environment of a detector child: no debug tracebacks, and a tag to find its own children by."""
    env = {k: v for k, v in os.environ.items() if k != "DETECTOR_DEBUG"}
    env[TAG_ENV] = tag
    return env


def new_tag() -> str:
    return uuid.uuid4().hex


def tagged_pids(tag: str) -> list[int]:
    """Live processes (not zombies) started with ``RELIABILITY_TAG=tag``: the leftovers of a killed detector."""
    found = []
    marker = f"{TAG_ENV}={tag}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def wait_for_no_leftovers(tag: str, timeout: float = 15.0) -> list[int]:
    """Wait until no process of ``tag`` is left; returns those still alive at the timeout."""
    deadline = time.monotonic() + timeout
    while (left := tagged_pids(tag)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def kill_tagged(tag: str) -> None:
    for pid in tagged_pids(tag):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@dataclass
class Finished:
    code: int
    out: str
    err: str
    seconds: float
    max_rss_mb: float


def run_detector(args: list[str], cwd: Path, timeout: float = 300.0, tag: str | None = None,
                 program: list[str] | None = None, env: dict[str, str] | None = None) -> Finished:
    """Run the CLI (or ``program``) in a child process to its end; past ``timeout`` it is killed: a hang."""
    tag = tag or new_tag()
    out_path, err_path = cwd / f".out-{tag}", cwd / f".err-{tag}"
    started = time.monotonic()
    argv = (program + list(args)) if program else detector_argv(*args)
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        child = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err, env={**child_env(tag), **(env or {})})
        code, rss = wait_rusage(child, timeout)
    if code is None:
        kill_tagged(tag)
        pytest.fail(f"detector {' '.join(args)} did not finish within {timeout:g} s (a hang)")
    result = Finished(code, out_path.read_text(errors="replace"), err_path.read_text(errors="replace"),
                      time.monotonic() - started, rss)
    out_path.unlink()
    err_path.unlink()
    return result


def wait_rusage(child: subprocess.Popen, timeout: float) -> tuple[int | None, float]:
    """Reap ``child`` within ``timeout`` seconds: (exit code or None if it had to be killed, its peak RSS in MB)."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            return child.returncode, usage.ru_maxrss / 1024
        if time.monotonic() > deadline:
            child.kill()
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            return None, usage.ru_maxrss / 1024
        time.sleep(0.02)


def one_line_error(err: str) -> bool:
    """stderr is exactly one ``detector: ...`` line, with no traceback."""
    lines = [line for line in err.splitlines() if line.strip()]
    return len(lines) == 1 and lines[0].startswith("detector: ") and "Traceback" not in err


# Inputs ----------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    """A training-split original: its Markdown file text, title and body."""

    name: str
    markdown: str
    title: str
    body: str


@pytest.fixture(scope="session")
def posts() -> list[Post]:
    """The corpus's training-split originals (never HOLDOUT), in path order."""
    if not (CORPUS / "HOLDOUT").is_file():
        pytest.skip("../shared/corpus is not beside the checkout")
    found = []
    for post in list_posts(CORPUS, "train"):
        if len(post.body_markdown.split()) >= 300:
            found.append(Post(post.path.stem, post.path.read_text(encoding="utf-8"), post.title, post.body_markdown))
    return found


def write_posts(folder: Path, posts: list[Post]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, post in enumerate(posts):
        path = folder / f"{number:04d}-{post.name[:40]}.md"
        path.write_text(post.markdown, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> random.Random:
    """A random source seeded from the test's name (and ``RELIABILITY_SEED``), so a failure replays exactly."""
    return random.Random(f"{os.environ.get('RELIABILITY_SEED', '')}{request.node.nodeid}")
