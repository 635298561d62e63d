"""HTML to Page: parse with lexbor, read the metadata, keep only the article body.

The body is found in one iterative walk over the DOM. The walk cuts the page
into text blocks (a block ends wherever a block-level element starts or ends),
notes for every block-level element which run of blocks it holds, and skips
subtrees that are never content (scripts, forms controls, navigation, elements
whose class or id names them as chrome). Each block then gets a value that is
positive for prose (long, few links) and negative for link lists and crumbs,
and the element whose run of blocks has the highest total, nudged by
``<article>``/``<main>``/``articleBody`` hints, is taken as the article. The
score depends on text length, link density and punctuation, so it works for
any language; class names only help.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .metadata import MAX_LINKS, read_links, read_metadata
from .page import Page
from .text import collapse_whitespace, join_blocks

__all__ = ["extract_html", "parse_html"]

_SKIP_TAGS = frozenset(
    "script style noscript template svg iframe object embed canvas button select "
    "textarea input option datalist head title meta link video audio picture map".split()
)
_CHROME_TAGS = frozenset("nav aside footer header dialog menu".split())
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li "
    "main menu nav ol p pre section summary table tbody thead tfoot tr td th ul "
    "caption legend".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_BOILERPLATE = re.compile(
    r"(?<![a-z0-9])(?:comments?|sidebar|share|sharing|social|related|recommended|"
    r"breadcrumbs?|cookies?|consent|gdpr|newsletter|subscribe|subscription|advert\w*|ads?|"
    r"sponsored|popup|pagination|outbrain|taboola|disqus|trending|footer|navbar|"
    r"masthead|screen-reader-text|sr-only|visually-hidden)(?![a-z0-9])",
    re.IGNORECASE,
)
_CONTENT = re.compile(r"article|content|main|body|post|entry|story|text", re.IGNORECASE)
_HINT_TAGS = {"article": 0.25, "main": 0.15}
_PUNCT = re.compile(r"[.!?,;:。，、！？؛،]")


@dataclass(frozen=True, slots=True)
class _Block:
    """A run of text between two block-level boundaries."""

    text: str
    link_chars: int
    tag: str


@dataclass(frozen=True, slots=True)
class _Container:
    """A block-level element: which blocks it holds and how much its markup vouches for it."""

    first: int
    end: int
    bonus: float


_Frame = tuple[LexborNode, str, int, float, bool]


def parse_html(data: bytes | str) -> LexborHTMLParser:
    """Parse a document; bytes are decoded by BOM or ``<meta charset>``, else as UTF-8."""
    if isinstance(data, bytes):
        return LexborHTMLParser(data, encoding=True)
    return LexborHTMLParser(data)


def extract_html(data: bytes | str, url: str | None = None) -> Page:
    """Extract the article text and metadata of an HTML document.

    Never raises for ``bytes`` or ``str`` input, however malformed, deep or
    large; an empty or text-free document gives an empty ``text``.
    """
    tree = parse_html(data)
    meta = read_metadata(tree, url)
    links = read_links(tree, url, MAX_LINKS)
    body = tree.body
    text = join_blocks(main_blocks(body)) if body is not None else ""
    return Page(
        text=text,
        title=meta.title,
        byline=meta.byline,
        published=meta.published,
        canonical=meta.canonical,
        links=links,
        lang=meta.lang,
    )


def main_blocks(body: LexborNode) -> list[str]:
    """The text blocks of the article body, in document order."""
    walker = _Walker()
    walker.walk(body)
    blocks = walker.blocks
    if not blocks:
        return []
    chrome = _chrome_mask(walker.chrome, [_prose(b) for b in blocks])
    values = [-len(b.text) if c else _block_value(b) for b, c in zip(blocks, chrome, strict=True)]
    best = _best_container(walker.containers, values)
    return [b.text for b, c in zip(blocks[best.first : best.end], chrome[best.first : best.end],
                                   strict=True) if not c and _keep(b)]


def _chrome_mask(ranges: list[tuple[int, int]], prose: list[float]) -> list[bool]:
    """Per block, whether it lies in chrome; a flagged element holding most of the prose is not.

    Class names and tags such as ``header`` or ``has-sidebar`` sometimes sit on
    the wrapper of the whole article, so a flag is overruled by the text it holds.
    """
    prefix = [0.0, *accumulate(prose)]
    total = prefix[-1]
    diff = [0] * (len(prose) + 1)
    for first, end in ranges:
        if prefix[end] - prefix[first] <= 0.5 * total:
            diff[first] += 1
            diff[end] -= 1
    return [d > 0 for d in accumulate(diff[:-1])]


def _prose(block: _Block) -> float:
    """The positive part of a block's value: how much prose it holds."""
    return max(_block_value(block), 0.0)


def _block_value(block: _Block) -> float:
    """Evidence that a block is prose: + its length for paragraphs, - for links and crumbs."""
    n = len(block.text)
    density = block.link_chars / n if n else 1.0
    if density > 0.5:
        return -n
    if block.tag in _HEADINGS:
        return 0.0
    if n >= 80 or (n >= 30 and _PUNCT.search(block.text)):
        return n * (1.0 - density)
    return -0.3 * n


def _best_container(containers: list[_Container], values: list[float]) -> _Container:
    """The container whose blocks add up to the most prose, with markup hints as a bonus."""
    prefix = [0.0, *accumulate(values)]
    best, best_score = containers[-1], float("-inf")
    for c in containers:
        total = prefix[c.end] - prefix[c.first]
        score = total * (1.0 + c.bonus) if total > 0 else total
        if score > best_score:
            best, best_score = c, score
    return best


def _keep(block: _Block) -> bool:
    """Whether a block inside the chosen container belongs in the text."""
    n = len(block.text)
    return n > 0 and block.link_chars <= 0.5 * n


def _is_chrome(tag: str, attrs: dict[str, str | None]) -> bool:
    """True when an element's class/id/role/hidden state marks it as page chrome."""
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    role = attrs.get("role")
    if role in ("navigation", "banner", "contentinfo", "complementary", "dialog", "menu"):
        return True
    style = attrs.get("style")
    if style and "none" in style and re.search(r"display\s*:\s*none", style):
        return True
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    if len(names) < 3 or tag in ("body", "article", "main"):
        return False
    return bool(_BOILERPLATE.search(names))


def _hint(tag: str, attrs: dict[str, str | None]) -> float:
    """A bonus for elements whose markup says they hold the article."""
    bonus = _HINT_TAGS.get(tag, 0.0)
    if (attrs.get("itemprop") or "").lower() == "articlebody":
        bonus += 0.3
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    if len(names) > 2 and _CONTENT.search(names):
        bonus += 0.1
    return bonus


class _Walker:
    """One pass over the DOM that cuts text into blocks and records block-level containers."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self.containers: list[_Container] = []
        self.chrome: list[tuple[int, int]] = []
        self._buf: list[str] = []
        self._link_chars = 0
        self._link_depth = 0
        self._owners: list[str] = []

    def walk(self, root: LexborNode) -> None:
        """Visit ``root``'s subtree depth-first with an explicit stack (no recursion)."""
        stack: list[_Frame] = []
        self._enter(stack, root, root.tag or "body", {}, False)
        cur = root.first_child
        while stack:
            if cur is None:
                frame = stack.pop()
                self._exit(frame)
                cur = frame[0].next if stack else None
                continue
            tag = cur.tag or ""
            if tag == "-text":
                self._text(cur.text_content or "")
            elif tag == "br":
                self._buf.append("\n")
            elif tag not in _SKIP_TAGS and tag[:1] != "-":
                attrs = cur.attributes
                chrome = tag in _CHROME_TAGS or bool(attrs and _is_chrome(tag, attrs))
                if tag in _BLOCK_TAGS or not chrome:
                    self._enter(stack, cur, tag, attrs, chrome)
                    cur = cur.first_child
                    continue
            cur = cur.next

    def _text(self, text: str) -> None:
        self._buf.append(text)
        if self._link_depth:
            self._link_chars += len(text.strip())

    def _enter(self, stack: list[_Frame], node: LexborNode, tag: str,
               attrs: dict[str, str | None], chrome: bool) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()
            self._owners.append(tag)
        elif tag == "a":
            self._link_depth += 1
        bonus = _hint(tag, attrs) if attrs else 0.0
        stack.append((node, tag, len(self.blocks), bonus, chrome))

    def _exit(self, frame: _Frame) -> None:
        _, tag, first, bonus, chrome = frame
        if tag in _BLOCK_TAGS:
            self._flush()
            self._owners.pop()
            end = len(self.blocks)
            if end > first:
                self.containers.append(_Container(first, end, bonus))
                if chrome:
                    self.chrome.append((first, end))
        elif tag == "a":
            self._link_depth -= 1

    def _flush(self) -> None:
        if not self._buf:
            return
        text = collapse_whitespace("".join(self._buf))
        if text:
            owner = self._owners[-1] if self._owners else "body"
            self.blocks.append(_Block(text, min(self._link_chars, len(text)), owner))
        self._buf.clear()
        self._link_chars = 0
