"""Bad inputs get a one-line error naming the file; the rest still go through."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from .conftest import ROOT
from .test_register_store import POST


def _one_line_errors(err: str) -> list[str]:
    lines = [line for line in err.splitlines() if line.strip()]
    assert all(line.startswith("detector: ") for line in lines), err
    assert "Traceback" not in err
    return lines


def test_empty_binary_and_tiny_files_fail_alone(run, tmp_path: Path):
    good = tmp_path / "good.md"
    good.write_text(POST, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "binary.html").write_bytes(bytes(range(256)) * 40)  # the HTML reader would make "words" of it
    (tmp_path / "nobody.html").write_text("<html><head><title>x</title></head></html>")
    result = run("register", str(tmp_path / "empty.txt"), str(tmp_path / "binary.txt"), str(tmp_path / "binary.html"),
                 str(tmp_path / "nobody.html"), str(good), str(tmp_path / "vanished.md"))
    assert result.code == 0
    assert result.out.strip() == "registered: 1 added, 0 unchanged, 5 failed"
    errors = _one_line_errors(result.err)
    assert len(errors) == 5
    for name in ("empty.txt", "binary.txt", "binary.html", "nobody.html", "vanished.md"):
        assert sum(name in e for e in errors) == 1
    assert sum("looks like a binary file" in e for e in errors) == 2


def test_a_utf16_html_post_is_not_taken_for_a_binary_file(run, tmp_path: Path):
    body = POST.split("---\n", 2)[2]
    page = tmp_path / "post.html"
    page.write_bytes(("<html><body><article><p>" + body.replace("\n\n", "</p><p>") + "</p></article></body></html>")
                     .encode("utf-16"))
    result = run("register", str(page))
    assert result.code == 0 and "1 added" in result.out, result.err


def test_non_utf8_text_is_decoded(run, tmp_path: Path):
    latin = tmp_path / "latin.txt"
    text = "Caf\u00e9 cr\u00e8me na\u00efve fa\u00e7ade. " * 3 + POST.split("---\n", 2)[2]
    latin.write_bytes(text.encode("latin-1"))
    result = run("register", str(latin))
    assert result.code == 0 and "1 added" in result.out, result.err


def test_nothing_processed_exits_non_zero(run, tmp_path: Path):
    (tmp_path / "empty.md").write_text("")
    result = run("register", str(tmp_path / "empty.md"))
    assert result.code == 1 and len(_one_line_errors(result.err)) == 1


def test_a_file_over_the_size_cap_is_refused(run, tmp_path: Path):
    (tmp_path / "config.toml").write_text("[match]\nmax_input_bytes = 1000\n")
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000)
    result = run("--config", str(tmp_path / "config.toml"), "register", str(big))
    assert result.code == 1 and "cap" in result.err and "big.txt" in result.err


def test_a_page_in_another_language_matches_nothing_and_does_not_fail(run, tmp_path: Path):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    run("register", str(post))
    page = tmp_path / "ja.html"
    page.write_text("<html lang=ja><body><p>" + "これは日本語の文章です。猫が窓辺で眠っています。" * 20 + "</p></body></html>",
                    encoding="utf-8")
    result = run("check", str(page))
    assert result.code == 0 and "0 matches" in result.out


def test_a_locked_store_is_a_one_line_error_and_loses_nothing(run, tmp_path: Path):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    run("register", str(post))
    (tmp_path / "config.toml").write_text("[store]\npath = 'store.db'\nbusy_timeout = 0.2\n")
    blocker = sqlite3.connect(tmp_path / "store.db")
    blocker.execute("BEGIN EXCLUSIVE")
    other = tmp_path / "other.md"
    other.write_text(POST.replace("fourteen", "twelve").replace("cold-sourdough", "other"), encoding="utf-8")
    result = run("--config", str(tmp_path / "config.toml"), "register", str(other), db_path=None)
    blocker.rollback()
    blocker.close()
    assert result.code == 4 and "locked" in result.err
    assert len(_one_line_errors(result.err)) == 1
    with sqlite3.connect(tmp_path / "store.db") as db:
        assert db.execute("SELECT COUNT(*) FROM works").fetchone()[0] == 1
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_corrupt_store_is_refused_not_reset(run, tmp_path: Path):
    db = tmp_path / "store.db"
    db.write_bytes(b"this is not sqlite" * 100)
    result = run("matches")
    assert result.code == 4 and "not a valid detector database" in result.err
    assert db.read_bytes() == b"this is not sqlite" * 100


def test_a_store_from_a_newer_schema_is_refused(run, tmp_path: Path):
    db = sqlite3.connect(tmp_path / "store.db")
    db.execute("PRAGMA user_version = 99")
    db.close()
    result = run("matches")
    assert result.code == 4 and "schema version 99" in result.err


def test_front_matter_with_an_escaped_lone_surrogate_does_not_stop_the_run(run, tmp_path: Path):
    odd = tmp_path / "odd.md"
    odd.write_text('---\ntitle: "\\ud83d\\ude00 and \\ud83d alone"\n---\n' + "Plain words in a body. " * 10, encoding="utf-8")
    good = tmp_path / "good.md"
    good.write_text(POST, encoding="utf-8")
    result = run("register", str(odd), str(good))
    assert result.code == 0 and "Traceback" not in result.err
    assert result.out.startswith("registered: ") and ("1 added" in result.out or "2 added" in result.out)
    assert all(line.startswith("detector: ") and "odd.md" in line for line in result.err.splitlines())


def test_a_binary_file_named_html_is_an_error_when_checked_not_a_page_of_garbage(run, tmp_path: Path):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    run("register", str(post))
    body = POST.split("---\n", 2)[2]
    article = "<article><p>" + body.replace("\n\n", "</p><p>") + "</p></article>"
    (tmp_path / "photo.html").write_bytes(bytes(range(256)) * 40)  # an image saved under a page's name
    (tmp_path / "gzipped.html").write_bytes(__import__("gzip").compress(article.encode() * 3))
    # a real page carrying NULs after its opening tag is still a page, and its copy is still found
    (tmp_path / "padded.html").write_bytes(b"<html><body>" + b"\x00" * 4000 + article.encode() + b"</body></html>")
    result = run("check", str(tmp_path / "photo.html"), str(tmp_path / "gzipped.html"), str(tmp_path / "padded.html"))
    assert result.code == 0
    errors = _one_line_errors(result.err)
    assert len(errors) == 2
    assert all("looks like a binary file, not HTML" in e for e in errors)
    assert {e.split(": ")[1] for e in errors} == {str(tmp_path / "photo.html"), str(tmp_path / "gzipped.html")}
    assert f"{tmp_path / 'padded.html'}: 1 match" in result.out

    alone = run("check", str(tmp_path / "photo.html"))
    assert alone.code == 1 and len(_one_line_errors(alone.err)) == 1


def test_a_page_with_no_text_is_an_error_when_checked_not_a_quiet_zero(run, tmp_path: Path):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    run("register", str(post))
    (tmp_path / "nobody.html").write_text("<html><head><title>x</title></head></html>")
    (tmp_path / "app.html").write_text('<html><body><div id="app"></div><script>render()</script></body></html>')
    result = run("check", str(tmp_path / "nobody.html"), str(tmp_path / "app.html"))
    assert result.code == 1  # nothing could be checked
    errors = _one_line_errors(result.err)
    assert len(errors) == 2 and all("no text found in the page" in e for e in errors)
    assert "save the page from the browser" in errors[0]
    with sqlite3.connect(tmp_path / "store.db") as con:
        assert con.execute("SELECT COUNT(*) FROM pages").fetchone()[0] == 0


def test_a_short_page_that_matched_nothing_says_how_short_it_was(run, tmp_path: Path):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    run("register", str(post))
    (tmp_path / "paywall.html").write_text("<html><body><article><h1>Cold kitchen sourdough</h1><p>Log in or "
                                           "subscribe to read the rest of this post.</p></article></body></html>")
    body = POST.split("---\n", 2)[2]
    (tmp_path / "copy.html").write_text("<html><body><article><p>" + body.replace("\n\n", "</p><p>")
                                        + "</p></article></body></html>")
    result = run("check", str(tmp_path / "paywall.html"), str(tmp_path / "copy.html"),
                 str(ROOT / "detector" / "samples" / "pages" / "unrelated.html"))
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == (f"{tmp_path / 'paywall.html'}: 0 matches "
                        "(only 11 words of text in the page: 'detector extract' shows them)")
    assert lines[1] == f"{tmp_path / 'copy.html'}: 1 match"  # a match is never annotated
    assert lines[-1].endswith("unrelated.html: 0 matches")  # nor a page with text enough
    as_json = json.loads(run("check", "--json", str(tmp_path / "paywall.html"), str(tmp_path / "nowhere.html")).out)
    assert [(p["words"], p["matches"]) for p in as_json] == [(11, []), (None, [])]


def test_a_copy_whose_links_urllib_cannot_split_is_still_judged(run, tmp_path: Path):
    """A hostile page's canonical link or hrefs ("http://[zz", a port of 99999) must not stop its check:
    the work has a URL, so both the canonical and the links are compared with it."""
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    run("register", str(post))
    body = POST.split("---\n", 2)[2]
    links = "".join(f'<a href="{u}">more</a> ' for u in ("http://[bad/", "http://b.example:99999/", "http://b.example:p/"))
    (tmp_path / "copy.html").write_text(
        '<html><head><link rel="canonical" href="http://[zz/x"></head><body><nav>' + links + "</nav><article><p>"
        + body.replace("\n\n", "</p><p>") + "</p></article></body></html>", encoding="utf-8")
    result = run("check", "--json", str(tmp_path / "copy.html"))
    assert result.code == 0, result.err
    (match,) = json.loads(result.out)[0]["matches"]
    assert match["extent"] == "full" and match["authorized"] is False and match["takedown"] is True


def test_checking_against_a_store_with_nothing_registered_is_an_error_not_a_quiet_zero(run, tmp_path: Path):
    page = tmp_path / "page.txt"
    page.write_text(POST.split("---\n", 2)[2], encoding="utf-8")
    result = run("check", str(page))
    assert result.code == 1 and result.out == ""
    assert _one_line_errors(result.err) == [
        f"detector: no posts are registered in {tmp_path / 'store.db'}: register yours first ('detector register"
        " POSTS'), or give --db the store that holds them"]


def test_url_with_two_posts_is_a_usage_error(run, tmp_path: Path):
    result = run("register", "--url", "https://x.example/a/", str(tmp_path / "a.md"), str(tmp_path / "b.md"))
    assert result.code == 2 and "--url names one work" in result.err
