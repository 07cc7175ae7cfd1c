"""Learning a story's judgement from a person's answers: per-story Platt recalibration.

The shipped model's probabilities are calibrated on other stories; a story has its own style (a
wire copy everywhere, or paraphrase in five languages), so the person's answers in it say how far
to trust them. Each answered pair (accept: 1, reject: 0) is a label for the logit of its model
probability; a shift of that logit fitted to them (MAP, with a Gaussian prior toward the shipped
calibration, shift 0) moves every pair of the story, so one answer fixes more than its own pair
while a few answers cannot swing it wildly. The slope stays 1: the questions asked sit at the
threshold by design, where the judgement is least sure, and a slope fitted to such labels
flattens it (README, Benchmarks).

Nothing is stored beyond the decisions: every align refits from them, so the recalibration is
per story, kept, and undone with the decision that taught it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping

import numpy as np

from newsalign.corpus.align.pairs import Edges

PRIOR = 4.0  # prior precision on the shift: about four answers' worth of belief
EPS = 1e-4

Adjust = Callable[[np.ndarray, Edges], Edges]
Identity = tuple[str, str]  # a sentence as decisions name it: (doc_key, text hash)


@dataclasses.dataclass(frozen=True)
class Platt:
    """p' = sigmoid(slope * logit(p) + shift)."""

    slope: float = 1.0
    shift: float = 0.0

    def apply(self, p: np.ndarray) -> np.ndarray:
        if self.slope == 1.0 and self.shift == 0.0:
            return p
        z = _logit(p)
        return 1.0 / (1.0 + np.exp(-(self.slope * z + self.shift)))


def fit(p: np.ndarray, y: np.ndarray, prior: float = PRIOR) -> Platt:
    """The MAP shift for labels `y` (0/1) of pairs with model probabilities `p` (Newton)."""
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    if len(p) == 0 or prior == float("inf"):
        return Platt()
    z = _logit(p)
    shift = 0.0
    for _ in range(50):
        q = 1.0 / (1.0 + np.exp(-(z + shift)))
        step = (float(np.sum(q - y)) + prior * shift) / (float(np.sum(q * (1 - q))) + prior)
        shift -= step
        if abs(step) < 1e-9:
            break
    return Platt(1.0, shift)


def settle(p: np.ndarray, answered, answers) -> np.ndarray:
    """The pairs answered no take probability 0, so they count as apart in every claim
    average. A yes keeps its (recalibrated) probability: it is honoured by membership
    (clustering.with_decisions); counted at 1, it drew members of the one sentence's claim into
    the other's (`claims accept` moved sentences out of their claims)."""
    p = np.array(p, dtype=float, copy=True)
    answered, answers = np.asarray(answered, dtype=int), np.asarray(answers, dtype=float)
    if len(answered):
        p[answered[answers == 0]] = 0.0
    return p


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
    return np.log(p / (1 - p))


def story_adjust(
    labels: Mapping[tuple[int, int], int], detached: frozenset[int] = frozenset()
) -> Adjust:
    """The engine's per-story hook: given a story's rows (global indexes) and its scored pairs
    (local indexes), refit the calibration on the labelled pairs among them and apply it; pairs
    touching a detached sentence are dropped (it is in no claim)."""

    def adjust(rows: np.ndarray, edges: Edges) -> Edges:
        a, b = rows[edges.i], rows[edges.j]
        keep = np.array(
            [
                int(x) not in detached and int(y) not in detached
                for x, y in zip(a.tolist(), b.tolist(), strict=True)
            ],
            dtype=bool,
        )
        if len(keep) and not keep.all():
            edges = Edges(
                edges.i[keep], edges.j[keep], edges.X[keep], edges.p[keep], edges.features
            )
            a, b = a[keep], b[keep]
        found = [
            (k, labels.get((min(x, y), max(x, y))))
            for k, (x, y) in enumerate(zip(a.tolist(), b.tolist(), strict=True))
        ]
        found = [(k, y) for k, y in found if y is not None]
        if not found:
            return edges
        k = np.array([x for x, _ in found])
        y = np.array([y for _, y in found])
        p = settle(fit(edges.p[k], y).apply(edges.p), k, y)
        return dataclasses.replace(edges, p=p)

    return adjust


def person_labels(
    answered: Iterable[tuple[str, Identity, Identity]],
    detached: Iterable[Identity],
    index: Mapping[Identity, int],
) -> tuple[dict[tuple[int, int], int], frozenset[int]]:
    """The pairs a person answered (`answered`: the pair named by each accept or reject, oldest
    first, as store.decisions.answered gives them) as {(candidate index, candidate index): 1
    or 0}, and the `detached` sentences, both by candidate index; `index` maps a sentence's
    identity (doc_key, text hash) to its index."""
    labels: dict[tuple[int, int], int] = {}
    for link, a, b in answered:
        x, y = index.get(a), index.get(b)
        if x is not None and y is not None and x != y:
            labels[(min(x, y), max(x, y))] = int(link == "must")
    return labels, frozenset(index[who] for who in detached if who in index)
