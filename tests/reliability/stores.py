"""Building the stores and pages the fault-injection and concurrency tests start from, and fingerprinting them."""

from __future__ import annotations

import hashlib
import html
import shutil
from datetime import datetime, timezone
from pathlib import Path

from detector.api import Detector
from detector.config import load_config
from detector.crawl import Fetched
from detector.extract import extract_html
from detector.store.frontier import save_snapshot
from fingerprints import strip_markdown

from .conftest import Post
from .invariants import connect


def copy_page(title: str, body_markdown: str, extra: str = "") -> str:
    """A content-farm page around a verbatim copy of a post."""
    return copy_page_of_text(title, strip_markdown(body_markdown), extra)


def copy_page_of_text(title: str, text: str, extra: str = "") -> str:
    """A content-farm page around ``text`` (blank-line separated paragraphs, escaped here)."""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    return (f"<!DOCTYPE html><html><head><title>{html.escape(title)} | Best Articles Daily</title></head><body>"
            '<nav><a href="/">Home</a> <a href="/tech">Tech</a> <a href="/life">Life</a></nav>'
            f"<article><h1>{html.escape(title)}</h1>{paragraphs}{extra}</article>"
            '<aside class="related"><a href="/x">You may also like</a></aside>'
            "<footer>Copyright Best Articles Daily. All rights reserved.</footer></body></html>")


def copy_store(template: Path, target: Path) -> Path:
    """A byte copy of a closed, checkpointed store."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    return target


def checkpoint(db: Path) -> None:
    """Fold the write-ahead log into the file, so the file alone is the whole store."""
    with connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def content_digest(db: Path) -> str:
    """A digest of every row of every table: equal digests mean nothing in the store changed."""
    digest = hashlib.sha256()
    with connect(db) as connection:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            digest.update(table.encode())
            for row in connection.execute(f"SELECT * FROM {table} ORDER BY rowid"):  # noqa: S608 - own table names
                digest.update(repr(row).encode())
    return digest.hexdigest()


def matches_by_page(db: Path) -> dict[str, list[tuple[str, str, float, int]]]:
    """Per page URL (or key), its matches as (work key, extent, coverage, copied words), sorted."""
    found: dict[str, list[tuple[str, str, float, int]]] = {}
    with connect(db) as connection:
        for page, work, extent, coverage, words in connection.execute(
                "SELECT coalesce(p.final_url, p.key), w.key, m.extent, m.coverage, m.copied_words FROM matches m"
                " JOIN pages p ON p.id = m.page_id JOIN works w ON w.id = m.work_id"):
            found.setdefault(page, []).append((work, extent, coverage, words))
    return {page: sorted(rows) for page, rows in found.items()}


def rows(db: Path, sql: str) -> list[tuple]:
    with connect(db) as connection:
        return connection.execute(sql).fetchall()


def build_report_store(db: Path, posts: list[Post], hosts: int, pages_per_host: int) -> None:
    """Register ``posts`` and store copies of them on ``hosts`` made-up hosts, each with its HTTP snapshot."""
    config = load_config(None, db=str(db))
    folder = db.parent / "report-posts"
    folder.mkdir(parents=True, exist_ok=True)
    for number, post in enumerate(posts):
        (folder / f"{number:03d}.md").write_text(post.markdown, encoding="utf-8")
    with Detector(config) as detector:
        detector.register([str(folder)])
        when = datetime(2025, 3, 1, tzinfo=timezone.utc).isoformat(timespec="seconds")
        for h in range(hosts):
            for n in range(pages_per_host):
                post = posts[(h * pages_per_host + n) % len(posts)]
                url = f"https://farm{h}.example/{n}/{post.name[:30]}/"
                body = copy_page(post.title, post.body).encode("utf-8")
                fetched = Fetched(url, url, 200, {"content-type": "text/html; charset=utf-8", "server": "nginx"}, body,
                                  when, "text/html")
                page = extract_html(body, url=url)
                with detector.store.transaction() as transaction:
                    page_id, _ = detector.check_page(url, page, url, url)
                    save_snapshot(transaction, fetched, "utf-8", page_id)
    checkpoint(db)
