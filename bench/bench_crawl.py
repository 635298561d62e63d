"""Crawl throughput over 50 local hosts, and per-host pacing, against a server in its own process.

    python bench/bench_crawl.py [--pages 5000] [--hosts 50] [--concurrency 16]
                                [--paced-hosts 10] [--paced-pages 5] [--delay 1.0]

Phase 1 crawls ``--pages`` pages spread over ``--hosts`` hosts (127.0.0.2,
127.0.0.3, ...: one address per host) with a per-host delay of 0, after
registering the shipped sample posts; about 10 % of the pages are copies of
them (the shipped copy pages), the rest are generated articles of about 600
words. It prints pages/s (fetched, extracted, matched and stored) and the
crawler's CPU time per page. Target on the reference 2-core machine:
>= 200 pages/s. Phase 2 crawls ``--paced-pages`` pages on each of
``--paced-hosts`` hosts with ``per_host_delay = --delay`` and prints the
smallest gap the server measured between the end of one answer and the
start of the next request on the same host, which must not be under the
delay. The server is a small asyncio HTTP/1.1 server in a child process, so
the crawler's CPU figures are its own. This is a script to run by hand, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "detector" / "samples"
TARGET = 200.0


# The server (child process) ------------------------------------------------------------------------------------


def _articles(count: int, seed: int = 7) -> list[bytes]:
    """Generated article pages of about 600 words, in simple blog chrome."""
    rng = random.Random(seed)
    words = (SAMPLES / "others" / "why-i-bake-in-a-dutch-oven.md").read_text(encoding="utf-8").split()
    words += (SAMPLES / "others" / "winter-tyres-for-commuting.md").read_text(encoding="utf-8").split()
    words = [w.strip("#*_>`[]()") for w in words if w.isascii() and w.strip("#*_>`[]()")]
    pages = []
    for n in range(count):
        paragraphs = []
        for _ in range(8):
            sentences = [" ".join(rng.choices(words, k=rng.randint(9, 18))).capitalize() + "." for _ in range(5)]
            paragraphs.append("<p>" + " ".join(sentences) + "</p>")
        pages.append((f"<!doctype html><html><head><meta charset=utf-8><title>Article {n}</title></head><body>"
                      f"<nav><a href='/'>Home</a> <a href='/about'>About</a></nav><article><h1>Article {n}</h1>"
                      + "".join(paragraphs) + "</article><footer>(c) site</footer></body></html>").encode())
    return pages


class _Host:
    def __init__(self, pages: dict[str, bytes], log: list[tuple[float, float]]) -> None:
        self.pages = pages
        self.log = log

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                start = time.time()
                path = head.split(b" ", 2)[1].decode()
                body = self.pages.get(path)
                status = b"200 OK" if body is not None else b"404 Not Found"
                body = body if body is not None else b"not found"
                kind = b"text/plain" if path == "/robots.txt" or body == b"not found" else b"text/html; charset=utf-8"
                writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: " + kind + b"\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\n\r\n" + body)
                await writer.drain()
                self.log.append((start, time.time()))
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            writer.close()


async def _serve(hosts: int, pages_per_host: int) -> None:
    articles = _articles(min(pages_per_host * hosts, 400))
    copies = [p.read_bytes() for p in sorted((SAMPLES / "pages").glob("*.html"))]
    logs: list[list[tuple[float, float]]] = []
    ports = []
    for h in range(hosts):
        pages = {"/robots.txt": b"User-agent: *\nAllow: /\n"}
        for n in range(pages_per_host):
            pool = copies if n % 10 == 0 else articles
            pages[f"/p/{n}"] = pool[(n * hosts + h) % len(pool)]
        log: list[tuple[float, float]] = []
        logs.append(log)
        server = await asyncio.start_server(_Host(pages, log).handle, f"127.0.0.{h + 2}", 0)
        ports.append(server.sockets[0].getsockname()[1])
    print(json.dumps(ports), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"logs": logs, "server_cpu": usage.ru_utime + usage.ru_stime}), flush=True)


# The crawler (this process) ------------------------------------------------------------------------------------


def _cpu() -> float:
    """CPU seconds of this process and its reaped children (the crawl's fetch process; the server is reaped later)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _crawl(hosts: int, pages_per_host: int, delay: float, concurrency: int, workdir: Path) -> dict:
    """Start the server, crawl every page once, and return timings and the server's request log."""
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(hosts), str(pages_per_host)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert server.stdin is not None and server.stdout is not None
    ports = json.loads(server.stdout.readline())
    urls = [f"http://127.0.0.{h + 2}:{ports[h]}/p/{n}" for n in range(pages_per_host) for h in range(hosts)]
    sys.path.insert(0, str(ROOT))
    from detector.api import Detector
    from detector.config import load_config
    from detector.crawl.crawler import Crawler

    cfg = workdir / f"bench-{delay}.toml"
    cfg.write_text(f"[store]\npath = 'bench-{delay}.db'\n[crawl]\nallow_private_addresses = true\n"
                   f"per_host_delay = {delay}\nconcurrency = {concurrency}\nmax_pages_per_run = {len(urls)}\n")
    with Detector(load_config(cfg)) as detector:
        detector.register([str(SAMPLES / "posts"), str(SAMPLES / "others")])
        _ = detector.matcher
        wall, cpu = time.perf_counter(), _cpu()
        summary = Crawler(detector).run([], urls)
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    server.stdin.write("\n")
    server.stdin.flush()
    served = json.loads(server.stdout.readline())
    server.wait()
    return {"summary": summary, "wall": wall, "cpu": cpu, "pages": len(urls), **served}


def _throughput(args: argparse.Namespace, workdir: Path) -> None:
    per_host = args.pages // args.hosts
    result = _crawl(args.hosts, per_host, 0.0, args.concurrency, workdir)
    pages, wall = result["pages"], result["wall"]
    print(f"throughput: {pages} pages from {args.hosts} hosts, per-host delay 0, concurrency {args.concurrency}")
    print("  " + "\n  ".join(result["summary"].lines()))
    rate = pages / wall
    print(f"  {rate:.0f} pages/s fetched and matched ({wall:.1f} s wall); crawler CPU "
          f"{result['cpu'] / pages * 1000:.2f} ms/page, both its processes (server, another process: "
          f"{result['server_cpu'] / pages * 1000:.2f} ms/page); target >= {TARGET:.0f} pages/s: "
          f"{'met' if rate >= TARGET else 'NOT met'}")


def _pacing(args: argparse.Namespace, workdir: Path) -> None:
    result = _crawl(args.paced_hosts, args.paced_pages, args.delay, args.concurrency, workdir)
    gaps = []
    for log in result["logs"]:
        log.sort()
        gaps += [start - previous_end for (_, previous_end), (start, _) in zip(log, log[1:])]
    print(f"pacing: {result['pages']} pages on {args.paced_hosts} hosts, per-host delay {args.delay:g} s "
          f"({len(gaps)} gaps between requests to one host, robots.txt included)")
    print("  " + "\n  ".join(result["summary"].lines()))
    print(f"  smallest gap {min(gaps):.3f} s, median {sorted(gaps)[len(gaps) // 2]:.3f} s, largest {max(gaps):.3f} s;"
          f" {result['wall']:.1f} s wall; pacing {'holds' if min(gaps) >= args.delay else 'BROKEN'}")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        asyncio.run(_serve(int(sys.argv[2]), int(sys.argv[3])))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--paced-hosts", type=int, default=10)
    parser.add_argument("--paced-pages", type=int, default=5)
    parser.add_argument("--delay", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        _throughput(args, Path(workdir))
        _pacing(args, Path(workdir))


if __name__ == "__main__":
    main()
