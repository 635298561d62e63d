"""``detector register``: add original posts to the store."""

from __future__ import annotations

import argparse
import sys

from ..api import Detector
from ..crawl.parsers import url_problem
from ..dates import read_date
from ..errors import UsageError
from ..inputs import expand, is_url
from ..works import Overrides
from .output import Progress, err, workers


def run(args: argparse.Namespace, detector: Detector) -> int:
    targets = list(expand(args.inputs))
    if not args.inputs and not args.sitemap and not args.feed:
        raise UsageError("give the posts to register: files, folders or URLs, or --sitemap/--feed URL")
    if args.match and not (args.sitemap or args.feed):
        raise UsageError("--match filters the URLs of --sitemap and --feed; give one of them")
    if args.url and (len(targets) > 1 or args.sitemap or args.feed):
        raise UsageError("--url names one work; give it with a single file or URL")
    for url in (*args.sitemap, *args.feed):
        if not is_url(url):
            raise UsageError(f"{url!r} is not an http or https URL")
    site = None
    if args.sitemap or args.feed:
        site = detector.site_reader()
        if not args.quiet and sys.stderr.isatty():  # a sitemap index of many files takes a request each, paced
            print(f"reading {len(args.sitemap) + len(args.feed)} sitemap(s) and feed(s), politely ...",
                  file=sys.stderr, flush=True)
        listed = site.list_posts(args.sitemap, args.feed, args.match)
        for problem in listed.errors:
            err(problem)
        left_out = f", {listed.left_out} left out by --match" if args.match else ""
        print(f"listed: {len(listed.urls)} post URL{'s' if len(listed.urls) != 1 else ''}{left_out}")
        targets += [url for url in listed.urls if url not in targets]
        if not targets:  # the listing's problems were named above; else say why nothing is left
            if not listed.errors:
                why = f": --match '{args.match}' left out all {listed.left_out}" if listed.left_out else ""
                err(f"no post URLs to register{why}")
            return 1
    progress = Progress(len(targets), "register", args.quiet)
    if args.published is not None and read_date(args.published) is None:
        raise UsageError(f"--published {args.published!r} is not a date; give it as YYYY-MM-DD")
    if args.base_url is not None and (wrong := url_problem(args.base_url)):
        raise UsageError(f"--base-url {args.base_url!r} {wrong}")
    overrides = Overrides(author=args.author, url=args.url, title=args.title, published=args.published,
                          base_url=args.base_url)
    summary = detector.register(targets, overrides, progress, workers=workers(args), site=site)
    progress.close()
    if summary.added or summary.updated:
        detector.prepare_catalog()  # a large catalog is saved now, so later commands start in a second
    for failure in summary.failed:
        err(failure)
    if summary.relative_urls:
        n, first = len(summary.relative_urls), summary.relative_urls[0]
        err(f"{first}{f' and {n - 1} more' if n > 1 else ''}: the url is a path, not a full address; register again"
            " with --base-url https://your.blog so that notices and canonical links name the original in full")
    updated = f", {summary.updated} new version{'s' if summary.updated != 1 else ''}" if summary.updated else ""
    if summary.relabelled:
        updated += f", {summary.relabelled} with new details"
    print(f"registered: {summary.added} added, {summary.unchanged} unchanged{updated}, {len(summary.failed)} failed")
    return 0 if summary.processed or not summary.failed else 1


def add(command) -> None:
    p = command("register", run, "register original posts (Markdown, HTML, text files, folders, URLs, your sitemap)",
                "detector register posts/\n"
                "detector register --author 'Ada Lovelace' --url https://ada.example/p/ essay.md\n"
                "detector register --sitemap https://ada.example/sitemap.xml --match '*/posts/*'")
    p.add_argument("inputs", nargs="*", metavar="PATH|URL")
    p.add_argument("--sitemap", action="append", default=[], metavar="URL",
                   help="register the pages your sitemap lists (repeatable; indexes and .xml.gz are read)")
    p.add_argument("--feed", action="append", default=[], metavar="URL",
                   help="register the posts your RSS or Atom feed lists (repeatable)")
    p.add_argument("--match", metavar="GLOB",
                   help="only the listed URLs that match, e.g. '*/posts/*': a sitemap also lists tag and about pages")
    p.add_argument("--author", help="author name, overriding the document's")
    p.add_argument("--url", help="the post's canonical URL (one input only)")
    p.add_argument("--title", help="title, overriding the document's")
    p.add_argument("--published", metavar="DATE", help="publication date, e.g. 2024-05-01")
    p.add_argument("--base-url", metavar="URL",
                   help="your blog's address, for front matter whose url is a path (url: /posts/x/)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="processes reading and fingerprinting files when there are many (default: one per core)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
