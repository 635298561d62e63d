"""Classify: flag each verified copy (chrome, spun), decide authorized and takedown, say why.

The flags come from two linear models trained by ``detector train`` and
shipped as ``model.json`` (:class:`.weights.FlagWeights`: scoring them
needs no scikit-learn); authorization and quotation are rules
(:mod:`.rules`). Every flag carries reasons a person can check on the page.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..config import Config
from ..extract import Page
from ..match import Found
from ..store import MatchRecord, StoredWork
from .chrome import CHROME_FEATURES, byline_differs, chrome_reasons, chrome_vector, features_of
from .rules import authorization, credits_original, takedown_reasons
from .spin import SPIN_FEATURES, SpinEvidence, spin_evidence
from .weights import FlagWeights

__all__ = ["classify", "Models", "load_models", "MODEL_PATH", "match_features"]

MODEL_PATH = Path(str(resources.files("detector.classify") / "model.json"))


class Models:
    """The two flag models, loaded from JSON."""

    def __init__(self, chrome: FlagWeights, spun: FlagWeights) -> None:
        self.chrome = chrome
        self.spun = spun

    @classmethod
    def from_file(cls, path: Path) -> Models:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(FlagWeights.from_dict(data["chrome"], CHROME_FEATURES),
                   FlagWeights.from_dict(data["spun"], SPIN_FEATURES))


@lru_cache(maxsize=4)
def load_models(path: Path = MODEL_PATH) -> Models | None:
    """The shipped models, or None before the first ``detector train``."""
    return Models.from_file(path) if path.exists() else None


def match_features(found: Found, page: Page, work: StoredWork) -> tuple[list[float], list[float], SpinEvidence]:
    """The chrome and spin feature vectors of one match (what the models see)."""
    differs = byline_differs(page.byline, work.author)
    chrome = chrome_vector(features_of(page), found.copied_words, differs)
    evidence = spin_evidence(found.work_tokens, found.page_tokens, found.passages)
    return chrome, evidence.vector(), evidence


def _spin_reason(evidence: SpinEvidence) -> str:
    shown = []
    for before, after in evidence.substitutions:
        pair = f"{before}\u2192{after}"
        if pair not in shown:
            shown.append(pair)
        if len(shown) == 6:
            break
    share = evidence.content_changed / evidence.content_words if evidence.content_words else 0.0
    kept = evidence.function_kept / evidence.function_words if evidence.function_words else 1.0
    return (f"{share:.0%} of content words replaced while word order and {kept:.0%} of function words are kept: "
            + ", ".join(shown) + (", \u2026" if len(evidence.substitutions) > len(shown) else ""))


def classify(found: Found, page: Page, page_url: str | None, work: StoredWork, config: Config,
             models: Models | None = None) -> MatchRecord:
    """Turn a verified copy into a stored match with flags, scores and plain-sentence reasons."""
    models = models or load_models()
    authorized_by = authorization(page, page_url, work, config)
    reasons = takedown_reasons(found, authorized_by, config, credits_original(page, work))
    chrome_score = spun_score = 0.0
    chrome = spun = False
    if models is not None:
        chrome_row, spin_row, evidence = match_features(found, page, work)
        chrome_score = round(models.chrome.score_one(chrome_row), 4)
        spun_score = round(models.spun.score_one(spin_row), 4)
        found_chrome = chrome_reasons(features_of(page), found.copied_words, page.byline,
                                      byline_differs(page.byline, work.author))
        # A flag must come with something a person can check on the page.
        chrome = chrome_score >= models.chrome.threshold and bool(found_chrome)
        spun = spun_score >= models.spun.threshold and bool(evidence.substitutions)
        if chrome:
            reasons += found_chrome
        if spun:
            reasons.append(_spin_reason(evidence))
    takedown = found.extent in ("full", "partial") and not authorized_by
    return MatchRecord(
        work_id=found.work_id, extent=found.extent, coverage=found.coverage, similarity=found.similarity,
        copied_words=found.copied_words,
        passages=[
            {"work_start": p.work_start, "work_end": p.work_end, "page_start": p.page_start, "page_end": p.page_end}
            for p in found.passages
        ],
        chrome=chrome, chrome_score=chrome_score, spun=spun, spun_score=spun_score,
        authorized=bool(authorized_by), takedown=takedown, reasons=reasons,
    )
