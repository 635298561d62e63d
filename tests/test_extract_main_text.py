"""Main-text extraction keeps the article and drops the chrome, on real pages and hostile input.

The real pages come from the shared corpus (non-holdout files only); their
ground truth is the benchmark's own annotation, scored with bag-of-words F1
as ``bench/extract_quality.py`` does.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from detector.extract import Page, extract_html, extract_text
from detector.extract.limits import MAX_DEPTH, within_parser_limits

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
HTML = CORPUS / "html"
AEB_PAGES = [
    "076f4f33bf75059db581",  # news article, 75 KB
    "0dd1357045727799a447",  # short news page
    "11ea381ad92b5448cf66",  # Portuguese page whose body is mostly a results table
]
WCXB_PAGES = ["0443", "2862", "4295", "4610"]  # tech blog, go.dev blog, news, lifestyle blog
_TOKEN = re.compile(r"\w+")


def token_f1(truth: str, pred: str) -> float:
    """Bag-of-words F1 over lowercased word tokens (multiset overlap)."""
    t, p = Counter(_TOKEN.findall(truth.lower())), Counter(_TOKEN.findall(pred.lower()))
    overlap = sum((t & p).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(t.values())
    return 2 * precision * recall / (precision + recall)


def _held_out(rel: str) -> bool:
    lines = (CORPUS / "HOLDOUT").read_text(encoding="utf-8").splitlines()
    entries = [ln.strip().rstrip("/") for ln in lines if ln.strip() and not ln.startswith("#")]
    return any(rel == e or rel.startswith(e + "/") for e in entries)


def _corpus_page(path: Path) -> bytes:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus (../shared) is not available")
    assert not _held_out(str(path.relative_to(CORPUS))), "tests must never read holdout pages"
    return gzip.decompress(path.read_bytes())


@pytest.mark.parametrize("prefix", AEB_PAGES)
def test_news_article_text_matches_ground_truth(prefix: str) -> None:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus (../shared) is not available")
    path = next((HTML / "article-extraction-benchmark" / "html").glob(f"{prefix}*.html.gz"))
    truth = json.loads((HTML / "article-extraction-benchmark" / "ground-truth.json").read_text("utf-8"))
    expected = truth[path.name.removesuffix(".html.gz")]["articleBody"]
    assert token_f1(expected, extract_html(_corpus_page(path)).text) >= 0.85


@pytest.mark.parametrize("page_id", WCXB_PAGES)
def test_blog_post_text_matches_ground_truth_without_boilerplate(page_id: str) -> None:
    data = _corpus_page(HTML / "wcxb" / "dev" / "html" / f"{page_id}.html.gz")
    gt = json.loads((HTML / "wcxb" / "dev" / "ground-truth" / f"{page_id}.json").read_text("utf-8"))
    truth = gt["ground_truth"]
    text = extract_html(data).text
    assert token_f1(truth["main_content"], text) >= 0.9
    flat = " ".join(text.split()).lower()
    for snippet in truth["without"]:
        assert " ".join(snippet.split()).lower() not in flat, snippet


def test_blocks_are_separated_by_blank_lines_and_whitespace_collapsed() -> None:
    html = (
        "<article><h2>Section  title</h2><p>First   paragraph,\n with a line break inside it and more words "
        "so it reads as prose.</p><ul><li>one item</li><li>two\titem</li></ul>"
        "<blockquote>A quoted passage, long enough to be kept as part of the article body.</blockquote>"
        "<p>Second paragraph, again long enough to count as prose for the scorer here.</p></article>"
    )
    text = extract_html(html).text
    assert text.split("\n\n") == [
        "Section title",
        "First paragraph, with a line break inside it and more words so it reads as prose.",
        "one item",
        "two item",
        "A quoted passage, long enough to be kept as part of the article body.",
        "Second paragraph, again long enough to count as prose for the scorer here.",
    ]


def test_line_breaks_separate_words() -> None:
    text = extract_html("<p>Roses are red,<br>violets are blue, and this line is long enough.</p>").text
    assert "red, violets" in text


def test_navigation_footer_and_comments_are_not_main_text() -> None:
    prose = "<p>" + "This is the article body, a sentence with enough words in it. " * 4 + "</p>"
    html = (
        "<body><nav><ul><li><a href='/'>Home</a></li><li><a href='/about'>About us</a></li></ul></nav>"
        f"<main><article><h1>Title</h1>{prose * 3}</article>"
        "<div id='comments'><p>First comment, I really liked this article a lot, thanks!</p></div></main>"
        "<aside class='sidebar'><p>Subscribe to our newsletter for weekly updates and more.</p></aside>"
        "<footer><p>Copyright 2025 Example Inc. All rights reserved worldwide.</p></footer></body>"
    )
    text = extract_html(html).text
    assert "article body" in text
    for chrome in ("Home", "About us", "First comment", "newsletter", "Copyright"):
        assert chrome not in text


def test_folded_accordion_and_tab_panels_are_article_but_a_hidden_dialog_is_not() -> None:
    """Accordion and tab panels are hidden (display:none) until opened, yet they hold the article: a step-by-step
    guide keeps each step in one. A hidden cookie box or modal is chrome all the same."""
    prose = "Step text with enough words to count as a paragraph of prose, and a period. " * 3
    panels = "".join(f"<h3>Step {i}</h3><div role='region' style='display:none;'><p>{i}. {prose}</p></div>"
                     f"<div role='tabpanel' hidden style='display: none'><p>Tab {i}. {prose}</p></div>"
                     for i in range(4))
    html = (f"<body><article><p>{prose}</p>{panels}</article>"
            "<div class='modal' style='display:none'><p>Sign up for our newsletter today, it is free and fun.</p></div>"
            "<div role='dialog' style='display:none'><p>We use cookies to improve your experience, accept them.</p></div>"
            "</body>")
    text = extract_html(html).text
    assert all(f"{i}. Step text" in text and f"Tab {i}. Step text" in text for i in range(4))
    assert "newsletter" not in text and "cookies" not in text


def test_link_lists_next_to_the_article_are_dropped() -> None:
    prose = "<p>" + "Paragraph of the post, long and with commas, periods and words. " * 3 + "</p>"
    related = "".join(f"<li><a href='/p{i}'>Another post title number {i}</a></li>" for i in range(12))
    text = extract_html(f"<div><div>{prose * 4}</div><div><h3>More</h3><ul>{related}</ul></div></div>").text
    assert "Paragraph of the post" in text
    assert "Another post title" not in text


def test_script_style_and_template_text_never_appear() -> None:
    prose = "<p>" + "Visible prose of the article, long enough to be the main text. " * 3 + "</p>"
    html = (
        f"<html><head><script>var headSecret = 1;</script><style>.x{{color:red}}</style></head>"
        f"<body><article>{prose}<script>var bodySecret = 'SCRIPTTEXT';</script>"
        f"<noscript>NOSCRIPTTEXT please enable javascript</noscript><template>TEMPLATETEXT</template>"
        f"<style>.STYLETEXT{{}}</style>{prose}</article></body></html>"
    )
    text = extract_html(html).text
    assert "Visible prose" in text
    for hidden in ("headSecret", "SCRIPTTEXT", "NOSCRIPTTEXT", "TEMPLATETEXT", "STYLETEXT", "color:red"):
        assert hidden not in text


def test_latin1_bytes_with_meta_charset_decode() -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>Café déjà vu, ça va très bien.</p></body>'
    assert "Café déjà vu, ça va très bien." in extract_html(html.encode("latin-1")).text


def test_shift_jis_bytes_with_meta_charset_decode() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"></head>'
        "<body><p>日本語の記事です。これは本文の段落で、十分な長さがあります。</p></body></html>"
    )
    text = extract_html(html.encode("shift_jis")).text
    assert "日本語の記事です。これは本文の段落で、十分な長さがあります。" in text


def test_undeclared_windows_1252_bytes_decode_like_a_browser() -> None:
    html = "<p>Café déjà vu, ça va très bien — “quoted” and long enough.</p>".encode("cp1252")
    assert "Café déjà vu, ça va très bien — “quoted”" in extract_html(html).text


def test_undeclared_utf8_with_a_stray_byte_stays_utf8() -> None:
    html = "<p>Café déjà vu, naïve résumé, long enough to be prose.</p>".encode() + b"\xff"
    assert "Café déjà vu, naïve résumé" in extract_html(html).text


def test_str_input_is_used_as_is() -> None:
    assert "naïve café" in extract_html("<p>A naïve café, written as a Python string.</p>").text


def _timed(data: bytes | str) -> tuple[Page, float]:
    start = time.perf_counter()
    page = extract_html(data, url="https://example.com/post/")
    return page, time.perf_counter() - start


@pytest.mark.parametrize(
    "data",
    [
        b"",
        "",
        b"<html>",
        b"<html><head><title>t</title></head></html>",
        b"\x00\x00\x00<p>a\x00b</p>\x00",
        b"<p>caf\xe9 \xff\xfe\xc3\x28 invalid utf-8</p>",
        b"</div></p><p><<<>>><!-- unclosed <b><i>text",
        random.Random(7).randbytes(100_000),
        b"<frameset><frame src='a.html'></frameset>",
    ],
    ids=["empty-bytes", "empty-str", "no-body", "head-only", "nul-bytes", "invalid-utf8",
         "broken-markup", "binary-garbage", "frameset"],
)
def test_hostile_input_returns_a_page(data: bytes | str) -> None:
    page, _ = _timed(data)
    assert isinstance(page, Page)
    assert "\x00" not in page.text


def test_a_processing_instruction_in_the_body_is_passed_over() -> None:
    """lexbor makes '<?li ?>' a node with no tag at all; the walk read its tag's first letter and crashed."""
    prose = "A paragraph of the article with enough words in it to be kept as prose, and a period."
    text = extract_html(f"<html><body><article><?li ?><p>{prose}</p><p><?xml-stylesheet x?>{prose}</p>"
                        "</article></body></html>").text
    assert text.count("A paragraph of the article") == 2


def test_nul_bytes_are_dropped_from_text() -> None:
    assert extract_html(b"<p>ab\x00cd</p>").text == "abcd"


def test_ten_thousand_deep_nesting_finishes_without_recursion() -> None:
    prose = b"<p>Deep paragraph, with enough words in it to count as the article text.</p>"
    page, seconds = _timed(b"<div>" * 10_000 + prose + b"</div>" * 10_000)
    assert "Deep paragraph" in page.text
    assert seconds < 3


def test_a_script_full_of_comparisons_is_not_taken_for_deep_markup_but_deep_markup_is_still_cut() -> None:
    prose = "<p>The article itself, with enough words in it to count as the text of the page.</p>"
    script = "<script>" + "if (a < b && c <d) { x = 1 }\n" * 5_000 + "</script>"
    page = f"<html><body>{script}<article>{prose}</article></body></html>"
    assert within_parser_limits(page) is page  # 10,000 '<' but a handful of start tags: nothing to cut
    assert "The article itself" in extract_html(page).text
    deep = page.replace("<article>", "<div>" * 9_000 + "<article>")
    cut = within_parser_limits(deep)
    assert isinstance(cut, str) and cut.count("<div>") == MAX_DEPTH
    assert "The article itself" in extract_html(deep).text


def test_hundred_thousand_links_are_capped_and_fast() -> None:
    data = b"<ul>" + b"".join(b'<li><a href="/p%d">link %d</a></li>' % (i, i) for i in range(100_000)) + b"</ul>"
    page, seconds = _timed(data)
    assert len(page.links) == 5000
    assert page.links[0].href == "https://example.com/p0"
    assert seconds < 4


def test_fifty_megabyte_text_node_is_fast() -> None:
    page, seconds = _timed(b"<html><body><p>" + b"word " * 10_000_000 + b"</p></body></html>")
    assert len(page.text) == len("word " * 10_000_000) - 1
    assert seconds < 4


def test_plain_text_paragraphs_become_blocks() -> None:
    page = extract_text("My Post Title\r\n\r\nFirst paragraph wraps\nonto a second line.\r\n\n\n  Second   one.  \n")
    assert page.text == "My Post Title\n\nFirst paragraph wraps onto a second line.\n\nSecond one."
    assert page.title == "My Post Title"


def test_plain_text_without_blank_lines_keeps_each_line() -> None:
    page = extract_text("\ufeffline one.\nline two.\n\x00line three.")
    assert page.text == "line one.\n\nline two.\n\nline three."
    assert page.title is None


def test_plain_text_empty_is_empty() -> None:
    assert extract_text("").text == ""
    assert extract_text("   \n\t\n").text == ""


def test_links_and_chrome_counts_are_read_on_demand_and_survive_pickling() -> None:
    import pickle

    html = ("<html><body><nav><ul>" + "".join(f'<li><a href="/p{i}">Another post about item number {i}</a></li>'
                                               for i in range(5)) +
            "</ul></nav><article><p>" + "An article sentence that carries the text of the page. " * 6 +
            '</p><p><a href="https://other.example/x">a source</a></p></article></body></html>')
    page = extract_html(html, url="https://site.example/post")
    copy = pickle.loads(pickle.dumps(page))  # the crawl's fetch process sends pages this way
    assert copy == page
    assert any(link.href == "https://other.example/x" for link in copy.links)
    assert copy.features is not None and copy.features.headline_links >= 5
    detached = extract_html(html, url="https://site.example/post").detached()
    assert detached.text == page.text and detached.links == () and detached.features is None
