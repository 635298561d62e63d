"""``make demo``: the whole product on its own sample data, in one command, leaving nothing running.

A local demo site plays the copiers: each fictional host of the sample
MANIFEST (a content farm, a spinner, a partial copier, a quoting blogger, a
syndication partner, an unrelated blog, a hostile page) gets its own
loopback address (127.0.0.11, .12, ...) serving its page, a robots.txt and
a sitemap. The demo registers the sample originals, crawls every host with
the real crawler, prints the matches and writes the evidence reports.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from .cli import main as cli_main

SAMPLES = Path(str(resources.files("detector") / "samples"))
AUTHOR = """[author]
name = "Maren Holt"
email = "maren@marenholt.example"
address = "12 Harbour Lane, Port Ellis, PE1 2AB, United Kingdom"
signature = "/Maren Holt/"
"""


@dataclass(frozen=True)
class DemoHost:
    """One fictional copier: its name in the MANIFEST and the loopback address standing in for it."""

    name: str
    address: str
    routes: dict[str, tuple[str, bytes]]

    @property
    def base(self) -> str:
        return f"http://{self.address}"


def _hosts(port: int) -> list[DemoHost]:
    manifest = json.loads((SAMPLES / "pages" / "MANIFEST.json").read_text(encoding="utf-8"))
    hosts: dict[str, DemoHost] = {}
    for entry in manifest["pages"]:
        if entry["host"] not in hosts:
            hosts[entry["host"]] = DemoHost(entry["host"], f"127.0.0.{11 + len(hosts)}:{port}", {})
        host = hosts[entry["host"]]
        host.routes[entry["path"]] = ("text/html; charset=utf-8", (SAMPLES / "pages" / entry["file"]).read_bytes())
    for host in hosts.values():
        urls = "".join(f"<url><loc>{host.base}{path}</loc></url>" for path in host.routes)
        host.routes["/sitemap.xml"] = ("application/xml", (
            '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>").encode())
        host.routes["/robots.txt"] = ("text/plain", b"User-agent: *\nAllow: /\n")
    return list(hosts.values())


def _handler(host: DemoHost) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            kind, body = host.routes.get(self.path, ("text/plain", b"not found"))
            self.send_response(200 if self.path in host.routes else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Server", f"demo ({host.name})")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def _servers(port: int) -> tuple[list[DemoHost], list[ThreadingHTTPServer]]:
    """Every demo host bound to ``port`` on its own loopback address; OSError when the port is taken there."""
    hosts = _hosts(port)
    servers: list[ThreadingHTTPServer] = []
    try:
        for host in hosts:
            servers.append(ThreadingHTTPServer((host.address.split(":")[0], port), _handler(host)))
    except OSError:
        for server in servers:
            server.server_close()
        raise
    return hosts, servers


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def demo_site(port: int = 8765) -> Iterator[list[DemoHost]]:
    """Serve every demo host on its own loopback address; stopped when the block ends.

    When ``port`` is taken (another demo running, say), a free one is used instead: the demo should not
    end in a traceback over a port number nobody chose.
    """
    for attempt in range(5):
        try:
            hosts, servers = _servers(port if attempt == 0 else _free_port())
            break
        except OSError:
            if attempt == 4:
                raise
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    try:
        yield hosts
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def _config(out: Path, hosts: list[DemoHost]) -> Path:
    sources = "".join(f'\n[[sources]]\nname = "{h.name}"\ntype = "sitemap"\nurl = "{h.base}/sitemap.xml"\n'
                      'schedule = "every 6h"\n' for h in hosts)
    config = out / "demo.toml"
    config.write_text(
        '[store]\npath = "demo.db"\n\n[schedule]\njobstore = "schedule.db"\n\n'
        '[crawl]\nallow_private_addresses = true  # the demo site lives on loopback addresses\n'
        "per_host_delay = 0.0\n\n" + AUTHOR + sources, encoding="utf-8")
    return config


def _step(title: str, argv: list[str]) -> None:
    print(f"\n== {title}\n$ detector {' '.join(argv[2:])}", flush=True)
    code = cli_main(argv)
    if code:
        raise SystemExit(code)


def run(out: Path, port: int) -> int:
    """Run the demo into ``out`` (recreated)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with demo_site(port) as hosts:
        config = str(_config(out, hosts))
        print("demo site: " + ", ".join(f"{h.name} at {h.base}" for h in hosts))
        _step("register the sample originals",
              ["--config", config, "register", "--quiet", str(SAMPLES / "posts"), str(SAMPLES / "others")])
        _step("crawl the demo site", ["--config", config, "crawl", "--quiet"])
    _step("what was found", ["--config", config, "matches"])
    _step("write the takedown evidence", ["--config", config, "report", "--out", str(out / "reports")])
    reports = sorted((out / "reports").glob("*.html"))
    print("\nopen the reports in a browser:")
    for report in reports:
        print(f"  {report}")
    _step("where things stand", ["--config", config, "status"])
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m detector.demo", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", default="demo-out", help="folder for the demo store and reports (recreated)")
    parser.add_argument("--port", type=int, default=8765, help="port of the demo site on each loopback address")
    args = parser.parse_args()
    return run(Path(args.out).resolve(), args.port)


if __name__ == "__main__":
    sys.exit(main())
