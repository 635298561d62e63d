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
