"""Registering is idempotent, versions changed content, and survives a restart."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from detector.api import Detector
from detector.config import load_config
from detector.store import Store
from detector.store.schema import MIGRATIONS

POST = """---
title: Cold kitchen sourdough
author: Maren Holt
date: 2024-03-02
url: https://marenholt.example/posts/cold-sourdough/
---
My kitchen sits at fourteen degrees all winter, and for years I blamed it for every flat loaf I baked.

The starter was never the problem. It was slow, but slow is not the same as dead, and I had been feeding it on a warm-kitchen schedule.

Once I stretched the feeds to every eighteen hours and kept the jar in the oven with the light on, it doubled reliably by lunchtime.
"""


def test_the_same_content_twice_adds_nothing(run, tmp_path: Path):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    assert run("register", str(post)).out.strip() == "registered: 1 added, 0 unchanged, 0 failed"
    assert run("register", str(post)).out.strip() == "registered: 0 added, 1 unchanged, 0 failed"


def test_changed_content_under_the_same_url_is_a_new_version(run, tmp_path: Path):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    run("register", str(post))
    post.write_text(POST + "\nA new closing paragraph added after publication, long enough to count.\n", encoding="utf-8")
    assert "1 new version" in run("register", str(post)).out
    with Store.open(tmp_path / "store.db") as store:
        active = store.works()
        every = store.works(active_only=False)
    assert [w.version for w in active] == [2] and len(every) == 2
    assert active[0].url == "https://marenholt.example/posts/cold-sourdough/"


def test_registering_the_same_text_again_takes_its_new_details_and_keeps_the_old_ones(run, tmp_path: Path):
    """Fixing a title or adding the URL later must reach the record (and so the notice and the canonical rule),
    and registering the folder again without the flag must not take the URL away."""
    untitled = "\n".join(line for line in POST.splitlines() if not line.startswith(("title:", "url:"))) + "\n"
    post = tmp_path / "post.md"
    post.write_text(untitled, encoding="utf-8")
    run("register", str(post))
    url = "https://marenholt.example/posts/cold-sourdough/"
    assert run("register", "--url", url, str(post)).out.strip() == (
        "registered: 0 added, 0 unchanged, 1 with new details, 0 failed")
    post.write_text(untitled.replace("author:", "title: Cold kitchen sourdough\nauthor:"), encoding="utf-8")
    assert "1 with new details" in run("register", str(post)).out
    assert run("register", str(post)).out.strip() == "registered: 0 added, 1 unchanged, 0 failed"
    with Store.open(tmp_path / "store.db") as store:
        (work,) = store.works(active_only=False)
    assert (work.key, work.url, work.title, work.author, work.version) == (
        url, url, "Cold kitchen sourdough", "Maren Holt", 1)
    partner = tmp_path / "partner.html"
    partner.write_text(f"<html><head><link rel=canonical href='{url}'></head><body><article><p>"
                       + POST.split("---\n", 2)[2].replace("\n\n", "</p><p>") + "</p></article></body></html>")
    (match,) = json.loads(run("check", "--json", str(partner)).out)[0]["matches"]
    assert match["work_url"] == url and match["authorized"] is True


def test_two_posts_given_one_url_in_one_run_keep_the_first_and_name_the_second(run, tmp_path: Path):
    """A front matter copied into a new post keeps the old URL: the new post must not retire the old one."""
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text(POST, encoding="utf-8")
    other = POST.split("---\n", 2)
    (tmp_path / "posts" / "b.md").write_text(
        "---\n" + other[1].replace("Cold kitchen", "Rye") + "---\nRye starters ferment faster than wheat ones because"
        " rye flour carries more enzymes and more wild yeast, so a rye starter kept at room temperature needs feeding"
        " twice a day and smells sour within a week of being started.\n", encoding="utf-8")
    result = run("register", str(tmp_path / "posts"))
    assert result.out.strip() == "registered: 1 added, 0 unchanged, 1 failed"
    assert result.err.strip() == (f"detector: {tmp_path / 'posts' / 'b.md'}: its URL https://marenholt.example/posts/"
                                  f"cold-sourdough/ is also the URL of {tmp_path / 'posts' / 'a.md'}, whose text"
                                  " differs; a URL names one post (give this one its own url)")
    with Store.open(tmp_path / "store.db") as store:
        assert [w.title for w in store.works()] == ["Cold kitchen sourdough"]


def test_a_restart_rebuilds_the_index_from_stored_signatures(tmp_path: Path):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    page = tmp_path / "copy.html"
    body = POST.split("---\n", 2)[2]
    page.write_text("<html><body><article>" + "".join(f"<p>{p}</p>" for p in body.split("\n\n")) + "</article></body></html>")
    config = load_config(db=str(tmp_path / "store.db"))
    with Detector(config) as detector:
        detector.register([str(post)])
    with Detector(config) as fresh:
        result = fresh.check([str(page)])[0]
    assert [m.extent for m in result.matches] == ["full"]


def test_each_work_is_one_transaction_with_its_signatures(tmp_path: Path, run):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    run("register", str(post))
    db = sqlite3.connect(tmp_path / "store.db")
    kinds = db.execute("SELECT kind, scheme, num_perm FROM signatures").fetchall()
    assert sorted(kinds) == [("skeleton3", "affine32", 64), ("word3", "affine32", 64)]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_check_results_are_stored_and_listed(run, tmp_path: Path):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    run("register", str(post))
    copy = tmp_path / "copy.txt"
    copy.write_text(POST.split("---\n", 2)[2], encoding="utf-8")
    checked = json.loads(run("check", "--json", str(copy)).out)
    listed = json.loads(run("matches", "--json").out)
    assert [m["id"] for m in listed] == [m["id"] for m in checked[0]["matches"]]
    keys = {"page_url", "work_url", "work_title", "extent", "coverage", "similarity", "chrome", "chrome_score",
            "spun", "spun_score", "authorized", "takedown", "reasons", "passages"}
    assert keys <= set(listed[0])
    assert listed[0]["work_url"] == "https://marenholt.example/posts/cold-sourdough/"


def _copied(run, tmp_path: Path) -> tuple[Path, int]:
    """POST registered and a plain-text copy of it checked: the copy's file and its match id."""
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    run("register", str(post))
    copy = tmp_path / "copy.txt"
    copy.write_text(POST.split("---\n", 2)[2], encoding="utf-8")
    return copy, json.loads(run("check", "--json", str(copy)).out)[0]["matches"][0]["id"]


def test_a_dismissed_match_stays_dismissed_when_the_page_is_seen_again(run, tmp_path: Path):
    copy, match_id = _copied(run, tmp_path)
    assert run("dismiss", str(match_id), "--reason", "my own mirror").code == 0
    again = json.loads(run("check", "--json", str(copy)).out)[0]["matches"][0]
    assert again["id"] == match_id and again["state"] == "dismissed" and again["page_changed"] is False
    assert json.loads(run("matches", "--json", "--state", "new").out) == []
    copy.write_text(POST.split("---\n", 2)[2] + "\nA paragraph the copier added later on, long enough.\n", encoding="utf-8")
    changed = json.loads(run("check", "--json", str(copy)).out)[0]["matches"][0]
    assert changed["state"] == "dismissed" and changed["page_changed"] is True


def test_a_copy_gone_from_its_page_is_kept_and_comes_back_as_the_same_match(run, tmp_path: Path):
    """A cookie wall one day, the copy the next: the triage must survive, and ids must keep naming one match."""
    copy, confirmed = _copied(run, tmp_path)
    other = tmp_path / "other.txt"
    other.write_text(POST.split("---\n", 2)[2], encoding="utf-8")
    dismissed = json.loads(run("check", "--json", str(other)).out)[0]["matches"][0]["id"]
    assert run("confirm", str(confirmed)).code == 0
    assert run("dismiss", str(dismissed), "--reason", "licensed").code == 0
    for page in (copy, other):
        page.write_text("Please accept cookies to continue reading this site.", encoding="utf-8")
    checked = json.loads(run("check", "--json", str(copy), str(other)).out)
    assert [(r["matches"], r["gone"]) for r in checked] == [([], [confirmed]), ([], [dismissed])]
    assert f"(match {confirmed} no longer on the page; kept as 'gone')" in run("check", str(copy)).out
    listed = {m["id"]: m for m in json.loads(run("matches", "--json").out)}
    assert listed[confirmed]["state"] == "confirmed" and listed[confirmed]["gone_since"]
    assert listed[dismissed]["state"] == "dismissed" and listed[dismissed]["gone_since"]
    assert "1 confirmed, 1 dismissed, 2 no longer on their page (0 recommended" in run("status").out
    report = run("report", "--out", str(tmp_path / "reports"))
    assert report.code != 0 and f"whose copy was gone from the page when it was last checked: {confirmed}" in report.err

    # a new page gets a new id, never one that named another match before
    third = tmp_path / "third.txt"
    third.write_text(POST.split("---\n", 2)[2], encoding="utf-8")
    assert json.loads(run("check", "--json", str(third)).out)[0]["matches"][0]["id"] not in (confirmed, dismissed)
    for page in (copy, other):
        page.write_text(POST.split("---\n", 2)[2], encoding="utf-8")
    back = [r["matches"][0] for r in json.loads(run("check", "--json", str(copy), str(other)).out)]
    assert [(m["id"], m["state"], m["gone_since"]) for m in back] == [
        (confirmed, "confirmed", None), (dismissed, "dismissed", None)]


def test_triage_of_an_unknown_match_is_a_one_line_error(run):
    result = run("confirm", "999")
    # exit 1, not 4: the store is fine, the id is wrong
    assert result.code == 1 and result.err.strip() == (
        "detector: no match with id 999; none was changed (see 'detector matches' for the ids)")


def test_triage_of_several_ids_changes_all_or_none(run, tmp_path: Path):
    _, match_id = _copied(run, tmp_path)
    refused = run("dismiss", str(match_id), "998", "999", "--reason", "typo in the ids")
    assert refused.code == 1 and "no match with id 998, 999; none was changed" in refused.err
    assert json.loads(run("matches", "--json").out)[0]["state"] == "new"
    assert run("dismiss", str(match_id), str(match_id), "--reason", "mine").code == 0
    assert json.loads(run("matches", "--json").out)[0]["state"] == "dismissed"


def _many_posts(folder: Path, count: int) -> None:
    """``count`` distinct posts (five reusing another's URL), plus a duplicate and an unreadable file among them."""
    import random

    rng = random.Random(4)
    words = POST.split("---")[-1].split()
    folder.mkdir()
    for n in range(count):
        body = "\n\n".join(" ".join(rng.choices(words, k=40)) + "." for _ in range(4))
        (folder / f"post-{n:03d}.md").write_text(
            f"---\ntitle: Post {n}\nurl: https://example.org/p/{n % (count - 5)}/\n---\n\n{body}\n", encoding="utf-8")
    (folder / "post-dup.md").write_text((folder / "post-007.md").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.md").write_bytes(b"\x00\x01\x02 binary \xff\xfe")


def _stored(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(
            "SELECT w.key, w.version, w.active, w.sha256, w.title, s.kind, s.hashvalues FROM works w"
            " JOIN signatures s ON s.work_id = w.id ORDER BY w.id, s.kind").fetchall()


def test_registering_many_files_in_worker_processes_stores_what_one_process_stores(run, tmp_path: Path, monkeypatch):
    import detector.api

    _many_posts(tmp_path / "posts", 230)  # over POOL_MIN_FILES, so two workers read and sign them
    one = run("register", "--workers", "1", str(tmp_path / "posts"), db_path=tmp_path / "one.db")
    two = run("register", "--workers", "2", str(tmp_path / "posts"), db_path=tmp_path / "two.db")
    assert one.out == two.out and one.err == two.err
    assert one.out.strip() == "registered: 225 added, 1 unchanged, 6 failed"
    assert "broken.md" in two.err and two.err.count("whose text differs; a URL names one post") == 5
    assert _stored(tmp_path / "one.db") == _stored(tmp_path / "two.db")
    assert len(_stored(tmp_path / "two.db")) == 2 * 225

    pooled = []
    real = detector.api.prepare_many
    monkeypatch.setattr(detector.api, "prepare_many", lambda *a: pooled.append(a[3]) or real(*a))
    with Detector(load_config(db=str(tmp_path / "api.db"))) as det:
        summary = det.register([str(tmp_path / "posts")], workers=2)
    assert pooled == [2]  # the pool did the reading and signing
    assert (summary.added, summary.unchanged, summary.updated, len(summary.failed)) == (225, 1, 0, 6)
    assert _stored(tmp_path / "api.db") == _stored(tmp_path / "one.db")


def test_a_dismissal_without_a_reason_is_refused(run, tmp_path: Path):
    _, match_id = _copied(run, tmp_path)
    result = run("dismiss", str(match_id), "--reason", "   ")
    assert result.code == 2 and "--reason that says why" in result.err
    assert json.loads(run("matches", "--json").out)[0]["state"] == "new"
