"""A programmable local HTTP server for the crawl tests: real sockets on 127.0.0.1, no mocks.

Each route is a function of the request handler, so a test can serve a page,
a redirect, a 429 with Retry-After, a hang, an endless body or a gzip bomb.
Every request is recorded (path, headers), and the server tracks how many
requests it is serving at once, to show a host never gets two.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Hit:
    path: str
    headers: dict[str, str]


@dataclass
class Site:
    """Routes by path; ``base`` is ``http://127.0.0.1:PORT``."""

    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    closing: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        with self.lock:
            return [h.path for h in self.hits]

    def page(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8",
             status: int = 200, headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = lambda h: send(h, status, data, content_type, headers)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.routes[path] = lambda h: send(h, status, b"", "text/plain", {"Location": location})


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str,
         headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Site

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up mid-body (caps, timeouts) are expected here."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall between headers and body on keep-alive
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        site = self.server.site
        with site.lock:
            site.hits.append(Hit(self.path, {k.lower(): v for k, v in self.headers.items()}))
            site.in_flight += 1
            site.most_in_flight = max(site.most_in_flight, site.in_flight)
        try:
            route = site.routes.get(self.path)
            if route is None:
                send(self, 404, b"not found", "text/plain")
            else:
                route(self)
        finally:
            with site.lock:
                site.in_flight -= 1

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(host: str = "127.0.0.1") -> Iterator[Site]:
    """Run a :class:`Site` until the block ends."""
    server = _Server((host, 0), _Handler)
    site = Site(base=f"http://{host}:{server.server_address[1]}")
    server.site = site
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.closing.set()
        server.shutdown()
        server.server_close()


def config_file(path, sources: str = "", **sections: dict[str, object]) -> str:
    """Write a config with a store beside it, private addresses allowed and no pacing unless overridden."""
    values: dict[str, dict[str, object]] = {
        "store": {"path": "store.db"},
        "crawl": {"allow_private_addresses": True, "per_host_delay": 0.0},
        "fetch": {"backoff": 0.01, "retries": 2, "read_timeout": 2.0, "connect_timeout": 2.0},
    }
    for name, table in sections.items():
        values.setdefault(name, {}).update(table)
    lines = []
    for name, table in values.items():
        lines.append(f"[{name}]")
        lines += [f"{key} = {_toml(value)}" for key, value in table.items()]
    path.write_text("\n".join(lines) + "\n" + sources, encoding="utf-8")
    return str(path)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def source(name: str, type: str, url: str = "", **extra: object) -> str:
    """One ``[[sources]]`` table."""
    lines = ["[[sources]]", f"name = {_toml(name)}", f"type = {_toml(type)}"]
    if url:
        lines.append(f"url = {_toml(url)}")
    lines += [f"{key} = {_toml(value)}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"
