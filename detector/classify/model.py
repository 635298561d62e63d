"""A small linear model that keeps scikit-learn's estimator contract and ships as JSON.

Trained with scikit-learn's LogisticRegression on standardized features;
what ships is the means, scales, coefficients and intercept in a JSON file
inside the package (:class:`~detector.classify.weights.FlagWeights`).
Loading it runs no code from the file (no pickle, no skops trust list to
audit), and predicting is one dot product, far inside the 2 ms budget per
match. A linear model over a dozen readable features also lets a reason
name what pushed a page over the line. Only training imports this module.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted, check_X_y, validate_data

from .weights import FlagWeights, logistic

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
        """Probability for one feature vector, computed as the shipped weights compute it."""
        check_is_fitted(self, "coef_")
        return logistic(row, self.mean_.tolist(), self.scale_.tolist(), self.coef_.tolist(), self.intercept_)

    def weights(self, features: tuple[str, ...]) -> FlagWeights:
        """The fit as it ships: what scoring needs, without scikit-learn."""
        check_is_fitted(self, "coef_")
        return FlagWeights(features=tuple(features), mean=tuple(self.mean_.tolist()), scale=tuple(self.scale_.tolist()),
                           coef=tuple(self.coef_.tolist()), intercept=self.intercept_, threshold=self.threshold, C=self.C)

    def to_dict(self, features: tuple[str, ...]) -> dict[str, Any]:
        return self.weights(features).to_dict()

    @classmethod
    def from_dict(cls, data: dict[str, Any], features: tuple[str, ...]) -> LinearFlag:
        """Rebuild a fitted model from JSON data; refuses data made for other features."""
        weights = FlagWeights.from_dict(data, features)
        model = cls(C=weights.C, threshold=weights.threshold)
        model.classes_ = np.array([0, 1])
        model.n_features_in_ = len(features)
        model.mean_ = np.array(weights.mean, dtype=float)
        model.scale_ = np.array(weights.scale, dtype=float)
        model.coef_ = np.array(weights.coef, dtype=float)
        model.intercept_ = weights.intercept
        return model
