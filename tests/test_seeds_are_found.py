"""The real case the project started from: the mirror and the spun copy of one essay."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import seed_original

WORK_URL = "https://egorhowell.example/quit-ml-job/"


def _register_seeds(run, seeds: Path, tmp_path: Path) -> None:
    original = tmp_path / "original.txt"
    original.write_text(seed_original(), encoding="utf-8")
    assert run("register", "--url", WORK_URL, str(original)).code == 0
    others = [str(seeds / n) for n in ("002_10237a4e1a160813.txt", "003_51a96a3243ed4d68.txt", "004_a0ba825a585501ce.txt")]
    result = run("register", *others)
    assert result.out.strip() == "registered: 3 added, 0 unchanged, 0 failed"


def test_mirror_and_spun_copy_are_full_copies_of_the_essay(run, seeds, tmp_path):
    _register_seeds(run, seeds, tmp_path)
    result = run("check", "--json", str(seeds / "001_a03ae8ee87d21497.txt"), str(seeds / "000_fa060d9cc35a0ee4.txt"))
    assert result.code == 0, result.err
    pages = json.loads(result.out)
    assert [p["page"] for p in pages] == [str(seeds / "001_a03ae8ee87d21497.txt"), str(seeds / "000_fa060d9cc35a0ee4.txt")]
    for page in pages:
        assert [m["work_url"] for m in page["matches"]] == [WORK_URL]
        match = page["matches"][0]
        assert match["extent"] == "full"
        assert match["takedown"] is True and match["authorized"] is False
    mirror, spun = pages[0]["matches"][0], pages[1]["matches"][0]
    assert mirror["coverage"] > 0.99 and mirror["similarity"] > 0.9
    assert 0.8 <= spun["coverage"] < 1.0 and spun["similarity"] < 0.5


def test_unrelated_same_topic_essays_match_only_themselves(run, seeds, tmp_path):
    _register_seeds(run, seeds, tmp_path)
    names = ("002_10237a4e1a160813.txt", "003_51a96a3243ed4d68.txt", "004_a0ba825a585501ce.txt")
    pages = json.loads(run("check", "--json", *(str(seeds / n) for n in names)).out)
    for name, page in zip(names, pages):
        assert len(page["matches"]) == 1
        assert page["matches"][0]["work_url"].endswith(name)
        assert page["matches"][0]["takedown"] is False, "a page that is the registered file itself is the original"


def test_matched_passages_point_at_the_same_words_in_both_texts(run, seeds, tmp_path):
    _register_seeds(run, seeds, tmp_path)
    mirror = seeds / "001_a03ae8ee87d21497.txt"
    page = json.loads(run("check", "--json", str(mirror)).out)[0]
    page_text = json.loads(run("extract", "--json", str(mirror)).out)[0]["text"]
    original = seed_original()
    for passage in page["matches"][0]["passages"]:
        copied = page_text[passage["page_start"]:passage["page_end"]].split()
        source = original[passage["work_start"]:passage["work_end"]].split()
        assert copied == source and len(copied) > 100


def test_front_matter_gives_title_author_and_date(run, seeds, tmp_path):
    front = seeds / "004_a0ba825a585501ce.txt"  # a Jekyll post saved as .txt: its front matter still counts
    assert run("register", str(front)).code == 0
    match = json.loads(run("check", "--json", str(front)).out)[0]["matches"][0]
    assert match["work_title"] == "The Problem With Machine Learning And Data Science Jobs"
    from detector.config import load_config
    from detector.store import Store

    with Store.open(load_config(db=str(tmp_path / "store.db")).store.path) as store:
        work = store.works()[0]
    assert work.author == "Jinay Shah" and work.published.startswith("2020-11-22")
    assert "layout: post" not in work.text and not work.text.startswith("---")
