"""Tokens are the same whatever the word numbering behind them: across threads, restarts and pickling."""

from __future__ import annotations

import pickle
import threading

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import fingerprints.tokens as tokens_module
from fingerprints import fingerprint, tokenize
from fingerprints.normalize import fold
from fingerprints.signature import symbol_hash

TEXT = "The Quick brown fox, said Dr. Smith in 2024, jumps over the lazy dog. It's fine!\nNext line here."


def _plain(tokens):
    return tokens.words, tokens.hashes.tolist(), tokens.immutable.tolist(), tokens.breaks


def test_hashes_and_flags_follow_each_folded_word():
    tokens = tokenize(TEXT)
    assert tokens.hashes.dtype == np.uint32 and tokens.immutable.dtype == bool
    assert tokens.hashes.tolist() == [symbol_hash(w) for w in tokens.words]
    kept = dict(zip(tokens.words, tokens.immutable.tolist()))
    assert kept["the"] and kept["quick"] and kept["2024"] and kept["smith"]  # function word, capital, number, name
    assert not kept["brown"] and not kept["lazy"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(), min_size=2, max_size=4))
def test_a_fresh_vocabulary_gives_the_same_tokens(texts):
    before = [_plain(tokenize(t)) for t in texts]
    saved = tokens_module._vocabulary
    tokens_module._vocabulary = tokens_module._Vocabulary()
    try:
        after = [_plain(tokenize(t)) for t in reversed(texts)][::-1]
    finally:
        tokens_module._vocabulary = saved
    assert after == before
    for text, (words, *_rest) in zip(texts, after):
        assert list(words) == [fold(text[s:e]) for s, e in zip(tokenize(text).starts, tokenize(text).ends)]


def test_numbering_starts_afresh_past_its_limit_and_old_tokens_keep_their_words(monkeypatch):
    monkeypatch.setattr(tokens_module, "_vocabulary", tokens_module._Vocabulary())
    monkeypatch.setattr(tokens_module, "_VOCABULARY_LIMIT", 10)
    first = tokenize(TEXT)  # fills the fresh vocabulary past its limit
    full = tokens_module._vocabulary
    second = tokenize("Completely different words arrive now, many of them unseen before today.")
    assert tokens_module._vocabulary is not full
    assert first.words[:3] == ("the", "quick", "brown")  # read only now, from the old vocabulary
    assert _plain(second) == _plain(tokenize("Completely different words arrive now, many of them unseen before today."))


def test_threads_numbering_new_words_at_once_agree_with_one_thread(monkeypatch):
    texts = [" ".join(f"w{t}x{i} shared{i % 50}" for i in range(3000)) for t in range(4)]
    monkeypatch.setattr(tokens_module, "_vocabulary", tokens_module._Vocabulary())
    results: dict[int, tuple] = {}

    def run(t: int) -> None:
        results[t] = _plain(tokenize(texts[t]))

    threads = [threading.Thread(target=run, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    monkeypatch.setattr(tokens_module, "_vocabulary", tokens_module._Vocabulary())
    assert [results[t] for t in range(4)] == [_plain(tokenize(t)) for t in texts]


def test_tokens_pickle_as_their_text():
    tokens = tokenize(TEXT)
    copy = pickle.loads(pickle.dumps(tokens))
    assert copy == tokens and _plain(copy) == _plain(tokens)
    fp = fingerprint(TEXT)
    again = pickle.loads(pickle.dumps(fp))
    assert np.array_equal(again.word_signatures, fp.word_signatures) and again.tokens == fp.tokens
