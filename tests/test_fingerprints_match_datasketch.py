"""Block signatures are real datasketch 2.x MinHashes, and carry their scheme."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash

from fingerprints import DOCUMENT_SPEC, SKELETON_SPEC, WORD_SPEC, SignatureSpec, fingerprint, shingle_hashes, symbol_hashes
from fingerprints.blocks import sentence_blocks
from fingerprints.tokens import tokenize

TEXT = (
    "The starter sat on the cold windowsill for three days. Nothing happened at all, and I began to doubt it.\n"
    "Then, on the fourth morning, bubbles appeared along the glass. The smell turned sour and bright."
)


def test_vectorized_block_signatures_equal_datasketch_update_batch():
    fp = fingerprint(TEXT)
    hashes = shingle_hashes(symbol_hashes(fp.tokens.words), WORD_SPEC.shingle)
    assert len(fp.word_blocks) == 4
    for block, row in zip(fp.word_blocks, fp.word_signatures):
        reference = MinHash(num_perm=WORD_SPEC.num_perm, seed=WORD_SPEC.seed, scheme=WORD_SPEC.scheme,
                            hashfunc=int)
        reference.update_batch(hashes[block.first : block.last - WORD_SPEC.shingle + 2])
        assert np.array_equal(reference.hashvalues, row)


def test_signatures_of_different_schemes_refuse_to_compare():
    fp = fingerprint(TEXT)
    ours = WORD_SPEC.minhash(fp.word_signatures[0])
    legacy = MinHash(num_perm=WORD_SPEC.num_perm, seed=WORD_SPEC.seed, scheme="legacy")
    with pytest.raises(ValueError, match="scheme"):
        ours.jaccard(legacy)


def test_a_sentence_yields_the_same_block_whatever_surrounds_it():
    sentence = "Then, on the fourth morning, bubbles appeared along the glass."
    alone = fingerprint(sentence)
    inside = fingerprint("Unrelated words come first here. " + sentence + " And more unrelated words after it.")
    assert any(np.array_equal(alone.word_signatures[0], row) for row in inside.word_signatures)


def test_short_sentences_are_not_blocks():
    text = "Thanks for reading. See you soon.\nA much longer sentence that is long enough to count as a block."
    tokens = tokenize(text)
    blocks = sentence_blocks(text, tokens)
    assert [" ".join(tokens.words[b.first : b.last + 1]) for b in blocks] == [
        "a much longer sentence that is long enough to count as a block"
    ]


def test_permutations_and_jaccard_are_datasketchs_own():
    rng = np.random.default_rng(5)
    for spec in (WORD_SPEC, SKELETON_SPEC, DOCUMENT_SPEC, SignatureSpec("other", shingle=3, num_perm=32, seed=7)):
        reference = MinHash(num_perm=spec.num_perm, seed=spec.seed, scheme=spec.scheme).permutations
        assert spec.permutations.dtype == reference.dtype and np.array_equal(spec.permutations, reference)
        first = rng.integers(0, 4, spec.num_perm).astype(np.uint32)
        second = rng.integers(0, 4, spec.num_perm).astype(np.uint32)
        assert spec.jaccard(first, second) == spec.minhash(first).jaccard(spec.minhash(second))


def test_fingerprinting_and_checking_do_not_import_datasketch():
    # datasketch's package imports scipy.integrate: half a second of every process, for nothing the matcher uses
    code = ("import sys, detector.cli, detector.checking\n"
            "from detector.api import Detector\n"
            "from detector.config import load_config\n"
            "det = Detector(load_config(db=':memory:'))\n"
            "det.register(['detector/samples/posts'])\n"
            "assert det.check(['detector/samples/pages/spun-copy.html'])[0].matches\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'datasketch', 'scipy'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.strip().splitlines()[-1] == "[]"
