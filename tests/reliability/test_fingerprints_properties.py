"""Properties of the fingerprints library that must hold for any text, searched for by hypothesis.

Normalization is a fixed point; alignment only ever points inside both
texts, at words that really are equal; a text matches itself in full; and a
signature comes back from the store bit for bit, with the spec that made it.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from detector.config import MatchConfig
from detector.match import Matcher, work_signatures
from detector.store import Store, WorkRecord
from fingerprints import Catalog, align, fingerprint, fold, normalize, tokenize
from fingerprints.signature import SKELETON_SPEC, WORD_SPEC

from .conftest import scaled

# Characters that normalization treats specially, or that Unicode folds in surprising ways.
TRICKY = ("\u2018\u2019\u201c\u201d\u2013\u2014\u2212\u00a0\u2007\u202f\u200b\u200d\u2060\ufeff\u00ad"
          "\u0301\u0308\u0345\u0130\u0131\u00df\u1e9e\ufb01\ufb03\uff21\uff41\u2126\u212b\u01c5\u03c2\u1fbe"
          "\u3000\u2028\u2029\u0085\r\n\t\x0b\x0c\x1c\u00b4`'\"-_.,;:!?\u2026()[]{}*#<>&\u0000\ufffd"
          "\u3099\u309a\uff9e\u1100\u1161\u11a8\u0627\u0644\u05d0\u0e01\u0e33\u4e00\u65e5\ud7a3")
TRICKY_TEXT = st.text(st.one_of(st.sampled_from(TRICKY), st.characters(codec="utf-8")), max_size=200)

FUNCTION = "the of and to in a is that it was for on with as at by from this but not or be have we you".split()
CONTENT = ("river stone lantern orchard copper meadow signal harbor ember thistle violin canyon wheel spoke rim "
           "tension bread starter flour kitchen tide chart moon harbour notebook sparrow heron feather wing "
           "mountain valley engine garden window winter summer letter paper ocean island").split()
NAMES = "Ada Lovelace Paris Kyoto Tuesday March Python".split()
NUMBERS = "1 2 3 14 42 100 2024 3.5".split()
SYNONYMS = {"river": "stream", "stone": "rock", "lantern": "lamp", "meadow": "field", "harbor": "port",
            "kitchen": "galley", "bread": "loaf", "window": "pane", "garden": "yard", "letter": "note",
            "mountain": "peak", "ocean": "sea", "engine": "motor", "paper": "sheet", "winter": "cold"}
WORD = st.one_of(st.sampled_from(CONTENT), st.sampled_from(FUNCTION), st.sampled_from(NAMES),
                 st.sampled_from(NUMBERS), st.from_regex(r"[a-zà-ÿ]{2,9}", fullmatch=True))
SEPARATOR = st.sampled_from([" ", " ", " ", ", ", " \u2014 ", "  ", "\n", " (", ") ", "\u00a0"])
END = st.sampled_from([". ", "! ", "? ", ".\n\n", "; ", ".\u201d ", "\u2026 "])


@st.composite
def prose(draw: st.DrawFn, min_sentences: int = 1, max_sentences: int = 12) -> str:
    """Sentences of words with varied spacing and punctuation."""
    out = []
    for _ in range(draw(st.integers(min_sentences, max_sentences))):
        words = draw(st.lists(WORD, min_size=1, max_size=30))
        seps = draw(st.lists(SEPARATOR, min_size=len(words) - 1, max_size=len(words) - 1))
        sentence = words[0].capitalize() + "".join(s + w for s, w in zip(seps, words[1:]))
        out.append(sentence + draw(END))
    return "".join(out)


@st.composite
def spun_copy(draw: st.DrawFn, work: str) -> str:
    """``work`` with words swapped for synonyms, dropped, added, re-cased, surrounded by other prose."""
    pieces = []
    for token in work.split(" "):
        action = draw(st.sampled_from(["keep"] * 6 + ["swap", "drop", "add", "case"]))
        bare = token.strip(".,;:!?()\u2014\u201d\u2026\n").lower()
        if action == "swap" and bare in SYNONYMS:
            token = token.lower().replace(bare, SYNONYMS[bare])
        elif action == "drop":
            continue
        elif action == "add":
            pieces.append(draw(WORD))
        elif action == "case":
            token = token.upper()
        pieces.append(token)
    before = draw(st.one_of(st.just(""), prose(max_sentences=3)))
    after = draw(st.one_of(st.just(""), prose(max_sentences=3)))
    return before + " ".join(pieces) + " " + after


def _examples(n: int):
    return settings(max_examples=n, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


@pytest.mark.parametrize("examples", scaled(300, 5000))
def test_normalization_is_a_fixed_point(examples, ledger):
    tried = []

    @_examples(examples)
    @given(st.one_of(TRICKY_TEXT, prose()))
    def check(text: str) -> None:
        tried.append(1)
        once = normalize(text)
        assert normalize(once) == once
        for token in text.split():
            assert fold(fold(token)) == fold(token)

    check()
    ledger.record("fuzzing", "fingerprints: normalization idempotent", inputs=len(tried))


def _check_passages(work: str, page: str) -> None:
    wt, pt = tokenize(work), tokenize(page)
    passages = align(wt, pt)
    last_page_end = -1
    for p in passages:
        assert 0 <= p.work_first <= p.work_last < len(wt) and 0 <= p.page_first <= p.page_last < len(pt)
        assert 0 <= p.work_start < p.work_end <= len(work) and 0 <= p.page_start < p.page_end <= len(page)
        assert (p.work_start, p.work_end) == wt.span(p.work_first, p.work_last)
        assert (p.page_start, p.page_end) == pt.span(p.page_first, p.page_last)
        assert p.page_first > last_page_end, "passages overlap in the page"
        last_page_end = p.page_last
        assert p.anchors and p.shared == len(p.anchors)
        for (i, j), (k, m) in zip(p.anchors, p.anchors[1:]):
            assert i < k and j < m, "anchors out of order"
        for i, j in p.anchors:
            assert p.work_first <= i <= p.work_last and p.page_first <= j <= p.page_last
            assert wt.words[i] == pt.words[j], "an anchor pairs two different words"
            assert fold(work[wt.starts[i]:wt.ends[i]]) == fold(page[pt.starts[j]:pt.ends[j]])


@pytest.mark.parametrize("examples", scaled(150, 3000))
def test_alignment_points_inside_both_texts_at_equal_words(examples, ledger):
    tried = []

    @_examples(examples)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        tried.append(1)
        work = data.draw(prose(min_sentences=2, max_sentences=20))
        page = data.draw(st.one_of(spun_copy(work), prose(), TRICKY_TEXT, st.just(work)))
        _check_passages(work, page)

    check()
    ledger.record("fuzzing", "fingerprints: alignment offsets and anchors", inputs=len(tried))


def _repeats_little(text: str, most: int = 6) -> bool:
    """No word bigram repeats more often than alignment accepts as a seed (a refrain is not a copy signal)."""
    words = tokenize(text).words
    counts: dict[tuple[str, str], int] = {}
    for pair in zip(words, words[1:]):
        counts[pair] = counts.get(pair, 0) + 1
    return max(counts.values(), default=0) <= most


@pytest.mark.parametrize("examples", scaled(100, 1500))
def test_a_page_matches_itself_at_coverage_1(examples, ledger):
    tried = []
    others = [fingerprint(f"{name} wrote about the {a} and the {b} near the {c} in the spring of {n}. " * 3)
              for name, a, b, c, n in zip(NAMES, CONTENT, CONTENT[5:], CONTENT[10:], NUMBERS)]

    @_examples(examples)
    @given(prose(min_sentences=2, max_sentences=25))
    def check(text: str) -> None:
        assume(len(tokenize(text)) >= 20 and _repeats_little(text))
        tried.append(1)
        catalog = Catalog()
        for number, other in enumerate(others, 2):
            catalog.add(number, other.word_signatures, other.skeleton_signatures)
        fp = fingerprint(text)
        catalog.add(1, fp.word_signatures, fp.skeleton_signatures)
        matcher = Matcher(catalog, lambda work_id: text, MatchConfig())
        found = [f for f in matcher.match(text) if f.work_id == 1]
        tokens = tokenize(text)
        covered = sum(p.work_words for p in align(tokens, tokens))
        if fp.word_signatures.shape[0]:
            assert found and found[0].coverage == 1.0 and found[0].extent in ("full", "quote")
        assert covered == len(tokens)

    check()
    ledger.record("fuzzing", "fingerprints: self-match coverage 1", inputs=len(tried))


@pytest.mark.parametrize("examples", scaled(60, 1500))
def test_a_signature_survives_the_store(examples, ledger, tmp_path):
    tried = []
    store = Store.open(tmp_path / "store.db")

    @_examples(examples)
    @given(st.one_of(prose(max_sentences=30), TRICKY_TEXT))
    def check(text: str) -> None:
        tried.append(1)
        fp = fingerprint(text)
        records = work_signatures(fp)
        outcome = store.add_work(WorkRecord(key=f"k{len(tried)}", text=f"{len(tried)} {text}", source="fuzz"),
                                 records)
        stored = {r.kind: r for work_id, r in store.signatures() if work_id == outcome.work_id}
        assert set(stored) == {WORD_SPEC.name, SKELETON_SPEC.name}
        for record in records:
            back = stored[record.kind]
            assert (back.scheme, back.num_perm, back.seed, back.shingle) == \
                (record.scheme, record.num_perm, record.seed, record.shingle)
            assert back.hashvalues.dtype == np.uint32 and back.hashvalues.shape == record.hashvalues.shape
            assert np.array_equal(back.hashvalues, record.hashvalues)

    try:
        check()
    finally:
        store.close()
    ledger.record("fuzzing", "fingerprints: signature store round trip", inputs=len(tried))
