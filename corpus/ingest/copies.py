"""Copies and rewrites: an article that reproduces another's sentences in order, verbatim,
reworded or translated ("ExBulletin, derived from OC Media, 90 %"). Pure: sentences and their
stored cross-lingual vectors in, "derived from" edges out.

Two articles of one story report the same facts, so some of their sentences are alike whoever
wrote them; a copy differs in that most of its sentences follow the other's, in the same order.
For each pair, each sentence of one is matched to the sentence of the other it is closest to,
when that one's closest is it too and they say the same (the same words, or vectors of the
alignment's embedder close enough for a translation), and the longest chain of matches in the
order of both articles is taken (a longest increasing subsequence). The share is that chain's length over the copy's sentences.

Which of the two is the original: the one the other names (cites it, or names its outlet:
"OC Media contacted..." in ExBulletin's copy), else the one dated earlier, else the outlet the
other outlet copies elsewhere in the story (an edge decided by a credit or a date: a site that
translates an agency's pieces does so for each of them), else the one whose sentences the other
covers more completely (a copy adds little of its own). When none of these tells, no edge is
drawn. A copy that credits its original needs one matched sentence fewer (MIN_CHAIN_CREDITED):
the credit already says where its text comes from, as the order says it for an uncredited one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

# Cosine at or above which two sentences, each the other's closest, are one sentence in two
# wordings (multilingual-e5-small puts a story's unrelated sentences up to 0.9 too: the order
# and the share decide, not one pair).
SAME_SENTENCE = 0.85
# Token overlap (Jaccard) at or above which two sentences are the same words.
SAME_WORDS = 0.6
MIN_SHARE = 0.6  # a copy follows its original in most of its sentences ...
MIN_CHAIN = 5  # ... and in five sentences or more,
MIN_CHAIN_CREDITED = 4  # or four when it credits the original
MARGIN = 0.1  # how much more completely one article covers the other to be called the copy


@dataclass(frozen=True)
class Article:
    """One document of a story as the copy finder reads it."""

    id: int
    outlet: str
    published: str | None
    sentences: tuple[str, ...]
    vectors: np.ndarray | None  # (len(sentences), dim), rows of zeros where none is stored
    names: frozenset[str] = frozenset()  # keys of the outlets it cites or names


@dataclass(frozen=True)
class Derived:
    """A "derived from" edge: `doc` reproduces `original` in `share` of its sentences."""

    doc: int
    original: int
    outlet: str  # the original's outlet
    share: float
    how: str  # verbatim, reworded or translated


_TOKEN = re.compile(r"\w+")


def _tokens(text: str) -> frozenset[str]:
    return frozenset(t.lower() for t in _TOKEN.findall(text) if len(t) > 2)


def _matches(a: Article, b: Article) -> list[tuple[int, int, str]]:
    """(sentence of a, sentence of b, how) for each pair of sentences that are each other's
    closest and say the same: the same words, or vectors close enough for a translation."""
    tokens_a = [_tokens(t) for t in a.sentences]
    tokens_b = [_tokens(t) for t in b.sentences]
    words = np.array(
        [[len(x & y) / len(x | y) if x and y else 0.0 for y in tokens_b] for x in tokens_a]
    ).reshape(len(tokens_a), len(tokens_b))
    score = np.where(words >= SAME_WORDS, 1.0 + words, 0.0)
    if a.vectors is not None and b.vectors is not None and words.size:
        score = np.maximum(score, a.vectors @ b.vectors.T)
    if not score.size:
        return []
    best_b, best_a = score.argmax(axis=1), score.argmax(axis=0)
    out = []
    for i, j in enumerate(best_b):
        if best_a[j] == i and score[i, j] >= SAME_SENTENCE:
            overlap = words[i, j]
            how = "verbatim" if overlap >= 0.9 else "translated" if overlap < 0.2 else "reworded"
            out.append((i, int(j), how))
    return out


def _chain(matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The longest chain of matches increasing in both articles' order."""
    matches = sorted(matches, key=lambda m: (m[0], -m[1]))
    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(matches)
    for k, (_, j, _) in enumerate(matches):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[pos] = j
            tail_at[pos] = k
        parent[k] = tail_at[pos - 1] if pos else -1
    chain = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        chain.append(matches[k])
        k = parent[k]
    return chain[::-1]


def _how(chain: list[tuple[int, int, str]]) -> str:
    kinds = [m[2] for m in chain]
    return max(("verbatim", "reworded", "translated"), key=kinds.count)


def _decided(a: Article, b: Article) -> Article | None:
    """The original of two articles that follow each other, by a credit or by the dates."""
    a_names_b = bool(a.names & {_key(b.outlet)})
    b_names_a = bool(b.names & {_key(a.outlet)})
    if a_names_b != b_names_a:
        return b if a_names_b else a
    dated = a.published and b.published and len(a.published) == len(b.published) == 10
    if dated and a.published != b.published:
        return a if a.published < b.published else b
    return None


def _original(
    a: Article, b: Article, share_a: float, share_b: float, habit: set[tuple[str, str]]
) -> Article | None:
    """Which of two articles that follow each other is the original (see the docstring);
    `habit`: (copy's outlet, original's outlet) of the story's edges decided by a credit or
    a date."""
    decided = _decided(a, b)
    if decided is not None:
        return decided
    a_copies_b, b_copies_a = (a.outlet, b.outlet) in habit, (b.outlet, a.outlet) in habit
    if a_copies_b != b_copies_a:
        return b if a_copies_b else a
    if abs(share_a - share_b) >= MARGIN:
        return b if share_a > share_b else a  # the copy is the one more fully covered
    return None


def _key(outlet: str) -> str:
    return re.sub(r"[^a-z0-9]", "", re.split(r"\s*[(,]", outlet.lower())[0])


def derived_from(articles: Sequence[Article], only: int | None = None) -> list[Derived]:
    """The "derived from" edges among a story's articles, each copy with its originals (`only`:
    the edges of that one article; the others are compared only when its direction needs the
    story's habit)."""
    found: list[tuple[Article, Article, list[tuple[int, int, str]]]] = []

    def compare(pairs: Iterable[tuple[Article, Article]]) -> None:
        for a, b in pairs:
            if a.outlet == b.outlet or not a.sentences or not b.sentences:
                continue
            chain = _chain(_matches(a, b))
            if len(chain) >= MIN_CHAIN_CREDITED:
                found.append((a, b, chain))

    pairs = [(a, b) for x, a in enumerate(articles) for b in articles[x + 1 :]]
    mine = [p for p in pairs if only is None or only in (p[0].id, p[1].id)]
    compare(mine)
    if only is not None and any(_decided(a, b) is None for a, b, _ in found):
        compare(p for p in pairs if only not in (p[0].id, p[1].id))
    edges = [(a, b, chain, _edge(a, b, chain, _decided(a, b))) for a, b, chain in found]
    outlets = {a.id: a.outlet for a in articles}
    habit = {(outlets[e.doc], e.outlet) for *_, e in edges if e is not None}
    out: list[Derived] = []
    for a, b, chain, edge in edges:
        if only is not None and only not in (a.id, b.id):
            continue
        share_a, share_b = len(chain) / len(a.sentences), len(chain) / len(b.sentences)
        edge = edge or _edge(a, b, chain, _original(a, b, share_a, share_b, habit))
        if edge is not None:
            out.append(edge)
    out.sort(key=lambda d: (d.doc, -d.share, d.original))
    return out


def _edge(
    a: Article, b: Article, chain: list[tuple[int, int, str]], original: Article | None
) -> Derived | None:
    """The edge from the copy to `original`, if the copy follows it far enough."""
    if original is None:
        return None
    copy = b if original is a else a
    share = len(chain) / len(copy.sentences)
    credited = _key(original.outlet) in copy.names
    if len(chain) < (MIN_CHAIN_CREDITED if credited else MIN_CHAIN) or share < MIN_SHARE:
        return None
    return Derived(copy.id, original.id, original.outlet, round(share, 2), _how(chain))


def outlet_key(outlet: str) -> str:
    """The key `Article.names` holds for an outlet ("OC Media (mirror)" -> "ocmedia")."""
    return _key(outlet)
