"""HTML to Page: parse with lexbor, read the metadata, keep only the article body.

One iterative walk over the DOM cuts the page into text blocks (a block ends
wherever a block-level element starts or ends) and notes, for every
block-level element, which run of blocks it holds. Tags that never hold
content (scripts, styles, form controls, media) are not entered; elements
whose tag, role, class or id mark them as chrome are flagged, and navigation
and footers are read in one C call instead of node by node.

Each block then gets a value: its length for prose (long, few links, some
punctuation), minus its length for link lists, teasers and chrome, a small
penalty for crumbs. The article is the run of sibling subtrees under one
element with the highest total, nudged by ``<article>``, ``<main>``,
``itemprop=articleBody`` and content-like class names. A chrome flag on an
element that holds most of the page's prose is overruled, since layout class
names sometimes sit on the article's wrapper. The scoring reads text length,
link density and punctuation, so it works for any language; class names only
help.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .features import PageFeatures, page_features
from .limits import within_parser_limits
from .metadata import MAX_LINKS, read_links, read_metadata
from .page import Link, Page
from .text import collapse_whitespace, join_blocks

__all__ = ["extract_html", "main_text", "page_of", "parse_html"]

_SKIP_TAGS = frozenset(
    "script style noscript template svg iframe object embed canvas button select "
    "textarea input option datalist head title meta link video audio picture map img "
    "source track area hr wbr param".split()
)
_CHROME_TAGS = frozenset("nav aside footer header dialog menu figcaption".split())
_STRONG_CHROME_TAGS = frozenset("nav footer".split())
_STRONG_CHROME_ROLES = frozenset("navigation contentinfo".split())
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li "
    "main menu nav ol p pre section summary table tbody thead tfoot tr td th ul "
    "caption legend".split()
)
_MAX_NODES = 400_000
_PRESCAN = 1024
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CHARSET_DECLARED = re.compile(rb"charset\s*=", re.IGNORECASE)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SUBHEADING_VALUE = 1.0
_WRAPPER_SHARE = 0.5
_WEAK, _STRONG = 1, 2
_SHORT_PENALTY = {"td": 0.0, "th": 0.0, "li": 0.1, "dd": 0.1, "dt": 0.1}
_SHORT_DEFAULT = 0.5
_LINK_WEIGHT = 2.0
_TEASER_DENSITY = 0.2
_TEASER_WEIGHT = 0.3
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_CHROME_WORDS = frozenset(
    "comment comments sidebar share sharing social related recommended breadcrumb "
    "breadcrumbs cookie cookies consent gdpr newsletter subscribe subscription advert "
    "advertisement advertising ad ads sponsored popup pagination outbrain taboola disqus "
    "trending footer navbar masthead modal banner author bio byline caption credit "
    "credits date time timestamp published updated dateline cta promo popular print".split()
)
_STRONG_WORDS = frozenset(
    "cookie cookies consent gdpr comments comment disqus outbrain taboola navbar breadcrumb "
    "breadcrumbs".split()
)
_CHROME_CLASSES = frozenset("screen-reader-text sr-only visually-hidden".split())
_CHROME_ROLES = frozenset("navigation banner contentinfo complementary dialog menu".split())
#: An accordion's or a tab's panel: hidden until the reader opens it, but part of the article.
_FOLDED_ROLES = frozenset(("region", "tabpanel"))
_NAME_SPLIT = re.compile(r"[^a-z0-9]+")
_CONTENT = re.compile(r"article|content|main|body|post|entry|story|text")
_HINT_TAGS = {"article": 0.25, "main": 0.15}
_DISPLAY_NONE = re.compile(r"display\s*:\s*none")
_PUNCT = re.compile(r"[.!?,;:。，、！？؛،]")


class _Block(NamedTuple):
    """A run of text between two block-level boundaries."""

    text: str
    link_chars: int
    tag: str
    lead_link: bool = False


class _Container(NamedTuple):
    """A block-level element: which blocks it holds and how much its markup vouches for it."""

    first: int
    end: int
    bonus: float
    depth: int


_Frame = tuple[LexborNode, str, int, float, int]
_Span = tuple[int, int, float, int]


def parse_html(data: bytes | str) -> LexborHTMLParser:
    """Parse a document; bytes are decoded by BOM or ``<meta charset>``, else as UTF-8.

    Bytes that declare nothing and are not UTF-8 are read as windows-1252, the
    browser default, so an old Latin-1 page keeps its accented letters.
    """
    data = within_parser_limits(data)
    if isinstance(data, bytes):
        data = _undeclared_legacy(data)
    if isinstance(data, bytes):
        return LexborHTMLParser(data, encoding=True)
    return LexborHTMLParser(data)


def _undeclared_legacy(data: bytes) -> bytes | str:
    """``data`` decoded as windows-1252 when it declares no charset and is clearly not UTF-8."""
    if data.startswith(_BOMS) or _CHARSET_DECLARED.search(data, 0, _PRESCAN):
        return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    wide = sum(1 for _ in _NON_ASCII.finditer(text))
    return data if bad <= max(3, wide // 100) else data.decode("cp1252", "replace")


def extract_html(data: bytes | str, url: str | None = None) -> Page:
    """Extract the article text and metadata of an HTML document.

    Never raises for ``bytes`` or ``str`` input, however malformed, deep or
    large; an empty or text-free document gives an empty ``text``.
    """
    return page_of(parse_html(data), url)


def main_text(tree: LexborHTMLParser) -> str:
    """The article text of a parsed document, its blocks separated by a blank line."""
    body = tree.body
    return join_blocks(main_blocks(body)) if body is not None else ""


def page_of(tree: LexborHTMLParser, url: str | None = None, text: str | None = None) -> Page:
    """The Page of a parsed document; ``text`` is its :func:`main_text` when the caller already read it
    (a scan reads the text alone first, and the rest only for a page that matches)."""
    meta = read_metadata(tree, url)

    def chrome() -> tuple[tuple[Link, ...], PageFeatures]:
        links = read_links(tree, url, MAX_LINKS)
        return links, page_features(tree, links)

    return Page(
        text=main_text(tree) if text is None else text,
        title=meta.title,
        byline=meta.byline,
        published=meta.published,
        canonical=meta.canonical,
        lang=meta.lang,
        reader=chrome,
    )


def main_blocks(body: LexborNode) -> list[str]:
    """The text blocks of the article body, in document order."""
    sel = _select(body)
    if sel is None:
        return []
    blocks, chrome, best = sel.blocks, sel.chrome, sel.best
    return [blocks[i].text for i in range(best.first, best.end)
            if not chrome[i] and _keep(blocks[i])]


@dataclass(frozen=True, slots=True)
class _Selection:
    """Every block of a page, which are chrome, their values, and the chosen container."""

    blocks: list[_Block]
    chrome: list[bool]
    values: list[float]
    best: _Container


def _select(body: LexborNode) -> _Selection | None:
    """Walk the page and choose the article container; None when there is no text."""
    walker = _Walker()
    walker.walk(body)
    blocks = walker.blocks
    if not blocks:
        return None
    raw = [_block_value(b) for b in blocks]
    chrome = _chrome_mask(walker.chrome, [v if v > 0 else 0.0 for v in raw])
    values = [-len(b.text) if c else v for b, v, c in zip(blocks, raw, chrome, strict=True)]
    return _Selection(blocks, chrome, values, _best_container(walker.containers, values))


def _chrome_mask(ranges: list[tuple[int, int, int]], prose: list[float]) -> list[bool]:
    """Per block, whether it lies in chrome; a flagged element holding most of the prose is not.

    Class names and tags such as ``header`` or ``has-sidebar`` sometimes sit on
    the wrapper of the whole article, so a flag is overruled by the text it holds.
    """
    prefix = [0.0, *accumulate(prose)]
    total = prefix[-1]
    diff = [0] * (len(prose) + 1)
    for first, end, level in ranges:
        if level == _STRONG or prefix[end] - prefix[first] <= _WRAPPER_SHARE * total:
            diff[first] += 1
            diff[end] -= 1
    return [d > 0 for d in accumulate(diff[:-1])]


def _block_value(block: _Block) -> float:
    """Evidence that a block is prose: + its length for paragraphs, - for links and crumbs."""
    n = len(block.text)
    density = block.link_chars / n if n else 1.0
    if density > 0.5:
        return -n
    if block.tag in _HEADINGS:
        return 0.0 if block.tag == "h1" else _SUBHEADING_VALUE
    if block.lead_link and density > _TEASER_DENSITY:
        return -n * _TEASER_WEIGHT
    if n >= 80 or (n >= 30 and _PUNCT.search(block.text)):
        return n * (1.0 - _LINK_WEIGHT * density)
    return -_SHORT_PENALTY.get(block.tag, _SHORT_DEFAULT) * n


def _best_container(containers: list[_Span], values: list[float]) -> _Container:
    """The best run of sibling subtrees: the most prose, with markup hints as a bonus.

    A run is a contiguous range of one element's children, so an article whose
    paragraphs sit next to a comment list in the same parent is still cut out
    cleanly. A page without any prose (a bare table, a one-line note) is kept
    whole. ``containers`` must be in post-order (children before parents).
    """
    prefix = [0.0, *accumulate(values)]
    best, best_score = _Container(*containers[-1]), float("-inf")
    pending: list[_Span] = []
    for c in containers:
        depth = c[3]
        children = []
        while pending and pending[-1][3] > depth:
            children.append(pending.pop())
        pending.append(c)
        first, end, total = _best_run(c, children[::-1], prefix) if children else (
            c[0], c[1], prefix[c[1]] - prefix[c[0]])
        score = total * (1.0 + c[2]) if total > 0 else total
        if score > best_score:
            best, best_score = _Container(first, end, c[2], depth), score
    return best if best_score > 0 else _Container(*containers[-1])


def _best_run(parent: _Span, children: list[_Span],
              prefix: list[float]) -> tuple[int, int, float]:
    """Maximum-sum run of consecutive child segments (child subtrees or loose blocks)."""
    start, stop = parent[0], parent[1]
    best = (start, stop, float("-inf"))
    run_start, run_total = start, 0.0
    pos, i = start, 0
    while pos < stop:
        if i < len(children) and children[i][0] == pos:
            seg_end = children[i][1]
            i += 1
        else:
            seg_end = pos + 1
        if run_total <= 0:
            run_start, run_total = pos, 0.0
        run_total += prefix[seg_end] - prefix[pos]
        if run_total > best[2]:
            best = (run_start, seg_end, run_total)
        pos = seg_end
    return best


def _keep(block: _Block) -> bool:
    """Whether a block inside the chosen container belongs in the text."""
    n = len(block.text)
    return n > 0 and block.link_chars <= 0.5 * n


def _classify(tag: str, attrs: dict[str, str | None]) -> tuple[int, float]:
    """(chrome level, content bonus) for an element, from its tag and attributes."""
    get = attrs.get
    cls, ident = get("class"), get("id")
    level, bonus = _name_flags(tag, cls) if cls else _name_flags(tag, "")
    if ident and tag not in ("body", "article", "main"):
        id_level, id_bonus = _name_flags("", ident)
        level, bonus = max(level, id_level), bonus + id_bonus
    if len(attrs) > (cls is not None) + (ident is not None):
        role = get("role")
        if role in _STRONG_CHROME_ROLES:
            return _STRONG, bonus
        style = get("style")
        if role not in _FOLDED_ROLES and (get("aria-hidden") == "true" or role in _CHROME_ROLES or (
            style and "none" in style and _DISPLAY_NONE.search(style)
        )):
            level = max(level, _WEAK)
        if (get("itemprop") or "").lower() == "articlebody":
            bonus += 0.3
    return level, bonus


@lru_cache(maxsize=1 << 16)  # class names differ from site to site: a scan meets many
def _name_flags(tag: str, names: str) -> tuple[int, float]:
    """Chrome level and content bonus implied by a tag and one class or id value."""
    lowered = names.lower()
    level = _STRONG if tag in _STRONG_CHROME_TAGS else _WEAK if tag in _CHROME_TAGS else 0
    if not level and names and tag not in ("body", "article", "main"):
        tokens = set(_NAME_SPLIT.split(lowered))
        if not _STRONG_WORDS.isdisjoint(tokens):
            level = _STRONG
        elif not _CHROME_WORDS.isdisjoint(tokens) or not _CHROME_CLASSES.isdisjoint(lowered.split()):
            level = _WEAK
    bonus = _HINT_TAGS.get(tag, 0.0)
    if names and _CONTENT.search(lowered):
        bonus += 0.1
    return level, bonus


class _Walker:
    """One pass over the DOM that cuts text into blocks and records block-level containers.

    Hot loop: this visits every node, so it is written flat, without per-node
    method calls.
    """

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self.containers: list[_Span] = []
        self.chrome: list[tuple[int, int, int]] = []
        self._buf: list[str] = []
        self._link_chars = 0
        self._lead_link = False

    def walk(self, root: LexborNode) -> None:
        """Visit ``root``'s subtree depth-first with an explicit stack (no recursion)."""
        blocks, containers, buf = self.blocks, self.containers, self._buf
        owners = ["body"]
        stack: list[_Frame] = [(root, "body", 0, 0.0, False)]
        link_depth, budget = 0, _MAX_NODES
        cur = root.first_child
        while stack:
            budget -= 1
            if cur is None or budget < 0:
                node, tag, first, bonus, chrome = stack.pop()
                if tag in _BLOCK_TAGS:
                    if buf:
                        self._flush(owners[-1])
                    owners.pop()
                    if len(blocks) > first:
                        containers.append((first, len(blocks), bonus, len(stack)))
                        if chrome:
                            self.chrome.append((first, len(blocks), chrome))
                elif tag == "a":
                    link_depth -= 1
                cur = node.next if stack and budget >= 0 else None
                continue
            tag = cur.tag or ""
            if tag == "-text":
                text = cur.text_content or ""
                if buf or not text.isspace():
                    if not buf:
                        self._lead_link = link_depth > 0
                    buf.append(text)
                    if link_depth:
                        self._link_chars += len(text.strip())
            elif tag == "br":
                buf.append("\n")
            elif tag and tag not in _SKIP_TAGS and tag[0] != "-":  # "<?x ?>" is a node with no tag: skipped
                attrs = cur.attributes
                chrome, bonus = _classify(tag, attrs) if attrs else _name_flags(tag, "")
                if tag in _BLOCK_TAGS:
                    if buf:
                        self._flush(owners[-1])
                    if chrome == _STRONG:
                        self._opaque_chrome(cur, tag)
                        cur = cur.next
                        continue
                    owners.append(tag)
                elif chrome:
                    cur = cur.next
                    continue
                elif tag == "a":
                    link_depth += 1
                stack.append((cur, tag, len(blocks), bonus, chrome))
                cur = cur.first_child
                continue
            cur = cur.next

    def _opaque_chrome(self, node: LexborNode, tag: str) -> None:
        """Stand in for a navigation or footer subtree with one link-only block, unvisited.

        Such chrome is never output, so only its size matters; reading it in one
        C call instead of node by node saves about a third of the walk.
        """
        text = node.text(separator=" ", strip=True, skip_empty=True)
        if text:
            index = len(self.blocks)
            self.blocks.append(_Block(text, len(text), tag))
            self.chrome.append((index, index + 1, _STRONG))

    def _flush(self, owner: str) -> None:
        """Close the pending text as one block owned by the innermost block element."""
        text = collapse_whitespace("".join(self._buf))
        if text:
            links = min(self._link_chars, len(text))
            self.blocks.append(_Block(text, links, owner, self._lead_link and links > 0))
        self._buf.clear()
        self._link_chars = 0
        self._lead_link = False
