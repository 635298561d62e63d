"""The command line: usage errors exit 2, every command has help with an example."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector import __version__
from detector.cli import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parent.parent
build_parser()  # fills COMMANDS


def test_no_arguments_prints_usage_and_exits_2(run):
    result = run(db_path=None)
    assert result.code == 2 and "usage:" in result.err


def test_a_wrong_flag_prints_usage_and_exits_2(run):
    result = run("register", "--no-such-flag", "x")
    assert result.code == 2 and "usage:" in result.err


def test_version(run):
    result = run("--version", db_path=None)
    assert result.code == 0 and __version__ in result.out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command, run):
    result = run(command, "--help", db_path=None)
    assert result.code == 0
    assert "example:" in result.out and f"detector {command}" in result.out
    assert f"detector {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_an_unknown_config_key_names_the_key(run, tmp_path: Path):
    (tmp_path / "bad.toml").write_text("[crawl]\nallow_private_adresses = true\n")
    result = run("--config", str(tmp_path / "bad.toml"), "matches", db_path=None)
    assert result.code == 3 and "allow_private_adresses" in result.err and "Traceback" not in result.err


def test_a_wrong_type_names_the_key(run, tmp_path: Path):
    (tmp_path / "bad.toml").write_text("[fetch]\nmax_bytes = 'lots'\n")
    result = run("--config", str(tmp_path / "bad.toml"), "matches", db_path=None)
    assert result.code == 3 and "max_bytes" in result.err


def test_a_missing_config_file_is_a_one_line_error(run, tmp_path: Path):
    result = run("--config", str(tmp_path / "nope.toml"), "matches", db_path=None)
    assert result.code == 3 and "nope.toml" in result.err and result.err.count("\n") == 1
