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
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from .errors import ConfigError

__all__ = [
    "Config", "StoreConfig", "AuthorConfig", "FetchConfig", "CrawlConfig", "MatchConfig",
    "AuthorizedConfig", "ScheduleConfig", "SourceConfig", "load_config", "SOURCE_TYPES",
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
    max_retry_after: float = 120.0
    total_timeout: float = 60.0
    max_source_bytes: int = 50_000_000


@dataclass(frozen=True)
class CrawlConfig:
    allow_private_addresses: bool = False
    per_host_delay: float = 1.0
    concurrency: int = 8
    max_pages_per_source: int = 1000
    max_pages_per_run: int = 10000
    robots_cache_hours: float = 24.0
    max_crawl_delay: float = 30.0
    max_sitemaps: int = 100
    fetch_process_pages: int = 500


@dataclass(frozen=True)
class ScheduleConfig:
    jobstore: str = "schedule.db"
    misfire_grace_time: int = 3600


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
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
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
        if source.type != "urls" and not source.url:
            raise ConfigError(f"config: [[sources]] '{source.name}' of type {source.type} needs 'url'")
        if source.schedule and not _SCHEDULE.fullmatch(source.schedule.strip()):
            raise ConfigError(f"config: [[sources]] '{source.name}' schedule {source.schedule!r} is neither"
                              " an interval like 'every 30m', 'every 6h', 'every 1d' nor a 5-field cron line")
        if source.max_pages < 0:
            raise ConfigError(f"config: [[sources]] '{source.name}' max_pages must be >= 0 (0: the [crawl] cap)")
        if source.name in {s.name for s in built}:
            raise ConfigError(f"config: two [[sources]] are named '{source.name}'")
        built.append(source)
    return tuple(built)


#: An interval ("every 30m", "every 6h", "every 1d") or five cron fields; the scheduler builds the trigger.
_SCHEDULE = re.compile(r"every\s+[1-9]\d*\s*[smhd]|\S+(\s+\S+){4}", re.IGNORECASE)

#: Numeric keys with their allowed range (low, high; None: unbounded), checked once at load.
_RANGES: dict[tuple[str, str], tuple[float, float | None]] = {
    ("store", "busy_timeout"): (0, None),
    ("fetch", "connect_timeout"): (0.001, None), ("fetch", "read_timeout"): (0.001, None),
    ("fetch", "total_timeout"): (0.001, None), ("fetch", "max_bytes"): (1, None),
    ("fetch", "max_source_bytes"): (1, None), ("fetch", "max_redirects"): (0, 30), ("fetch", "retries"): (0, 10),
    ("fetch", "backoff"): (0, None), ("fetch", "max_retry_after"): (0, None),
    ("crawl", "per_host_delay"): (0, None), ("crawl", "concurrency"): (1, 256),
    ("crawl", "max_pages_per_source"): (1, None), ("crawl", "max_pages_per_run"): (1, None),
    ("crawl", "robots_cache_hours"): (0, 24), ("crawl", "max_crawl_delay"): (0, None),
    ("crawl", "max_sitemaps"): (1, None), ("crawl", "fetch_process_pages"): (0, None),
    ("schedule", "misfire_grace_time"): (1, None),
}


def _check_ranges(config: Config) -> None:
    """Refuse values outside their range early, naming the key and the range (RFC 9309 caps robots at 24 h).
    NaN, which TOML allows, compares false with everything, so it is refused by name."""
    for (section, key), (low, high) in _RANGES.items():
        value = getattr(getattr(config, section), key)
        if value != value or value < low or (high is not None and value > high):
            allowed = f"[{low}, {high}]" if high is not None else f">= {low}"
            raise ConfigError(f"config: [{section}] {key} must be {allowed}, got {value!r}")


_BARE_HOST = re.compile(r"[^\s/:@?#\[\]]+")


def _check_texts(config: Config) -> None:
    """Values used as templates or paths, refused here rather than failing later as an internal error."""
    try:
        config.fetch.user_agent.format(version="0", contact="x")
    except (KeyError, IndexError, ValueError) as error:
        raise ConfigError(f"config: [fetch] user_agent {config.fetch.user_agent!r} is not a valid template: only"
                          f" {{version}} and {{contact}} may appear in braces ({type(error).__name__}: {error})") from None
    for section, key in (("store", "path"), ("schedule", "jobstore")):
        if not getattr(getattr(config, section), key).strip():
            raise ConfigError(f"config: [{section}] {key} is empty; give the SQLite file to use")


def _check_hosts(config: Config) -> None:
    """A page's host is compared with each entry as a bare name: a URL or a port there would never match,
    and the partner's copies would get takedowns while the config looks right."""
    for host in config.authorized.hosts:
        if not _BARE_HOST.fullmatch(host.strip()):
            raise ConfigError(f"config: [authorized] hosts entry {host!r} must be a bare host name such as"
                              " 'partner.example' (no scheme, port or path)")


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
    config = Config(**built)
    _check_ranges(config)
    _check_texts(config)
    _check_hosts(config)
    return config


def _relative_to(config: Config, folder: Path) -> Config:
    """Take the store, the job store and URL-list files relative to the config file's folder."""

    def resolve(path: str) -> str:
        return path if not path or Path(path).is_absolute() or folder == Path(".") else str(folder / path)

    return replace(
        config,
        store=replace(config.store, path=resolve(config.store.path)),
        schedule=replace(config.schedule, jobstore=resolve(config.schedule.jobstore)),
        sources=tuple(replace(s, file=resolve(s.file)) for s in config.sources),
    )


def load_config(path: str | os.PathLike[str] | None = None, db: str | None = None) -> Config:
    """Load ``path`` (or ``./config.toml`` when present, else the defaults) and apply ``--db``.

    Relative paths (``[store] path``, ``[schedule] jobstore``, a source's
    ``file``) are taken relative to the config file's folder.
    """
    explicit = path is not None
    file = Path(path) if path is not None else Path("config.toml")
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
        config = _relative_to(parse_config(data, origin=str(file)), file.parent)
    if db is not None:
        config = replace(config, store=replace(config.store, path=db))
    return config
