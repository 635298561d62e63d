"""Extraction survives any markup: generated, mutated from real pages, or shaped to hurt the parser.

Every document goes to ``extract_html`` in a child process (``extract_worker``),
so a parse stuck in C code is killed and counted instead of hanging the
suite. The bounds are checks, not benchmarks (CPU time, so a busy machine does not
fail them): no exception; at most 1 CPU second for a page of up to 1 MB;
for the shapes built to hurt the parser (up to 250,000 elements in 1 MB),
at most 3 CPU seconds, which only linear work meets; and a peak memory
growth linear in the input.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detector.synth.corpus import is_holdout, read_holdout, sample_pages

from .conftest import CORPUS, scaled

MB = 1_000_000
CPU_SECONDS_PER_MB = 1.0
ADVERSARIAL_CPU_SECONDS_PER_MB = 3.0
HANG_SECONDS = 30.0
#: Peak RSS growth allowed: a fixed allowance plus a multiple of the input size.
RSS_BASE_MB, RSS_PER_MB = 96.0, 64.0


@dataclass
class Outcome:
    cpu: float = 0.0
    rss_mb: float = 0.0
    error: str | None = None
    hang: bool = False


class Extractor:
    """The worker process; restarted after a hang."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        worker = Path(__file__).with_name("extract_worker.py")
        return subprocess.Popen([sys.executable, str(worker)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def run(self, document: bytes | str) -> Outcome:
        if self.process is None or self.process.poll() is not None:
            self.process = self._start()
        payload = document if isinstance(document, bytes) else document.encode("utf-8", "surrogatepass")
        kind = b"b" if isinstance(document, bytes) else b"s"
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(kind + len(payload).to_bytes(8, "big") + payload)
        self.process.stdin.flush()
        line = _readline(self.process, HANG_SECONDS)
        if line is None:
            self.close()
            return Outcome(cpu=HANG_SECONDS, hang=True)
        answer = json.loads(line)
        return Outcome(answer["cpu"], answer["rss_mb"], answer["error"])

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def _readline(process: subprocess.Popen[bytes], timeout: float) -> bytes | None:
    import select

    assert process.stdout
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    if not ready:
        return None
    line = process.stdout.readline()
    return line or None


class Bounds:
    """Counts the inputs and every broken bound; the failures keep enough to replay them."""

    def __init__(self, folder: Path, seconds_per_mb: float = CPU_SECONDS_PER_MB) -> None:
        self.folder = folder
        self.seconds_per_mb = seconds_per_mb
        self.inputs = self.crashes = self.hangs = self.memory = 0
        self.max_cpu_per_mb = self.max_rss = 0.0
        self.failures: list[str] = []

    def check(self, extractor: Extractor, document: bytes | str, label: str) -> None:
        self.inputs += 1
        size_mb = max(len(document), 1) / MB
        outcome = extractor.run(document)
        budget = self.seconds_per_mb * max(size_mb, 1.0)
        self.max_cpu_per_mb = max(self.max_cpu_per_mb, outcome.cpu / max(size_mb, 1.0))
        self.max_rss = max(self.max_rss, outcome.rss_mb)
        problem = None
        if outcome.error:
            self.crashes += 1
            problem = f"raised: {outcome.error.strip().splitlines()[-1]}"
        elif outcome.hang or outcome.cpu > budget:
            self.hangs += 1
            problem = (f"killed after {HANG_SECONDS:g} s" if outcome.hang else
                       f"took {outcome.cpu:.2f} CPU s (bound {budget:.1f} s)")
        elif outcome.rss_mb > RSS_BASE_MB + RSS_PER_MB * size_mb:
            self.memory += 1
            problem = f"grew {outcome.rss_mb:.0f} MB"
        if problem:
            path = self.folder / f"failing-{len(self.failures)}.html"
            path.write_bytes(document if isinstance(document, bytes) else document.encode("utf-8", "surrogatepass"))
            self.failures.append(f"{label} ({len(document):,} chars, saved as {path}): {problem}")

    def record(self, ledger, check: str) -> None:  # noqa: ANN001 - the conftest fixture
        ledger.record("fuzzing", check, inputs=self.inputs, crashes=self.crashes, hangs=self.hangs,
                      memory_over_bound=self.memory, max_cpu_s_per_mb=round(self.max_cpu_per_mb, 3),
                      max_rss_growth_mb=round(self.max_rss, 1))

    def assert_clean(self) -> None:
        assert not self.failures, "\n".join(self.failures[:20])


@pytest.fixture
def extractor():
    worker = Extractor()
    yield worker
    worker.close()


# Generated markup ------------------------------------------------------------

TAGS = ("html head body title meta link base script style noscript template div p span a b i em strong u s "
        "article main section aside nav header footer h1 h2 h3 h4 h5 h6 ul ol li dl dt dd table thead tbody "
        "tfoot tr td th caption col colgroup form input button select option optgroup textarea label fieldset "
        "legend img picture source video audio iframe object embed svg math foreignObject annotation-xml pre "
        "code blockquote q cite br hr wbr figure figcaption details summary dialog menu frameset frame xmp "
        "plaintext listing noembed noframes image isindex nobr font center marquee ruby rt rp x-widget "
        "my-element time address").split()
ATTRS = ("class id role itemprop itemtype href src srcset style rel content name property charset http-equiv "
         "lang dir hidden aria-hidden onload onerror data-x datetime type encoding xmlns width colspan").split()
VALUES = ("article content post-body main entry comments sidebar cookie-banner nav footer share related "
          "navigation contentinfo articleBody author byline canonical refresh 0;url=http://10.0.0.1/ "
          "text/html utf-8 windows-1252 utf-16 utf-7 x-unknown javascript:alert(1) 2024-02-30 "
          "http://[::1]/ //evil.example/ ../../etc/passwd").split()
BROKEN = ["<", "</", "<!--", "-->", "--!>", "<![CDATA[", "]]>", "<?xml version='1.0'?>", "<!DOCTYPE html>",
          "<!DOCTYPE", "&", "&#", "&#x;", "&#99999999999;", "&#0;", "&amp", "&nbsp", "&notin;", "&NotANamedRef;",
          "\x00", "\ufffd", "\ud800", "'", '"', "=", "<a href='", "<script>", "</script>", "<style>",
          "<textarea>", "<plaintext>", "<table>", "<td>", "<frameset>", "<svg><foreignObject>", "<select>",
          "<math><annotation-xml encoding='text/html'>", "<template>", "</template>", "<noscript>",
          "<iframe srcdoc='<p>x'>", "</p>", "</br>", "</html>", "<body>", "<head>", "\r\n", "\u2028", "\t"]
WORDS = st.sampled_from("the copy of a post was taken word for word and spun with synonyms by a farm".split())
TEXT = st.one_of(st.lists(WORDS, max_size=40).map(" ".join), st.text(max_size=60), st.sampled_from(BROKEN))


def _attribute(name: str, value: str, quote: str) -> str:
    return f" {name}" if quote == "none" else f" {name}={quote}{value}{quote}" if quote else f" {name}={value}"


@st.composite
def element(draw: st.DrawFn, children: st.SearchStrategy[list[str]]) -> str:
    tag = draw(st.sampled_from(TAGS))
    tag = draw(st.sampled_from([tag, tag.upper(), tag.title()]))
    attrs = "".join(_attribute(draw(st.sampled_from(ATTRS)), draw(st.one_of(st.sampled_from(VALUES), TEXT)),
                               draw(st.sampled_from(['"', "'", "", "none"])))
                    for _ in range(draw(st.integers(0, 4))))
    inner = "".join(draw(children))
    close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", f"</{tag}", f"</ {tag}>", "</>"]))
    end = draw(st.sampled_from([">", ">", "/>", "", " >"]))
    return f"<{tag}{attrs}{end}{inner}{close}"


MARKUP = st.recursive(TEXT, lambda inner: element(st.lists(inner, max_size=6)), max_leaves=60)


@st.composite
def documents(draw: st.DrawFn) -> bytes | str:
    body = "".join(draw(st.lists(MARKUP, min_size=1, max_size=8)))
    head = draw(st.sampled_from(["", "<!DOCTYPE html><html><head><title>T</title></head><body>",
                                 "<html><head><meta charset='{}'></head>", "\ufeff", "<?xml version='1.0'?>"]))
    text = head.format(draw(st.sampled_from(VALUES))) + body
    form = draw(st.sampled_from(["str", "utf-8", "utf-16", "cp1252", "latin-1-raw"]))
    if form == "str":
        return text
    clean = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if form == "utf-16":
        return clean.encode("utf-16")
    if form == "cp1252":
        return clean.encode("cp1252", "replace")
    if form == "latin-1-raw":
        return bytes(draw(st.binary(max_size=2000))) + clean.encode("utf-8", "replace")
    return clean.encode("utf-8")


def _settings(examples: int):
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


@pytest.mark.parametrize("examples", scaled(100, 1500))
def test_generated_markup_never_crashes_hangs_or_balloons(examples, extractor, tmp_path, ledger):
    bounds = Bounds(tmp_path)

    @_settings(examples)
    @given(documents())
    def check(document: bytes | str) -> None:
        bounds.check(extractor, document, "generated")

    check()
    bounds.record(ledger, "extract: generated HTML (hypothesis)")
    bounds.assert_clean()


# Shapes that stress the parser, at 1 MB ----------------------------------------


def _fill(unit: str, head: str = "", tail: str = "", size: int = MB) -> str:
    return head + unit * max(1, (size - len(head) - len(tail)) // len(unit)) + tail


def _half(opening: str, closing: str) -> str:
    n = MB // (len(opening) + len(closing))
    return opening * n + "x" + closing * n


SHAPES = {
    "deep divs": lambda: _fill("<div>", tail="x"),
    "deep divs, closed": lambda: _half("<div>", "</div>"),
    "deep sections with text": lambda: _fill("<section><p>a few words here"),
    "deep blockquotes": lambda: _fill("<blockquote>"),
    "nested lists": lambda: _fill("<ul><li>"),
    "definition lists": lambda: _fill("<dl><dt><dd>"),
    "formatting, then p end tags": lambda: _fill("<b><i>x", size=MB // 2) + _fill("</p>", size=MB // 2),
    "misnested formatting": lambda: _fill("<b><i><p>x</b></i></p>"),
    "distinct attributes": lambda: "<p " + " ".join(f"a{i}=v" for i in range(MB // 9)) + ">text</p>",
    "distinct attributes, quoted <>": lambda: "<p " + " ".join(f'a{i}="<>"' for i in range(MB // 12)) + ">x</p>",
    "one huge class list": lambda: '<div class="' + " ".join(f"c{i}" for i in range(MB // 8)) + '">x</div>',
    "one huge attribute value": lambda: '<div data-x="' + "a" * MB + '">text</div>',
    "100k links": lambda: _fill('<a href="/l">link</a> '),
    "one text node": lambda: _fill("word ", head="<p>", tail="</p>"),
    "tiny paragraphs": lambda: _fill("<p>w</p>"),
    "entities": lambda: _fill("&amp;&#0;&#x110000;&zz;&nbsp;"),
    "unclosed comment": lambda: _fill("-", head="<p>text</p><!--"),
    "unclosed script": lambda: _fill("x<", head="<p>text</p><script>"),
    "deep tables": lambda: _fill("<table><tr><td>"),
    "deep spans": lambda: _fill("<span>"),
    "deep custom elements": lambda: _fill("<x-widget>"),
    "deep svg": lambda: _fill("<svg><g>"),
    "deep templates": lambda: _fill("<template>"),
    "select options": lambda: _fill("<select><option>"),
    "nav around articles": lambda: _fill("<nav><article><p>text of the article</p>"),
    "NUL bytes": lambda: _fill("\x00word "),
    "many meta tags": lambda: _fill('<meta name="author" content="x">'),
    "many headings": lambda: _fill("<h1>title</h1>"),
    "open tags only": lambda: _fill("<"),
    "form controls": lambda: _fill("<form><input><button>"),
    "formatting reopened after divs": lambda: _fill("<div>" + "".join(f"<b id={i}>" for i in range(50)) + "</div>x"),
    "divs in an svg title": lambda: _fill("<div>", head="<svg><title>"),
    "divs in noscript": lambda: _fill("<div>", head="<noscript>"),
    "self-closing divs": lambda: _fill("<div/>"),
    "tags in one attribute": lambda: _fill("<div>", head='<p title="', tail='">x</p>'),
}


@pytest.mark.parametrize("forms", scaled(1, 2))
def test_megabyte_pages_shaped_to_hurt_the_parser_stay_within_bounds(forms, extractor, tmp_path, ledger):
    bounds = Bounds(tmp_path, ADVERSARIAL_CPU_SECONDS_PER_MB)
    for name, make in SHAPES.items():
        document = make()
        bounds.check(extractor, document.encode("utf-8", "surrogatepass"), name)
        if forms > 1:
            bounds.check(extractor, document, name + " (text)")
    bounds.record(ledger, "extract: 1 MB adversarial shapes")
    bounds.assert_clean()


# Real pages, mutated ------------------------------------------------------------


@st.composite
def mutation(draw: st.DrawFn, page: bytes) -> bytes:
    data = bytearray(page)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        span = draw(st.integers(1, max(1, min(len(data) - at, 5000))))
        op = draw(st.sampled_from(["truncate", "delete", "repeat", "insert", "flip", "angle", "nul", "case"]))
        if op == "truncate":
            del data[at:]
        elif op == "delete":
            del data[at:at + span]
        elif op == "repeat":
            data[at:at] = data[at:at + span] * draw(st.integers(2, 50))
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(BROKEN)).encode("utf-8", "surrogatepass")
        elif op == "flip":
            for offset in draw(st.lists(st.integers(0, span - 1), max_size=20)):
                data[min(at + offset, len(data) - 1)] = draw(st.integers(0, 255))
        elif op == "angle":
            data[at:at + span] = bytes(data[at:at + span]).translate(bytes.maketrans(b"<>", b"><"))
        elif op == "nul":
            data[at:at] = b"\x00" * span
        else:
            data[at:at + span] = bytes(data[at:at + span]).upper()
    return bytes(data)


def _pages(count: int) -> list[bytes]:
    if not (CORPUS / "HOLDOUT").is_file():
        pytest.skip("../shared/corpus is not beside the checkout")
    pages = sample_pages(CORPUS, "train", count, random.Random(7), min_words=0)
    holdout = read_holdout(CORPUS)
    assert not any(is_holdout(p.path.relative_to(CORPUS).as_posix(), holdout) for p in pages)
    return [p.html for p in pages]


@pytest.mark.parametrize("examples", scaled(60, 800))
def test_mutated_real_pages_never_crash_hang_or_balloon(examples, extractor, tmp_path, ledger):
    pages = _pages(max(10, examples // 10))
    bounds = Bounds(tmp_path)

    @_settings(examples)
    @given(st.integers(0, len(pages) - 1).flatmap(lambda n: mutation(pages[n])))
    def check(document: bytes) -> None:
        bounds.check(extractor, document, "mutated page")

    check()
    grown = 0
    for page in pages[: max(3, examples // 100)]:  # the same pages grown to 1 MB by repeating their middle
        middle = page[len(page) // 4: 3 * len(page) // 4] or page
        bounds.check(extractor, page[: len(page) // 4] + middle * (MB // len(middle)) + page[-len(page) // 4:],
                     "page grown to 1 MB")
        grown += 1
    bounds.record(ledger, "extract: mutated corpus pages (train split)")
    bounds.assert_clean()
