"""The bar: copies crawled from a real local server become a report an abuse desk can open, check and act on.

Two scenarios. The seeds (skipped without ../shared/seeds): the scraped
mirror 001 and the spun copy 000 are crawled and reported. The hostile page:
detector/samples/pages/hostile.html, with ``<script>alert(1)</script>``,
``<img src=x onerror=alert(1)>``, ``</textarea>`` and a right-to-left
override added to its copied text, is checked by URL. The report is always
written after the server has stopped, so it cannot have fetched anything.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from detector.cli import main
from detector.report import load_json, render_html
from detector.store import Store
from detector.store.evidence import evidence_rows

from .conftest import SEEDS, seed_original
from .crawl_site import config_file, serve, source

SAMPLES = Path(__file__).resolve().parent.parent / "detector" / "samples"
AUTHOR: dict[str, object] = {"name": "Egor Howell", "email": "egor@egorhowell.example", "address": "12 Example Road, London N1 1AA",
          "signature": "/Egor Howell/"}
#: Markup written as text into the title and into copied paragraphs (a few words at a time, so the copy
#: still aligns around it and the markup lands inside the side-by-side view).
HOSTILE_TEXT = {'"og:title" content="Learning to Read Tide Tables': "&lt;img src=x onerror=alert(1)&gt;",
                "quite politely,": "&lt;script&gt;alert(1)&lt;/script&gt;",
                "It’s only an approximation,": "&lt;/textarea&gt; &#8238;gpj.exe"}
CHROMIUM = Path("/usr/bin/chromium")


@dataclass
class Reported:
    """A report folder written from a crawled store."""

    folder: Path
    html: str
    data: dict
    md: str
    urls: dict[str, str]

    @property
    def html_file(self) -> Path:
        return next(self.folder.glob("report-*.html"))


def _cli(*args: str) -> None:
    code = main(list(args))
    assert code == 0, args


def _report(cfg: str, out: Path, urls: dict[str, str]) -> Reported:
    _cli("--config", cfg, "report", "--out", str(out), "--format", "html", "--format", "md", "--format", "json")
    html_files = list(out.glob("report-*.html"))
    assert len(html_files) == 1, html_files
    stem = str(html_files[0])[: -len(".html")]
    return Reported(out, html_files[0].read_text(encoding="utf-8"),
                    json.loads(Path(stem + ".json").read_text(encoding="utf-8")),
                    Path(stem + ".md").read_text(encoding="utf-8"), urls)


@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory: pytest.TempPathFactory) -> Reported:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the checkout")
    root = tmp_path_factory.mktemp("seeds")
    original = root / "original.md"
    original.write_text("---\ntitle: I Quit My $130,000 ML Engineer Job After Learning 4 Lessons\ndate: 2024-04-02\n"
                        "url: https://egorhowell.example/quit-ml-job/\n---\n\n" + seed_original(), encoding="utf-8")
    pages = {"mirror": ("/2026/03/i-quit-my-ml-job/", "001_a03ae8ee87d21497.txt"),
             "spun": ("/ml-engineer-quit-lessons/", "000_fa060d9cc35a0ee4.txt")}
    with serve() as site:
        for path, name in pages.values():
            site.page(path, (SEEDS / name).read_bytes(), "text/plain; charset=utf-8")
        urls = {kind: site.url(path) for kind, (path, _) in pages.items()}
        (root / "urls.txt").write_text("\n".join(urls.values()) + "\n", encoding="utf-8")
        cfg = config_file(root / "config.toml", source("suspects", "urls", file=str(root / "urls.txt")), author=AUTHOR)
        _cli("--config", cfg, "register", str(original))
        _cli("--config", cfg, "crawl", "--quiet")
    return _report(cfg, root / "reports", urls)


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Reported:
    root = tmp_path_factory.mktemp("hostile")
    page = (SAMPLES / "pages" / "hostile.html").read_text(encoding="utf-8")
    for anchor, markup in HOSTILE_TEXT.items():
        page = page.replace(anchor, f"{anchor} {markup}", 1)
    with serve() as site:
        path = "/2025/06/%3Cscript%3Ealert(1)%3C/script%3E/..%2F..%2Fetc%2Fpasswd/"
        site.page(path, page)
        cfg = config_file(root / "config.toml", author=AUTHOR)
        _cli("--config", cfg, "register", str(SAMPLES / "posts"))
        _cli("--config", cfg, "check", "--quiet", site.url(path))
    return _report(cfg, root / "reports", {"hostile": site.url(path)})


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of <style> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def _tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize("scenario", ["seeds_report", "hostile_report"])
def test_the_html_report_loads_nothing_and_runs_nothing(scenario: str, request: pytest.FixtureRequest) -> None:
    parsed = _tags(request.getfixturevalue(scenario).html)
    names = {tag for tag, _ in parsed.tags}
    assert not names & {"script", "img", "svg", "iframe", "object", "embed", "link", "base", "form", "video",
                        "audio", "source", "frame", "math", "textarea", "input", "button"}
    for tag, attrs in parsed.tags:
        assert "src" not in attrs and "srcset" not in attrs and "style" not in attrs, tag
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith("#") or re.fullmatch(r"snapshots/[a-z0-9._-]+", href), href
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            pytest.fail("a meta refresh navigates away")
    assert len(parsed.styles) == 1
    css = parsed.styles[0].lower()
    assert "@import" not in css and "url(" not in css and "expression(" not in css


def test_hostile_page_text_is_shown_as_inert_text(hostile_report: Reported) -> None:
    html = hostile_report.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;/textarea&gt;" in html
    assert "\u202e" not in html and "\u27e8RLO\u27e9gpj.exe" in html, "a right-to-left override is shown, not obeyed"
    assert "javascript:" not in " ".join(v or "" for _, a in _tags(html).tags for v in a.values())
    outside_code = re.sub(r"(`+)[^`]*?\1", "", re.sub(r"(?s)(`{3,})text\n.*?\n\1", "", hostile_report.md))
    assert "&lt;" not in hostile_report.md and "</textarea>" in hostile_report.md
    assert "<" not in outside_code, "in Markdown, page text stays inside code spans and fenced blocks"


def test_check_url_archives_the_snapshot_the_report_cites(hostile_report: Reported) -> None:
    copy = hostile_report.data["copies"][0]["copy"]
    snapshot = copy["snapshot"]
    assert snapshot is not None and snapshot["status"] == 200
    saved = hostile_report.folder / snapshot["file"]
    assert saved.parent == hostile_report.folder / "snapshots"
    assert re.fullmatch(r"[a-z0-9._-]+", saved.name) and ".." not in saved.name
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == snapshot["sha256"]
    assert b"I grew up inland" in saved.read_bytes()


def test_one_report_groups_every_copy_on_the_host(seeds_report: Reported) -> None:
    data = seeds_report.data
    assert data["host"] == "127.0.0.1" and (data["part"], data["parts"]) == (1, 1)
    assert sorted(c["copy"]["final_url"] for c in data["copies"]) == sorted(seeds_report.urls.values())
    assert all(c["recommended"] and c["figures"]["extent"] == "full" for c in data["copies"])
    assert data["notice"]["urls"] == [c["copy"]["final_url"] for c in data["copies"]]


def _copy(reported: Reported, kind: str) -> dict:
    return next(c for c in reported.data["copies"] if c["copy"]["final_url"] == reported.urls[kind])


def test_side_by_side_highlights_copied_text_and_lists_the_spun_substitutions(seeds_report: Reported) -> None:
    html = seeds_report.html
    assert html.count('<table class="sbs">') >= 2 and '<mark class="cp">' in html
    spun = _copy(seeds_report, "spun")
    pairs = {(s["original"].lower(), s["replacement"].lower()) for s in spun["substitutions"]}
    assert {("learning", "studying"), ("flexible", "versatile"), ("despite", "regardless of")} <= pairs
    assert '<del class="sw">learning</del> → <ins class="sw">studying</ins>' in html
    assert spun["figures"]["substituted"] > 100 and spun["figures"]["longest_verbatim_words"] < 60
    mirror = _copy(seeds_report, "mirror")
    assert mirror["substitutions"] == [] and mirror["figures"]["coverage"] > 0.99
    assert mirror["figures"]["longest_passage_words"] > 1000


def test_passages_point_at_the_stored_texts(seeds_report: Reported) -> None:
    with Store.open(seeds_report.folder.parent / "store.db") as store:
        rows = {row.match["id"]: row for row in evidence_rows(store)}
    for copy in seeds_report.data["copies"]:
        row = rows[copy["match_id"]]
        for passage in copy["passages"]:
            for side, text, start, end in (("original", row.work["text"], "work_start", "work_end"),
                                           ("copy", row.page["text"], "page_start", "page_end")):
                shown = " ".join("".join(s["text"] for s in line[side]) for line in passage["rows"])
                assert re.findall(r"\w+", shown) == re.findall(r"\w+", text[passage[start]:passage[end]])


def test_the_notice_carries_all_six_elements(seeds_report: Reported) -> None:
    notice = seeds_report.data["notice"]
    assert [e["clause"] for e in notice["elements"]] == ["(i)", "(ii)", "(iii)", "(iv)", "(v)", "(vi)"]
    assert all(e["present"] for e in notice["elements"]) and notice["missing"] == []
    text = " ".join(notice["text"].split())
    assert "Signature: /Egor Howell/" in text
    assert "https://egorhowell.example/quit-ml-job/" in text and "I Quit My $130,000" in text
    assert all(url in text for url in seeds_report.urls.values())
    assert "12 Example Road, London N1 1AA" in text and "egor@egorhowell.example" in text
    assert "good faith belief" in text and "not authorized by the copyright owner, its agent, or the law" in text
    assert "under penalty of perjury" in text and "authorized to act on behalf of the owner" in text
    assert "The notice is ready" in seeds_report.html


def test_the_forms_fields_follow_cloudflare_and_google(seeds_report: Reported) -> None:
    cloudflare = seeds_report.data["notice"]["cloudflare"]
    assert cloudflare["act"] == "abuse_dmca" and cloudflare["email"] == cloudflare["email2"] == AUTHOR["email"]
    assert cloudflare["urls"].split("\n") == seeds_report.data["notice"]["urls"]
    assert cloudflare["host_notification"] == "send" and cloudflare["agree"] == 1
    google = seeds_report.data["notice"]["google"]
    assert google["infringing_urls"]["value"] == seeds_report.data["notice"]["urls"]
    assert google["authorized_example_urls"]["value"] == ["https://egorhowell.example/quit-ml-job/"]


def test_the_snapshot_hash_in_the_report_is_the_saved_file_hash(seeds_report: Reported) -> None:
    for copy in seeds_report.data["copies"]:
        snapshot = copy["copy"]["snapshot"]
        body = (seeds_report.folder / snapshot["file"]).read_bytes()
        assert hashlib.sha256(body).hexdigest() == snapshot["sha256"]
        assert snapshot["sha256"] in seeds_report.html and snapshot["file"] in seeds_report.html
    assert (seeds_report.folder / _copy(seeds_report, "spun")["copy"]["snapshot"]["file"]).read_bytes() == (
        SEEDS / "000_fa060d9cc35a0ee4.txt").read_bytes()


def test_the_timeline_shows_the_original_came_first(seeds_report: Reported) -> None:
    for copy in seeds_report.data["copies"]:
        timeline = copy["timeline"]
        assert timeline["original_first"] and "2024-04-02" in timeline["verdict"]
        assert [e["side"] for e in timeline["events"]][0] == "original"


def test_the_json_rebuilds_the_same_html(seeds_report: Reported, hostile_report: Reported) -> None:
    for reported in (seeds_report, hostile_report):
        assert render_html(load_json(json.dumps(reported.data))) == reported.html


def test_the_markdown_carries_the_notice_and_the_evidence(seeds_report: Reported) -> None:
    md = seeds_report.md
    assert seeds_report.data["notice"]["text"].strip() in md
    assert "[learning -> studying]" in md and _copy(seeds_report, "spun")["copy"]["snapshot"]["sha256"] in md


def _chromium(page: Path, scratch: Path) -> tuple[str, str, dict]:
    """Open ``page`` in headless Chromium with DNS cut off; returns the DOM, the log and the net log."""
    net = scratch / "net.json"
    result = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={scratch / 'profile'}",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0", f"--log-net-log={net}",
         "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, result.stderr, json.loads(net.read_text(encoding="utf-8"))


def _page_requests(netlog: dict) -> list[str]:
    """URLs the page asked for (the browser's own background requests have no origin)."""
    kinds = {number: name for name, number in netlog["constants"]["logEventTypes"].items()}
    found = []
    for event in netlog["events"]:
        params = event.get("params") or {}
        if kinds.get(event["type"]) == "URL_REQUEST_START_JOB" and "url" in params:
            if params.get("initiator") != "not an origin":
                found.append(params["url"])
    return found


@pytest.mark.parametrize("scenario", ["seeds_report", "hostile_report"])
def test_chromium_opens_the_report_without_errors_or_requests(scenario: str, request: pytest.FixtureRequest,
                                                              tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    reported: Reported = request.getfixturevalue(scenario)
    page = tmp_path / "report.html"
    shutil.copy(reported.html_file, page)
    dom, log, netlog = _chromium(page, tmp_path)
    assert "copies of your writing" in dom or "copy of your writing" in dom
    assert ":CONSOLE" not in log and "Refused to" not in log, log[-2000:]
    assert _page_requests(netlog) == []
    assert not {tag for tag, _ in _tags(dom).tags} & {"script", "img", "svg", "iframe"}
