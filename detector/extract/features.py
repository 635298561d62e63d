"""Page chrome signals: what surrounds the article, measured from the DOM.

A scraped mirror is wrapped in an aggregator's furniture: lists of links to
unrelated posts under headings like "Related Posts", share rows, newsletter
and comment forms, ad slots, date lists and a copyright footer. These are
counted from structure (lists of headline-sized links, form inputs, social
hosts, date shapes, class names) rather than from English keywords, because
content farms are not all in English. Headings above link lists are kept as
text only to quote them in a reason a person can check.

A page given as plain text (a copy saved from a browser) has no DOM; its
lines are read for the same signals by :func:`text_features`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .page import Link

__all__ = ["PageFeatures", "page_features", "text_features", "visible_text"]

_SHARE_HOSTS = ("facebook.com", "twitter.com", "x.com", "pinterest.", "linkedin.com", "reddit.com", "tumblr.com",
                "whatsapp.com", "wa.me", "t.me", "telegram.me", "vk.com", "weibo.com", "line.me", "flipboard.com")
_SHARE_NAMES = re.compile(r"\b(facebook|twitter|pinterest|linkedin|reddit|tumblr|whatsapp|telegram|email|x)\b", re.I)
_AD_SELECTOR = ", ".join((
    '[class~="ad"]', '[class~="ads"]', '[class*="ad-slot"]', '[class*="adslot"]', '[class*="advert"]',
    '[class*="adsbygoogle"]', '[class*="sponsor"]', '[class*="banner"]', '[class*="taboola"]', '[class*="outbrain"]',
    '[id^="ad-"]', '[id^="ad_"]', '[id*="advert"]', '[id^="div-gpt"]', '[id*="banner"]', "ins", "iframe",
))
#: A year is the language-independent part of a date: "November 17, 2025", "17.11.2025", "2025-11-17".
_YEAR = re.compile(r"[12][09]\d\d")  # a cheap scan; _years() checks the range and the neighbours


def _years(text: str) -> int:
    """How many standalone years 1950-2049 the text holds."""
    count = 0
    for found in _YEAR.finditer(text):
        start, end = found.span()
        if 1950 <= int(found.group()) <= 2049 and not (start and text[start - 1].isdigit()) \
                and not (end < len(text) and text[end].isdigit()):
            count += 1
    return count
_COPYRIGHT = re.compile(r"©|&copy;|\(c\)\s*\d{4}|all rights reserved|derechos reservados|rechte vorbehalten|"
                        r"droits réservés|diritti riservati|direitos reservados", re.I)
_CATEGORY_PATH = re.compile(r"/(category|categories|tag|tags|topics?|section|categoria|kategorie|rubrique)/", re.I)
_MAX_LISTS = 2000
_MAX_ITEMS = 300  # items read per list: a menu of posts is shorter, a 100,000-item list is no menu
#: Pages with more text than this are counted on their first and last halves of it.
_SAMPLE_CHARS = 1_000_000


@dataclass(frozen=True)
class PageFeatures:
    """Counts of chrome on one page; all zero for a bare article."""

    total_words: int = 0
    link_words: int = 0
    headline_links: int = 0
    link_lists: int = 0
    list_titles: tuple[str, ...] = field(default=())
    date_marks: int = 0
    share_hosts: tuple[str, ...] = field(default=())
    email_forms: int = 0
    comment_forms: int = 0
    ad_slots: int = 0
    copyright: bool = False
    category_links: int = 0

    @property
    def link_density(self) -> float:
        return self.link_words / self.total_words if self.total_words else 0.0


def _words(text: str) -> int:
    return len(text.split())


def _list_title(node: LexborNode) -> str | None:
    """The heading just before a list of links (or its container's), if short."""
    for candidate in (node, node.parent):
        if candidate is None:
            continue
        previous = candidate.prev
        for _ in range(3):
            if previous is None:
                break
            if previous.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "header", "strong", "span", "div", "p"):
                text = " ".join(previous.text(deep=True).split())
                if 0 < _words(text) <= 6:
                    return text
                break
            previous = previous.prev
    return None


def _headline_lists(tree: LexborHTMLParser) -> tuple[int, int, list[str]]:
    """Lists whose items are links with headline-sized text: menus of other posts."""
    lists = links = 0
    titles: list[str] = []
    for node in tree.css("ul, ol")[:_MAX_LISTS]:
        headlines = []
        for item, _ in zip(node.iter(include_text=False), range(_MAX_ITEMS)):
            anchor = item.css_first("a[href]") if item.tag == "li" else None
            if anchor is not None and 4 <= _words(anchor.text(deep=True)) <= 25:
                headlines.append(anchor)
        if len(headlines) >= 3:
            lists += 1
            links += len(headlines)
            title = _list_title(node)
            if title and title not in titles:
                titles.append(title)
    return lists, links, titles


def _hosts(links: tuple[Link, ...]) -> set[str]:
    hosts: set[str] = set()
    for link in links:
        if link.href.startswith(("http://", "https://", "//")):
            hosts.add(link.href.split("/", 3)[2].rsplit("@", 1)[-1].split(":", 1)[0].lower())
    return hosts


def page_features(tree: LexborHTMLParser, links: tuple[Link, ...]) -> PageFeatures:
    """Chrome counts of a parsed HTML document (scripts and styles already removed)."""
    body = tree.body
    if body is None:
        return PageFeatures()
    text = body.text(separator=" ")
    if len(text) > _SAMPLE_CHARS:  # a huge page: count a sample, scale the word count
        total_words = round(_words(text[:_SAMPLE_CHARS]) * len(text) / _SAMPLE_CHARS)
        text = text[: _SAMPLE_CHARS // 2] + " " + text[-_SAMPLE_CHARS // 2 :]
    else:
        total_words = _words(text)
    lists, headline_links, titles = _headline_lists(tree)
    hosts = sorted({h for host in _hosts(links) for h in _SHARE_HOSTS if h in host}
                   | ({"email"} if any(link.href.startswith("mailto:") for link in links) else set()))
    forms = tree.css("form")
    ad_slots = len(tree.css(_AD_SELECTOR))
    return PageFeatures(
        total_words=total_words,
        link_words=sum(_words(link.text) for link in links),
        headline_links=headline_links,
        link_lists=lists,
        list_titles=tuple(titles[:8]),
        date_marks=_years(text) + len(tree.css("time")),
        share_hosts=tuple(hosts),
        email_forms=sum(1 for f in forms if f.css_first('input[type="email" i]') is not None),
        comment_forms=sum(1 for f in forms if f.css_first("textarea") is not None),
        ad_slots=ad_slots,
        copyright=bool(_COPYRIGHT.search(text[-5000:])) or bool(_COPYRIGHT.search(text[:2000])),
        category_links=sum(1 for link in links if _CATEGORY_PATH.search(link.href)),
    )


def text_features(text: str) -> PageFeatures:
    """The same signals read from the lines of a plain-text page.

    Headline lists become runs of three or more short title-like lines, each
    carrying or followed by a date; a share row is a line of network names.
    """
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    sizes = [len(line.split()) for line in lines]
    dated = [len(line) < 400 and _years(line) > 0 for line in lines]
    only_date = [d and n <= 6 for d, n in zip(dated, sizes)]
    headline_links = lists = run = 0
    titles: list[str] = []
    for index, line in enumerate(lines):
        date_next = index + 1 < len(lines) and only_date[index + 1]
        if 4 <= sizes[index] <= 20 and not line.endswith((".", ":", ";")) and (dated[index] or date_next):
            run += 1
            if run == 3:
                lists += 1
                headline_links += 2
                heading = next((lines[k] for k in range(index - 6, index)
                                if k >= 0 and 0 < sizes[k] <= 4 and not dated[k]), None)
                if heading and heading not in titles:
                    titles.append(heading)
            if run >= 3:
                headline_links += 1
        elif not only_date[index]:
            run = 0
    share = sorted({m.group(1).lower() for line, n in zip(lines, sizes) if n <= 12 and len(_SHARE_NAMES.findall(line)) >= 3
                    for m in _SHARE_NAMES.finditer(line)})
    return PageFeatures(
        total_words=sum(sizes), headline_links=headline_links, link_lists=lists, list_titles=tuple(titles[:8]),
        date_marks=sum(dated), share_hosts=tuple(share),
        copyright=bool(_COPYRIGHT.search(text[:2000])) or bool(_COPYRIGHT.search(text[-5000:])),
    )


def visible_text(data: bytes | str) -> str:
    """All the text a reader sees on a page, one block a line: what "save as text" gives."""
    from .html import parse_html

    body = parse_html(data).body
    if body is None:
        return ""
    lines = (" ".join(line.split()) for line in body.text(separator="\n").splitlines())
    return "\n".join(line for line in lines if line)
