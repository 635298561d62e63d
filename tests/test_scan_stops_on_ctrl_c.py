"""Ctrl-C stops a scan with worker processes at once, with one line, and leaves no worker behind.

A terminal's Ctrl-C reaches the whole process group: the parent and every
worker. The workers then hold shards the pool had already handed them; before
this was fixed they scanned those to the end (20 s and more on a large
archive) before the command could stop.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from detector.scan import Capture, write_warc

from .test_scan_matches_check import SAMPLES

ROOT = Path(__file__).resolve().parents[1]
#: Far more pages than the workers scan before Ctrl-C: a shard (an eighth) takes them several seconds.
PAGES = 12000


def _archive(path: Path) -> None:
    rng = random.Random(7)
    vocabulary = [f"{a}{b}" for a in ("lo", "ma", "ne", "ri", "tu", "ka", "se", "po") for b in
                  ("ren", "dal", "mik", "sol", "vat", "ung", "per", "ash", "ilo", "ber")]
    paragraphs = ["<p>" + ". ".join(" ".join(rng.choice(vocabulary) for _ in range(12)) for _ in range(20)) + ".</p>"
                  for _ in range(60)]
    captures = [Capture(f"https://farm{i % 9}.example/post/{i}/",
                        ("<html><body><article>" + "".join(rng.sample(paragraphs, 8)) + "</article></body></html>")
                        .encode()) for i in range(PAGES)]
    write_warc(path, captures, compress=True)


def test_ctrl_c_stops_a_scan_with_workers_at_once(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "detector", "--db", str(db), "register", "--quiet", str(SAMPLES / "posts")],
                   check=True, capture_output=True, timeout=120, env=env)
    archive = tmp_path / "big.warc.gz"
    _archive(archive)
    scan = subprocess.Popen([sys.executable, "-m", "detector", "--db", str(db), "scan", "--workers", "2", "--quiet",
                             str(archive)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env=env)
    try:
        deadline = time.monotonic() + 60
        while len(_children(scan.pid)) < 2 and time.monotonic() < deadline:  # the workers (and a resource tracker)
            time.sleep(0.1)
        time.sleep(4)  # the workers load the catalog and start their shards
        assert scan.poll() is None, "the scan ended before it could be interrupted: make the archive larger"
        os.killpg(scan.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        stopped = time.monotonic()
        out, err = scan.communicate(timeout=60)
        took = time.monotonic() - stopped
    finally:
        if scan.poll() is None:
            os.killpg(scan.pid, signal.SIGKILL)
            scan.wait()
    assert scan.returncode == 130
    assert took < 3, f"the scan took {took:.1f} s to stop after Ctrl-C"
    assert err.strip().splitlines() == ["detector: interrupted; everything stored so far is kept"], err
    left = _group(scan.pid)
    deadline = time.monotonic() + 5  # multiprocessing's resource tracker leaves once it sees the parent gone
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = _group(scan.pid)
    if left:
        os.killpg(scan.pid, signal.SIGKILL)
    assert not left, f"processes of the scan still running after it stopped: {left}"


def _group(pgid: int) -> list[str]:
    """The command lines of the live processes in process group ``pgid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == pgid and fields[0] != "Z":
                    found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:100])
            except (OSError, ValueError, IndexError):
                continue
    return found


def _children(pid: int) -> list[int]:
    """The pids whose parent is ``pid``, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found
