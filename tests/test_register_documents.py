"""The front matter and encodings authors' posts really come in all give the post's details and text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

BODY = ("Spring tides come twice a month with the new and full moon, when the sun and the moon pull along one line "
        "and the water climbs higher up the beach than on any other day of the month.\n\nNeap tides fall between "
        "them, when the pulls meet at a right angle and the water barely moves up or down the sand at all.\n")


def _registered(run, tmp_path: Path, files: dict[str, bytes]) -> dict[str, tuple]:
    for name, data in files.items():
        (tmp_path / "posts").mkdir(exist_ok=True)
        (tmp_path / "posts" / name).write_bytes(data)
    result = run("register", str(tmp_path / "posts"))
    assert result.code == 0 and result.err == "", result.err
    with sqlite3.connect(tmp_path / "store.db") as db:
        rows = db.execute("SELECT source, title, author, published, url, text FROM works").fetchall()
    return {Path(r[0]).name: r[1:] for r in rows}


def test_toml_front_matter_after_a_byte_order_mark_gives_the_details(run, tmp_path: Path):
    toml = "+++\r\ntitle = \"Tides\"\r\nauthor = \"Maren Holt\"\r\nurl = \"https://maren.example/tides/\"\r\n+++\r\n"
    works = _registered(run, tmp_path, {"tides.md": b"\xef\xbb\xbf" + (toml + BODY).encode()})
    title, author, _, url, text = works["tides.md"]
    assert (title, author, url) == ("Tides", "Maren Holt", "https://maren.example/tides/")
    assert text.startswith("Spring tides")


def test_authors_as_a_mapping_or_a_list_give_their_names(run, tmp_path: Path):
    works = _registered(run, tmp_path, {
        "mapping.md": f"---\ntitle: A\nauthor:\n  name: Maren Holt\n  url: https://maren.example/\n---\n{BODY}".encode(),
        "list.md": f"---\ntitle: B\nauthors: [Maren Holt, {{name: Ada Park}}]\n---\nThe moon. {BODY}".encode(),
    })
    assert works["mapping.md"][1] == "Maren Holt"
    assert works["list.md"][1] == "Maren Holt, Ada Park"


def test_utf16_and_latin1_posts_are_read_not_refused(run, tmp_path: Path):
    post = f"---\ntitle: Caf\u00e9 tides\n---\n{BODY}"
    works = _registered(run, tmp_path, {"utf16.md": post.encode("utf-16"),
                                        "latin1.md": post.replace("Spring", "Spring\u00e9").encode("latin-1")})
    assert works["utf16.md"][0] == "Caf\u00e9 tides" and works["utf16.md"][4].startswith("Spring tides")
    assert works["latin1.md"][0] == "Caf\u00e9 tides" and works["latin1.md"][4].startswith("Spring\u00e9 tides")


def test_a_text_file_that_only_starts_with_dashes_is_all_text(run, tmp_path: Path):
    works = _registered(run, tmp_path, {"notes.txt": f"---\nnot: [yaml\n---\n{BODY}".encode()})
    assert works["notes.txt"][4].startswith("---")


def test_a_url_that_is_a_path_is_named_and_base_url_makes_it_whole(run, tmp_path: Path):
    """Hugo writes 'url: /posts/tides/': a notice citing that, or a canonical link compared with it, names nothing."""
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "tides.md").write_text(f"---\ntitle: Tides\nurl: /posts/tides/\n---\n{BODY}", encoding="utf-8")
    bare = run("register", str(tmp_path / "posts"))
    assert bare.code == 0 and bare.err.strip() == (
        f"detector: {tmp_path / 'posts' / 'tides.md'}: the url is a path, not a full address; register again with"
        " --base-url https://your.blog so that notices and canonical links name the original in full")
    whole = run("register", "--base-url", "https://maren.example", str(tmp_path / "posts"))
    assert whole.code == 0 and whole.err == ""
    with sqlite3.connect(tmp_path / "store.db") as db:
        assert db.execute("SELECT url FROM works WHERE active = 1").fetchall() == [("https://maren.example/posts/tides/",)]


def test_a_date_yaml_cannot_read_fails_no_file_and_a_base_url_keeps_its_path(run, tmp_path: Path):
    """'date: 2019-13-45' made YAML raise mid-parse: the whole run ended as an internal error, nothing stored."""
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "bad.md").write_text(f"---\ntitle: Bad\ndate: 2019-13-45\nurl: /a/\n---\n{BODY}")
    (tmp_path / "posts" / "good.md").write_text(
        f"---\ntitle: Good\ndate: Friday, December 20, 2019\nurl: /b/\n---\nThe sea. {BODY}")
    result = run("register", "--base-url", "https://maren.example/blog", str(tmp_path / "posts"))
    assert result.code == 0 and result.out.strip() == "registered: 2 added, 0 unchanged, 0 failed", result.err
    with sqlite3.connect(tmp_path / "store.db") as db:
        rows = db.execute("SELECT title, published, url FROM works ORDER BY title").fetchall()
    assert rows == [("Bad", "2019-13-45", "https://maren.example/blog/a/"),
                    ("Good", "2019-12-20", "https://maren.example/blog/b/")]
    for base in ("https://", "https://maren.example:99999"):
        assert run("register", "--base-url", base, str(tmp_path / "posts")).code == 2
