"""check fetches URLs from a real local HTTP server, within its caps and address rules."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .conftest import SAMPLE_POST

SAMPLES = Path(__file__).resolve().parent.parent / "detector" / "samples"


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        status, kind, body = self.routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if status in (301, 302):
            self.send_header("Location", body.decode())
            body = b""
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-body (as the size cap does) is expected here."""


@pytest.fixture
def site() -> Iterator[str]:
    server = _QuietServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Handler.routes = {
        "/mirror/": (200, "text/html; charset=utf-8", (SAMPLES / "pages" / "farm-mirror.html").read_bytes()),
        "/moved": (302, "", b"/mirror/"),
        "/image.png": (200, "image/png", b"\x89PNG" + b"\0" * 100),
        "/huge": (200, "text/html", b"<p>" + b"a " * 3_000_000 + b"</p>"),
    }
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _config(tmp_path: Path, allow_private: bool) -> str:
    path = tmp_path / "config.toml"
    path.write_text(f"[store]\npath = 'store.db'\n[crawl]\nallow_private_addresses = {str(allow_private).lower()}\n"
                    "[fetch]\nmax_bytes = 1000000\n")
    return str(path)


def test_a_url_copy_is_found_after_redirects(run, tmp_path, site):
    cfg = _config(tmp_path, allow_private=True)
    assert run("--config", cfg, "register", str(SAMPLES / "posts"), db_path=None).code == 0
    result = run("--config", cfg, "check", "--json", f"{site}/moved", db_path=None)
    page = json.loads(result.out)[0]
    assert page["url"] == f"{site}/mirror/"
    assert [m["extent"] for m in page["matches"]] == ["full"]


def test_private_addresses_are_refused_by_default(run, tmp_path, site):
    cfg = _config(tmp_path, allow_private=False)
    run("--config", cfg, "register", str(SAMPLE_POST), db_path=None)
    result = run("--config", cfg, "check", f"{site}/mirror/", db_path=None)
    assert result.code == 1 and "private address" in result.err and "allow_private_addresses" in result.err


def test_wrong_content_type_and_oversized_bodies_are_one_line_errors(run, tmp_path, site):
    cfg = _config(tmp_path, allow_private=True)
    run("--config", cfg, "register", str(SAMPLE_POST), db_path=None)
    result = run("--config", cfg, "check", f"{site}/image.png", f"{site}/huge", f"{site}/missing", db_path=None)
    errors = result.err.strip().splitlines()
    assert result.code == 1 and len(errors) == 3
    assert "image/png" in errors[0] and "cap" in errors[1] and "404" in errors[2]


def test_a_dead_host_is_a_one_line_error(run, tmp_path):
    cfg = _config(tmp_path, allow_private=True)
    run("--config", cfg, "register", str(SAMPLE_POST), db_path=None)
    result = run("--config", cfg, "check", "http://127.0.0.1:9/post", db_path=None)
    assert result.code == 1 and result.err.count("\n") == 1 and "127.0.0.1:9" in result.err
