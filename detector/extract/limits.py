"""Cut back the two markup shapes that make the HTML parser take minutes: deep nesting, huge attribute lists.

lexbor builds the tree as the HTML standard says, and the standard scans the
stack of open elements for most block-level start and end tags, and compares
each attribute of a tag with the ones before it. So a 1 MB page of nothing
but ``<div>`` (200,000 levels) or one tag with 100,000 attributes costs
minutes of CPU: a hostile page could stall a crawl. Browsers cap the depth
(Blink at 512); this does the same before parsing, dropping the start tags
that would nest deeper than :data:`MAX_DEPTH` (lists: :data:`MAX_LIST_DEPTH`)
and the attributes of a tag past :data:`MAX_ATTRIBUTES`. The depth follows
a light model of the tree builder: void elements, elements closed
implicitly, formatting elements reopened, raw text, comments, self-closing
foreign elements. A page with fewer start tags than :data:`SCAN_TAGS` cannot
nest deep enough to matter and is only searched for an oversized tag, at C
speed; ordinary pages come back unchanged.
"""

from __future__ import annotations

import codecs
import re
from itertools import islice
from typing import Any

__all__ = ["within_parser_limits", "UTF16_BOMS", "MAX_DEPTH", "MAX_LIST_DEPTH", "MAX_ATTRIBUTES", "SCAN_TAGS"]

MAX_DEPTH = 256
#: Lists are capped lower: the chrome features look inside every list, nested ones included.
MAX_LIST_DEPTH = 32
MAX_ATTRIBUTES = 256
SCAN_TAGS = 8000

_VOID = frozenset("area base basefont bgsound br col embed frame hr image img input keygen link meta param source "
                  "track wbr".split())
#: Elements the tree builder closes when a sibling opens, or merges: they never nest by themselves.
_NO_NESTING = frozenset("html head body p li dt dd option optgroup tr td th tbody thead tfoot caption colgroup rb "
                        "rt rtc rp".split())
_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes plaintext".split())
_FOREIGN = frozenset(("svg", "math"))
_LISTS = frozenset("ul ol menu dir dl".split())
#: Closed by another element's end tag, these are reopened by the next text (HTML's active formatting elements).
_FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())

_ATTRIBUTE = r"""[\s/]*+[^\s/>][^\s/>=]*+(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]*+))?+"""
_TAG = rf"<!--.*?(?:-->|\Z)|<(/?)([A-Za-z][^\s/>\x00]*+)((?:{_ATTRIBUTE})*+[\s/]*+)(>?)"
_CROWDED = rf"<[A-Za-z][^\s/>\x00]*+(?:{_ATTRIBUTE}){{{MAX_ATTRIBUTES + 1}}}"


def _nests(name: str) -> bool:
    return name not in _VOID and name not in _NO_NESTING


def _lower(raw: bytes | str) -> str:
    return (raw if isinstance(raw, str) else raw.decode("latin-1")).lower()


_PATTERNS: dict[type, tuple[re.Pattern[Any], ...]] = {
    str: (re.compile(_TAG, re.DOTALL), re.compile(_ATTRIBUTE), re.compile(_CROWDED)),
    bytes: (re.compile(_TAG.encode(), re.DOTALL), re.compile(_ATTRIBUTE.encode()), re.compile(_CROWDED.encode())),
}
#: A document that starts with one of these is UTF-16, NUL bytes and all.
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_START_TAG: dict[type, re.Pattern[Any]] = {str: re.compile(r"<[A-Za-z]"), bytes: re.compile(rb"<[A-Za-z]")}
_OPEN: dict[type, Any] = {str: "<", bytes: b"<"}


def within_parser_limits(data: bytes | str) -> bytes | str:
    """``data`` without the start tags nested past :data:`MAX_DEPTH` and the attributes past :data:`MAX_ATTRIBUTES`."""
    if isinstance(data, bytes) and data.startswith(UTF16_BOMS):
        data = data.decode("utf-16", "replace")
    crowded = _PATTERNS[type(data)][2]
    if _few_start_tags(data) and crowded.search(data) is None:
        return data
    return _Cutter(data).cut()


def _few_start_tags(data: bytes | str) -> bool:
    """Fewer start tags than :data:`SCAN_TAGS`: then nothing can nest deep enough to matter.

    Counting every ``<`` first is cheap and settles almost every page; a page
    over it is usually script full of ``a < b``, and counting its real start
    tags (1 ms) spares it the tag-by-tag model (14 ms on such pages).
    """
    kind = type(data)
    return data.count(_OPEN[kind]) < SCAN_TAGS or sum(1 for _ in _START_TAG[kind].finditer(data)) < SCAN_TAGS


class _Cutter:
    """One pass over the tags with a model of the open elements; collects the spans to drop."""

    def __init__(self, data: bytes | str) -> None:
        self.data: Any = data
        self.tag, self.attribute, _ = _PATTERNS[type(data)]
        self.empty, self.close_tag = (data[:0], ">" if isinstance(data, str) else b">")
        self.stack: list[str] = []
        self.open: dict[str, int] = {}
        self.cuts: list[tuple[int, int, Any]] = []
        self.names: dict[Any, str] = {}
        self.lists = 0

    def cut(self) -> bytes | str:
        data, names, skip = self.data, self.names, 0
        for match in self.tag.finditer(data):
            raw = match[2]
            if raw is None or match.start() < skip:
                continue  # a comment, or a tag inside raw text
            name = names.get(raw) or names.setdefault(raw, _lower(raw))
            if match[1]:
                if self.open.get(name):
                    self._close(name)
            else:
                skip = self._start(name, match)
        if not self.cuts:
            return data
        pieces, last = [], 0
        for start, end, replacement in self.cuts:
            pieces += [data[last:start], replacement]
            last = end
        pieces.append(data[last:])
        return self.empty.join(pieces)  # type: ignore[no-any-return]

    def _start(self, name: str, match: re.Match[Any]) -> int:
        """Model one start tag, or drop it when it nests too deep; returns where the scan goes on."""
        nests = _nests(name)
        if nests and (len(self.stack) >= MAX_DEPTH or (name in _LISTS and self.lists >= MAX_LIST_DEPTH)):
            self.cuts.append((match.start(), match.end(), self.empty))
            return match.end()
        attributes = match.group(3)
        if len(attributes) > 4 * MAX_ATTRIBUTES:
            self._trim(match)
        self_closing = attributes[-1:] in ("/", b"/")
        foreign = (name in _RAW_TEXT or self_closing) and any(self.open.get(f) for f in _FOREIGN)
        if name in _RAW_TEXT and not foreign:
            closer = re.escape("</" + name)
            pattern = re.compile(closer if isinstance(self.data, str) else closer.encode(), re.IGNORECASE)
            found = pattern.search(self.data, match.end())
            return found.start() if found else len(self.data)
        if nests and not (self_closing and foreign):
            self.stack.append(name)
            self.open[name] = self.open.get(name, 0) + 1
            self.lists += name in _LISTS
        return match.end()

    def _trim(self, match: re.Match[Any]) -> None:
        found = self.attribute.finditer(self.data, match.start(3), match.end(3))
        kept = next(islice(found, MAX_ATTRIBUTES - 1, None), None)
        if kept is not None and next(found, None) is not None:
            self.cuts.append((kept.end(), match.end(), self.close_tag))

    def _close(self, name: str) -> None:
        """Pop up to the last open ``name``; formatting elements closed on the way stay, as they will reopen."""
        reopened = []
        while self.stack:
            top = self.stack.pop()
            self.open[top] -= 1
            self.lists -= top in _LISTS
            if top == name:
                break
            if top in _FORMATTING:
                reopened.append(top)
        for top in reversed(reopened):
            self.stack.append(top)
            self.open[top] += 1
