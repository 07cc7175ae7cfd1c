"""A calibrated "same?" judgement: logistic regression over named evidence features.

The weights ship as a small readable JSON file (`weights.json` beside this module), written by
`bench/fit_models.py`, which reproduces them from labelled data it names. The output is a
probability, so a threshold of 0.5 means "more likely the same than not"; every prediction can
be explained as each feature's contribution to the log-odds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from newsalign.corpus.errors import CorpusError
from newsalign.glossary.files import read_limited

WEIGHTS_FILE = "weights.json"
MAX_WEIGHTS_BYTES = 16 * 2**20  # the shipped file is a few kilobytes


@dataclass(frozen=True)
class LogisticModel:
    """log-odds = bias + sum(weight * feature); probability = logistic(log-odds).

    `priors` (claims model only): per embedding view, the mean and spread of cross-article
    cosines in the training stories, for same-language and cross-language pairs, and the
    embedder they were measured with; small stories lean on them (see pairs.py)."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    about: dict[str, Any] = field(default_factory=dict)
    priors: dict[str, Any] = field(default_factory=dict)

    def logits(self, X: np.ndarray) -> np.ndarray:
        # BLAS may leave a floating-point flag set that numpy reports as "invalid value in
        # matmul" on finite input; the features are finite by construction.
        with np.errstate(invalid="ignore"):
            return np.asarray(X, dtype=np.float64) @ np.asarray(self.weights) + self.bias

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Probabilities for the rows of X (columns in `features` order)."""
        return 1.0 / (1.0 + np.exp(-np.clip(self.logits(X), -30, 30)))

    def contributions(self, x: np.ndarray) -> dict[str, float]:
        """One row's log-odds, feature by feature, and the bias."""
        out = {
            name: round(float(w * v), 4)
            for name, w, v in zip(self.features, self.weights, x, strict=True)
        }
        out["bias"] = round(self.bias, 4)
        return out

    def as_json(self) -> dict[str, Any]:
        out = {
            "features": list(self.features),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "about": self.about,
        }
        if self.priors:
            out["priors"] = self.priors
        return out


def fit(
    X: np.ndarray,
    y: np.ndarray,
    features: tuple[str, ...],
    *,
    l2: float = 1.0,
    sample_weight: np.ndarray | None = None,
    iterations: int = 50,
    about: dict[str, Any] | None = None,
) -> LogisticModel:
    """Fit by Newton's method with an L2 penalty on the weights (not the bias). Deterministic."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    sw = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    Xb = np.column_stack([X, np.ones(len(X))])
    penalty = l2 * np.diag(np.r_[np.ones(X.shape[1]), 0.0])
    w = np.zeros(Xb.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(Xb @ w, -30, 30)))
        gradient = Xb.T @ (sw * (p - y)) + penalty @ w
        hessian = (Xb * (sw * p * (1 - p))[:, None]).T @ Xb + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return LogisticModel(
        tuple(features), tuple(float(v) for v in w[:-1]), float(w[-1]), about or {}
    )


def from_json(data: dict[str, Any]) -> LogisticModel:
    try:
        model = LogisticModel(
            tuple(data["features"]),
            tuple(float(w) for w in data["weights"]),
            float(data["bias"]),
            dict(data.get("about", {})),
            dict(data.get("priors", {})),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CorpusError(f"malformed model weights ({exc})") from None
    if len(model.features) != len(model.weights):
        raise CorpusError("malformed model weights: features and weights differ in length")
    return model


def load_file(path) -> tuple[LogisticModel, LogisticModel]:
    """The claims and stories models of a weights file (the format bench/fit_models.py writes)."""
    data = read_limited(Path(path), MAX_WEIGHTS_BYTES, what="weights", error=CorpusError)
    try:
        models = json.loads(data.decode("utf-8"))
        return from_json(models["claims"]), from_json(models["stories"])
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise CorpusError(f"{path} is not a newsalign weights file ({exc})") from None


def shipped(name: str) -> LogisticModel:
    """A model shipped in weights.json: `claims` (same claim?) or `stories` (same story?)."""
    text = resources.files("newsalign.corpus.align").joinpath(WEIGHTS_FILE).read_text("utf-8")
    models = json.loads(text)
    if name not in models:
        raise CorpusError(f"no {name!r} model in {WEIGHTS_FILE}")
    return from_json(models[name])
