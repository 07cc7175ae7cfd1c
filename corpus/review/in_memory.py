"""One story's review held in memory, for the review benchmark and tests: its scored pairs
(kept as the engine keeps them), the answers so far as a person's must/cannot pairs and
labels, and its claims computed again after each answer exactly as the engine computes them
(the story's judgement recalibrated on the answers, then clustered with the decisions). It is
both a question source and an answer applier (protocol.py). Nothing reads the database."""

from __future__ import annotations

from collections.abc import Collection, Hashable
from dataclasses import dataclass

import numpy as np

from newsalign.corpus.align import asking, clustering, engine, recalibrate
from newsalign.corpus.align.clustering import Scored
from newsalign.corpus.align.pairs import top_per_sentence


@dataclass(frozen=True)
class _State:
    platt: recalibrate.Platt
    p: np.ndarray  # the pairs' probabilities after the answers
    clusters: list[list[int]]


@dataclass(frozen=True)
class _Answered:
    """What one answer changed, to undo it."""

    must: int  # how many must pairs there were before
    cannot: int
    label: tuple[int, int]
    before: int | None  # the label the pair had before
    kind: str


class InMemoryStory:
    """A story of `n` candidates (`docs`: the article of each) with scored pairs, reviewed at
    `threshold`. `learn=False`: answers are decisions only (the judgement is not recalibrated)."""

    def __init__(
        self, n: int, docs: np.ndarray, scored: Scored, threshold: float, *, learn: bool = True
    ) -> None:
        i, j, p0 = scored.i, scored.j, scored.p
        keep = p0 >= engine.FLOOR
        keep[keep] = top_per_sentence(i[keep], j[keep], p0[keep], 40)
        self.n, self.docs, self.threshold, self.learn = n, docs, threshold, learn
        self.i, self.j, self.p0 = i[keep], j[keep], p0[keep]
        self.position = {
            (int(a), int(b)): k for k, (a, b) in enumerate(zip(self.i, self.j, strict=True))
        }
        self.labels: dict[tuple[int, int], int] = {}
        self.must: list[tuple[int, int]] = []
        self.cannot: list[tuple[int, int]] = []
        self.kinds: dict[str, int] = {}
        self._answered: list[_Answered] = []
        self._state: _State | None = None

    @property
    def state(self) -> _State:
        """The story after the answers so far."""
        if self._state is None:
            known = [(self.position[k], y) for k, y in self.labels.items() if k in self.position]
            platt = recalibrate.fit(
                self.p0[[k for k, _ in known]],
                np.array([y for _, y in known]),
                prior=recalibrate.PRIOR if self.learn else float("inf"),
            )
            p = recalibrate.settle(
                platt.apply(self.p0), [k for k, _ in known], [y for _, y in known]
            )
            members = clustering.claims(
                self.n,
                self.docs,
                Scored(self.i, self.j, p),
                self.threshold,
                overlap=engine.OVERLAP,
                must=self.must,
                cannot=self.cannot,
            )
            self._state = _State(platt, p, [[m.index for m in g] for g in members])
        return self._state

    @property
    def clusters(self) -> list[list[int]]:
        return self.state.clusters

    def open_questions(self, skip: Collection[Hashable] = ()) -> list[asking.Ranked]:
        state = self.state
        decided = {frozenset(k) for k in self.labels} | asking.closure(self.must, self.cannot)
        ranked = asking.rank(
            self.docs, self.i, self.j, state.p, state.clusters, self.threshold, decided
        )
        return [q for q in ranked if self.key(q) not in skip]

    def key(self, question: asking.Ranked) -> Hashable:
        return (question.a, question.b)

    def apply(self, question: asking.Ranked, answer: bool) -> Hashable:
        """`answer`: the two sentences report the same claim."""
        state = self.state
        pairs = {
            frozenset((int(a), int(b))): float(x)
            for a, b, x in zip(self.i, self.j, state.p, strict=True)
        }
        key = (min(question.a, question.b), max(question.a, question.b))
        self._answered.append(
            _Answered(len(self.must), len(self.cannot), key, self.labels.get(key), question.kind)
        )
        decided = asking.answer_pairs(question.a, question.b, answer, state.clusters, pairs)
        for link, x, y in decided:
            (self.must if link == "must" else self.cannot).append((x, y))
        self.labels[key] = int(answer)
        self.kinds[question.kind] = self.kinds.get(question.kind, 0) + 1
        self._state = None
        return len(self._answered) - 1

    def undo(self, token: Hashable) -> None:
        """Take back the last answer (`token` must be its)."""
        if token != len(self._answered) - 1:
            raise ValueError("only the last answer can be undone")
        last = self._answered.pop()
        del self.must[last.must :], self.cannot[last.cannot :]
        if last.before is None:
            del self.labels[last.label]
        else:
            self.labels[last.label] = last.before
        self.kinds[last.kind] -= 1
        self._state = None
