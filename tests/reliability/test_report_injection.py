"""Script and markup injected through every field that reaches a report stays inert in HTML, Markdown and JSON.

A copying page is served with payloads in its URL path and query, a
redirect hop, its title, byline, date, canonical link, kept response
headers and its text; the registered work carries them in its title,
author, date and URL, and the config in the notice's signature. The HTML
report is parsed and may hold no element, attribute or URL a benign report
does not; in Markdown every payload sits in a code span or fenced block;
the JSON parses and keeps every payload character for character.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests

from fingerprints import strip_markdown, tokenize

from ..crawl_site import config_file, send, serve
from .conftest import Post, scaled
from .stores import copy_page_of_text

PAYLOADS = [
    "<script>alert('{id}')</script>",
    '"><img src=x onerror=alert(\'{id}\')>',
    "<svg/onload=alert('{id}')>",
    "javascript:alert('{id}')",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>{id}",
    "<a href=javascript:alert('{id}')>click</a>",
    "[click {id}](javascript:alert(1)) ![{id}](http://evil.example/x.png) <http://evil.example/{id}>",
    "``` </pre><script>alert('{id}')</script> `` ` {id}",
    "<x-inject-{id}>{{{{7*7}}}}</x-inject-{id}>",
    "<!--{id}--><style>body{{display:none}}</style><base href=//evil.example/>",
    "\u202e{id}<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<meta http-equiv=refresh content='0;url=//evil.example/{id}'>",
]
#: Every place a payload goes: the page, the response, the registered work, the config.
FIELDS = ("title", "byline", "date", "canonical", "text", "server", "powered", "via", "lang", "link", "etag", "path",
          "query", "hop", "work title", "work author", "work date", "work url", "work text", "notice")
DANGEROUS_TAGS = {"script", "img", "svg", "iframe", "object", "embed", "math", "video", "audio", "form", "input",
                  "base", "frame", "frameset", "x-inject", "link", "style", "meta"}


def _payload(number: int, field: str) -> str:
    return PAYLOADS[number % len(PAYLOADS)].format(id=f"{field}{number}")


class _Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(markup: str) -> _Parsed:
    parsed = _Parsed()
    parsed.feed(markup)
    parsed.close()
    return parsed


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset",
                  "content", "style", "ping"}
SINGLETONS = {"html", "head", "body", "title", "style", "meta", "header", "footer"}


def _html_problems(markup: str, benign: _Parsed) -> list[str]:
    parsed = _parse(markup)
    allowed = {tag for tag, _ in benign.tags}
    problems = []
    for tag in SINGLETONS:
        if sum(t == tag for t, _ in parsed.tags) != sum(t == tag for t, _ in benign.tags):
            problems.append(f"a {tag} element more or less than in a benign report")
    for tag, attrs in parsed.tags:
        if tag not in allowed or tag.startswith("x-inject") or tag in DANGEROUS_TAGS - SINGLETONS:
            problems.append(f"element <{tag}> from injected text")
        for name, value in attrs:
            squeezed = re.sub(r"[\s\x00-\x1f]", "", (value or "")).lower()
            if name.startswith("on") or name in ("srcdoc", "formaction", "xlink:href", "src", "action"):
                problems.append(f"attribute {name}={value!r} on <{tag}>")
            if name in URL_ATTRIBUTES and any(s in squeezed for s in ("javascript:", "data:", "vbscript:", "//")) \
                    and not (tag == "meta" and name == "content" and squeezed.startswith("default-src")):
                problems.append(f"script or outside URL in {name}={value!r} on <{tag}>")
            if name == "href" and not (value or "").startswith(("#", "snapshots/")):
                problems.append(f"link out of the report: href={value!r}")
    return problems


def _outside_code(markdown: str) -> str:
    """Markdown with fenced blocks and code spans removed: the part a viewer would interpret."""
    kept, fence = [], ""
    for line in markdown.split("\n"):
        opening = re.match(r"^(`{3,})", line)
        if fence:
            if line.strip() and set(line.strip()) == {"`"} and len(line.strip()) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        kept.append(line)
    text, out, pos = "\n".join(kept), [], 0
    while pos < len(text):
        run = re.compile(r"`+").search(text, pos)
        if run is None:
            out.append(text[pos:])
            break
        out.append(text[pos:run.start()])
        closing = re.compile(rf"(?<!`){run.group()}(?!`)").search(text, run.end())
        if closing is None:
            out.append(text[run.start():])
            break
        pos = closing.end()
    return "".join(out)


def _markdown_problems(markdown: str) -> list[str]:
    outside = _outside_code(markdown)
    problems = [f"raw markup outside code: {m.group()!r}" for m in re.finditer(r"<[A-Za-z!/?][^\n]{0,30}", outside)]
    problems += [f"link or image outside code: {m.group()!r}" for m in re.finditer(r"!?\[[^\]\n]*\]\([^)\n]*\)",
                                                                                    outside)]
    problems += ["script URL outside code"] if "javascript:" in outside.lower() else []
    return problems


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _serve_copy(site, post: Post, number: int, inject: bool) -> tuple[str, list[str]]:  # noqa: ANN001 - Site
    """Serve a copy of ``post`` through a redirect; returns its first URL and the payloads a report must keep."""
    p = (lambda field: _payload(number, field)) if inject else (lambda field: f"plain {field}")
    article = copy_page_of_text(post.title, _swap_words(strip_markdown(post.body), p("text")))
    body = article.replace("<title>", "<title>" + html.escape(p("title")) + " ").replace(
        "<h1>", "<h1>" + html.escape(p("title")) + " ").replace(
        "</head>", f'<meta name="author" content="{html.escape(p("byline"))}">'
                   f'<meta property="article:published_time" content="{html.escape(p("date"))}">'
                   f'<link rel="canonical" href="{html.escape(p("canonical"))}"></head>')
    headers = {"Server": p("server"), "X-Powered-By": p("powered"), "Via": p("via"), "Content-Language": p("lang"),
               "Link": f"<{p('link')}>; rel=shortlink", "ETag": f'"{p("etag")}"'}
    safe = lambda text: "".join(c if 32 < ord(c) < 127 else "_" for c in text)  # noqa: E731 - header-safe
    query = "?q=" + p("query").replace(" ", "+").replace("#", "%23")
    first = site.url(f"/{number}/" + safe(p("path")).replace("?", "_").replace("#", "_") + "/" + query)
    final = site.url(f"/landed/{number}/" + safe(p("hop")).replace("?", "_").replace("#", "_") + "/")
    for url in (first, final):
        path = requests.Request("GET", url).prepare().path_url
        site.routes[path] = (lambda h, u=url: send(h, 302, b"", "text/plain", {"Location": final})) \
            if url == first else (lambda h: send(h, 200, body.encode("utf-8"), "text/html; charset=utf-8",
                                                 {k: safe(v) for k, v in headers.items()}))
    return first, [(p("title"), True), (p("byline"), True), (p("date"), True), (p("work title"), True),
                   (p("text"), False)] if inject else []


def _swap_words(body: str, payload: str) -> str:
    """``body`` with as many words as ``payload`` has replaced by it, mid-paragraph, so the copied passage spans it."""
    size = len(tokenize(payload))
    paragraphs = body.split("\n\n")
    order = sorted(range(len(paragraphs)), key=lambda n: abs(n - len(paragraphs) // 2))  # the middle ones first
    for number in order:
        words = paragraphs[number].split(" ")
        if len(words) >= size + 30:
            paragraphs[number] = " ".join(words[:15] + [payload] + words[15 + size:])
            return "\n\n".join(paragraphs)
    raise AssertionError("no paragraph long enough to carry the payload")


def _work_markdown(post: Post, number: int, inject: bool) -> str:
    p = (lambda field: _payload(number, field)) if inject else (lambda field: f"plain {field}")
    front = {"title": p("work title"), "author": p("work author"), "date": p("work date"),
             "url": f"https://blog.example/{number}/" + p("work url").replace(" ", "%20")}
    lines = "\n".join(f"{key}: {json.dumps(value)}" for key, value in front.items())
    return f"---\n{lines}\n---\n\nNote: {html.escape(p('work text'))}\n\n{post.body}\n"


def _report(run, tmp_path: Path, posts: list[Post], inject: bool,  # noqa: ANN001 - the conftest fixture
            count: int) -> tuple[dict[str, str], list[tuple[str, bool]]]:
    base = tmp_path / ("injected" if inject else "benign")
    (base / "works").mkdir(parents=True)
    author = _payload(0, "notice") if inject else "Ada Lovelace"
    cfg = config_file(base / "cfg.toml", author={"name": author, "email": "ada@example.com", "address": author,
                                                  "signature": author})
    kept: list[tuple[str, bool]] = []
    with serve() as site:
        urls = []
        for number in range(count):
            post = posts[number]
            (base / "works" / f"{number}.md").write_text(_work_markdown(post, number, inject), encoding="utf-8")
            url, payloads = _serve_copy(site, post, number, inject)
            urls.append(url)
            kept += payloads
        registered = run("--config", cfg, "register", str(base / "works"), "--quiet", db_path=None)
        assert f"registered: {count} added, 0 unchanged, 0 failed" in registered.out, registered.out + registered.err
        crawled = run("--config", cfg, "crawl", "--quiet", *sum((["--url", u] for u in urls), []), db_path=None)
        assert crawled.code == 0 and f"{count} fetched" in crawled.out, crawled.out + crawled.err
    out = base / "reports"
    made = run("--config", cfg, "report", "--all", "--format", "html", "--format", "md", "--format", "json",
               "--out", str(out), db_path=None)
    assert made.code == 0, made.err
    files = {path.suffix: path.read_text(encoding="utf-8") for path in out.glob("report-*")}
    assert set(files) == {".html", ".md", ".json"}, sorted(files)
    return files, kept


@pytest.mark.parametrize("pages", scaled(3, len(PAYLOADS) * 2))
def test_injected_script_and_markup_stay_inert_in_every_format(pages, posts, tmp_path, run, ledger):
    benign, _ = _report(run, tmp_path, posts, inject=False, count=1)
    files, kept = _report(run, tmp_path, posts, inject=True, count=pages)
    benign_parsed = _parse(benign[".html"])
    assert not _html_problems(benign[".html"], benign_parsed) and not _markdown_problems(benign[".md"])
    problems = _html_problems(files[".html"], benign_parsed)
    problems += [f"markdown: {p}" for p in _markdown_problems(files[".md"])]
    data = json.loads(files[".json"])
    assert len(data["copies"]) == pages, "every injected copy must be in the report"
    strings = _strings(data)
    shown = "".join(_parse(files[".html"]).text)
    for payload, whole_field in kept:
        if whole_field and not any(payload in s for s in strings):
            problems.append(f"json: {payload!r} is not kept intact")
        if payload.replace("\u202e", "") not in shown.replace("⟨RLO⟩", ""):
            problems.append(f"html: {payload!r} is not shown as text")
    if any("&lt;" in s or "&#" in s for s in strings if "<" not in s):
        problems.append("json: values are HTML-escaped instead of kept as they are")
    ledger.record("hostile pages", "script/markup injection into HTML, Markdown and JSON reports",
                  inputs=pages * len(FIELDS) * 3, crashes=len(problems))
    assert not problems, "\n".join(sorted(set(problems))[:30])
