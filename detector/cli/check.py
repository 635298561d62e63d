"""``detector check`` and ``detector extract``: look at pages given as files or URLs."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..api import CheckResult, Detector, match_json
from ..errors import DetectorError
from ..inputs import expand
from .output import Progress, err, match_rows, print_table, workers


def run_check(args: argparse.Namespace, detector: Detector) -> int:
    if not detector.store.count_works():  # "0 matches" against nothing would read as "no copy here"
        raise DetectorError(f"no posts are registered in {detector.store.path}: register yours first"
                            " ('detector register POSTS'), or give --db the store that holds them")
    inputs = list(expand(args.inputs))
    progress = Progress(len(inputs), "check", args.quiet)
    results = detector.check(inputs, progress, workers=workers(args))
    progress.close()
    stored = detector.store.matches()
    rows = {m.id: row for m, row in stored}
    gone: dict[int, list[int]] = {}  # page id -> its matches whose copy is no longer on it
    for match, _ in stored:
        if match.gone_since and match.page_id is not None and match.id is not None:
            gone.setdefault(match.page_id, []).append(match.id)
    if args.json:
        print(json.dumps([_check_json(r, rows, gone) for r in results], indent=2, ensure_ascii=False))
    for result in results:
        if result.error:
            err(result.error)
        elif not args.json:
            found = [match_json(m, rows[m.id]) for m in result.matches]
            left = _gone(result, gone)
            went = (f" ({'matches' if len(left) != 1 else 'match'} {', '.join(map(str, left))} no longer on the page;"
                    " kept as 'gone')") if left else ""
            print(f"{result.arg}: {len(found)} match{'es' if len(found) != 1 else ''}{_few_words(result, found)}{went}")
            if found:
                print_table(match_rows(found, page_column=False),
                            ["id", "work", "extent", "coverage", "sim", "flags", "takedown", "state"])
    return 0 if any(r.error is None for r in results) else 1


#: A page whose main text is shorter than this holds no copy worth a takedown; when it matched nothing, saying how
#: short it was points at the usual cause (a cookie wall, a login page, text built by JavaScript).
_FEW_WORDS = 50


def _words(result: CheckResult) -> int | None:
    """The words of main text checked; None for an input that failed."""
    return len(result.page.text.split()) if result.page is not None else None


def _few_words(result: CheckResult, found: list[Any]) -> str:
    words = _words(result)
    if found or words is None or words >= _FEW_WORDS:
        return ""
    return f" (only {words} word{'s' if words != 1 else ''} of text in the page: 'detector extract' shows them)"


def _gone(result: CheckResult, gone: dict[int, list[int]]) -> list[int]:
    return gone.get(result.page_id, []) if result.page_id is not None else []


def _check_json(result: CheckResult, rows: dict[Any, dict[str, Any]], gone: dict[int, list[int]]) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "page": result.arg, "url": result.url, "matches": [match_json(m, rows[m.id]) for m in result.matches],
        "words": _words(result),  # a script tells a login wall (a dozen) from a clean page this way
        "gone": _gone(result, gone),  # ids of this page's earlier matches whose copy is no longer on it
    }
    if result.error:
        payload["error"] = result.error
    return payload


def run_extract(args: argparse.Namespace, detector: Detector) -> int:
    payload = []
    ok = 0
    for arg in expand(args.inputs):  # a folder stands for the pages in it, as for check
        try:
            _, page = detector.extract(arg)
        except DetectorError as error:
            err(str(error))
            payload.append({"page": arg, "error": str(error), "text": None, "title": None, "byline": None,
                            "canonical": None})
            continue
        ok += 1
        payload.append({"page": arg, "text": page.text, "title": page.title, "byline": page.byline,
                        "canonical": page.canonical, "published": page.published})
        if not args.json:
            print(f"== {arg}\ntitle: {page.title or '-'}\nbyline: {page.byline or '-'}\n"
                  f"canonical: {page.canonical or '-'}\nwords: {len(page.text.split())}\n\n{page.text}\n")
    if args.json:
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    return 0 if ok else 1


def add(command) -> None:
    p = command("check", run_check, "check pages (files, folders or URLs) for copies of registered posts",
                "detector check suspect.html https://scraper.example/2025/03/my-post/\n"
                "detector check --json page.html")
    p.add_argument("inputs", nargs="+", metavar="PATH|URL", help="page files, folders of them, or URLs")
    p.add_argument("--json", action="store_true", help="print one JSON array, one object per page")
    p.add_argument("--workers", type=int, metavar="N",
                   help="processes checking files when there are many (default: one per core)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = command("extract", run_extract, "print the main text the matcher sees in a page",
                "detector extract copy.html\ndetector extract --json https://scraper.example/post/")
    p.add_argument("inputs", nargs="+", metavar="PATH|URL")
    p.add_argument("--json", action="store_true", help="print a JSON array, one object per input")
