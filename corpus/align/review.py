"""Which questions to ask a person: active learning over a story's scored pairs, as dedupe does
for record linkage (uncertainty sampling), weighted by how much an answer moves.

Three kinds, each tied to how clusters form (a claim's members must agree on average):

- `pair`: two sentences in no claim whose probability is near the threshold;
- `member`: a sentence in no claim whose average to a claim's members is near the threshold
  ("does this sentence also assert claim X?"; `b` is the member it is closest to);
- `claims`: two claims whose cross pairs average just under (or over) the threshold: one
  answer joins or keeps apart every cross pair ("are these two claims one?").

Links inside a claim are not asked about: confirming one pins the pair before the greedy
clustering runs and, measured on withdrawal (bench/review.py), lost more recall than the
answers gained; the report flags weak members for a person to look at instead.

A question's value is its doubt (1 at the threshold, 0 at `WIDTH` from it) times the pairs its
answer is expected to decide: a yes (probability q) decides every pair the question is about
(a member question joins the sentence to every member, a claims question joins every cross
pair: `answer_pairs`), a no only the pair shown; so claim-level questions near the threshold
come first. (Measured on withdrawal, bench/review.py: this paid more after 50 answers than
doubt times log2(1 + pairs) or doubt times pairs.)
The sentence `b` a member or claims question shows is the one whose pair probability is
closest to the question's: the answer is a label at the doubt it is about. Pure: indexes in, ranked candidates out; db.py-free, so the
benchmark runs exactly this ranking.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

WIDTH = 0.35  # questions whose probability is further than this from the threshold are not asked


@dataclass(frozen=True)
class Candidate:
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
) -> list[Candidate]:
    """Every question worth asking, most useful first. `clusters` hold indexes (repeats
    included); `decided` are pairs a person already answered (no question touches them, and a
    member or claims question is dropped when any of its pairs was decided)."""
    where: dict[int, int] = {}
    for k, c in enumerate(clusters):
        for x in c:
            where.setdefault(x, k)
    docs_of = [{int(docs[x]) for x in c} for c in clusters]
    near: dict[int, dict[int, float]] = defaultdict(dict)
    for a, b, q in zip(i.tolist(), j.tolist(), p.tolist(), strict=True):
        near[a][b] = q
        near[b][a] = q
    out: list[Candidate] = []

    def add(kind: str, a: int, b: int, q: float, claim: int | None, moves: int) -> None:
        d = doubt(q, threshold)
        if d > 0 and moves > 0:
            out.append(Candidate(kind, a, b, round(q, 4), claim, moves,
                                 d * (q * moves + (1 - q))))  # fmt: skip

    cross: dict[tuple[int, int], tuple[float, int, int, float]] = {}
    member: dict[tuple[int, int], tuple[float, int, float]] = {}
    for a, b, q in zip(i.tolist(), j.tolist(), p.tolist(), strict=True):
        if frozenset((a, b)) in decided:
            continue
        ca, cb = where.get(a), where.get(b)
        if ca is not None and ca == cb:
            continue  # see the module docstring: links inside a claim are not asked about
        if ca is None and cb is None:
            add("pair", a, b, q, None, 1)
        elif ca is not None and cb is not None:
            key = (min(ca, cb), max(ca, cb))
            total, x, y, best = cross.get(key, (0.0, a, b, -1.0))
            cross[key] = (total + q, *((a, b, q) if q > best else (x, y, best)))
        else:
            x, c, m = (a, cb, b) if ca is None else (b, ca, a)
            total, y, best = member.get((x, c), (0.0, m, -1.0))
            member[(x, c)] = (total + q, *((m, q) if q > best else (y, best)))
    for (x, c), (_, m, _) in member.items():
        if int(docs[x]) in docs_of[c]:
            continue
        others = clusters[c]
        if any(frozenset((x, y)) in decided for y in others):
            continue
        average = sum(near[x].get(y, 0.0) for y in others) / len(others)
        add("member", x, _typical(near[x], others, average, m), average, c, len(others))
    for (c1, c2), (total, a, b, _) in cross.items():
        if docs_of[c1] & docs_of[c2]:
            continue
        if any(frozenset((x, y)) in decided for x in clusters[c1] for y in clusters[c2]):
            continue
        size = len(clusters[c1]) * len(clusters[c2])
        a, b = _typical_pair(near, clusters[c1], clusters[c2], total / size, (a, b))
        add("claims", a, b, total / size, c2 if where.get(b) == c2 else c1, size)
    out.sort(key=lambda c: (-c.value, c.a, c.b))
    return _distinct(out)


def _typical(near: dict[int, float], others: Sequence[int], average: float, best: int) -> int:
    """The member whose scored pair with the sentence is closest to the question's probability:
    the answer is then a label at the doubt the question is about (the recalibration fits it
    there), not at the claim's most similar member, whose higher probability a "no" would
    wrongly teach the story to distrust."""
    scored = [y for y in others if y in near]
    return min(scored, key=lambda y: (abs(near[y] - average), y)) if scored else best


def _typical_pair(near, first, second, average: float, best: tuple[int, int]) -> tuple[int, int]:
    scored = [(x, y) for x in first for y in second if y in near[x]]
    if not scored:
        return best
    return min(scored, key=lambda xy: (abs(near[xy[0]][xy[1]] - average), xy))


def _distinct(ranked: list[Candidate]) -> list[Candidate]:
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
    elif len(ca) == 1 and len(cb) == 1:
        ends = [(x, y) for x in ca[0] for y in cb[0]]
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
