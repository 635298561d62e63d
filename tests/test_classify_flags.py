"""Chrome and spin flags, with reasons, on the seeds and on the non-holdout corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from detector.classify import CHROME_FEATURES, MODEL_PATH, Models
from detector.classify.model import LinearFlag
from detector.classify.weights import FlagWeights
from detector.config import Config
from detector.evaluation import Scores, evaluate
from detector.classify.train import training_set
from detector.synth.copies import work_url

from .conftest import SHARED
from .test_seeds_are_found import _register_seeds


def test_the_mirror_is_chrome_not_spun_and_the_spun_copy_is_spun(run, seeds, tmp_path):
    _register_seeds(run, seeds, tmp_path)
    pages = json.loads(run("check", "--json", str(seeds / "001_a03ae8ee87d21497.txt"),
                           str(seeds / "000_fa060d9cc35a0ee4.txt")).out)
    mirror, spun = pages[0]["matches"][0], pages[1]["matches"][0]
    assert mirror["chrome"] is True and mirror["spun"] is False
    assert spun["spun"] is True and spun["chrome"] is False
    assert any("links to other posts" in r for r in mirror["reasons"])
    substitution = next(r for r in spun["reasons"] if "content words replaced" in r)
    assert "learning\u2192studying" in substitution and "company\u2192firm" in substitution


def test_the_shipped_model_is_json_and_loads_without_unpickling():
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["chrome"]["features"] == list(CHROME_FEATURES)
    assert data["summary"]["corpus_split"] == "train"
    models = Models.from_file(MODEL_PATH)
    assert 0.0 <= models.spun.score_one([0.35, 0.5, 0.0, 0.2, 0.7, 0.8, 0.2, 20.0, 0.0]) <= 1.0


def test_the_flag_model_keeps_the_estimator_contract():
    rng = np.random.RandomState(0)
    x = rng.normal(size=(80, 3))
    y = (x[:, 0] + 0.3 * x[:, 1] > 0).astype(int)
    model = LinearFlag(C=0.5)
    assert model.get_params()["C"] == 0.5 and not hasattr(model, "coef_")
    with pytest.raises(NotFittedError):
        model.predict(x)
    assert model.fit(x, y) is model
    again = LinearFlag.from_dict(model.to_dict(("a", "b", "c")), ("a", "b", "c"))
    assert np.array_equal(model.predict(x), again.predict(x))
    assert abs(model.score_one(list(x[0])) - model.predict_proba(x[:1])[0, 1]) < 1e-9
    assert (model.predict(x) == y).mean() > 0.9


def test_shipped_weights_score_as_the_fitted_estimator_predicts():
    rng = np.random.RandomState(1)
    x = rng.normal(size=(60, 3))
    y = (x[:, 1] - x[:, 2] > 0).astype(int)
    model = LinearFlag(C=1.0).fit(x, y)
    weights = FlagWeights.from_dict(json.loads(json.dumps(model.to_dict(("a", "b", "c")))), ("a", "b", "c"))
    assert weights == model.weights(("a", "b", "c"))
    for row in x[:10]:
        assert abs(weights.score_one(list(row)) - model.predict_proba(row[None, :])[0, 1]) < 1e-9


@pytest.mark.parametrize("broken", [{"coef": [1.0, 2.0]}, {"scale": [1.0, 0.0, 1.0]}, {"mean": "abc"},
                                    {"features": ["a", "b", "x"]}, {"intercept": None}])
def test_weights_that_do_not_fit_their_features_are_refused(broken):
    data = {"features": ["a", "b", "c"], "mean": [0.0] * 3, "scale": [1.0] * 3, "coef": [0.5] * 3,
            "intercept": 0.1, "threshold": 0.5, **broken}
    with pytest.raises(ValueError):
        FlagWeights.from_dict(data, ("a", "b", "c"))


def test_checking_pages_does_not_import_scikit_learn():
    # scoring a match is a dot product; importing scikit-learn would add most of a second to every process
    code = ("import sys, detector.cli\n"
            "from detector.classify import load_models\n"
            "models = load_models()\n"
            "assert 0.0 <= models.chrome.score_one([0.0] * len(models.chrome.features)) <= 1.0\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'sqlalchemy'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def scores() -> Scores:
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not beside the checkout")
    works, examples = training_set(Path(corpus), "train", 10, seed=21)
    return evaluate([(w.path, work_url(w)) for w in works], examples, Config())


@pytest.mark.parametrize("flag", ["chrome", "spun"])
def test_flags_reach_f1_095_on_generated_copies(scores, flag):
    _, _, f1, judged = scores.flag_scores(flag)
    assert judged >= 60 and f1 >= 0.95


def test_verbatim_copies_and_light_edits_are_not_spun(scores):
    assert scores.verbatim_flagged_spun() <= 0.02
    edited = [o for o in scores.by_kind()["light_edit"] if o.found]
    assert edited and not any(o.found.spun for o in edited if o.found)


def test_reworded_copies_are_not_spun(scores):
    assert not any(o.found and o.found.spun for o in scores.by_kind()["reworded"])


def test_no_takedown_on_quotations_or_authorized_copies(scores):
    assert scores.wrong_takedowns() == 0


def test_a_quotation_that_links_to_the_original_says_so(run, tmp_path):
    samples = Path(__file__).resolve().parent.parent / "detector" / "samples"
    run("register", str(samples / "posts"))
    match = json.loads(run("check", "--json", str(samples / "pages" / "quote.html")).out)[0]["matches"][0]
    assert match["extent"] == "quote" and match["takedown"] is False
    assert "The page links to the original, as a quotation's attribution does." in match["reasons"]
