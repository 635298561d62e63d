"""``detector train``: fit the chrome and spin models on copies generated from the corpus.

The labelled pages come from :mod:`detector.synth` on the corpus's training
split only (everything listed in ``HOLDOUT`` is left out by construction).
Each page goes through the real pipeline (extract, match) so the models learn
from the features they will see in use.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sklearn.model_selection import cross_val_score

from ..config import Config
from ..evaluation import scratch_detector
from ..extract import extract_html, extract_text
from ..extract.features import visible_text
from ..synth.copies import Example, make_set, work_url
from ..synth.corpus import CorpusPost, sample_pages
from ..synth.edits import light_edit, reworded
from . import CHROME_FEATURES, SPIN_FEATURES, match_features
from .model import LinearFlag

__all__ = ["TrainingRows", "training_set", "feature_rows", "train"]


@dataclass
class TrainingRows:
    """Feature rows and labels of the matched examples."""

    chrome_x: list[list[float]]
    chrome_y: list[int]
    spin_x: list[list[float]]
    spin_y: list[int]


def training_set(corpus: Path, split: str, per_kind: int, seed: int) -> tuple[list[CorpusPost], list[Example]]:
    """The synth set plus light edits and rewordings (negatives for the spin flag)."""
    works, examples = make_set(corpus, split, per_kind, seed)
    rng = random.Random(seed + 1)
    pages = sample_pages(corpus, split, min(2 * per_kind + 2, 40), rng)
    for number in range(per_kind):
        examples.append(light_edit(works[number % len(works)], rng, pages))
        examples.append(reworded(works[(number + 7) % len(works)], rng, pages))
    return works, examples


def feature_rows(works: list[CorpusPost], examples: list[Example], config: Config,
                 progress: Callable[[], None] | None = None) -> TrainingRows:
    """Run every example through extract and match; keep the features of the labelled work's match."""
    rows = TrainingRows([], [], [], [])
    with scratch_detector([(post.path, work_url(post)) for post in works], config) as detector:
        by_url = {w.url: w for w in detector.store.works()}
        for number, example in enumerate(examples):
            work = by_url.get(work_url(next(p for p in works if p.path == example.work_path)))
            page = extract_html(example.html)
            pages = [(page, bool(example.label["chrome"]))]
            if number % 3 == 0:  # as saved from a browser: the whole page as plain text
                pages.append((extract_text(visible_text(example.html)), bool(example.label["chrome"])))
            elif number % 3 == 1:  # the copied article alone, as text, with no chrome at all
                pages.append((extract_text(page.text), False))
            for page, chrome in pages:
                found = next((f for f in detector.matcher.match(page.text) if work and f.work_id == work.id), None)
                if found is not None and work is not None:
                    chrome_row, spin_row, _ = match_features(found, page, work)
                    rows.chrome_x.append(chrome_row)
                    rows.chrome_y.append(int(chrome))
                    rows.spin_x.append(spin_row)
                    rows.spin_y.append(int(bool(example.label["spun"])))
            if progress:
                progress()
    return rows


def _fit(x: list[list[float]], y: list[int]) -> tuple[LinearFlag, float]:
    model = LinearFlag(C=1.0)
    folds = min(5, int(min(np.bincount(y, minlength=2))))
    f1 = float(np.mean(cross_val_score(LinearFlag(C=1.0), np.array(x), np.array(y), cv=folds, scoring="f1"))) \
        if folds >= 2 else float("nan")
    return model.fit(np.array(x), np.array(y)), f1


def train(corpus: Path, out: Path, per_kind: int = 40, seed: int = 7, config: Config | None = None,
          progress: Callable[[], None] | None = None) -> dict[str, object]:
    """Fit both models on the training split and write them to ``out``; returns the summary written."""
    works, examples = training_set(corpus, "train", per_kind, seed)
    rows = feature_rows(works, examples, config or Config(), progress)
    chrome, chrome_f1 = _fit(rows.chrome_x, rows.chrome_y)
    spun, spun_f1 = _fit(rows.spin_x, rows.spin_y)
    summary: dict[str, object] = {
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "corpus_split": "train", "per_kind": per_kind, "seed": seed, "pages": len(examples),
        "matched": len(rows.chrome_y), "chrome_cv_f1": round(chrome_f1, 4), "spun_cv_f1": round(spun_f1, 4),
    }
    data = {"summary": summary, "chrome": chrome.to_dict(CHROME_FEATURES), "spun": spun.to_dict(SPIN_FEATURES)}
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    tmp.replace(out)
    return summary
