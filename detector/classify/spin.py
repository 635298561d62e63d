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

from fingerprints import Passage, Tokens
from fingerprints.lexicon import FUNCTION_WORDS

__all__ = ["SpinEvidence", "spin_evidence", "SPIN_FEATURES"]

SPIN_FEATURES = ("changed_share", "content_changed_share", "typo_share", "recurring_share", "function_kept",
                 "balanced_gaps", "fragments_per_100", "swaps_per_100", "typos_per_100")
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
            self.balanced_gaps / self.gaps if self.gaps else 0.0,
            100.0 * self.fragments / self.words if self.words else 0.0,
            100.0 * (subs - self.typos) / self.words if self.words else 0.0,
            100.0 * self.typos / self.words if self.words else 0.0,
        ]


def _is_typo(a: str, b: str) -> bool:
    """A slip of the keyboard (swapped, doubled or dropped letter), not a different word."""
    return a[:1] == b[:1] and abs(len(a) - len(b)) <= 1 and len(set(a) ^ set(b)) <= 1 and " " not in a + b


def _gap_diff(before: tuple[str, ...], after: tuple[str, ...]) -> tuple[list[int], list[tuple[str, str]]]:
    """Offsets (into ``before``) of the gap's words that are in fact kept, and the substituted runs.

    Equal-length gaps, the spinner's usual case, are compared word by word; a
    short unequal gap ("despite" -> "regardless of") is one substitution whose
    shared words count as kept; long gaps are left as changed.
    """
    if len(before) == len(after):
        kept = [k for k, (a, b) in enumerate(zip(before, after)) if a == b]
        subs: list[tuple[str, str]] = []
        run_start = None
        for k in range(len(before) + 1):
            differs = k < len(before) and before[k] != after[k]
            if differs and run_start is None:
                run_start = k
            elif not differs and run_start is not None:
                if k - run_start <= _MAX_GAP:
                    subs.append((" ".join(before[run_start:k]), " ".join(after[run_start:k])))
                run_start = None
        return kept, subs
    if len(before) > 2 * _MAX_GAP or len(after) > 2 * _MAX_GAP:
        return [], []
    common = set(before) & set(after)
    kept = [k for k, word in enumerate(before) if word in common]
    if len(before) <= _MAX_GAP and len(after) <= _MAX_GAP and len(common) < min(len(before), len(after)):
        return kept, [(" ".join(before), " ".join(after))]
    return kept, []


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
            anchored.update(i1 + 1 + k for k in kept_words)
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
