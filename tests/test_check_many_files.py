"""Checking many files in worker processes stores and prints exactly what one process does."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from .conftest import ROOT, SAMPLE_POST

SAMPLES = ROOT / "detector" / "samples"


def _pages(folder: Path, count: int) -> list[str]:
    """``count`` page files: the sample copy pages over and over under new names, and one unreadable file."""
    folder.mkdir()
    samples = sorted((SAMPLES / "pages").glob("*.html"))
    paths = []
    for number in range(count):
        source = samples[number % len(samples)]
        target = folder / f"{number:03d}-{source.name}"
        shutil.copyfile(source, target)
        paths.append(str(target))
    broken = folder / "broken.html"
    broken.write_bytes(b"")
    textless = folder / "textless.html"  # what a page built by JavaScript looks like before its script runs
    textless.write_text('<html><head><title>Post</title><script src="app.js"></script></head>'
                        '<body><div id="root"></div></body></html>')
    return paths[:50] + [str(broken), str(textless)] + paths[50:]


def _stored(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(
            "SELECT p.key, p.text, p.title, p.canonical, m.work_id, m.extent, m.coverage, m.similarity, m.chrome,"
            " m.chrome_score, m.spun, m.spun_score, m.authorized, m.takedown, m.passages"
            " FROM pages p LEFT JOIN matches m ON m.page_id = p.id ORDER BY p.id, m.id").fetchall()


def test_checking_many_files_in_worker_processes_gives_what_one_process_gives(run, tmp_path: Path):
    pages = _pages(tmp_path / "pages", 120)  # over POOL_MIN_PAGES
    outputs = {}
    for workers in ("1", "2"):
        db = tmp_path / f"store{workers}.db"
        assert run("register", str(SAMPLES / "posts"), db_path=db).code == 0
        checked = run("check", "--json", "--workers", workers, *pages, db_path=db)
        assert checked.code == 0, checked.err
        results = json.loads(checked.out)
        for result in results:
            for match in result["matches"]:
                del match["first_seen"], match["last_seen"]  # clock times of the run
        outputs[workers] = (results, checked.err, _stored(db))
    assert outputs["1"] == outputs["2"]
    results, err, stored = outputs["2"]
    assert [r["page"] for r in results] == pages
    assert "broken.html" in err and results[50]["error"]
    assert "textless.html: no text found in the page" in err and results[51]["error"]
    assert len({row[0] for row in stored}) == 120
    assert sum(1 for r in results if r["matches"]) >= 100  # the sample pages are mostly copies


def test_the_worker_processes_do_the_checking_when_there_are_many_files(tmp_path: Path, monkeypatch):
    import detector.api
    from detector.api import Detector
    from detector.config import load_config

    pages = _pages(tmp_path / "pages", 110)
    pooled = []
    real = detector.api.analyse_many
    monkeypatch.setattr(detector.api, "analyse_many", lambda files, config, workers: pooled.append(
        (len(files), workers)) or real(files, config, workers))
    with Detector(load_config(db=str(tmp_path / "store.db"))) as det:
        det.register([str(SAMPLES / "posts")])
        results = det.check(pages, workers=2)
        assert pooled == [(112, 2)]
        assert [r.arg for r in results] == pages
        assert sum(1 for r in results if r.matches) >= 90 and results[50].error and results[51].error
        few = det.check(pages[:10], workers=2)
    assert pooled == [(112, 2)]  # ten files are checked here, without starting workers
    assert [len(r.matches) for r in few] == [len(r.matches) for r in results[:10]]


def test_checking_a_folder_checks_every_page_in_it_in_order(run, tmp_path: Path):
    assert run("register", str(SAMPLES / "posts")).code == 0
    folder = tmp_path / "saved"
    (folder / "older").mkdir(parents=True)
    shutil.copyfile(SAMPLES / "pages" / "spun-copy.html", folder / "b-spun.html")
    shutil.copyfile(SAMPLES / "pages" / "unrelated.html", folder / "a-unrelated.html")
    shutil.copyfile(SAMPLES / "pages" / "quote.html", folder / "older" / "quote.htm")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not a page")
    checked = run("check", "--json", str(folder))
    assert checked.code == 0, checked.err
    results = json.loads(checked.out)
    assert [Path(r["page"]).relative_to(folder).as_posix() for r in results] == [
        "a-unrelated.html", "b-spun.html", "older/quote.htm"]
    assert [[m["extent"] for m in r["matches"]] for r in results] == [[], ["full"], ["quote"]]


def test_extract_of_a_folder_prints_every_page_in_it(run, tmp_path: Path):
    folder = tmp_path / "saved"
    folder.mkdir()
    shutil.copyfile(SAMPLES / "pages" / "quote.html", folder / "b.html")
    shutil.copyfile(SAMPLES / "pages" / "unrelated.html", folder / "a.html")
    result = run("extract", "--json", str(folder))
    assert result.code == 0, result.err
    pages = json.loads(result.out)
    assert [Path(p["page"]).name for p in pages] == ["a.html", "b.html"] and all(p["text"] for p in pages)


def test_a_folder_with_no_pages_is_named_not_passed_over(run, tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    run("register", str(SAMPLE_POST))  # check refuses to run against a store with nothing registered
    for command in ("register", "check", "extract"):
        result = run(command, str(empty))
        assert result.code == 1
        assert result.err.strip() == f"detector: {empty}: is a folder with no documents in it (.md, .html or .txt files)"
