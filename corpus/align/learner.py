"""The judgement that learns from a person's screens: how likely the person is to say that a
sentence asserts a claim.

dedupe's active learner refits its classifier on every labelled example; this does the same at
the level a screen asks about. A sentence's *evidence* about a claim (claimset.Neighbours) is
what the shipped pair judgement says of it against the claim's confirmed members: the log-odds
of its mean, best and label pair probability, the mean of each pair feature (the standardised
cosines, the gap, same language), and whether the clustering proposed it with the label. The
chance of a yes is logistic(weights · [evidence, 1]); before any answer the weights say "the
mean pair probability, as it is" (`prior`), and after every screen they are refitted on all
judged sentences by penalised maximum likelihood, the penalty centred on that prior, so the
shipped judgement is the prior and a few answers cannot swing it far. The penalty is the
shipped fit's own (model.fit's l2 = 1.0, also scikit-learn's default that dedupe uses); it is
not tuned on any story.

Why a sentence-to-claim judgement and not a refit of the pair model's weights (what dedupe
refits): a "no" on a claim's screen says the sentence does not assert *that* claim, not that it
shares no claim with any of its members (a news sentence asserts several claims), so the pair
labels it implies are wrong where they matter; and the pairs a screen shows are chosen by the
judgement, so a refit of the pair weights on them flattened the weights. Measured on withdrawal
(bench/review.py --pair-refit): refitting the pair weights on the screens' pairs lowered the
pair AUC on the pairs nobody judged after 5, 10 and 20 screens, and even a refit on every gold
pair of the story (in sample) raised it only from 0.860 to 0.861. The chances are what screens
need: which sentences to show, and what a screen is expected to fix.

Pure: arrays in, a frozen judgement out; refitting from every answer each time (not updating)
makes undo exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

L2 = 1.0  # the shipped fit's penalty (model.fit), here around the prior weights
ITERATIONS = 50
CONFIDENT = 1.96  # standard deviations: a judgement confident at the conventional 95 %
BASE_EVIDENCE = ("mean", "label", "best", "proposed")  # then mean_<feature> per pair feature


def evidence_names(features: Sequence[str]) -> tuple[str, ...]:
    """The evidence a story's membership judgement reads, for pair features `features`."""
    return BASE_EVIDENCE + tuple(f"mean_{f}" for f in features)


def prior(names: Sequence[str]) -> tuple[float, ...]:
    """Before any answer, a chance is the mean pair probability as it is: weight 1 on its
    log-odds, 0 on the rest of the evidence and on the bias (the last weight)."""
    return tuple(1.0 if name == "mean" else 0.0 for name in names) + (0.0,)


@dataclass(frozen=True)
class Membership:
    """The chance that a person says a sentence asserts a claim, from its evidence (columns in
    `names` order): logistic(weights · [evidence, 1]). `answers`: judged sentences it was
    fitted on (0: the prior)."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    answers: int = 0
    # The posterior covariance of the weights (Laplace: the inverse Hessian at the MAP), row
    # by row; empty before any answer.
    covariance: tuple[tuple[float, ...], ...] = ()

    def predict(self, evidence: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-np.clip(self._logits(evidence), -30, 30)))

    def surely_no(self, evidence: np.ndarray, z: float | None = None) -> np.ndarray:
        """Where the judgement is confident that a person would say no: the chance's upper
        bound (log-odds plus `z`, default CONFIDENT, posterior standard deviations) is below
        one half. Before any answer it is never confident."""
        z = CONFIDENT if z is None else z
        if not self.covariance:
            return np.zeros(len(np.atleast_2d(evidence)), dtype=bool)
        E = self._design(evidence)
        spread = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", E, np.asarray(self.covariance), E), 0))
        return self._logits(evidence) + z * spread < 0

    def _design(self, evidence: np.ndarray) -> np.ndarray:
        E = np.asarray(evidence, dtype=float).reshape(-1, len(self.names))
        return np.column_stack([E, np.ones(len(E))])

    def _logits(self, evidence: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):  # BLAS flags on finite input, as in model.py
            return self._design(evidence) @ np.asarray(self.weights)


def unlearned(names: Sequence[str]) -> Membership:
    """The judgement before any answer."""
    return Membership(tuple(names), prior(names))


def membership(
    names: Sequence[str], evidence: np.ndarray, y: np.ndarray, *, l2: float | None = None
) -> Membership:
    """The MAP judgement for answers `y` (1 yes, 0 no) of sentences with `evidence`, the
    penalty (default L2) centred on the prior. Deterministic; no answers, the prior."""
    names = tuple(names)
    l2 = L2 if l2 is None else l2
    y = np.asarray(y, dtype=float)
    if not len(y):
        return unlearned(names)
    E = np.column_stack(
        [np.asarray(evidence, dtype=float).reshape(len(y), len(names)), np.ones(len(y))]
    )
    centre = np.asarray(prior(names))
    w = centre.copy()
    for _ in range(ITERATIONS):
        with np.errstate(invalid="ignore"):
            r = 1.0 / (1.0 + np.exp(-np.clip(E @ w, -30, 30)))
        gradient = E.T @ (r - y) + l2 * (w - centre)
        hessian = (E * (r * (1 - r))[:, None]).T @ E + l2 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    r = 1.0 / (1.0 + np.exp(-np.clip(E @ w, -30, 30)))
    hessian = (E * (r * (1 - r))[:, None]).T @ E + l2 * np.eye(len(w))
    covariance = np.linalg.inv(hessian)
    return Membership(
        names,
        tuple(float(v) for v in w),
        len(y),
        tuple(tuple(float(v) for v in row) for row in covariance),
    )


def logit(q: np.ndarray) -> np.ndarray:
    """Log-odds, probabilities clipped to [1e-3, 1 - 1e-3] (an unscored pair counts 0)."""
    q = np.clip(np.asarray(q, dtype=float), 1e-3, 1 - 1e-3)
    return np.log(q / (1 - q))
