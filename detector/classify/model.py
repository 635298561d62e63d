"""A small linear model that keeps scikit-learn's estimator contract and ships as JSON.

Trained with scikit-learn's LogisticRegression on standardized features;
what ships is the means, scales, coefficients and intercept in a JSON file
inside the package. Loading it runs no code from the file (no pickle, no
skops trust list to audit), and predicting is one dot product, far inside
the 2 ms budget per match. A linear model over a dozen readable features
also lets a reason name what pushed a page over the line.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted, check_X_y, validate_data

__all__ = ["LinearFlag"]


class LinearFlag(ClassifierMixin, BaseEstimator):
    """Binary flag: logistic regression over standardized features, serializable to JSON."""

    def __init__(self, C: float = 1.0, class_weight: str | None = "balanced", threshold: float = 0.5) -> None:
        self.C = C
        self.class_weight = class_weight
        self.threshold = threshold

    def fit(self, X: Any, y: Any) -> LinearFlag:
        X, y = check_X_y(X, y)
        self.classes_ = np.array([0, 1])
        self.n_features_in_ = X.shape[1]
        self.mean_ = X.mean(axis=0)
        scale = X.std(axis=0)
        self.scale_ = np.where(scale > 1e-9, scale, 1.0)
        model = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=2000)
        model.fit((X - self.mean_) / self.scale_, y)
        self.coef_ = model.coef_[0]
        self.intercept_ = float(model.intercept_[0])
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, reset=False)
        return ((X - self.mean_) / self.scale_) @ self.coef_ + self.intercept_

    def predict_proba(self, X: Any) -> np.ndarray:
        positive = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.stack([1 - positive, positive], axis=1)

    def predict(self, X: Any) -> np.ndarray:
        return (self.predict_proba(X)[:, 1] >= self.threshold).astype(int)

    def score_one(self, row: list[float]) -> float:
        """Probability for one feature vector, without numpy overhead (the per-match path)."""
        z = self.intercept_ + sum((x - m) / s * c for x, m, s, c in zip(row, self.mean_, self.scale_, self.coef_))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def to_dict(self, features: tuple[str, ...]) -> dict[str, Any]:
        check_is_fitted(self, "coef_")
        return {
            "features": list(features), "mean": self.mean_.tolist(), "scale": self.scale_.tolist(),
            "coef": self.coef_.tolist(), "intercept": self.intercept_, "threshold": self.threshold, "C": self.C,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], features: tuple[str, ...]) -> LinearFlag:
        """Rebuild a fitted model from JSON data; refuses data made for other features."""
        if tuple(data.get("features", ())) != tuple(features):
            raise ValueError(f"model features {data.get('features')} do not match {list(features)}")
        model = cls(C=float(data.get("C", 1.0)), threshold=float(data["threshold"]))
        model.classes_ = np.array([0, 1])
        model.n_features_in_ = len(features)
        model.mean_ = np.array(data["mean"], dtype=float)
        model.scale_ = np.array(data["scale"], dtype=float)
        model.coef_ = np.array(data["coef"], dtype=float)
        model.intercept_ = float(data["intercept"])
        return model
