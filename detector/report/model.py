"""The report as plain data: what every renderer draws and what ``--format json`` writes.

All three formats are drawn from one :class:`Report`, and a Report rebuilds
from its own JSON (:meth:`Report.from_dict`), so the JSON is a complete
record: an abuse desk, or a later version of detector, can redraw the HTML
from it without the store.
"""

from __future__ import annotations

import dataclasses
import types
from dataclasses import dataclass, field
from typing import Any, Union, get_args, get_origin, get_type_hints

from ..config import AuthorConfig as Author  # the notice is signed with the config's [author]

__all__ = [
    "Segment", "Row", "PassageView", "Substitution", "Original", "Snapshot", "Copy", "Figures", "Flags", "Event",
    "Timeline", "Evidence", "Element", "Notice", "Author", "Report", "FORMAT",
]

#: Names the JSON layout; bumped only when a field is renamed or removed.
FORMAT = "detector-report/1"


@dataclass(frozen=True)
class Segment:
    """A stretch of one side of a passage.

    ``kind``: ``copied`` (same words on both sides), ``changed`` (swapped;
    ``other`` holds the words on the other side), ``removed`` (only in the
    original), ``added`` (only in the copy) or ``plain`` (spacing and
    punctuation between words).
    """

    kind: str
    text: str
    other: str = ""


@dataclass(frozen=True)
class Row:
    """One line of the side-by-side view: a paragraph of the original and what the copy made of it."""

    original: tuple[Segment, ...]
    copy: tuple[Segment, ...]


@dataclass(frozen=True)
class PassageView:
    """A matched passage with character offsets into the registered text and the page's stored text."""

    number: int
    work_start: int
    work_end: int
    page_start: int
    page_end: int
    work_words: int
    verbatim_words: int
    longest_run: int
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Substitution:
    """A word (or short phrase) of the original and the replacement the copy put in its place."""

    original: str
    replacement: str
    count: int


@dataclass(frozen=True)
class Original:
    work_id: int
    key: str
    title: str | None
    url: str | None
    author: str | None
    published: str | None
    registered_at: str
    sha256: str
    words: int
    version: int


@dataclass(frozen=True)
class Snapshot:
    """The archived HTTP answer; ``file`` is where the report folder keeps its exact bytes."""

    url: str
    final_url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    redirects: tuple[str, ...]
    content_type: str
    fetched_at: str
    sha256: str
    size: int
    file: str


@dataclass(frozen=True)
class Copy:
    """The copying page as stored; ``snapshot`` is None for pages checked from local files."""

    page_id: int
    key: str
    url: str | None
    final_url: str | None
    title: str | None
    byline: str | None
    published: str | None
    canonical: str | None
    first_seen: str
    last_seen: str
    checked_at: str
    text_sha256: str
    text_words: int
    snapshot: Snapshot | None


@dataclass(frozen=True)
class Figures:
    extent: str
    coverage: float
    similarity: float
    copied_words: int
    original_words: int
    passages: int
    longest_passage_words: int
    longest_verbatim_words: int
    verbatim_words: int
    substituted: int


@dataclass(frozen=True)
class Flags:
    chrome: bool
    chrome_score: float
    spun: bool
    spun_score: float
    authorized: bool
    takedown: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    """One dated fact: ``side`` is ``original`` or ``copy``."""

    when: str
    side: str
    what: str


@dataclass(frozen=True)
class Timeline:
    """The dated facts in order, and whether they show the original came first."""

    events: tuple[Event, ...]
    original_first: bool
    verdict: str


@dataclass(frozen=True)
class Evidence:
    """Everything shown for one copy (one stored match)."""

    number: int
    match_id: int
    state: str
    state_reason: str | None
    page_changed: bool
    recommended: bool
    original: Original
    copy: Copy
    figures: Figures
    flags: Flags
    timeline: Timeline
    passages: tuple[PassageView, ...]
    substitutions: tuple[Substitution, ...]


@dataclass(frozen=True)
class Element:
    """One of the six elements of 17 U.S.C. §512(c)(3)(A) and what it still lacks (``[author]`` keys or facts)."""

    clause: str
    name: str
    present: bool
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notice:
    """The DMCA notice draft and the same facts as the fields of two web forms."""

    text: str
    elements: tuple[Element, ...]
    missing: tuple[str, ...]
    urls: tuple[str, ...]
    cloudflare: dict[str, Any] = field(default_factory=dict)
    google: dict[str, Any] = field(default_factory=dict)
    form_notes: tuple[str, ...] = ()
    #: What the sender must check before swearing to the notice (the registered author is someone else).
    cautions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """The evidence against one host (at most 250 URLs: one Cloudflare form), and its notice."""

    host: str
    part: int
    parts: int
    generated_at: str
    generator: str
    author: Author
    copies: tuple[Evidence, ...]
    notice: Notice | None
    format: str = FORMAT

    @property
    def recommended(self) -> tuple[Evidence, ...]:
        return tuple(e for e in self.copies if e.recommended)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """Rebuild a report from its JSON (the inverse of :meth:`to_dict`)."""
        built: Report = _build(cls, data)
        return built


def _build(kind: Any, value: Any) -> Any:
    """Turn JSON values back into the dataclasses, tuples and optionals named by ``kind``."""
    if value is None:
        return None
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(kind) if a is not type(None)]
        return _build(options[0], value)
    if origin is tuple:
        args = get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], item) for item in value)
        return tuple(_build(a, item) for a, item in zip(args, value))
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = get_type_hints(kind)
        names = {f.name for f in dataclasses.fields(kind)}
        return kind(**{k: _build(hints[k], v) for k, v in value.items() if k in names})
    return value
