"""Plain records that go into and come out of the store."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

__all__ = ["sha256_text", "WorkRecord", "StoredWork", "PageRecord", "MatchRecord", "SignatureRecord", "RegisterOutcome"]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class WorkRecord:
    """A work as registered: its plain text and metadata."""

    key: str
    text: str
    source: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    #: Derived from the text where the record is made, so that a register in a pool hashes and counts
    #: in the workers: in the storing process they cost 0.15 ms a post, a tenth of its share.
    sha256: str = field(init=False, repr=False, compare=False)
    words: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha256", sha256_text(self.text))
        object.__setattr__(self, "words", len(self.text.split()))


@dataclass(frozen=True)
class SignatureRecord:
    """Block signatures of one kind, with the spec that made them."""

    kind: str
    scheme: str
    num_perm: int
    seed: int
    shingle: int
    hashvalues: np.ndarray


@dataclass(frozen=True)
class StoredWork:
    id: int
    key: str
    version: int
    title: str | None
    author: str | None
    published: str | None
    url: str | None
    source: str
    sha256: str
    text: str
    words: int
    registered_at: str

    @property
    def display_url(self) -> str:
        """The registered URL, or the file the work came from."""
        return self.url or self.key


@dataclass(frozen=True)
class RegisterOutcome:
    """What registering one work did: ``added``, ``unchanged``, ``updated`` (a new version) or
    ``relabelled`` (same text, new details)."""

    status: str
    work_id: int
    replaced: int | None = None


@dataclass(frozen=True)
class PageRecord:
    """A checked page: where it came from and the main text its matches point into."""

    key: str
    text: str
    url: str | None = None
    final_url: str | None = None
    title: str | None = None
    byline: str | None = None
    canonical: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class MatchRecord:
    """One page copying one work, with the figures, flags and passages."""

    work_id: int
    extent: str
    coverage: float
    similarity: float
    copied_words: int
    passages: list[dict[str, int]]
    chrome: bool = False
    chrome_score: float = 0.0
    spun: bool = False
    spun_score: float = 0.0
    authorized: bool = False
    takedown: bool = False
    reasons: list[str] = field(default_factory=list)
    # Filled when read back from the store.
    id: int | None = None
    page_id: int | None = None
    state: str = "new"
    state_reason: str | None = None
    page_changed: bool = False
    first_seen: str | None = None
    last_seen: str | None = None
    #: When a check of the page first found the copy gone; None while the page still holds it.
    gone_since: str | None = None
