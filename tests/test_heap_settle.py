"""The batch collector settings keep collecting cycles: they only make collections rarer."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref
from collections.abc import Iterator

import pytest

from detector.heap import YOUNG_THRESHOLD, settle


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


@pytest.fixture
def settled() -> Iterator[None]:
    threshold = gc.get_threshold()
    settle()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_a_cycle_made_after_settling_is_still_collected(settled: None) -> None:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    gc.collect()
    assert gone() is None


def test_settling_freezes_what_is_loaded_and_raises_the_young_threshold(settled: None) -> None:
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD


def test_a_batch_command_settles_and_a_short_one_does_not(tmp_path) -> None:
    """``check`` runs settled; ``status`` (a short command) leaves the collector alone."""
    probe = (
        "import gc, sys\n"
        "from detector.cli import main\n"
        "code = main(['--db', sys.argv[1], sys.argv[2]] + sys.argv[3:])\n"
        "print(gc.get_threshold()[0], gc.get_freeze_count() > 0)\n"
    )
    page = tmp_path / "page.txt"
    page.write_text("A short page that copies nothing at all.\n", encoding="utf-8")
    db = str(tmp_path / "store.db")

    def run(*command: str) -> str:
        done = subprocess.run([sys.executable, "-c", probe, db, *command], capture_output=True, text=True,
                              timeout=120, check=True)
        return done.stdout.strip().splitlines()[-1]

    assert run("check", str(page)) == f"{YOUNG_THRESHOLD} True"
    assert run("status") == "700 False"
