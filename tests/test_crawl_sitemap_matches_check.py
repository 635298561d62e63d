"""The bar: a crawl of a local sitemap finds the same copies, with the same figures, as check on the same pages."""

from __future__ import annotations

import json
from pathlib import Path

from .crawl_site import config_file, serve, source

SAMPLES = Path(__file__).resolve().parent.parent / "detector" / "samples"
FIGURES = ("work_url", "work_title", "extent", "coverage", "similarity", "copied_words", "chrome", "chrome_score",
           "spun", "spun_score", "authorized", "takedown", "reasons", "passages")


def _manifest() -> list[dict[str, str]]:
    return json.loads((SAMPLES / "pages" / "MANIFEST.json").read_text(encoding="utf-8"))["pages"]


def _by_page(matches: list[dict]) -> dict[str, list[tuple]]:
    found: dict[str, list[tuple]] = {}
    for m in matches:
        found.setdefault(m["page_url"], []).append(tuple(json.dumps(m[k], sort_keys=True) for k in FIGURES))
    return {page: sorted(rows) for page, rows in found.items()}


def test_crawl_of_a_sitemap_finds_what_check_finds(run, tmp_path):
    pages = _manifest()
    with serve() as site:
        for page in pages:
            site.page(page["path"], (SAMPLES / "pages" / page["file"]).read_bytes())
        locs = "".join(f"<url><loc>{site.url(p['path'])}</loc></url>" for p in pages)
        site.page("/sitemap.xml", f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                  f"{locs}</urlset>", "application/xml")
        cfg = config_file(tmp_path / "cfg.toml", source("samples", "sitemap", site.url("/sitemap.xml")))
        originals = [str(SAMPLES / "posts"), str(SAMPLES / "others")]
        assert run("--config", cfg, "register", *originals, db_path=None).code == 0
        crawl = run("--config", cfg, "crawl", db_path=None)
        assert crawl.code == 0, crawl.err
        assert f"{len(pages)} fetched" in crawl.out and "0 failed" in crawl.out
        crawled = json.loads(run("--config", cfg, "matches", "--json", db_path=None).out)

        checked_db = tmp_path / "checked.db"
        assert run("--config", cfg, "register", *originals, db_path=checked_db).code == 0
        urls = [site.url(p["path"]) for p in pages]
        assert run("--config", cfg, "check", "--quiet", *urls, db_path=checked_db).code == 0
        checked = json.loads(run("--config", cfg, "matches", "--json", db_path=checked_db).out)

    assert crawled and _by_page(crawled) == _by_page(checked)
    extents = {m["page_url"]: m["extent"] for m in crawled}
    for page in pages:
        assert extents.get(site.url(page["path"])) == page["extent"], page["file"]
