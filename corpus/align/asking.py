"""Which questions to ask a person: active learning over a story's scored pairs, as dedupe does
for record linkage (uncertainty sampling), weighted by how much an answer moves.

Three kinds, each tied to how claims form (a claim's members must agree on average):

- `pair`: two sentences in no claim whose probability is near the threshold;
- `member`: a sentence whose average to the members of a claim it is not in is near the
  threshold ("does this sentence also assert claim X?"; `b` is one member of X). The sentence
  may be in other claims already: a yes adds it to X and it keeps them (a news sentence asserts
  several claims at once: most missed links on the stories are of this kind);
- `weak`: a member of a claim of three or more whose average to the other members is near the
  threshold ("is this sentence part of claim X?"): a no takes it out of X, and every pair it
  made there.

"Are these two claims one?" is not asked: a person answers it by looking at two sentences, and
a yes applied to every cross pair of the two claims cost precision (README, Benchmarks);
`claims merge` is there for a person who has read both claims.

A question's value is its doubt (1 at the threshold, 0 at `WIDTH` from it) times the pairs its
answer is expected to decide: for `pair` and `member` a yes (probability q) decides every pair
the question is about (`answer_pairs`), a no only the pair shown; for `weak` a no (1 - q)
decides the member's pairs in the claim, a yes the pair shown. A weak question counts half:
it buys precision at recall's cost (README, Benchmarks).
The sentence `b` a member or weak question shows is the one whose pair probability is closest
to the question's: the answer is a label at the doubt it is about. Pure: indexes in, ranked
questions out; db-free, so the benchmark runs exactly this ranking.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

WIDTH = 0.35  # questions whose probability is further than this from the threshold are not asked
WEAK = 0.5  # the weight of a weak-member question against the others


@dataclass(frozen=True)
class Ranked:
    """A question by indexes: `a` and `b` are the two sentences it shows, `claim` the cluster
    (index into the clusters given) it names, `moves` the pairs its answer decides."""

    kind: str
    a: int
    b: int
    probability: float
    claim: int | None
    moves: int
    value: float


def doubt(q: float, threshold: float) -> float:
    return max(0.0, 1.0 - abs(q - threshold) / WIDTH)


def rank(
    docs: np.ndarray,
    i: np.ndarray,
    j: np.ndarray,
    p: np.ndarray,
    clusters: Sequence[Sequence[int]],
    threshold: float,
    decided: Collection[frozenset[int]] = frozenset(),
) -> list[Ranked]:
    """Every question worth asking, most useful first. `clusters` hold indexes (repeats
    included); `decided` are pairs a person already answered (no question touches them, and a
    member or weak question is dropped when any of its pairs was decided)."""
    story = _Story(docs, i, j, p, clusters, threshold, decided)
    out = story.pair_questions() + story.weak_questions() + story.member_questions()
    out.sort(key=lambda c: (-c.value, c.a, c.b))
    return _distinct(out)


class _Story:
    """What the questions of one story are ranked from."""

    def __init__(
        self,
        docs: np.ndarray,
        i: np.ndarray,
        j: np.ndarray,
        p: np.ndarray,
        clusters: Sequence[Sequence[int]],
        threshold: float,
        decided: Collection[frozenset[int]],
    ) -> None:
        self.docs, self.clusters, self.threshold, self.decided = docs, clusters, threshold, decided
        self.edges = list(zip(i.tolist(), j.tolist(), p.tolist(), strict=True))
        self.of: dict[int, list[int]] = defaultdict(list)  # a sentence may be in several claims
        for k, c in enumerate(clusters):
            for x in c:
                if k not in self.of[x]:
                    self.of[x].append(k)
        self.docs_of = [{int(docs[x]) for x in c} for c in clusters]
        self.near: dict[int, dict[int, float]] = defaultdict(dict)
        for a, b, q in self.edges:
            self.near[a][b] = q
            self.near[b][a] = q
        # (sentence, claim) -> a member it was scored with: the member questions to ask.
        self.member: dict[tuple[int, int], int] = {}

    def question(self, kind: str, a: int, b: int, q: float, claim: int | None, moves: int):
        d = doubt(q, self.threshold)
        if d > 0 and moves > 0:
            return Ranked(kind, a, b, round(q, 4), claim, moves, d * (q * moves + (1 - q)))
        return None

    def pair_questions(self) -> list[Ranked]:
        """Two sentences in no claim; and, noted for later, each sentence scored with a member
        of a claim from another article."""
        out = []
        for a, b, q in self.edges:
            if frozenset((a, b)) in self.decided:
                continue
            ca, cb = self.of.get(a, []), self.of.get(b, [])
            if set(ca) & set(cb):
                continue  # see the module docstring: links inside a claim are not asked about
            if not ca and not cb:
                out.append(self.question("pair", a, b, q, None, 1))
                continue
            for x, homes, y in ((a, cb, b), (b, ca, a)):
                for c in homes:
                    if int(self.docs[x]) not in self.docs_of[c]:
                        self.member.setdefault((x, c), y)
        return [r for r in out if r is not None]

    def weak_questions(self) -> list[Ranked]:
        """Members of a claim of three or more whose average to the others is near the
        threshold."""
        docs, near, out = self.docs, self.near, []
        for c, group in enumerate(self.clusters):
            for x in group:
                rest = [y for y in group if y != x and docs[y] != docs[x]]
                if (
                    len(group) < 3
                    or not rest
                    or any(frozenset((x, y)) in self.decided for y in rest)
                ):
                    continue
                average = sum(near[x].get(y, 0.0) for y in rest) / len(rest)
                d = doubt(average, self.threshold)
                if d > 0:
                    y = _typical(near[x], rest, average, rest[0])
                    value = d * ((1 - average) * len(rest) + average) * WEAK
                    out.append(Ranked("weak", x, y, round(average, 4), c, len(rest), value))
        return out

    def member_questions(self) -> list[Ranked]:
        """Sentences whose average to a claim they are not in is near the threshold (after
        `pair_questions`, which finds them)."""
        out = []
        for (x, c), m in self.member.items():
            others = self.clusters[c]
            if any(frozenset((x, y)) in self.decided for y in others):
                continue
            average = sum(self.near[x].get(y, 0.0) for y in others) / len(others)
            typical = _typical(self.near[x], others, average, m)
            out.append(self.question("member", x, typical, average, c, len(others)))
        return [r for r in out if r is not None]


def _typical(near: dict[int, float], others: Sequence[int], average: float, best: int) -> int:
    """The member whose scored pair with the sentence is closest to the question's probability:
    the answer is then a label at the doubt the question is about (the recalibration fits it
    there), not at the claim's most similar member, whose higher probability a "no" would
    wrongly teach the story to distrust."""
    scored = [y for y in others if y in near]
    return min(scored, key=lambda y: (abs(near[y] - average), y)) if scored else best


def _distinct(ranked: list[Ranked]) -> list[Ranked]:
    """At most one question per pair of sentences (the most useful)."""
    seen: set[frozenset[int]] = set()
    out = []
    for c in ranked:
        key = frozenset((c.a, c.b))
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def answer_pairs(
    a: int, b: int, same: bool, clusters: Sequence[Sequence[int]], p: dict[frozenset[int], float]
) -> list[tuple[str, int, int]]:
    """What an answer decides, as (must|cannot, x, y) pairs, the answered pair first. A no to
    two members of one claim takes out only the one less attached to the rest (its average to
    the other members is lower): it cannot be one claim with any of them, and the claim
    keeps its other members (and its id) instead of falling apart around the two. A yes
    decides every pair the question was about (`_joined`)."""
    if same:
        return _joined(a, b, clusters)
    pairs = [("cannot", a, b)]
    home = next((c for c in clusters if a in c and b in c), None)
    if home is None:
        return pairs
    rest = [x for x in home if x not in (a, b)]
    if not rest:
        return pairs

    def attached(x: int) -> float:
        return sum(p.get(frozenset((x, y)), 0.0) for y in rest) / len(rest)

    leaving = a if attached(a) < attached(b) else b
    return pairs + [("cannot", leaving, y) for y in rest]


def _joined(a: int, b: int, clusters: Sequence[Sequence[int]]) -> list[tuple[str, int, int]]:
    """What "a and b report the same claim" decides: a sentence in no claim joins every claim
    of the other (keeping nothing else to lose); two sentences each in one claim make the two
    claims one (every cross pair, even where they share an article: that article's second
    sentence becomes a repeat). A sentence already in other claims keeps them: only the pair
    itself is decided, and the overlap pass adds it to further claims."""
    ca = [c for c in clusters if a in c]
    cb = [c for c in clusters if b in c]
    pairs = [("must", a, b)]
    if any(b in c for c in ca):
        return pairs
    if (not ca and len(cb) == 1) or (not cb and len(ca) == 1):
        lone, others = (a, cb) if not ca else (b, ca)
        ends = [(lone, y) for y in others[0]]
    elif len(cb) == 1:
        ends = [(a, y) for y in cb[0]]
    else:
        ends = []
    seen = {frozenset((a, b))}
    for x, y in ends:
        if x != y and frozenset((x, y)) not in seen:
            seen.add(frozenset((x, y)))
            pairs.append(("must", x, y))
    return pairs


def closure(
    must: Sequence[tuple[int, int]], cannot: Sequence[tuple[int, int]]
) -> set[frozenset[int]]:
    """Every pair the decisions settle, by transitivity: sentences joined by a chain of musts
    are one claim (each pair of them is decided), and a cannot between two such groups decides
    every pair across them. No question is asked about a pair settled this way."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x, y in must:
        parent[root(x)] = root(y)
    groups: dict[int, list[int]] = defaultdict(list)
    for x in list(parent):
        groups[root(x)].append(x)
    out = {frozenset((x, y)) for g in groups.values() for x in g for y in g if x != y}
    for x, y in cannot:
        gx, gy = groups.get(root(x), [x]), groups.get(root(y), [y])
        out |= {frozenset((a, b)) for a in gx for b in gy if a != b}
    return out
