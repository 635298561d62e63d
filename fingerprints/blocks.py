"""Cut a token stream into sentence blocks: the unit that is fingerprinted and looked up.

A block depends only on the words of its own sentence, never on its
neighbours, so a sentence copied into a page with different surroundings
yields exactly the block it had in the original. That is what lets a quoted
sentence, or a third of a post inside a large page, find its original even
when whole-page similarity is tiny.
"""

from __future__ import annotations

from dataclasses import dataclass

from .tokens import Tokens

__all__ = ["Block", "sentence_blocks", "MIN_BLOCK_TOKENS", "MAX_BLOCK_TOKENS"]

#: Sentences shorter than this are too common ("Thanks for reading.") to be evidence.
MIN_BLOCK_TOKENS = 6
#: Longer runs without a sentence break (lists, run-on text) are cut into windows.
MAX_BLOCK_TOKENS = 40


@dataclass(frozen=True, slots=True)
class Block:
    """Tokens ``first`` to ``last`` (inclusive) of a text."""

    first: int
    last: int

    def __len__(self) -> int:
        return self.last - self.first + 1


def _pieces(tokens: Tokens) -> list[tuple[int, int]]:
    """Token index ranges [start, end) between sentence breaks."""
    ranges: list[tuple[int, int]] = []
    start = 0
    for cut in (*tokens.breaks, len(tokens)):
        if cut > start:
            ranges.append((start, cut))
            start = cut
    return ranges


def sentence_blocks(text: str, tokens: Tokens) -> list[Block]:
    """Return the sentence blocks of ``text`` (whose tokens are ``tokens``).

    Sentences end at ``. ! ? ; :`` followed by space, or at a line break.
    Sentences under :data:`MIN_BLOCK_TOKENS` words are skipped; longer runs than
    :data:`MAX_BLOCK_TOKENS` are cut into windows of half that size, counted from
    the sentence start so the cut is the same wherever the sentence appears.
    """
    blocks: list[Block] = []
    half = MAX_BLOCK_TOKENS // 2
    for start, end in _pieces(tokens):
        length = end - start
        if length < MIN_BLOCK_TOKENS:
            continue
        if length <= MAX_BLOCK_TOKENS:
            blocks.append(Block(start, end - 1))
            continue
        for first in range(start, end, half):
            last = min(first + half, end) - 1
            if last - first + 1 >= MIN_BLOCK_TOKENS:
                blocks.append(Block(first, last))
    return blocks
