"""A child process that runs ``extract_html`` on documents sent over stdin and reports cost and outcome.

Run by ``test_extract_fuzz``: the parent kills this process when one input
takes too long, which no in-process timer can do while the HTML parser's C
code runs. Each request is ``kind`` (1 byte: ``b`` bytes, ``s`` text), an
8-byte length and the payload; each answer is one JSON line with the CPU
seconds, the peak RSS growth in MB, and the error if extraction raised.
"""

from __future__ import annotations

import json
import re
import sys
import time
import traceback

from detector.extract import extract_html

_VM = re.compile(r"^(VmRSS|VmHWM):\s+(\d+) kB$", re.MULTILINE)


def _memory_kb() -> dict[str, int]:
    with open("/proc/self/status", encoding="ascii") as status:
        return {name: int(value) for name, value in _VM.findall(status.read())}


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")


def serve() -> None:
    read, write = sys.stdin.buffer, sys.stdout
    while header := read.read(9):
        kind, size = header[:1], int.from_bytes(header[1:], "big")
        payload = read.read(size)
        document: bytes | str = payload if kind == b"b" else payload.decode("utf-8", "surrogatepass")
        _reset_peak()
        before = _memory_kb()["VmRSS"]
        error = None
        words = 0
        started = time.process_time()
        try:
            page = extract_html(document, url="https://fuzz.example/post/")
            words = len(page.text.split())
        except Exception:  # noqa: BLE001 - the parent counts it as a crash
            error = traceback.format_exc(limit=6)
        cpu = time.process_time() - started
        grown = (_memory_kb()["VmHWM"] - before) / 1024
        write.write(json.dumps({"cpu": cpu, "rss_mb": grown, "error": error, "words": words}) + "\n")
        write.flush()


if __name__ == "__main__":
    serve()
