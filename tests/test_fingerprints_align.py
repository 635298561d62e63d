"""Alignment returns passages whose offsets point at the copied words in both texts."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from fingerprints import align, tokenize

from .conftest import SEEDS, seed_original

WORDS = ("river stone lantern orchard copper meadow signal harbor ember thistle violin canyon "
         "the of and to in a is that it was for on with as").split()


def _prose(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)) + "."


def test_a_copied_paragraph_inside_other_text_is_one_passage_with_exact_offsets():
    rng = random.Random(1)
    copied = "Bubbles climbed the jar while the kitchen stayed cold, and the starter doubled by noon on Sunday."
    work = _prose(rng, 80) + " " + copied + " " + _prose(rng, 80)
    page = "Completely different words open this page here. " + copied + " Nothing else is shared at all."
    passages = align(tokenize(work), tokenize(page))
    assert len(passages) == 1
    p = passages[0]
    assert work[p.work_start:p.work_end] == page[p.page_start:p.page_end]
    assert copied.rstrip(".") in page[p.page_start:p.page_end]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=0, max_size=300), st.integers(0, 299), st.integers(0, 299))
def test_passage_offsets_always_lie_inside_both_texts(words, cut_a, cut_b):
    work = " ".join(words)
    a, b = sorted((cut_a % (len(words) + 1), cut_b % (len(words) + 1)))
    page = "prefix words here " + " ".join(words[a:b]) + " suffix"
    for p in align(tokenize(work), tokenize(page)):
        assert 0 <= p.work_start < p.work_end <= len(work)
        assert 0 <= p.page_start < p.page_end <= len(page)


def test_a_text_matches_itself_at_full_coverage():
    if not SEEDS.is_dir():
        return
    tokens = tokenize(seed_original())
    passages = align(tokens, tokens)
    covered = sum(p.work_words for p in passages)
    assert covered == len(tokens)


def test_unrelated_essays_on_the_same_topic_share_no_passage():
    if not SEEDS.is_dir():
        return
    essays = [(SEEDS / n).read_text(encoding="utf-8") for n in
              ("002_10237a4e1a160813.txt", "003_51a96a3243ed4d68.txt", "004_a0ba825a585501ce.txt")]
    essays.append(seed_original())
    for i, a in enumerate(essays):
        for b in essays[i + 1 :]:
            assert align(tokenize(a), tokenize(b)) == []
