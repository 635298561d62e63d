"""The command line: parse arguments, call one library function, format the result.

Errors the user can fix arrive here as :class:`DetectorError` and leave as
one line on stderr with a documented exit code; nothing else prints a
traceback unless ``DETECTOR_DEBUG`` is set.

Exit codes: 0 done (some inputs may have failed, each named on stderr);
1 nothing could be processed; 2 usage error; 3 configuration error;
4 store error (locked, corrupt, too new, full); 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from . import __version__
from .api import CheckResult, Detector, match_json
from .config import load_config
from .errors import DetectorError
from .works import Overrides

__all__ = ["main", "build_parser"]

Handler = Callable[[argparse.Namespace, Detector], int]
COMMANDS: dict[str, Handler] = {}


def _err(message: str) -> None:
    print(f"detector: {message}", file=sys.stderr)


class _Progress:
    """A progress bar on a terminal (stderr); silent otherwise."""

    def __init__(self, total: int, label: str, quiet: bool = False) -> None:
        self.bar: Any = None
        if not quiet and sys.stderr.isatty() and total > 1:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=label, unit="doc", file=sys.stderr, leave=False)

    def __call__(self, _item: str) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_register(args: argparse.Namespace, detector: Detector) -> int:
    from .inputs import expand

    targets = list(expand(args.inputs))
    if args.url and len(targets) > 1:
        raise DetectorError("--url names one work; give it with a single file or URL")
    progress = _Progress(len(targets), "register", args.quiet)
    overrides = Overrides(author=args.author, url=args.url, title=args.title, published=args.published)
    summary = detector.register(targets, overrides, progress)
    progress.close()
    for failure in summary.failed:
        _err(failure)
    updated = f", {summary.updated} new version{'s' if summary.updated != 1 else ''}" if summary.updated else ""
    print(f"registered: {summary.added} added, {summary.unchanged} unchanged{updated}, {len(summary.failed)} failed")
    return 0 if summary.processed or not summary.failed else 1


def _print_table(rows: list[list[str]], headers: list[str], out: TextIO = sys.stdout) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(), file=out)
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip(), file=out)


def _flags(m: dict[str, Any]) -> str:
    flags = [name for name in ("chrome", "spun", "authorized") if m[name]]
    return ",".join(flags) or "-"


def _match_rows(matches: list[dict[str, Any]], page_column: bool = True) -> list[list[str]]:
    rows = []
    for m in matches:
        row = [str(m["id"])]
        if page_column:
            row.append(_tail(m["page_url"], 48))
        row += [_short(m["work_title"] or m["work_url"], 40), m["extent"], f"{m['coverage']:.0%}",
                f"{m['similarity']:.2f}", _flags(m), "yes" if m["takedown"] else "no", m["state"]]
        rows.append(row)
    return rows


def _tail(text: str | None, width: int) -> str:
    """Shorten from the left: the end of a URL or path says the most."""
    text = text or "-"
    return text if len(text) <= width else "…" + text[-(width - 1):]


def _short(text: str | None, width: int) -> str:
    text = text or "-"
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_check(args: argparse.Namespace, detector: Detector) -> int:
    progress = _Progress(len(args.inputs), "check", args.quiet)
    results = detector.check(args.inputs, progress)
    progress.close()
    rows = {m.id: row for m, row in detector.store.matches()}
    if args.json:
        payload = [_check_json(r, rows) for r in results]
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    for result in results:
        if result.error:
            _err(result.error)
        elif not args.json:
            found = [match_json(m, rows[m.id]) for m in result.matches]
            print(f"{result.arg}: {len(found)} match{'es' if len(found) != 1 else ''}")
            if found:
                _print_table(_match_rows(found, page_column=False),
                             ["id", "work", "extent", "coverage", "sim", "flags", "takedown", "state"])
    return 0 if any(r.error is None for r in results) else 1


def _check_json(result: CheckResult, rows: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "page": result.arg, "url": result.url, "matches": [match_json(m, rows[m.id]) for m in result.matches],
    }
    if result.error:
        payload["error"] = result.error
    return payload


def cmd_matches(args: argparse.Namespace, detector: Detector) -> int:
    found = detector.match_rows(state=args.state)
    if args.json:
        print(json.dumps(found, indent=2, ensure_ascii=False))
    elif not found:
        print("no matches stored yet (run 'detector check PAGE' or 'detector crawl')")
    else:
        _print_table(_match_rows(found), ["id", "page", "work", "extent", "coverage", "sim", "flags", "takedown", "state"])
    return 0


def cmd_extract(args: argparse.Namespace, detector: Detector) -> int:
    payload = []
    ok = 0
    for arg in args.inputs:
        try:
            document, page = detector.extract(arg)
        except DetectorError as error:
            _err(str(error))
            payload.append({"page": arg, "error": str(error), "text": None, "title": None, "byline": None,
                            "canonical": None})
            continue
        ok += 1
        item = {"page": arg, "text": page.text, "title": page.title, "byline": page.byline,
                "canonical": page.canonical, "published": page.published}
        payload.append(item)
        if not args.json:
            print(f"== {arg}\ntitle: {page.title or '-'}\nbyline: {page.byline or '-'}\n"
                  f"canonical: {page.canonical or '-'}\nwords: {len(page.text.split())}\n\n{page.text}\n")
    if args.json:
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    return 0 if ok else 1


def _command(sub: Any, name: str, handler: Handler, help: str, example: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=help, description=help, epilog="example:\n" + textwrap.indent(example, "  "),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    COMMANDS[name] = handler
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="detector", description="Find scraped and spun copies of your posts, and build takedown evidence.",
        epilog="Run 'detector COMMAND --help' for a command's options and an example.",
    )
    parser.add_argument("--version", action="version", version=f"detector {__version__}")
    parser.add_argument("--config", metavar="PATH", help="config file (default: ./config.toml if present)")
    parser.add_argument("--db", metavar="PATH", help="store file, overriding [store] path")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = _command(sub, "register", cmd_register, "register original posts (Markdown, HTML, text files, folders, URLs)",
                 "detector register posts/\ndetector register --author 'Ada Lovelace' --url https://ada.example/p/ essay.md")
    p.add_argument("inputs", nargs="+", metavar="PATH|URL")
    p.add_argument("--author", help="author name, overriding the document's")
    p.add_argument("--url", help="the post's canonical URL (one input only)")
    p.add_argument("--title", help="title, overriding the document's")
    p.add_argument("--published", metavar="DATE", help="publication date, e.g. 2024-05-01")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = _command(sub, "check", cmd_check, "check pages (files or URLs) for copies of registered posts",
                 "detector check suspect.html https://scraper.example/2025/03/my-post/\ndetector check --json page.html")
    p.add_argument("inputs", nargs="+", metavar="PATH|URL")
    p.add_argument("--json", action="store_true", help="print one JSON array, one object per input")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = _command(sub, "matches", cmd_matches, "list stored matches", "detector matches\ndetector matches --json")
    p.add_argument("--json", action="store_true", help="print a JSON array of matches")
    p.add_argument("--state", choices=("new", "confirmed", "dismissed"), help="only matches in this state")

    p = _command(sub, "extract", cmd_extract, "print the main text the matcher sees in a page",
                 "detector extract copy.html\ndetector extract --json https://scraper.example/post/")
    p.add_argument("inputs", nargs="+", metavar="PATH|URL")
    p.add_argument("--json", action="store_true", help="print a JSON array, one object per input")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_usage(sys.stderr)
        _err("a command is required (try 'detector --help')")
        return 2
    try:
        config = load_config(args.config, db=args.db)
        with Detector(config) as detector:
            return int(args.handler(args, detector))
    except DetectorError as error:
        _err(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        _err("interrupted; everything stored so far is kept")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:
        if os.environ.get("DETECTOR_DEBUG"):
            raise
        _err(f"internal error: {type(error).__name__}: {error} (set DETECTOR_DEBUG=1 for a traceback and report it)")
        return 70
