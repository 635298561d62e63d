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
from .tokens import MUTABLE, Tokens, tokenize

__all__ = ["Fingerprint", "fingerprint", "document_signature"]

#: A sentence skeleton needs this many kept words to be specific enough to look up.
MIN_SKELETON_IMMUTABLES = 5
MIN_SKELETON_SYMBOLS = 7
_MUTABLE_HASH = int(symbol_hashes([MUTABLE])[0])
_EMPTY_HASH = int(symbol_hashes([""])[0])


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
    token_hashes: np.ndarray, flags: np.ndarray, blocks: list[Block]
) -> tuple[list[Block], np.ndarray]:
    """Skeleton symbols of each block, concatenated, then signed per block in one pass.

    Within a block, an immutable token is kept as itself and a run of content
    words becomes one placeholder: a content word is emitted only at the start
    of its block or right after an immutable token.
    """
    k = SKELETON_SPEC.shingle
    if not blocks:
        return [], SKELETON_SPEC.signatures(np.empty(0, dtype=np.uint32), [])
    firsts = np.fromiter((b.first for b in blocks), dtype=np.int64, count=len(blocks))
    sizes = np.fromiter((b.last - b.first + 1 for b in blocks), dtype=np.int64, count=len(blocks))
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    index = np.arange(sizes.sum()) - np.repeat(offsets - firsts, sizes)  # token index of every block token
    kept = flags[index]
    opens = np.zeros(len(index), dtype=bool)
    opens[offsets] = True
    emitted = kept | opens | np.concatenate(([True], kept[:-1]))
    block_of = np.repeat(np.arange(len(blocks)), sizes)
    immutables = np.bincount(block_of, weights=kept, minlength=len(blocks))
    symbols = np.bincount(block_of, weights=emitted, minlength=len(blocks))
    good = (immutables >= MIN_SKELETON_IMMUTABLES) & (symbols >= MIN_SKELETON_SYMBOLS)
    chosen = emitted & good[block_of]
    stream = np.where(kept[chosen], token_hashes[index[chosen]], np.uint32(_MUTABLE_HASH)).astype(np.uint32)
    counts = symbols[good].astype(np.int64)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    segments = list(zip(starts.tolist(), (starts + counts - k + 1).tolist()))
    return [b for b, g in zip(blocks, good.tolist()) if g], SKELETON_SPEC.signatures(shingle_hashes(stream, k), segments)


def fingerprint(text: str) -> Fingerprint:
    """Tokenize ``text``, cut it into sentence blocks and sign every block twice."""
    tokens = tokenize(text)
    blocks = sentence_blocks(text, tokens)
    token_hashes, flags = tokens.hashes, tokens.immutable
    skeleton_blocks, skeleton_signatures = _skeleton_signatures(token_hashes, flags, blocks)
    return Fingerprint(
        tokens=tokens,
        word_blocks=tuple(blocks),
        word_signatures=_word_signatures(token_hashes, blocks),
        skeleton_blocks=tuple(skeleton_blocks),
        skeleton_signatures=skeleton_signatures,
    )


def document_signature(word_hashes: np.ndarray) -> np.ndarray:
    """The whole-text MinHash (word 3-shingles) behind the reported ``similarity`` figure.

    ``word_hashes`` are the words' symbol hashes, as :class:`Tokens` holds them (``tokens.hashes``, or slices of it):
    the words were hashed when they were tokenized. A text shorter than a shingle is padded with empty words.
    """
    missing = DOCUMENT_SPEC.shingle - len(word_hashes)
    if missing > 0:
        word_hashes = np.concatenate([word_hashes, np.full(missing, _EMPTY_HASH, dtype=np.uint32)])
    hashes = shingle_hashes(word_hashes.astype(np.uint32, copy=False), DOCUMENT_SPEC.shingle)
    return DOCUMENT_SPEC.signatures(hashes, [(0, len(hashes))])[0]
