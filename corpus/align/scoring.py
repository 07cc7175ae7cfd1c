"""Align parallel claims: the same statement reported by different sources, in any language.

1. Candidates: for each claim, its nearest claims of *other* sources by cosine of
   cross-lingual sentence embeddings (or, without embeddings, by TF-IDF of the English text).
2. Margin: the cosine divided by the mean similarity of both claims to their k nearest
   neighbours (the ratio margin of LASER-style bitext mining), so a pair must stand out from
   each claim's neighbourhood, not merely be similar.
3. Evidence added to the margin: lexical similarity of the English texts, shared glossary
   entities (Khankendi = Stepanakert), agreeing or conflicting numbers, dates and speakers.
4. Mutual best per pair of documents, then a threshold; accepted pairs form n-way clusters,
   and a near-identical sentence repeated in one article joins its twin's cluster as a repeat.

Pure functions over arrays and records: the database side is in corpus/claims.py.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from newsalign.corpus.align.features import Facts, same_speaker
from newsalign.glossary.textnorm import WORD, fold

_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "with",
        "by",
        "from",
        "as",
        "not",
        "no",
        "he",
        "she",
        "they",
        "we",
        "his",
        "her",
        "their",
        "our",
        "said",
        "says",
        "will",
        "would",
        "which",
        "who",
        "whom",
        "there",
        "also",
        "than",
        "then",
        "into",
        "about",
        "after",
        "before",
        "over",
        "under",
    ]
)


@dataclass(frozen=True)
class Claim:
    """A sentence that may be aligned, with everything the scorer uses."""

    id: int
    doc: int
    source: str
    lang: str | None
    text: str
    english: str | None
    entities: frozenset[int] = frozenset()
    facts: Facts = field(default_factory=Facts)

    @property
    def names(self) -> frozenset[str]:
        return _proper_names(self.text)


@dataclass(frozen=True)
class Params:
    """Weights and thresholds; defaults chosen on the WMT21 and seed data (see README)."""

    k: int = 4  # neighbours in the margin
    candidates: int = 8  # nearest other-source claims scored per claim
    threshold: float = 1.08
    review_floor: float = 0.95  # mutual-best pairs above this but below threshold: kept for review
    lexical: float = 1.0
    entities: float = 0.15
    names: float = 0.15
    lexical_baseline: float = 0.15
    nearest: float = 0.06  # both claims are each other's nearest other-source claim
    numbers: float = 0.1
    dates: float = 0.1
    speakers: float = 0.05
    conflict: float = 0.1
    repeat_cosine: float = 0.95
    use_embeddings: bool = True
    use_lexical: bool = True


@dataclass(frozen=True)
class Pair:
    """A scored pair of claim indexes (a < b)."""

    a: int
    b: int
    score: float
    cosine: float
    margin: float
    contributions: dict[str, float]
    accepted: bool = False


@dataclass(frozen=True)
class Member:
    index: int
    repeat_of: int | None = None  # for repeats: the index of the sentence it repeats


@dataclass(frozen=True)
class Result:
    pairs: list[Pair]  # accepted and review pairs
    clusters: list[list[Member]]
    method: str


def _tokens(text: str) -> list[str]:
    words = [fold(w) for w in WORD.findall(text)]
    words = [w for w in words if w not in _STOPWORDS and not w.isdigit()]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def tfidf(texts: list[str | None]) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors (words and word pairs) as dicts; empty for None."""
    tokenised = [_tokens(t) if t else [] for t in texts]
    df = Counter(tok for toks in tokenised for tok in set(toks))
    n = max(len([t for t in texts if t]), 1)
    vectors = []
    for toks in tokenised:
        counts = Counter(toks)
        vec = {
            tok: (1 + math.log(c)) * math.log((1 + n) / (1 + df[tok])) for tok, c in counts.items()
        }
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({tok: v / norm for tok, v in vec.items()})
    return vectors


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(tok, 0.0) for tok, v in a.items())


def _neighbours_dense(vectors: np.ndarray, sources: np.ndarray, want: int, k: int,
                      chunk: int = 1024) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Per claim: indexes and cosines of its `want` nearest other-source claims, and the mean
    cosine of its k nearest."""
    n = len(vectors)
    want = min(want, n - 1) if n > 1 else 0
    idx = np.zeros((n, want), dtype=np.int64)
    sims = np.zeros((n, want), dtype=np.float32)
    knn = np.zeros(n, dtype=np.float32)
    for start in range(0, n, chunk):
        block = vectors[start : start + chunk] @ vectors.T
        block[sources[start : start + chunk, None] == sources[None, :]] = -np.inf
        if want:
            top = np.argpartition(-block, want - 1, axis=1)[:, :want]
            top_sims = np.take_along_axis(block, top, axis=1)
            order = np.argsort(-top_sims, axis=1)
            idx[start : start + chunk] = np.take_along_axis(top, order, axis=1)
            sims[start : start + chunk] = np.take_along_axis(top_sims, order, axis=1)
            finite = np.where(
                np.isfinite(sims[start : start + chunk, :k]), sims[start : start + chunk, :k], 0
            )
            knn[start : start + chunk] = finite.mean(axis=1)
    return idx, sims, knn


def _neighbours_sparse(vecs: list[dict[str, float]], sources: list[str], want: int, k: int):
    """The same as _neighbours_dense, over TF-IDF dicts through an inverted index."""
    index: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vec in enumerate(vecs):
        for tok, v in vec.items():
            index[tok].append((i, v))
    n = len(vecs)
    idx = np.zeros((n, want), dtype=np.int64)
    sims = np.full((n, want), -np.inf, dtype=np.float32)
    knn = np.zeros(n, dtype=np.float32)
    for i, vec in enumerate(vecs):
        acc: dict[int, float] = defaultdict(float)
        for tok, v in vec.items():
            for j, w in index[tok]:
                if sources[j] != sources[i]:
                    acc[j] += v * w
        best = sorted(acc.items(), key=lambda item: -item[1])[:want]
        for r, (j, s) in enumerate(best):
            idx[i, r], sims[i, r] = j, s
        top = [s for _, s in best[:k]]
        knn[i] = sum(top) / k if top else 0.0
    return idx, sims, knn


def _overlap(a: tuple, b: tuple, same=lambda x, y: x == y) -> tuple[float, bool]:
    """(agreement in [0, 1], conflict) of two value lists; neutral when either is empty."""
    if not a or not b:
        return 0.0, False
    shared = sum(any(same(x, y) for y in b) for x in a)
    return shared / max(len(a), len(b)), shared == 0


def _dates_match(x: str, y: str) -> bool:
    return x == y or x[-6:] == y[-6:] and (x.startswith("--") or y.startswith("--"))


@lru_cache(maxsize=65536)
def _proper_names(text: str) -> frozenset[str]:
    """Capitalised words after the first, by their first five letters folded: "Grigory" and
    "Grigorij", "Karasin" and "Karasin" meet; spelled-out country names mostly do not."""
    words = WORD.findall(text)[1:]
    return frozenset(fold(w)[:5] for w in words if w[:1].isupper() and len(w) >= 4)


def _idf(claims: list[Claim]) -> dict:
    """Rarity of each entity and proper name across the claims: Russia counts for little in a
    corpus about Russia, Karasin for a lot. Normalised so the rarest weighs 1."""
    df: Counter = Counter()
    for c in claims:
        df.update(c.entities)
        df.update(c.names)
    n = len(claims)
    raw = {x: math.log((1 + n) / (1 + d)) for x, d in df.items()}
    top = max(raw.values(), default=1.0) or 1.0
    return {x: v / top for x, v in raw.items()}


def _shared_rarity(a: frozenset, b: frozenset, idf: dict) -> float:
    """How much rare ground two sets share: the summed squared rarity of the shared items, at
    most 1. Squared, so that a corpus's common names (Russia, in a corpus about Russia) add up
    to little however many are shared, while one rare name (Karasin) counts."""
    return min(1.0, sum(idf.get(x, 1.0) ** 2 for x in a & b))


def _evidence(
    ca: Claim, cb: Claim, lex: float | None, p: Params, idf: dict | None = None
) -> dict[str, float]:
    out: dict[str, float] = {}
    idf = idf or {}
    if lex is not None and p.use_lexical:
        # Centred: two English texts of one claim share words, so little overlap counts against.
        out["lexical"] = p.lexical * (lex - p.lexical_baseline)
    names_a, names_b = ca.names, cb.names
    if names_a and names_b:
        out["names"] = p.names * _shared_rarity(names_a, names_b, idf)
    if ca.entities and cb.entities:
        out["entities"] = p.entities * _shared_rarity(ca.entities, cb.entities, idf)
    fa, fb = ca.facts, cb.facts
    conflicts = 0
    for name, (values_a, values_b, same, weight) in {
        "numbers": (fa.numbers, fb.numbers, lambda x, y: x == y, p.numbers),
        "dates": (fa.dates, fb.dates, _dates_match, p.dates),
        "speakers": (fa.speakers, fb.speakers, same_speaker, p.speakers),
    }.items():  # fmt: skip
        agree, conflict = _overlap(values_a, values_b, same)
        if agree:
            out[name] = weight * agree
        conflicts += conflict
    if conflicts:
        out["conflicts"] = -p.conflict * conflicts
    return out


def align(claims: list[Claim], vectors: np.ndarray | None, params: Params | None = None) -> Result:
    """Align claims across sources; `vectors` (n, dim), L2-normalised, or None for
    translation-only alignment."""
    p = params or Params()
    n = len(claims)
    if n < 2:
        return Result([], [], "none")
    english = tfidf([c.english for c in claims]) if p.use_lexical else [{} for _ in claims]
    has_english = [bool(c.english) for c in claims]
    use_embeddings = p.use_embeddings and vectors is not None
    want = max(p.candidates, p.k)
    if use_embeddings:
        sources = np.array([c.source for c in claims])
        idx, sims, knn = _neighbours_dense(vectors, sources, want, p.k)
        method = "embeddings+features" if p.use_lexical else "embeddings-only"
    else:
        idx, sims, knn = _neighbours_sparse(english, [c.source for c in claims], want, p.k)
        method = "translation-only"
    idf = _idf(claims)
    scored: dict[tuple[int, int], Pair] = {}
    for i in range(n):
        for r in range(idx.shape[1]):
            j = int(idx[i, r])
            if not np.isfinite(sims[i, r]) or claims[i].source == claims[j].source:
                continue
            a, b = min(i, j), max(i, j)
            if (a, b) in scored:
                continue
            if use_embeddings:
                cosine = float(vectors[a] @ vectors[b])
            else:
                cosine = _dot(english[a], english[b])
            denominator = (knn[a] + knn[b]) / 2
            margin = cosine / denominator if denominator > 0 else cosine
            lexical = _dot(english[a], english[b]) if has_english[a] and has_english[b] else None
            evidence = _evidence(claims[a], claims[b], lexical if use_embeddings else None, p, idf)
            margin = float(margin)
            if use_embeddings and idx.shape[1] and idx[a, 0] == b and idx[b, 0] == a:
                evidence["nearest"] = p.nearest
            contributions = {
                "margin": round(margin, 4),
                **{k: round(float(v), 4) for k, v in evidence.items()},
            }
            scored[a, b] = Pair(
                a, b, margin + sum(evidence.values()), cosine, margin, contributions
            )
    # Mutual best per pair of documents.
    best: dict[tuple[int, int], tuple[float, int]] = {}
    for (a, b), pair in scored.items():
        for x, y in ((a, b), (b, a)):
            key = (x, claims[y].doc)
            if key not in best or pair.score > best[key][0]:
                best[key] = (pair.score, y)
    kept = []
    for (a, b), pair in scored.items():
        mutual = best[a, claims[b].doc][1] == b and best[b, claims[a].doc][1] == a
        if mutual and pair.score >= p.review_floor:
            kept.append(Pair(a, b, pair.score, pair.cosine, pair.margin, pair.contributions,
                             pair.score >= p.threshold))  # fmt: skip
    clusters = _clusters(
        claims, [q for q in kept if q.accepted], vectors if use_embeddings else None, p
    )
    clusters = _attach_repeats(claims, clusters, scored, p)
    return Result(sorted(kept, key=lambda q: -q.score), clusters, method)


def _clusters(claims, accepted: list[Pair], vectors, p: Params) -> list[list[Member]]:
    parent = list(range(len(claims)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in accepted:
        parent[find(pair.a)] = find(pair.b)
    groups: dict[int, list[int]] = defaultdict(list)
    for pair in accepted:
        for x in (pair.a, pair.b):
            if x not in groups[find(x)]:
                groups[find(x)].append(x)
    clustered = {x for members in groups.values() for x in members}
    by_doc: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        by_doc[c.doc].append(i)
    folded: dict[int, str] = {}
    result = []
    for members in groups.values():
        out = [Member(x) for x in sorted(members)]
        for x in sorted(members):
            others = [y for y in by_doc[claims[x].doc] if y != x and y not in clustered]
            if not others:
                continue
            close = (
                vectors[others] @ vectors[x] >= p.repeat_cosine
                if vectors is not None else np.zeros(len(others), dtype=bool)
            )  # fmt: skip
            for y, near in zip(others, close, strict=True):
                for z in (x, y):
                    if z not in folded:
                        folded[z] = fold(claims[z].text)
                if near or folded[x] == folded[y]:
                    out.append(Member(y, repeat_of=x))
                    clustered.add(y)
        result.append(out)
    return result


def _attach_repeats(claims, clusters: list[list[Member]], scored, p: Params) -> list[list[Member]]:
    """A sentence that restates a clustered claim in an article already in the cluster joins it
    as a repeat: it scores above the threshold with a member from another article, but lost the
    mutual-best contest to its own article's first version."""
    where = {m.index: c for c, members in enumerate(clusters) for m in members}
    best: dict[int, tuple[float, int]] = {}
    for (a, b), pair in scored.items():
        for x, y in ((a, b), (b, a)):
            eligible = x not in where and y in where and pair.score >= p.threshold
            if eligible and (x not in best or pair.score > best[x][0]):
                best[x] = (pair.score, y)
    for x, (_, y) in sorted(best.items()):
        members = clusters[where[y]]
        twin = next((m.index for m in members if claims[m.index].doc == claims[x].doc), None)
        if twin is not None:
            members.append(Member(x, repeat_of=twin))
            where[x] = where[y]
    return clusters
