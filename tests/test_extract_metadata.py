"""Metadata read from small inline pages: canonical, byline, title, dates, links, language.

These fields decide whether a copy is authorized (canonical) and what the
evidence report shows, so each source the extractor claims to read is pinned
by one page that only has that source.
"""

from __future__ import annotations

import pytest

from detector.extract import Link, extract_html

URL = "https://copy.example.net/blog/2025/stolen-post.html"


def test_canonical_is_resolved_against_the_page_url() -> None:
    page = extract_html('<head><link rel="canonical" href="/original/post"></head>', url=URL)
    assert page.canonical == "https://copy.example.net/original/post"


def test_canonical_absolute_url_is_kept() -> None:
    html = '<link rel="Canonical" href="https://author.example.org/post/">'
    assert extract_html(html, url=URL).canonical == "https://author.example.org/post/"


def test_canonical_after_noscript_in_head_is_still_found() -> None:
    html = '<head><noscript><img src="p.gif"></noscript><link rel="canonical" href="https://a.org/p"></head>'
    assert extract_html(html).canonical == "https://a.org/p"


def test_canonical_absent_is_none() -> None:
    assert extract_html("<p>no head at all</p>", url=URL).canonical is None


def test_title_prefers_og_title_then_h1_then_title_tag() -> None:
    both = '<head><meta property="og:title" content="OG Title"><title>Tag</title></head><h1>Heading</h1>'
    assert extract_html(both).title == "OG Title"
    assert extract_html("<head><title>Tag</title></head><body><h1>  The\n Heading </h1></body>").title == "The Heading"
    assert extract_html("<head><title>Only the tag</title></head>").title == "Only the tag"


def test_byline_from_meta_author() -> None:
    assert extract_html('<meta name="author" content="Jane Doe">').byline == "Jane Doe"


def test_byline_from_rel_author_link() -> None:
    assert extract_html('<p>By <a rel="author" href="/jane">Jane  Doe</a></p>').byline == "Jane Doe"


def test_byline_from_itemprop_author_name() -> None:
    html = '<div itemprop="author" itemscope><span itemprop="name">Ann Lee</span><img src=a.png></div>'
    assert extract_html(html).byline == "Ann Lee"


def test_byline_from_byline_class() -> None:
    assert extract_html('<div class="post-meta"><span class="byline">Sam Roe</span></div>').byline == "Sam Roe"


def test_byline_from_json_ld_author_object() -> None:
    html = '<script type="application/ld+json">{"@type": "Article", "author": {"name": "Kim Park"}}</script>'
    assert extract_html(html).byline == "Kim Park"


def test_published_from_article_published_time() -> None:
    html = '<meta property="article:published_time" content="2025-03-04T10:00:00Z">'
    assert extract_html(html).published == "2025-03-04T10:00:00Z"


def test_published_from_itemprop_date_published() -> None:
    html = '<p>Posted <time itemprop="datePublished" datetime="2024-12-01">Dec 1</time></p>'
    assert extract_html(html).published == "2024-12-01"


def test_published_from_json_ld_graph() -> None:
    html = (
        '<script type="application/ld+json">{"@graph": [{"@type": "WebSite"},'
        ' {"@type": "BlogPosting", "datePublished": "2023-07-08"}]}</script>'
    )
    assert extract_html(html).published == "2023-07-08"


def test_published_falls_back_to_time_datetime() -> None:
    assert extract_html('<time datetime="2022-01-02">2 Jan</time>').published == "2022-01-02"


@pytest.mark.parametrize(
    "script",
    ["{not json", "[" * 100_000 + "]" * 100_000, '"just a string"', "null", ""],
    ids=["malformed", "deeply-nested", "string", "null", "empty"],
)
def test_bad_json_ld_is_ignored(script: str) -> None:
    html = f'<script type="application/ld+json">{script}</script><time datetime="2021-05-06">x</time>'
    assert extract_html(html).published == "2021-05-06"


def test_links_are_absolute_with_their_text() -> None:
    html = (
        '<a href="/about">About\n  us</a><a href="next.html">Next</a>'
        '<a href="//cdn.example.com/x">CDN</a><a href="https://other.org/a?b=1#c">Other</a>'
        '<a href="#top">Top</a><a href="javascript:void(0)">JS</a><a>no href</a>'
    )
    assert extract_html(html, url=URL).links == (
        Link("https://copy.example.net/about", "About us"),
        Link("https://copy.example.net/blog/2025/next.html", "Next"),
        Link("https://cdn.example.com/x", "CDN"),
        Link("https://other.org/a?b=1#c", "Other"),
    )


def test_links_stay_relative_without_a_page_url() -> None:
    assert extract_html('<a href="/about">About</a>').links == (Link("/about", "About"),)


def test_links_include_navigation_and_footer() -> None:
    html = '<nav><a href="/n">Nav</a></nav><p>Body</p><footer><a href="/f">Foot</a></footer>'
    assert [link.href for link in extract_html(html, url=URL).links] == [
        "https://copy.example.net/n", "https://copy.example.net/f"]


def test_lang_from_html_element() -> None:
    assert extract_html('<html lang="pt-BR"><body><p>Olá</p></body></html>').lang == "pt-BR"
    assert extract_html("<p>no lang</p>").lang is None
