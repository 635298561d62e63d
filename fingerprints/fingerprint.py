"""The fingerprint of one text: its tokens, sentence blocks and their MinHash signatures.

Two signatures per block. The word signature (3-word shingles) finds
verbatim copies, partial copies and quotations. The skeleton signature
(3-shingles over function words, numbers and names, content words collapsed)
finds spun copies, whose word shingles no longer match.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .blocks import Block, sentence_blocks
from .signature import DOCUMENT_SPEC, SKELETON_SPEC, WORD_SPEC, shingle_hashes, symbol_hashes
from .tokens import MUTABLE, Tokens, immutable_flags, tokenize

__all__ = ["Fingerprint", "fingerprint", "document_signature"]

#: A sentence skeleton needs this many kept words to be specific enough to look up.
MIN_SKELETON_IMMUTABLES = 5
MIN_SKELETON_SYMBOLS = 7
_MUTABLE_HASH = int(symbol_hashes([MUTABLE])[0])


@dataclass(frozen=True)
class Fingerprint:
    """Everything the index and the aligner need to know about one text."""

    tokens: Tokens
    word_blocks: tuple[Block, ...]
    word_signatures: np.ndarray
    skeleton_blocks: tuple[Block, ...]
    skeleton_signatures: np.ndarray


def _word_signatures(token_hashes: np.ndarray, blocks: list[Block]) -> np.ndarray:
    k = WORD_SPEC.shingle
    shingles = shingle_hashes(token_hashes, k)
    segments = [(b.first, b.last - k + 2) for b in blocks]
    return WORD_SPEC.signatures(shingles, segments)


def _skeleton_signatures(
    token_hashes: np.ndarray, flags: list[bool], blocks: list[Block]
) -> tuple[list[Block], np.ndarray]:
    """Skeleton symbols of each block, concatenated, then signed per block in one pass."""
    k = SKELETON_SPEC.shingle
    hashes = token_hashes.tolist()
    stream: list[int] = []
    segments: list[tuple[int, int]] = []
    kept: list[Block] = []
    for block in blocks:
        symbols: list[int] = []
        immutables = 0
        for index in range(block.first, block.last + 1):
            if flags[index]:
                symbols.append(hashes[index])
                immutables += 1
            elif not symbols or symbols[-1] != _MUTABLE_HASH:
                symbols.append(_MUTABLE_HASH)
        if immutables < MIN_SKELETON_IMMUTABLES or len(symbols) < MIN_SKELETON_SYMBOLS:
            continue
        start = len(stream)
        stream.extend(symbols)
        segments.append((start, len(stream) - k + 1))
        kept.append(block)
    shingles = shingle_hashes(np.array(stream, dtype=np.uint32), k)
    return kept, SKELETON_SPEC.signatures(shingles, segments)


def fingerprint(text: str) -> Fingerprint:
    """Tokenize ``text``, cut it into sentence blocks and sign every block twice."""
    tokens = tokenize(text)
    blocks = sentence_blocks(text, tokens)
    token_hashes = symbol_hashes(tokens.words)
    skeleton_blocks, skeleton_signatures = _skeleton_signatures(token_hashes, immutable_flags(tokens), blocks)
    return Fingerprint(
        tokens=tokens,
        word_blocks=tuple(blocks),
        word_signatures=_word_signatures(token_hashes, blocks),
        skeleton_blocks=tuple(skeleton_blocks),
        skeleton_signatures=skeleton_signatures,
    )


def document_signature(words: list[str] | tuple[str, ...]) -> np.ndarray:
    """The whole-text MinHash (word 3-shingles) behind the reported ``similarity`` figure."""
    padded = list(words) + [""] * max(0, DOCUMENT_SPEC.shingle - len(words))
    hashes = shingle_hashes(symbol_hashes(padded), DOCUMENT_SPEC.shingle)
    return DOCUMENT_SPEC.signatures(hashes, [(0, len(hashes))])[0]
