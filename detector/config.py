"""One configuration object, built in one place from defaults, ``config.toml`` and CLI flags.

The defaults live in the dataclasses below; ``config.toml`` at the project root
documents every key with the same default (a test keeps the two in step). A
user file only overrides what it names. An unknown key or a wrong type is a
:class:`~detector.errors.ConfigError` naming the key, because a typo that is
silently ignored means a crawl that silently misbehaves for months.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from .errors import ConfigError

__all__ = [
    "Config", "StoreConfig", "AuthorConfig", "FetchConfig", "CrawlConfig", "MatchConfig",
    "AuthorizedConfig", "SourceConfig", "load_config", "SOURCE_TYPES",
]

SOURCE_TYPES = ("sitemap", "feed", "urls", "page")


@dataclass(frozen=True)
class StoreConfig:
    path: str = "detector.db"
    busy_timeout: float = 30.0


@dataclass(frozen=True)
class AuthorConfig:
    name: str = ""
    email: str = ""
    address: str = ""
    signature: str = ""
    phone: str = ""
    company: str = ""


@dataclass(frozen=True)
class FetchConfig:
    user_agent: str = "detector/{version} (+{contact})"
    contact: str = "https://github.com/detector-project/detector"
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 1.0


@dataclass(frozen=True)
class CrawlConfig:
    allow_private_addresses: bool = False
    per_host_delay: float = 1.0
    concurrency: int = 8
    max_pages_per_source: int = 1000
    max_pages_per_run: int = 10000
    robots_cache_hours: float = 24.0


@dataclass(frozen=True)
class MatchConfig:
    full_coverage: float = 0.8
    quote_max_words: int = 80
    min_passage_words: int = 10
    max_candidates: int = 10
    min_skeleton_votes: int = 3
    max_input_bytes: int = 20_000_000


@dataclass(frozen=True)
class AuthorizedConfig:
    hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceConfig:
    name: str
    type: str
    url: str = ""
    file: str = ""
    schedule: str = ""
    max_pages: int = 0


@dataclass(frozen=True)
class Config:
    store: StoreConfig = field(default_factory=StoreConfig)
    author: AuthorConfig = field(default_factory=AuthorConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    crawl: CrawlConfig = field(default_factory=CrawlConfig)
    match: MatchConfig = field(default_factory=MatchConfig)
    authorized: AuthorizedConfig = field(default_factory=AuthorizedConfig)
    sources: tuple[SourceConfig, ...] = ()
    #: Where the file came from (None: built-in defaults), for messages and relative paths.
    origin: str | None = None


def _check_value(where: str, expected: Any, value: Any) -> Any:
    """Return ``value`` coerced to ``expected`` or raise a ConfigError naming ``where``."""
    origin = get_origin(expected)
    if origin is tuple:
        item = get_args(expected)[0]
        if not isinstance(value, list):
            raise ConfigError(f"config: {where} must be a list, got {type(value).__name__}")
        return tuple(_check_value(f"{where}[{i}]", item, v) for i, v in enumerate(value))
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected is int and isinstance(value, bool) or not isinstance(value, expected):
        raise ConfigError(f"config: {where} must be {expected.__name__}, got {type(value).__name__} {value!r}")
    return value


def _build(cls: type, table: Any, where: str) -> Any:
    if not isinstance(table, dict):
        raise ConfigError(f"config: [{where}] must be a table")
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    for key in table:
        if key not in known:
            raise ConfigError(f"config: unknown key '{key}' in [{where}] (known: {', '.join(sorted(known))})")
    values = {key: _check_value(f"[{where}] {key}", hints[key], value) for key, value in table.items()}
    missing = [f.name for f in fields(cls) if f.name not in values and f.default is dataclasses.MISSING]
    if missing:
        raise ConfigError(f"config: [{where}] needs '{missing[0]}'")
    return cls(**values)


def _sources(raw: Any) -> tuple[SourceConfig, ...]:
    if not isinstance(raw, list):
        raise ConfigError("config: 'sources' must be an array of tables ([[sources]])")
    built: list[SourceConfig] = []
    for number, table in enumerate(raw, 1):
        source = _build(SourceConfig, table, f"[sources] #{number}")
        if source.type not in SOURCE_TYPES:
            raise ConfigError(f"config: [[sources]] '{source.name}' type must be one of {', '.join(SOURCE_TYPES)}")
        if not source.url and not source.file:
            raise ConfigError(f"config: [[sources]] '{source.name}' needs 'url' or 'file'")
        if source.name in {s.name for s in built}:
            raise ConfigError(f"config: two [[sources]] are named '{source.name}'")
        built.append(source)
    return tuple(built)


def parse_config(data: dict[str, Any], origin: str | None = None) -> Config:
    """Build a Config from parsed TOML, layering it over the defaults."""
    sections = {f.name: f for f in fields(Config) if f.name not in ("sources", "origin")}
    built: dict[str, Any] = {"origin": origin}
    for key, value in data.items():
        if key == "sources":
            built["sources"] = _sources(value)
        elif key in sections:
            built[key] = _build(get_type_hints(Config)[key], value, key)
        else:
            raise ConfigError(f"config: unknown section [{key}] (known: {', '.join(sorted(sections))}, sources)")
    return Config(**built)


def load_config(path: str | os.PathLike[str] | None = None, db: str | None = None) -> Config:
    """Load ``path`` (or ``./config.toml`` when present, else the defaults) and apply ``--db``.

    A relative ``[store] path`` is taken relative to the config file's folder.
    """
    explicit = path is not None
    file = Path(path) if explicit else Path("config.toml")
    if not file.exists():
        if explicit:
            raise ConfigError(f"config: {file} does not exist (pass an existing file to --config)")
        config = Config()
    else:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"config: cannot read {file}: {error}") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"config: {file} is not valid TOML: {error}") from None
        config = parse_config(data, origin=str(file))
        store_path = Path(config.store.path)
        if not store_path.is_absolute() and file.parent != Path("."):
            config = replace(config, store=replace(config.store, path=str(file.parent / store_path)))
    if db is not None:
        config = replace(config, store=replace(config.store, path=db))
    return config
