"""The batch collector settings keep collecting cycles: they only make collections rarer."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from detector.cli import main
from detector.heap import YOUNG_THRESHOLD, settle, settled

from .conftest import SAMPLE_POST


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


@pytest.fixture
def settled_process() -> Iterator[None]:
    threshold = gc.get_threshold()
    settle()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_a_cycle_made_after_settling_is_still_collected(settled_process: None) -> None:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    gc.collect()
    assert gone() is None


def test_settling_freezes_what_is_loaded_and_raises_the_young_threshold(settled_process: None) -> None:
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD


def test_a_settled_block_hands_back_what_it_froze_and_the_old_thresholds() -> None:
    before = gc.get_threshold()
    with settled():
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_a_batch_command_runs_settled_and_a_short_one_does_not(tmp_path, monkeypatch) -> None:
    """``check`` runs with the batch settings; ``status`` (a short command) leaves the collector alone."""
    import detector.cli.check as check_cli
    import detector.cli.status as status_cli

    seen: dict[str, int] = {}

    def spy(name: str, handler):
        def run(args, detector) -> int:
            seen[name] = gc.get_threshold()[0]
            return handler(args, detector)
        return run

    monkeypatch.setattr(check_cli, "run_check", spy("check", check_cli.run_check))
    monkeypatch.setattr(status_cli, "run", spy("status", status_cli.run))
    page = tmp_path / "page.txt"
    page.write_text("A short page that copies nothing at all.\n", encoding="utf-8")
    db = str(tmp_path / "store.db")
    default = gc.get_threshold()[0]
    assert main(["--db", db, "register", str(SAMPLE_POST)]) == 0
    assert main(["--db", db, "check", str(page)]) == 0
    assert main(["--db", db, "status"]) == 0
    assert seen == {"check": YOUNG_THRESHOLD, "status": default}
    assert gc.get_threshold()[0] == default
