"""The matcher's bar, on labelled copies built from the non-holdout corpus.

The full figures (more pages per kind) come from ``bench/eval_accuracy.py``;
this is the same measurement at a size that fits in ``make test``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from detector.config import Config
from detector.evaluation import Scores, evaluate
from detector.synth.copies import make_set, work_url

from .conftest import SHARED

CORPUS = SHARED / "corpus"


@pytest.fixture(scope="module")
def scores() -> Scores:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the checkout")
    works, examples = make_set(Path(CORPUS), "train", 12, seed=3)
    return evaluate([(w.path, work_url(w)) for w in works], examples, Config())


@pytest.mark.parametrize("kind", ["verbatim_real_chrome", "verbatim_farm"])
def test_verbatim_copies_in_real_and_farm_chrome_are_all_found(scores, kind):
    assert scores.recall(kind) >= 0.99


def test_spun_copies_up_to_seed_level_are_found(scores):
    assert scores.recall("spun") >= 0.95


def test_partial_copies_inside_large_pages_are_found(scores):
    assert scores.recall("partial") >= 0.95


def test_unrelated_same_field_posts_match_nothing(scores):
    unrelated = scores.by_kind()["unrelated"]
    assert all(o.found is None and o.others == 0 for o in unrelated)


def test_quotations_and_syndicated_copies_are_never_takedowns(scores):
    for kind in ("quote", "syndicated"):
        assert not any(o.found and o.found.takedown for o in scores.by_kind()[kind])
    assert scores.wrong_takedowns() == 0


def test_found_quotations_are_quotes(scores):
    quotes = [o for o in scores.by_kind()["quote"] if o.found]
    assert quotes and all(o.found.extent == "quote" for o in quotes if o.found)


def test_extent_is_right_for_matched_copies(scores):
    assert scores.extent_accuracy() >= 0.95
