"""detector status tells a newcomer what is registered, found, crawled and scheduled."""

from __future__ import annotations

import json
from pathlib import Path

from .test_register_store import POST


def test_status_counts_works_and_matches_and_shows_the_next_run(run, tmp_path: Path):
    (tmp_path / "config.toml").write_text(
        "[store]\npath = 'store.db'\n[schedule]\njobstore = 'jobs.db'\n"
        "[[sources]]\nname = 'suspect'\ntype = 'sitemap'\nurl = 'https://scraper.example/sitemap.xml'\n"
        "schedule = 'every 6h'\n"
    )
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    cfg = str(tmp_path / "config.toml")
    run("--config", cfg, "register", str(post), db_path=None)
    copy = tmp_path / "copy.txt"
    copy.write_text(POST.split("---\n", 2)[2], encoding="utf-8")
    run("--config", cfg, "check", str(copy), db_path=None)
    result = run("--config", cfg, "status", db_path=None)
    assert result.code == 0
    assert "works registered: 1" in result.out
    assert "matches: 1 new, 0 confirmed, 0 dismissed (1 recommended for takedown)" in result.out
    assert "suspect" in result.out and "once 'detector schedule' runs" in result.out
    payload = json.loads(run("--config", cfg, "status", "--json", db_path=None).out)
    assert payload["works"] == 1 and payload["matches"]["new"] == 1 and payload["last_crawls"] == {}
