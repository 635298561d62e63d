"""register --sitemap/--feed: an author's whole blog from the posts its sitemap or feed lists, fetched politely."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

from .crawl_site import config_file, serve

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
TOPICS = {
    "posts/ferns": "Ferns unfurl their fronds in spring from tight coils that gardeners call fiddleheads, and each "
                   "coil opens over a week or two while the old fronds brown and fall back into the leaf litter.",
    "posts/kilns": "A small electric kiln fires stoneware to cone six in about nine hours, and opening it too early "
                   "cracks the glaze, so most potters wait a whole day before they lift the lid and look inside.",
    "posts/tides": "Spring tides come twice a month with the new and full moon, when the sun and moon pull along "
                   "one line and the water climbs higher up the beach and falls lower than on any other day.",
    "private/draft": "This draft about lighthouse keepers and their logbooks sits behind robots.txt, and the "
                     "author never meant it to be fetched by any crawler, polite or otherwise, until it was done.",
}


def _post(path: str, body: str) -> str:
    title = path.split("/")[-1].title()
    return (f"<html><head><title>{title} | Maren's notes</title><meta name='author' content='Maren Holt'>"
            f"<meta property='article:published_time' content='2024-05-0{len(path) % 9 + 1}'></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/tags/garden/'>Garden</a></nav>"
            f"<article><h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>")


def _site(site) -> dict[str, str]:
    urls = {}
    for path, body in TOPICS.items():
        site.page(f"/{path}/", _post(path, body))
        urls[path] = site.url(f"/{path}/")
    # a tag page: excerpts of every post, which must not be registered as a post of its own
    site.page("/tags/garden/", "<html><body><article>" + "".join(
        f"<h2><a href='/{p}/'>{p}</a></h2><p>{b}</p>" for p, b in TOPICS.items()) + "</article></body></html>")
    urls["tag"] = site.url("/tags/garden/")
    site.page("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    return urls


def _works(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT url, title, author, published FROM works ORDER BY url").fetchall()


def test_register_reads_a_sitemap_index_and_keeps_only_the_matching_posts(run, tmp_path: Path):
    with serve() as site:
        urls = _site(site)
        posts = f"<urlset {NS}>" + "".join(f"<url><loc>{urls[p]}</loc></url>" for p in TOPICS) + "</urlset>"
        pages = f"<urlset {NS}><url><loc>{urls['tag']}</loc></url><url><loc>{site.url('/')}</loc></url></urlset>"
        site.page("/post-sitemap.xml.gz", gzip.compress(posts.encode()), "application/x-gzip")
        site.page("/page-sitemap.xml", pages, "application/xml")
        site.page("/sitemap.xml", f"<sitemapindex {NS}><sitemap><loc>{site.url('/post-sitemap.xml.gz')}</loc></sitemap>"
                                  f"<sitemap><loc>{site.url('/page-sitemap.xml')}</loc></sitemap></sitemapindex>",
                  "application/xml")
        cfg = config_file(tmp_path / "cfg.toml")
        result = run("--config", cfg, "register", "--sitemap", site.url("/sitemap.xml"), "--match", "*/posts/*",
                     db_path=None)
        requested = site.paths()
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["listed: 3 post URLs, 3 left out by --match",
                                       "registered: 3 added, 0 unchanged, 0 failed"]
    works = _works(tmp_path / "store.db")
    assert [w[0] for w in works] == sorted(urls[p] for p in TOPICS if p.startswith("posts/"))
    assert all(w[1] and w[1].startswith(("Ferns", "Kilns", "Tides")) and w[2] == "Maren Holt" and w[3] for w in works)
    assert "/tags/garden/" not in requested and "/private/draft/" not in requested


def test_register_from_a_feed_skips_what_robots_txt_forbids_and_names_it(run, tmp_path: Path):
    with serve() as site:
        urls = _site(site)
        items = "".join(f"<item><title>{p}</title><link>{urls[p]}</link></item>" for p in TOPICS)
        site.page("/feed.xml", f"<rss version='2.0'><channel><title>notes</title>{items}</channel></rss>",
                  "application/rss+xml")
        cfg = config_file(tmp_path / "cfg.toml")
        result = run("--config", cfg, "register", "--feed", site.url("/feed.xml"), db_path=None)
        again = run("--config", cfg, "register", "--feed", site.url("/feed.xml"), db_path=None)
        requested = site.paths()
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["listed: 4 post URLs", "registered: 3 added, 0 unchanged, 1 failed"]
    assert result.err.strip() == f"detector: {urls['private/draft']}: disallowed by robots.txt"
    assert "/private/draft/" not in requested
    assert "registered: 0 added, 3 unchanged, 1 failed" in again.out  # registering again adds nothing


def test_registered_site_posts_are_found_in_a_copy(run, tmp_path: Path):
    with serve() as site:
        urls = _site(site)
        site.page("/feed.xml", "<rss version='2.0'><channel>" + "".join(
            f"<item><link>{urls[p]}</link></item>" for p in TOPICS if p.startswith("posts/")) + "</channel></rss>",
                  "application/rss+xml")
        cfg = config_file(tmp_path / "cfg.toml")
        assert run("--config", cfg, "register", "--feed", site.url("/feed.xml"), db_path=None).code == 0
    copy = tmp_path / "copy.html"
    copy.write_text(f"<html><body><article><p>{TOPICS['posts/kilns']} {TOPICS['posts/kilns']}</p></article></body></html>")
    checked = run("--config", cfg, "check", "--json", str(copy), db_path=None)
    (result,) = json.loads(checked.out)
    assert [m["work_url"] for m in result["matches"]] == [urls["posts/kilns"]]


def test_a_sitemap_that_cannot_be_read_is_one_line_and_exit_1(run, tmp_path: Path):
    with serve() as site:
        cfg = config_file(tmp_path / "cfg.toml")
        result = run("--config", cfg, "register", "--sitemap", site.url("/missing.xml"), db_path=None)
    assert result.code == 1
    assert result.err.strip() == f"detector: sitemap {site.url('/missing.xml')}: {site.url('/missing.xml')}: HTTP status 404"
    assert "Traceback" not in result.err


def test_register_needs_something_to_register_and_match_needs_a_listing(run, tmp_path: Path):
    assert run("register").code == 2
    refused = run("register", "--match", "*/posts/*", str(tmp_path))
    assert refused.code == 2 and "--match" in refused.err
    assert run("register", "--sitemap", "ftp://example.org/sitemap.xml").code == 2


def test_a_sitemap_given_as_a_post_url_points_to_sitemap(run, tmp_path: Path):
    with serve() as site:
        site.page("/sitemap.xml", f"<urlset {NS}></urlset>", "application/xml")
        cfg = config_file(tmp_path / "cfg.toml")
        result = run("--config", cfg, "register", site.url("/sitemap.xml"), db_path=None)
    assert result.code == 1
    assert result.err.strip().endswith("is not HTML or text (a sitemap or feed? 'register' and 'crawl' read one "
                                       "with --sitemap URL or --feed URL)")


def test_a_match_that_leaves_out_every_url_says_so(run, tmp_path: Path):
    with serve() as site:
        urls = _site(site)
        site.page("/sitemap.xml", f"<urlset {NS}>" + "".join(f"<url><loc>{urls[p]}</loc></url>" for p in TOPICS)
                  + "</urlset>", "application/xml")
        cfg = config_file(tmp_path / "cfg.toml")
        result = run("--config", cfg, "register", "--sitemap", site.url("/sitemap.xml"), "--match", "*/blog/*",
                     db_path=None)
    assert result.code == 1
    assert result.out.strip() == "listed: 0 post URLs, 4 left out by --match"
    assert result.err.strip() == "detector: no post URLs to register: --match '*/blog/*' left out all 4"


def test_feed_links_with_tracking_parameters_register_the_posts_own_address(run, tmp_path: Path):
    """A syndication partner's canonical link names the clean address, so the work must too,
    or the partner's authorized copy would be sent a takedown."""
    tracking = "?utm_source=rss&utm_medium=rss"
    with serve() as site:
        clean = {p: site.url(f"/{p}/") for p in ("posts/kilns", "posts/tides")}
        # kilns names its clean address as canonical; tides names the home page, as misconfigured themes do
        site.page(f"/posts/kilns/{tracking}", _post("posts/kilns", TOPICS["posts/kilns"]).replace(
            "</head>", f"<link rel='canonical' href='{clean['posts/kilns']}'></head>"))
        site.page(f"/posts/tides/{tracking}", _post("posts/tides", TOPICS["posts/tides"]).replace(
            "</head>", f"<link rel='canonical' href='{site.url('/')}'></head>"))
        site.page("/feed.xml", "<rss version='2.0'><channel>" + "".join(
            f"<item><link>{url}{tracking.replace('&', '&amp;')}</link></item>" for url in clean.values()) + "</channel></rss>",
                  "application/rss+xml")
        cfg = config_file(tmp_path / "cfg.toml")
        assert run("--config", cfg, "register", "--feed", site.url("/feed.xml"), db_path=None).code == 0
    assert [w[0] for w in _works(tmp_path / "store.db")] == sorted(clean.values())
    partner = tmp_path / "partner.html"
    partner.write_text(f"<html><head><link rel='canonical' href='{clean['posts/kilns']}'></head><body><article>"
                       f"<p>{TOPICS['posts/kilns']}</p><p>{TOPICS['posts/kilns']}</p></article></body></html>")
    (result,) = json.loads(run("--config", cfg, "check", "--json", str(partner), db_path=None).out)
    (match,) = result["matches"]
    assert match["work_url"] == clean["posts/kilns"]
    assert match["authorized"] is True and match["takedown"] is False
