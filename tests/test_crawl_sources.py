"""Sources: sitemap indexes and gzipped sitemaps, RSS and Atom feeds, URL lists, pages; parsed safely; capped."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import pytest

from detector.crawl.parsers import parse_feed, parse_sitemap, parse_url_list
from detector.errors import SourceError

from .crawl_site import config_file, serve, source

ARTICLE = "<html><body><article><p>{} is a page with a few ordinary words in a sentence or two.</p></article></body></html>"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b"<urlset><url><loc>&lol2;</loc></url></urlset>")


def _fetched(tmp_path: Path) -> list[str]:
    with sqlite3.connect(tmp_path / "store.db") as db:
        return sorted(r[0] for r in db.execute("SELECT url FROM frontier WHERE state = 'fetched'"))


def _pages(site, names: list[str]) -> list[str]:
    for name in names:
        site.page(f"/{name}", ARTICLE.format(name))
    return [site.url(f"/{name}") for name in names]


def test_a_sitemap_index_with_a_gzipped_sitemap(run, tmp_path):
    with serve() as site:
        a = _pages(site, ["a1", "a2"])
        b = _pages(site, ["b1"])
        plain = f"<urlset {NS}>" + "".join(f"<url><loc>{u}</loc></url>" for u in a) + "</urlset>"
        zipped = f"<urlset {NS}>" + "".join(f"<url><loc>{u}</loc></url>" for u in b) + "</urlset>"
        site.page("/plain.xml", plain, "application/xml")
        site.page("/zipped.xml.gz", gzip.compress(zipped.encode()), "application/x-gzip")
        index = (f"<sitemapindex {NS}><sitemap><loc>{site.url('/plain.xml')}</loc></sitemap>"
                 f"<sitemap><loc>{site.url('/zipped.xml.gz')}</loc></sitemap></sitemapindex>")
        site.page("/index.xml", index, "text/xml")
        cfg = config_file(tmp_path / "cfg.toml", source("s", "sitemap", site.url("/index.xml")))
        result = run("--config", cfg, "crawl", db_path=None)
    assert result.code == 0 and "3 fetched" in result.out
    assert _fetched(tmp_path) == sorted(a + b)


def test_rss_and_atom_feeds(run, tmp_path):
    with serve() as site:
        rss_urls = _pages(site, ["r1", "r2"])
        atom_urls = _pages(site, ["t1"])
        rss = ("<rss version='2.0'><channel><title>x</title>"
               + "".join(f"<item><title>i</title><link>{u}</link></item>" for u in rss_urls) + "</channel></rss>")
        atom = ("<feed xmlns='http://www.w3.org/2005/Atom'><entry><link rel='alternate' href='/t1'/>"
                "<link rel='edit' href='/edit'/></entry></feed>")
        site.page("/rss", rss, "application/rss+xml")
        site.page("/atom", atom, "application/atom+xml")
        cfg = config_file(tmp_path / "cfg.toml", source("r", "feed", site.url("/rss")) + source("t", "feed", site.url("/atom")))
        result = run("--config", cfg, "crawl", db_path=None)
    assert result.code == 0 and "3 fetched" in result.out
    assert _fetched(tmp_path) == sorted(rss_urls + atom_urls)


def test_a_url_list_file_and_a_page_followed_one_hop_on_its_host(run, tmp_path):
    with serve() as site, serve() as elsewhere:
        listed = _pages(site, ["l1", "l2"])
        (tmp_path / "urls.txt").write_text("# suspects\n\n" + "\n".join(listed) + "\nftp://not.http/\n")
        linked = _pages(site, ["h1", "h2"])
        foreign = _pages(elsewhere, ["x1"])
        links = "".join(f"<a href='{u}'>link</a>" for u in [*linked, *foreign, "/h1#comments"])
        site.page("/hub", f"<html><body><p>hub</p>{links}</body></html>")
        sources = source("list", "urls", file="urls.txt") + source("hub", "page", site.url("/hub"))
        result = run("--config", config_file(tmp_path / "cfg.toml", sources), "crawl", db_path=None)
    assert result.code == 0 and "5 fetched" in result.out
    assert _fetched(tmp_path) == sorted([*listed, *linked, site.url("/hub")])
    assert "/x1" not in elsewhere.paths()


def test_pages_per_source_and_per_run_are_capped(run, tmp_path):
    with serve() as site:
        urls = _pages(site, [f"p{n}" for n in range(6)])
        (tmp_path / "urls.txt").write_text("\n".join(urls))
        sources = source("a", "urls", file="urls.txt", max_pages=4) + source("b", "urls", file="urls.txt")
        cfg = config_file(tmp_path / "cfg.toml", sources, crawl={"max_pages_per_run": 5})
        result = run("--config", cfg, "crawl", db_path=None)
    assert result.code == 0 and "5 fetched" in result.out
    assert _fetched(tmp_path) == sorted(urls[:5])


def test_a_source_over_its_cap_is_crawled_a_slice_at_a_time_and_says_so(run, tmp_path):
    """With the first N URLs taken on every run, the rest of a large scraper site would never be checked."""
    with serve() as site:
        urls = _pages(site, [f"p{n}" for n in range(5)])
        site.page("/sitemap.xml", f"<urlset {NS}>" + "".join(f"<url><loc>{u}</loc></url>" for u in urls)
                  + "</urlset>", "application/xml")
        cfg = config_file(tmp_path / "cfg.toml", source("farm", "sitemap", site.url("/sitemap.xml"), max_pages=2))
        runs = [run("--config", cfg, "crawl", db_path=None) for _ in range(3)]
        with sqlite3.connect(tmp_path / "store.db") as db:
            per_run = [sorted(u for (u,) in db.execute("SELECT url FROM frontier WHERE run_id = ?", (n,)))
                       for n in (1, 2, 3)]
    assert per_run[0] == urls[:2] and per_run[1] == urls[2:4]
    assert per_run[2] == sorted([urls[4], urls[0]])  # the one never crawled, then the one crawled longest ago
    assert "source farm: 3 of its 5 URLs left for later runs (cap 2)" in runs[0].out


def test_an_entity_bomb_is_refused_and_reported_in_one_line(run, tmp_path):
    with serve() as site:
        site.page("/sitemap.xml", BOMB, "application/xml")
        cfg = config_file(tmp_path / "cfg.toml", source("bomb", "sitemap", site.url("/sitemap.xml")))
        result = run("--config", cfg, "crawl", db_path=None)
    assert result.code == 1 and "DTD" in result.err and "Traceback" not in result.err


def test_an_unknown_source_name_and_nothing_to_crawl_are_one_line_errors(run, tmp_path):
    cfg = config_file(tmp_path / "cfg.toml")
    nothing = run("--config", cfg, "crawl", db_path=None)
    unknown = run("--config", cfg, "crawl", "--source", "nope", db_path=None)
    assert nothing.code == 3 and "nothing to crawl" in nothing.err
    assert unknown.code == 3 and "nope" in unknown.err and unknown.err.count("\n") == 1


def test_parsers_read_namespaced_xml_and_refuse_other_documents():
    kind, urls = parse_sitemap(f"<urlset {NS}><url><loc> https://a.example/x#frag </loc></url></urlset>".encode(), "s")
    assert kind == "urlset" and urls == ["https://a.example/x"]
    assert parse_sitemap(b"https://a.example/1\nhttps://a.example/2\n", "s")[1] == ["https://a.example/1",
                                                                                   "https://a.example/2"]
    rdf = (b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://purl.org/rss/1.0/'>"
           b"<item><link>https://a.example/r</link></item></rdf:RDF>")
    assert parse_feed(rdf, "f") == ["https://a.example/r"]
    assert parse_url_list("javascript:alert(1)\nhttps://ok.example/\n", "l") == ["https://ok.example/"]
    for bad in (b"<html><body>no</body></html>", b"<urlset><url>", BOMB):
        with pytest.raises(SourceError):
            parse_sitemap(bad, "s")


def test_bad_schedules_and_source_types_are_config_errors(run, tmp_path):
    for table in ("[[sources]]\nname='a'\ntype='sitemap'\nurl='https://x/'\nschedule='every 5 weeks'\n",
                  "[[sources]]\nname='a'\ntype='forum'\nurl='https://x/'\n",
                  "[[sources]]\nname='a'\ntype='feed'\nfile='list.txt'\n",
                  "[crawl]\nrobots_cache_hours = 48.0\n"):
        (tmp_path / "bad.toml").write_text(table)
        result = run("--config", str(tmp_path / "bad.toml"), "crawl", db_path=None)
        assert result.code == 3 and result.err.count("\n") == 1, table


def test_a_malformed_url_flag_is_a_usage_error(run, tmp_path):
    result = run("--config", config_file(tmp_path / "cfg.toml"), "crawl", "--url", "ftp://x.example/", db_path=None)
    assert result.code == 2 and "ftp://x.example/" in result.err and result.err.count("\n") == 1


def test_url_flags_and_source_urls_that_cannot_be_fetched_say_why(run, tmp_path):
    cfg = config_file(tmp_path / "cfg.toml")
    for url, why in (("http://", "names no host"), ("http://x.example:99999/", "Port out of range"),
                     ("http://x.example/" + "p" * 3000, "is longer than 2,048 characters")):
        result = run("--config", cfg, "crawl", "--url", url, db_path=None)
        assert result.code == 2 and why in result.err and result.err.count("\n") == 1, result.err
    typo = config_file(tmp_path / "typo.toml", source("typo", "sitemap", "file:///etc/passwd"))
    result = run("--config", typo, "crawl", db_path=None)
    assert result.code == 1 and "robots" not in result.err
    assert "source typo: url 'file:///etc/passwd' is not an http or https URL" in result.err


def test_a_url_list_saved_with_a_byte_order_mark_or_upper_case_schemes_loses_no_url(run, tmp_path):
    with serve() as site:
        lines = _pages(site, ["p0", "p1", "p2"])
        lines[1] = lines[1].replace("http://", "HTTP://")
        (tmp_path / "urls.txt").write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode())
        result = run("--config", config_file(tmp_path / "cfg.toml", source("list", "urls", file="urls.txt")),
                     "crawl", db_path=None)
    assert "3 fetched" in result.out, result.out


def test_the_summary_says_how_many_fetched_pages_had_no_text(run, tmp_path):
    """A scraper site built by JavaScript serves empty frames: '0 new matches' alone would read as 'no copies'."""
    with serve() as site:
        urls = _pages(site, ["plain"])
        for name in ("app1", "app2"):
            site.page(f"/{name}", '<html><head><script src="/bundle.js"></script></head>'
                                  '<body><div id="root"></div></body></html>')
            urls.append(site.url(f"/{name}"))
        (tmp_path / "urls.txt").write_text("\n".join(urls))
        cfg = config_file(tmp_path / "cfg.toml", source("js", "urls", file="urls.txt"))
        result = run("--config", cfg, "crawl", db_path=None)
    assert result.code == 0 and "3 fetched" in result.out
    assert "2 of the fetched pages had no text" in result.out
    assert "save one from a browser and 'detector check' the saved file" in result.out
    with sqlite3.connect(tmp_path / "store.db") as db:
        (summary,) = db.execute("SELECT summary FROM crawl_runs").fetchone()
    assert '"textless": 2' in summary


def test_a_crawl_of_pages_with_text_says_nothing_about_textless_pages(run, tmp_path):
    with serve() as site:
        urls = _pages(site, ["p1", "p2"])
        (tmp_path / "urls.txt").write_text("\n".join(urls))
        cfg = config_file(tmp_path / "cfg.toml", source("t", "urls", file="urls.txt"))
        result = run("--config", cfg, "crawl", db_path=None)
    assert result.code == 0 and "2 fetched" in result.out and "no text" not in result.out
