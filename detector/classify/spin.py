"""Spin evidence from an alignment: which words of the original were swapped, and how.

An article spinner swaps content words for synonyms and leaves the function
words, the word order and the punctuation alone, so a spun passage aligns
word for word with gaps of one to three words on both sides. Light edits
(typo fixes) change few words, each into a near-identical spelling; a
rewording changes function words and order too, so it breaks the alignment
into fragments. These measurements separate the three.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from fingerprints import Passage, Tokens
from fingerprints.lexicon import FUNCTION_WORDS

__all__ = ["SpinEvidence", "spin_evidence", "SPIN_FEATURES"]

SPIN_FEATURES = ("changed_share", "content_changed_share", "typo_share", "recurring_share", "function_kept",
                 "balanced_gaps", "fragments_per_100")
_MAX_GAP = 3


@dataclass(frozen=True)
class SpinEvidence:
    """Measurements of how a copy differs from its original inside the copied passages."""

    words: int = 0
    changed: int = 0
    content_words: int = 0
    content_changed: int = 0
    function_words: int = 0
    function_kept: int = 0
    gaps: int = 0
    balanced_gaps: int = 0
    fragments: int = 0
    substitutions: tuple[tuple[str, str], ...] = field(default=())
    typos: int = 0

    def vector(self) -> list[float]:
        """The features, in :data:`SPIN_FEATURES` order."""
        subs = len(self.substitutions)
        pairs = Counter(self.substitutions)
        recurring = sum(n for n in pairs.values() if n > 1)
        return [
            self.changed / self.words if self.words else 0.0,
            self.content_changed / self.content_words if self.content_words else 0.0,
            self.typos / subs if subs else 0.0,
            recurring / subs if subs else 0.0,
            self.function_kept / self.function_words if self.function_words else 1.0,
            self.balanced_gaps / self.gaps if self.gaps else 1.0,
            100.0 * self.fragments / self.words if self.words else 0.0,
        ]


def _is_typo(a: str, b: str) -> bool:
    return SequenceMatcher(None, a, b).ratio() >= 0.75


def _gap_diff(before: tuple[str, ...], after: tuple[str, ...]) -> tuple[int, list[tuple[str, str]]]:
    """Words of a gap that are in fact kept, and the substituted runs between them."""
    if len(before) > 20 or len(after) > 20:
        return 0, []
    kept = 0
    subs: list[tuple[str, str]] = []
    i = j = 0
    for block in SequenceMatcher(None, before, after, autojunk=False).get_matching_blocks():
        if (i < block.a or j < block.b) and 0 < block.a - i <= _MAX_GAP and 0 < block.b - j <= _MAX_GAP:
            subs.append((" ".join(before[i:block.a]), " ".join(after[j:block.b])))
        kept += block.size
        i, j = block.a + block.size, block.b + block.size
    return kept, subs


def spin_evidence(work: Tokens, page: Tokens, passages: tuple[Passage, ...] | list[Passage]) -> SpinEvidence:
    """Walk the anchors of each passage and describe the gaps between them."""
    words = content = content_changed = function = function_kept = 0
    gaps = balanced = typos = 0
    substitutions: list[tuple[str, str]] = []
    for passage in passages:
        anchored = {i for i, _ in passage.anchors}
        for (i1, j1), (i2, j2) in zip(passage.anchors, passage.anchors[1:]):
            work_gap, page_gap = i2 - i1 - 1, j2 - j1 - 1
            if work_gap <= 0 and page_gap <= 0:
                continue
            before, after = work.words[i1 + 1 : i2], page.words[j1 + 1 : j2]
            kept_words, subs = _gap_diff(before, after)
            if kept_words:
                matcher = SequenceMatcher(None, before, after, autojunk=False)
                for block in matcher.get_matching_blocks():
                    anchored.update(range(i1 + 1 + block.a, i1 + 1 + block.a + block.size))
            if not subs:
                continue
            gaps += len(subs)
            for a, b in subs:
                balanced += len(a.split()) == len(b.split())
                typos += _is_typo(a, b)
            substitutions.extend(subs)
        for index in range(passage.work_first, passage.work_last + 1):
            kept = index in anchored
            words += 1
            if work.words[index] in FUNCTION_WORDS:
                function += 1
                function_kept += kept
            else:
                content += 1
                content_changed += not kept
    changed = words - function_kept - (content - content_changed)
    return SpinEvidence(words, changed, content, content_changed, function, function_kept, gaps, balanced,
                        len(passages), tuple(substitutions), typos)
