"""Output and argument helpers shared by the commands: one-line errors, progress bars, tables, --workers."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, TextIO

from ..errors import UsageError

__all__ = ["err", "Progress", "print_table", "match_rows", "short", "tail", "workers"]


def err(message: str) -> None:
    """Print one line to stderr, prefixed with the program name."""
    print(f"detector: {message}", file=sys.stderr)


class Progress:
    """A progress bar on a terminal (stderr); silent otherwise."""

    def __init__(self, total: int, label: str, quiet: bool = False, unit: str = "doc") -> None:
        self.bar: Any = None
        if not quiet and sys.stderr.isatty() and total > 1:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=label, unit=unit, file=sys.stderr, leave=False)

    def __call__(self, _item: object = None) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def workers(args: argparse.Namespace) -> int:
    """The ``--workers N`` of a command: one per core when not given."""
    count: int = args.workers if args.workers is not None else os.cpu_count() or 1
    if count < 1:
        raise UsageError(f"--workers must be >= 1, got {count}")
    return count


def print_table(rows: list[list[str]], headers: list[str], out: TextIO | None = None) -> None:
    """Left-aligned columns, as wide as their widest cell."""
    out = out or sys.stdout
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(), file=out)
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip(), file=out)


def _flags(m: dict[str, Any]) -> str:
    flags = [name for name in ("chrome", "spun", "authorized") if m[name]]
    return ",".join(flags) or "-"


def match_rows(matches: list[dict[str, Any]], page_column: bool = True) -> list[list[str]]:
    """Table rows for MATCH objects."""
    rows = []
    for m in matches:
        row = [str(m["id"])]
        if page_column:
            row.append(tail(m["page_url"], 48))
        row += [short(m["work_title"] or m["work_url"], 40), m["extent"], f"{m['coverage']:.0%}",
                f"{m['similarity']:.2f}", _flags(m), "yes" if m["takedown"] else "no",
                m["state"] + (", gone" if m.get("gone_since") else "")]
        rows.append(row)
    return rows


MATCH_HEADERS = ["id", "page", "work", "extent", "coverage", "sim", "flags", "takedown", "state"]


def tail(text: str | None, width: int) -> str:
    """Shorten from the left: the end of a URL or path says the most."""
    text = text or "-"
    return text if len(text) <= width else "…" + text[-(width - 1):]


def short(text: str | None, width: int) -> str:
    text = text or "-"
    return text if len(text) <= width else text[: width - 1] + "…"
