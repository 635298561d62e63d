"""What a trained flag ships as, and all that scoring a match needs: the weights, read from JSON.

Scoring is one logistic dot product over a dozen features, so the run-time
side needs nothing from scikit-learn. Importing scikit-learn (it pulls in
scipy) costs about 0.8 s, and every process that checks pages paid it,
each spawned worker included, for a class whose fitting it never ran.
Training (:class:`detector.classify.model.LinearFlag`) still fits with
scikit-learn and hands its fit over as :class:`FlagWeights`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["FlagWeights", "logistic"]


def logistic(row: Sequence[float], mean: Sequence[float], scale: Sequence[float], coef: Sequence[float],
             intercept: float) -> float:
    """The probability of a standardized linear model for one feature vector, in plain Python
    (a dozen features: numpy's per-call overhead would cost more than the arithmetic)."""
    z = intercept + sum((x - m) / s * c for x, m, s, c in zip(row, mean, scale, coef, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@dataclass(frozen=True)
class FlagWeights:
    """A fitted flag: feature standardization, logistic weights and the decision threshold."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    C: float = 1.0

    def __post_init__(self) -> None:
        sizes = {len(self.features), len(self.mean), len(self.scale), len(self.coef)}
        if len(sizes) != 1:
            raise ValueError(f"model has {len(self.features)} features but weights of sizes {sorted(sizes)}")
        if any(s <= 0 for s in self.scale):
            raise ValueError("model feature scales must be positive")

    def score_one(self, row: Sequence[float]) -> float:
        """Probability that the flag applies to one feature vector."""
        return logistic(row, self.mean, self.scale, self.coef, self.intercept)

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
                "coef": list(self.coef), "intercept": self.intercept, "threshold": self.threshold, "C": self.C}

    @classmethod
    def from_dict(cls, data: dict[str, Any], features: tuple[str, ...]) -> FlagWeights:
        """Weights from JSON data; refuses data made for other features (ValueError, as for bad numbers)."""
        if tuple(data.get("features", ())) != tuple(features):
            raise ValueError(f"model features {data.get('features')} do not match {list(features)}")
        try:
            return cls(features=tuple(features), mean=tuple(map(float, data["mean"])),
                       scale=tuple(map(float, data["scale"])), coef=tuple(map(float, data["coef"])),
                       intercept=float(data["intercept"]), threshold=float(data["threshold"]),
                       C=float(data.get("C", 1.0)))
        except (KeyError, TypeError) as error:
            raise ValueError(f"model data is incomplete or not numbers: {error}") from None
