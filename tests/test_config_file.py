"""config.toml documents every key with the default the code uses."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path
from typing import get_type_hints

from detector.config import Config, parse_config

ROOT = Path(__file__).resolve().parent.parent


def test_config_toml_lists_every_key_with_the_code_default():
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    assert dataclasses.replace(parse_config(data), origin=None) == Config()
    for section in dataclasses.fields(Config):
        if section.name in ("sources", "origin"):
            continue
        documented = set(data[section.name])
        assert documented == {f.name for f in dataclasses.fields(get_type_hints(Config)[section.name])}, section.name


def test_the_readme_shows_the_shipped_config_toml_word_for_word():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shipped = (ROOT / "config.toml").read_text(encoding="utf-8").rstrip()
    assert f"```toml\n{shipped}\n```" in readme


def test_an_authorized_host_written_as_a_url_or_with_a_port_is_refused(run, tmp_path):
    for entry in ("https://partner.example/", "partner.example:8080", "partner.example/blog"):
        (tmp_path / "c.toml").write_text(f'[authorized]\nhosts = ["{entry}"]\n', encoding="utf-8")
        result = run("--config", str(tmp_path / "c.toml"), "status", db_path=None)
        assert result.code == 3, entry
        assert result.err.strip() == (f"detector: config: [authorized] hosts entry '{entry}' must be a bare host name"
                                      " such as 'partner.example' (no scheme, port or path)")


def test_values_that_would_fail_later_are_config_errors_now(run, tmp_path):
    """A bad template, NaN (which TOML allows and every range check lets through) or an empty path failed as an
    internal error, or silently meant no timeout and no delay."""
    cases = {
        '[fetch]\nuser_agent = "x {nope}"\n': "[fetch] user_agent 'x {nope}' is not a valid template",
        '[fetch]\nuser_agent = "x {"\n': "[fetch] user_agent 'x {' is not a valid template",
        "[fetch]\nread_timeout = nan\n": "[fetch] read_timeout must be >= 0.001, got nan",
        "[crawl]\nper_host_delay = nan\n": "[crawl] per_host_delay must be >= 0, got nan",
        '[store]\npath = ""\n': "[store] path is empty",
        '[schedule]\njobstore = " "\n': "[schedule] jobstore is empty",
    }
    for text, message in cases.items():
        (tmp_path / "c.toml").write_text(text, encoding="utf-8")
        result = run("--config", str(tmp_path / "c.toml"), "status", db_path=None)
        assert result.code == 3 and result.err.startswith(f"detector: config: {message}"), (text, result.err)
        assert len(result.err.strip().splitlines()) == 1
