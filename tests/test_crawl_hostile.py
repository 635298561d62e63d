"""Hostile servers, each handled as the crawl promises: against real local servers, never mocks."""

from __future__ import annotations

import gzip
import sqlite3
import zlib
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from detector.config import load_config
from detector.crawl import Fetcher
from detector.crawl.addresses import check_url
from detector.errors import BlockedAddress

from .crawl_site import config_file, send, serve

ARTICLE = "<html><head><title>T</title></head><body><article><p>{}</p></article></body></html>"
LONG = "A plain paragraph with enough ordinary words to be the main text of this small page. " * 5


def _crawl(run, tmp_path: Path, urls: list[str], **sections: dict[str, object]):
    cfg = config_file(tmp_path / "cfg.toml", **sections)
    args = ["--config", cfg, "crawl", "--quiet"]
    for url in urls:
        args += ["--url", url]
    return run(*args, db_path=None)


def _rows(tmp_path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(tmp_path / "store.db") as db:
        return db.execute(sql).fetchall()


def test_paths_disallowed_by_robots_are_never_fetched(run, tmp_path):
    with serve() as site:
        site.page("/robots.txt", "User-agent: *\nDisallow: /private\nAllow: /private/open\n", "text/plain")
        for path in ("/private/secret", "/private/open", "/public"):
            site.page(path, ARTICLE.format(LONG))
        result = _crawl(run, tmp_path, [site.url(p) for p in ("/private/secret", "/private/open", "/public")])
    assert result.code == 0 and "2 fetched" in result.out and "1 skipped by robots.txt" in result.out
    assert "/private/secret" not in site.paths() and site.paths().count("/robots.txt") == 1


def test_429_with_retry_after_is_retried_then_fetched(run, tmp_path):
    answers = iter([429])

    def busy_then_ok(h: BaseHTTPRequestHandler) -> None:
        if next(answers, 200) == 429:
            send(h, 429, b"slow down", "text/plain", {"Retry-After": "1"})
        else:
            send(h, 200, ARTICLE.format(LONG).encode(), "text/html")

    with serve() as site:
        site.routes["/busy"] = busy_then_ok
        result = _crawl(run, tmp_path, [site.url("/busy")])
    assert result.code == 0 and "1 fetched" in result.out and "0 failed" in result.out
    assert site.paths().count("/busy") == 2


def test_a_connection_that_breaks_mid_body_is_retried(run, tmp_path):
    attempts = iter(["broken"])

    def breaks_then_ok(h: BaseHTTPRequestHandler) -> None:
        body = ARTICLE.format(LONG).encode()
        if next(attempts, "whole") == "broken":  # promise the whole body, send half, hang up
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", str(len(body)))
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(body[: len(body) // 2])
            h.close_connection = True
        else:
            send(h, 200, body, "text/html")

    with serve() as site:
        site.routes["/flaky"] = breaks_then_ok
        result = _crawl(run, tmp_path, [site.url("/flaky")])
    assert result.code == 0 and "1 fetched" in result.out and "0 failed" in result.out
    assert site.paths().count("/flaky") == 2


def test_a_server_answering_500_is_given_up_and_reported(run, tmp_path):
    with serve() as site:
        site.page("/broken", "oops", "text/plain", status=500)
        result = _crawl(run, tmp_path, [site.url("/broken")])
    # nothing could be crawled: exit 1, and the page is named with its reason
    assert result.code == 1 and "1 failed (http 500: 1)" in result.out
    assert result.err.strip().endswith("/broken: HTTP status 500")
    assert site.paths().count("/broken") == 3  # the first try and [fetch] retries = 2
    assert _rows(tmp_path, "SELECT state, reason, status FROM frontier") == [("failed", "http 500", 500)]


def test_a_hanging_server_times_out(run, tmp_path):
    with serve() as site:
        site.routes["/hang"] = lambda h: site.closing.wait(30)
        result = _crawl(run, tmp_path, [site.url("/hang")], fetch={"read_timeout": 0.3})
    assert result.code == 1 and "timeout: 1" in result.out


def test_a_server_dripping_its_body_is_cut_at_the_total_timeout(run, tmp_path):
    """Each byte comes well within read_timeout, so only the whole-body deadline can end the fetch: the
    body would take 200 s, and the crawl must hang up after total_timeout with the page failed."""
    sent = [0]

    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", "2000")
        handler.end_headers()
        for _ in range(2000):
            if site.closing.wait(0.1):
                return
            try:
                handler.wfile.write(b"x")
                handler.wfile.flush()
                sent[0] += 1
            except OSError:
                return  # the crawler hung up at its deadline

    with serve() as site:
        site.routes["/drip"] = drip
        result = _crawl(run, tmp_path, [site.url("/drip")],
                        fetch={"read_timeout": 2.0, "total_timeout": 1.0, "retries": 0})
    assert result.code == 1 and "timeout: 1" in result.out
    assert _rows(tmp_path, "SELECT state FROM frontier") == [("failed",)]
    assert sent[0] < 2000, "the crawler read the whole dripped body before giving up"


def test_a_200_mb_body_is_cut_at_the_cap(run, tmp_path):
    sent = []

    def endless(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        chunk = b"<p>" + b"x" * 65530 + b"</p>"
        try:
            for _ in range(200 * 16):  # 200 MB, streamed, never allocated
                h.wfile.write(chunk)
                sent.append(len(chunk))
        except OSError:
            pass

    with serve() as site:
        site.routes["/huge"] = endless
        result = _crawl(run, tmp_path, [site.url("/huge")], fetch={"max_bytes": 1_000_000})
    assert result.code == 1 and "too large: 1" in result.out
    assert sum(sent) < 50_000_000  # the crawler hung up long before the end


def test_a_redirect_loop_is_stopped(run, tmp_path):
    with serve() as site:
        site.redirect("/a", "/b")
        site.redirect("/b", "/a")
        result = _crawl(run, tmp_path, [site.url("/a")])
    assert result.code == 1 and "too many redirects: 1" in result.out
    assert len(site.paths()) <= 4  # robots.txt plus a few hops, not max_redirects rounds of retries


def test_private_addresses_are_refused_without_a_request(run, tmp_path):
    with serve() as site:
        site.page("/page", ARTICLE.format(LONG))
        url = site.url("/page").replace("127.0.0.1", "localhost")
        result = _crawl(run, tmp_path, [url, site.url("/page")], crawl={"allow_private_addresses": False})
    assert result.code == 1 and "blocked address: 2" in result.out
    assert site.paths() == []


def test_every_redirect_hop_is_checked_before_it_is_fetched(tmp_path):
    seen: list[str] = []

    def check(url: str) -> None:
        seen.append(url)
        if "localhost" in url:  # stands for a name that resolves to a private address
            check_url("http://127.0.0.1/", allow_private=False)

    with serve() as site:
        target = site.url("/inside").replace("127.0.0.1", "localhost")
        site.redirect("/out", site.url("/next"))
        site.redirect("/next", target)
        site.page("/inside", "secret", "text/plain")
        fetcher = Fetcher(load_config(config_file(tmp_path / "c.toml")), check=check)
        with pytest.raises(BlockedAddress):
            fetcher.get(site.url("/out"))
    assert seen == [site.url("/out"), site.url("/next"), target]
    assert "/inside" not in site.paths()


def test_a_name_that_passed_the_check_still_cannot_connect_to_a_private_address(tmp_path):
    """DNS rebinding: the name answered a public address to the check, then 127.0.0.1 to the connection.

    The check is skipped here (it stands for that first answer); the connection
    must resolve, refuse and never reach the server, redirect hops included.
    """
    with serve() as site:
        site.page("/inside", "secret", "text/plain")
        site.redirect("/out", site.url("/inside").replace("127.0.0.1", "localhost"))
        config = load_config(config_file(tmp_path / "c.toml", crawl={"allow_private_addresses": False}))
        fetcher = Fetcher(config, check=lambda url: None)
        for url in (site.url("/inside"), site.url("/inside").replace("127.0.0.1", "localhost")):
            with pytest.raises(BlockedAddress, match="at connect time"):
                fetcher.get(url)
        assert site.paths() == []
        allowed = Fetcher(load_config(config_file(tmp_path / "d.toml")), check=lambda url: None)
        assert allowed.get(site.url("/out")).body == b"secret"  # the same fetch, private addresses allowed


def test_a_gzip_bomb_is_refused(run, tmp_path):
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    bomb = b"".join(packer.compress(bytes(1 << 20)) for _ in range(100)) + packer.flush()  # 100 MB of zeros
    with serve() as site:
        site.page("/bomb", bomb, "text/html", headers={"Content-Encoding": "gzip"})
        result = _crawl(run, tmp_path, [site.url("/bomb")], fetch={"max_bytes": 1_000_000})
    assert len(bomb) < 200_000 and result.code == 1 and "too large: 1" in result.out


def test_a_gzipped_page_within_the_cap_is_read(run, tmp_path):
    with serve() as site:
        site.page("/zipped", gzip.compress(ARTICLE.format(LONG).encode()), headers={"Content-Encoding": "gzip"})
        result = _crawl(run, tmp_path, [site.url("/zipped")])
    assert "1 fetched" in result.out


def test_latin1_and_shift_jis_pages_are_decoded(run, tmp_path):
    french = "Ça a été un très bel été à côté de la forêt, où nous étions heureux. " * 4
    japanese = "これは日本語のテキストです。古い文字コードで書かれたページも正しく読めます。" * 3
    with serve() as site:
        site.page("/latin1", ARTICLE.format(french).encode("latin-1"), "text/html; charset=ISO-8859-1")
        site.page("/undeclared", ARTICLE.format(french).encode("latin-1"), "text/html")
        sjis = f'<html><head><meta charset="Shift_JIS"></head><body><article><p>{japanese}</p></article></body></html>'
        site.page("/sjis", sjis.encode("shift_jis"), "text/html")
        result = _crawl(run, tmp_path, [site.url(p) for p in ("/latin1", "/undeclared", "/sjis")])
    assert "3 fetched" in result.out
    texts = dict(_rows(tmp_path, "SELECT url, text FROM pages"))
    assert texts[site.url("/latin1")].startswith("Ça a été un très bel été")
    assert texts[site.url("/undeclared")].startswith("Ça a été un très bel été")
    assert texts[site.url("/sjis")].startswith("これは日本語のテキストです。")
    encodings = dict(_rows(tmp_path, "SELECT final_url, encoding FROM snapshots"))
    assert encodings[site.url("/sjis")] == "cp932" and encodings[site.url("/latin1")] == "cp1252"


def test_wrong_content_types_are_refused(run, tmp_path):
    with serve() as site:
        site.page("/image", b"\x89PNG" + bytes(100), "image/png")
        result = _crawl(run, tmp_path, [site.url("/image")])
    assert "content type: 1" in result.out


def test_an_image_served_as_html_is_a_failure_not_a_page_of_garbage(run, tmp_path):
    with serve() as site:
        site.page("/photo", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "text/html")
        site.page("/p", ARTICLE.format(LONG))
        result = _crawl(run, tmp_path, [site.url("/photo"), site.url("/p")])
    assert result.code == 0 and "1 fetched" in result.out and "binary: 1" in result.out
    assert result.err.strip() == (f"detector: {site.url('/photo')}: looks like a binary file, not HTML, though served"
                                  " as text/html")
    assert _rows(tmp_path, "SELECT COUNT(*) FROM pages") == [(1,)]


def test_a_404_robots_txt_or_a_redirect_does_not_cost_the_host_a_new_connection(tmp_path):
    """Their small bodies are read to the end, so the next request to the host reuses the connection."""
    import threading

    clients: list[int] = []
    with serve() as site:
        def answer(status: int, body: bytes, headers: dict[str, str] | None = None):  # noqa: ANN202 - a route
            return lambda h: (clients.append(h.client_address[1]), send(h, status, body, "text/html", headers))
        site.routes["/robots.txt"] = answer(404, b"not found")
        site.routes["/old"] = answer(301, b"moved", {"Location": "/new"})
        site.routes["/new"] = answer(200, ARTICLE.format(LONG).encode())
        fetcher = Fetcher(load_config(config_file(tmp_path / "cfg.toml")), threading.Event())
        for path in ("/robots.txt", "/old", "/robots.txt", "/new"):
            fetcher.get(site.url(path), accept=None)
        fetcher.close()
    assert len(clients) == 5 and len(set(clients)) == 1, clients


def test_chunked_and_gzipped_chunked_bodies_are_read_whole(tmp_path):
    """Most servers send pages chunked, many gzipped too: the body reader must give back exactly the page."""
    import threading

    page = ARTICLE.format(LONG * 40).encode()

    def chunked(gzipped: bool):  # noqa: ANN202 - a route
        def route(h: BaseHTTPRequestHandler) -> None:
            data = gzip.compress(page) if gzipped else page
            h.send_response(200)
            h.send_header("Content-Type", "text/html; charset=utf-8")
            h.send_header("Transfer-Encoding", "chunked")
            if gzipped:
                h.send_header("Content-Encoding", "gzip")
            h.end_headers()
            for start in range(0, len(data), 1000):
                part = data[start:start + 1000]
                h.wfile.write(b"%x\r\n" % len(part) + part + b"\r\n")
            h.wfile.write(b"0\r\n\r\n")
        return route

    with serve() as site:
        site.routes["/plain"], site.routes["/gzipped"] = chunked(False), chunked(True)
        fetcher = Fetcher(load_config(config_file(tmp_path / "cfg.toml")), threading.Event())
        bodies = [fetcher.get(site.url(p)).body for p in ("/plain", "/gzipped", "/plain")]
        fetcher.close()
    assert bodies == [page, page, page]


def test_a_host_never_gets_two_requests_at_once(run, tmp_path):
    with serve() as site, serve() as other:
        for n in range(30):
            site.page(f"/p{n}", ARTICLE.format(f"page {n} " + LONG))
            other.page(f"/p{n}", ARTICLE.format(f"other {n} " + LONG))
        urls = [s.url(f"/p{n}") for n in range(30) for s in (site, other)]
        result = _crawl(run, tmp_path, urls, crawl={"concurrency": 8})
    assert "60 fetched" in result.out
    assert site.most_in_flight == 1 and other.most_in_flight == 1
