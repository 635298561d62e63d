"""fingerprints: a pure text-fingerprinting library (no network, no database).

Normalize text, cut it into sentence blocks, MinHash the blocks (word
shingles, and a spin-resistant skeleton), look candidates up in an LSH index,
and align a copy with its original to get the matched passages with
character offsets in both texts.
"""

from .align import AlignParams, Passage, align
from .blocks import Block, sentence_blocks
from .catalog import Candidate, Catalog
from .fingerprint import Fingerprint, document_signature, fingerprint
from .index import LSHIndex
from .markup import split_front_matter, strip_markdown
from .normalize import fold, normalize
from .signature import DOCUMENT_SPEC, SKELETON_SPEC, WORD_SPEC, SignatureSpec, shingle_hashes, symbol_hashes
from .tokens import MUTABLE, Tokens, skeleton, tokenize

__all__ = [
    "AlignParams", "Passage", "align", "Block", "sentence_blocks", "Candidate", "Catalog", "Fingerprint",
    "document_signature", "fingerprint", "LSHIndex", "split_front_matter", "strip_markdown", "fold", "normalize",
    "DOCUMENT_SPEC", "SKELETON_SPEC", "WORD_SPEC", "SignatureSpec", "shingle_hashes", "symbol_hashes",
    "MUTABLE", "Tokens", "skeleton", "tokenize",
]
