"""A full disk, a corrupt or truncated store and a store from a newer detector: one clear line, nothing lost or reset.

The full disk is SQLite's ``max_page_count`` set on the CLI's own connection
(``capped_cli.py``), at many sizes, while ``register``, ``check`` and
``crawl`` write. Damaged stores are cut from a real one: a garbage header,
truncations, garbage pages, random byte flips and a newer schema version,
each opened by every command.
"""

from __future__ import annotations

import hashlib
import random
import sys
from pathlib import Path

import pytest

from detector.store.schema import MIGRATIONS

from ..crawl_site import config_file, serve, source
from .conftest import run_detector, scaled, write_posts
from .invariants import connect, count, store_problems
from .stores import build_report_store, checkpoint, copy_page, copy_store, matches_by_page, rows

CAPPED = [sys.executable, str(Path(__file__).with_name("capped_cli.py"))]


def _pages(db: Path) -> int:
    with connect(db) as connection:
        return int(connection.execute("PRAGMA page_count").fetchone()[0])


def _works(db: Path) -> set[tuple[str, str]]:
    return set(rows(db, "SELECT key, sha256 FROM works"))


def _full_disk_line(err: str) -> bool:
    lines = [line for line in err.splitlines() if line.strip()]
    return (len(lines) == 1 and lines[0].startswith("detector: store ") and "full" in lines[0]
            and "nothing stored was lost" in lines[0] and "Traceback" not in err)


@pytest.mark.parametrize("caps", scaled(1, 12))
def test_a_full_disk_during_register_and_check_is_one_line_and_loses_nothing(caps, posts, tmp_path, run, ledger, rng):
    first, more = tmp_path / "first", tmp_path / "more"
    write_posts(first, posts[:8])
    write_posts(more, posts[8:48])
    pages_folder = tmp_path / "pages"
    pages_folder.mkdir()
    for number, post in enumerate(posts[:8]):
        (pages_folder / f"copy{number}.html").write_text(copy_page(post.title, post.body), encoding="utf-8")
    template, reference = tmp_path / "template.db", tmp_path / "reference.db"
    assert run("--db", str(template), "register", str(first), "--quiet", db_path=None).code == 0
    checkpoint(template)
    kept = _works(template)
    copy_store(template, reference)
    assert run("--db", str(reference), "register", str(more), "--quiet", db_path=None).code == 0
    expected = rows(reference, "SELECT key, sha256 FROM works")
    inputs = crashes = lost = duplicated = hit_full = 0
    problems: list[str] = []
    for number in range(caps):
        db = copy_store(template, tmp_path / f"cap{number}" / "store.db")
        extra = rng.choice([1, 2, 5, 10, 20, 40, 80, 160])
        for args in (["register", str(more), "--quiet"], ["check", *map(str, sorted(pages_folder.iterdir()))]):
            inputs += 1
            limit = str(_pages(db) + extra)
            full = run_detector(["--db", str(db), *args], db.parent, program=CAPPED, env={"MAX_PAGE_COUNT": limit})
            if full.code == 0:
                continue  # the room left was enough for this command
            hit_full += 1
            if full.code != 4 or not _full_disk_line(full.err):
                crashes += 1
                problems.append(f"cap +{extra} {args[0]}: exit {full.code}: {full.err.strip()[:300]}")
            lost += len(kept - _works(db))
            problems += [f"cap +{extra} {args[0]}: {p}" for p in store_problems(db)]
        again = run("--db", str(db), "register", str(more), "--quiet", db_path=None)
        checked = run("--db", str(db), "check", *map(str, sorted(pages_folder.iterdir())), db_path=None)
        if again.code or checked.code or again.err or checked.err:
            problems.append(f"cap +{extra}: the run with room again ended {again.code}/{checked.code}: {again.err}")
        works = rows(db, "SELECT key, sha256 FROM works")
        lost += len(set(expected) - set(works))
        duplicated += len(works) - len(expected) + max(0, count(db, "SELECT COUNT(*) FROM pages") - 8)
    ledger.record("fault injection", "full disk (max_page_count) during register and check", inputs=inputs,
                  crashes=crashes, lost=lost, duplicated=duplicated, ran_out_of_room=hit_full)
    assert hit_full, "no cap was small enough to fill the store"
    assert not problems and lost == duplicated == 0, "\n".join(problems[:20])


@pytest.mark.parametrize("caps", scaled(1, 6))
def test_a_full_disk_during_crawl_is_one_line_and_the_crawl_resumes(caps, posts, tmp_path, run, ledger):
    folder = tmp_path / "registered"
    write_posts(folder, posts[:6])
    with serve() as site:
        urls = []
        for number, post in enumerate(posts[:12]):
            site.page(f"/{number}/", copy_page(post.title, post.body))
            urls.append(site.url(f"/{number}/"))
        inputs = crashes = lost = hit_full = 0
        problems: list[str] = []
        reference: dict | None = None  # type: ignore[type-arg]
        for number in range(caps + 1):
            base = tmp_path / f"run{number}"
            base.mkdir()
            (base / "urls.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
            cfg = config_file(base / "cfg.toml", source("farm", "urls", file="urls.txt"))
            db = base / "store.db"
            assert run("--config", cfg, "register", str(folder), "--quiet", db_path=None).code == 0
            if number:
                inputs += 1
                limit = str(_pages(db) + 2 + 12 * number)
                full = run_detector(["--config", cfg, "crawl", "--quiet"], base, program=CAPPED,
                                    env={"MAX_PAGE_COUNT": limit})
                hit_full += full.code == 4
                if full.code not in (0, 4) or (full.code == 4 and not _full_disk_line(full.err)):
                    crashes += 1
                    problems.append(f"cap {limit}: exit {full.code}: {full.err.strip()[:300]}")
                problems += store_problems(db)
            resumed = run("--config", cfg, "crawl", "--quiet", db_path=None)
            if resumed.code or resumed.err:
                problems.append(f"run {number}: the crawl with room ended {resumed.code}: {resumed.err[:300]}")
            found = matches_by_page(db)
            if reference is None:
                reference = found
            elif found != reference:
                lost += 1
                problems.append(f"run {number}: the resumed crawl's matches differ from a crawl with room")
    ledger.record("fault injection", "full disk (max_page_count) during crawl", inputs=inputs, crashes=crashes,
                  lost=lost, ran_out_of_room=hit_full)
    assert hit_full, "no cap was small enough to fill the store"
    assert not problems, "\n".join(problems[:20])


# Damaged stores ------------------------------------------------------------------


@pytest.fixture
def sound_store(posts, tmp_path) -> bytes:
    """The bytes of a checkpointed store with works, pages, matches, snapshots and a finished crawl run."""
    db = tmp_path / "sound" / "store.db"
    db.parent.mkdir()
    build_report_store(db, posts[:5], hosts=3, pages_per_host=2)
    with connect(db) as connection:
        connection.execute("INSERT INTO crawl_runs (scope, started_at, finished_at, summary) VALUES"
                           " ('source:farm', '2025-01-01T00:00:00+00:00', '2025-01-01T00:01:00+00:00',"
                           " '{\"fetched\": 6}')")
        connection.commit()
    checkpoint(db)
    return db.read_bytes()


def _commands(tmp_path: Path, posts) -> list[list[str]]:  # noqa: ANN001 - the fixture's list
    post = tmp_path / "new-post.md"
    post.write_text(posts[20].markdown, encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(copy_page(posts[0].title, posts[0].body), encoding="utf-8")
    return [["matches", "--json"], ["status"], ["register", str(post), "--quiet"], ["check", str(page)],
            ["report", "--all", "--format", "json", "--format", "html", "--format", "md", "--out",
             str(tmp_path / "reports")], ["confirm", "1"]]


def _structural(data: bytes, rng: random.Random) -> dict[str, bytes]:
    page = 4096
    newer = data[:60] + (len(MIGRATIONS) + 7).to_bytes(4, "big") + data[64:]  # PRAGMA user_version lives at 60
    return {
        "garbage header": bytes(rng.randrange(256) for _ in range(100)) + data[100:],
        "text file": b"this is not a detector store\n" * 200,
        "truncated to 50 bytes": data[:50],
        "truncated to its first page": data[:page],
        "truncated at half": data[: len(data) // 2],
        "truncated by one page": data[:-page],
        "truncated mid-page": data[: len(data) - page // 2],
        "newer schema version": newer,
    }


def _damaged(data: bytes, rng: random.Random) -> bytes:
    """Garbage pages or flipped bytes past the header, where SQLite may or may not notice.

    SQLite checks the structure of a file, not the values in it, so a damaged
    value may only be found after a command has written: such a store is
    judged by its error being one clear line, and by never being reset.
    """
    damaged = bytearray(data)
    if rng.random() < 0.3:
        for _ in range(rng.randint(1, 3)):
            start = rng.randrange(1, len(data) // 4096) * 4096
            damaged[start:start + 4096] = bytes(rng.randrange(256) for _ in range(4096))
    else:
        for _ in range(rng.randint(1, 12)):
            damaged[rng.randrange(100, len(damaged))] = rng.randrange(256)
    return bytes(damaged)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _clear_failure(code: int, err: str) -> bool:
    lines = [line for line in err.splitlines() if line.strip()]
    return (code in (1, 4) and bool(lines) and all(line.startswith("detector: ") for line in lines)
            and "Traceback" not in err and "internal error" not in err)


@pytest.mark.parametrize("rounds", scaled(1, 4))
def test_corrupt_truncated_and_newer_stores_are_refused_untouched(rounds, sound_store, posts, tmp_path, run, ledger,
                                                                  rng):
    commands = _commands(tmp_path, posts)
    problems: list[str] = []
    inputs = 0
    variants = [item for _ in range(rounds) for item in _structural(sound_store, rng).items()]
    for name, data in variants:
        for args in commands:
            inputs += 1
            db = tmp_path / "damaged" / "store.db"
            db.parent.mkdir(exist_ok=True)
            for leftover in db.parent.glob("store.db*"):
                leftover.unlink()
            db.write_bytes(data)
            result = run("--db", str(db), *args, db_path=None)
            expected = "schema version" if name == "newer schema version" else "not a valid detector database"
            lines = [line for line in result.err.splitlines() if line.strip()]
            if result.code != 4 or len(lines) != 1 or expected not in lines[0]:
                problems.append(f"{name}, {args[0]}: exit {result.code}: {result.err.strip()[:200]}")
            if db.read_bytes() != data:
                problems.append(f"{name}, {args[0]}: the file was changed")
    ledger.record("fault injection", "corrupt, truncated and newer stores", inputs=inputs, crashes=len(problems))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("stores", scaled(20, 400))
def test_stores_with_damaged_pages_never_crash_and_are_never_reset(stores, sound_store, posts, tmp_path, run, ledger,
                                                                   rng):
    commands = _commands(tmp_path, posts)
    problems: list[str] = []
    inputs = refused = 0
    for number in range(stores):
        data = _damaged(sound_store, rng)
        args = rng.choice(commands)
        inputs += 1
        db = tmp_path / f"damaged{number}" / "store.db"
        db.parent.mkdir()
        db.write_bytes(data)
        result = run("--db", str(db), *args, db_path=None)
        if result.code != 0 and not _clear_failure(result.code, result.err):
            problems.append(f"store {number}, {args[0]}: exit {result.code}: {result.err.strip()[:300]}")
        refused += result.code == 4
        if len(db.read_bytes()) < len(data):
            problems.append(f"store {number}, {args[0]}: the file shrank: reset or truncated")
    ledger.record("fault injection", "stores with garbage pages or flipped bytes", inputs=inputs,
                  crashes=len(problems), refused_with_one_line=refused)
    assert not problems, "\n".join(problems[:20])
