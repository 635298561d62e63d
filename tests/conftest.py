"""Shared fixtures: real SQLite files in temporary folders, the seeds, and a CLI runner."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from detector.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
#: A shipped sample post: what a test registers when it needs a store that is not empty.
SAMPLE_POST = ROOT / "detector" / "samples" / "posts" / "field-notebook-of-birds.md"
SEEDS = SHARED / "seeds"


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run the CLI in-process with a fresh store; returns exit code, stdout and stderr."""
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "store.db"

    def _run(*args: str, db_path: Path | None = db) -> Run:
        out, err = io.StringIO(), io.StringIO()
        argv = (["--db", str(db_path)] if db_path else []) + list(args)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit:
                code = int(exit.code or 0)
        return Run(code, out.getvalue(), err.getvalue())

    return _run


def seed_original() -> str:
    """The clean original essay, cut out of the scraped mirror 001 as the seeds README says."""
    lines = (SEEDS / "001_a03ae8ee87d21497.txt").read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("working as a machine learning"))
    end = next(i for i, line in enumerate(lines) if " ".join(line.split()) == "Connect With Me")
    return "\n".join(line.strip() for line in lines[start:end])


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the checkout")
    return SEEDS


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())
