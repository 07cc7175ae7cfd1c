"""Evidence that two sentences of one story, from different articles, report the same claim.

Measured on real multi-outlet news (`bench/stories.py`), raw cosines mislead in two ways: every
sentence of a story is about the same event, and every language sits in its own region of the
embedding space. So each embedding view is centred per story and language (half the language's
mean removed), and its cosines are standardised per language pair within the story. Features:

- `z_<view>`: the standardised cosine of each view (multilingual e5, multilingual USE); where
  both sentences have English and one of them is a translation, the better of the original and
  the English cosine;
- `gap`: how far the pair falls short of each sentence's best match in the other article (0 for
  mutual best), so a sentence's several near-matches in one article do not all count;
- `same_lang`: both in one language (cosines run higher there);
- `bridge` (optional): for German-English pairs, word evidence through the Ding dictionary.

Work goes in blocks of rows, twice: once for the statistics and each sentence's best match per
article, once for the log-odds of whole rows, where each sentence keeps its most probable
partners above a floor. Memory stays bounded by the story size times that number.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from newsalign.corpus.align.bridge import Bridge, content_words, en_stem
from newsalign.corpus.align.model import LogisticModel

CENTRING = 0.5  # share of each language's mean vector removed within a story
MIN_STAT_PAIRS = 50  # fewer pairs of a language pair: use the story's overall statistics
# A story's cosine statistics are estimated with the training stories' as a prior worth this
# many pairs: in two short articles the true pairs themselves would squeeze the z-scores.
PRIOR_PAIRS = 200
PAIRS_PER_BLOCK = 1_000_000  # rows per block = this / story size: bounded memory
CHUNK = 20_000  # kept pairs whose features are computed at once


@dataclass(frozen=True)
class StoryText:
    """What the evidence needs of a story's claims, in one order: article, language, text,
    English text (original or translation; None if none), and whether it is a translation."""

    docs: np.ndarray
    langs: tuple[str, ...]
    texts: tuple[str, ...]
    english: tuple[str | None, ...]
    translated: np.ndarray


@dataclass(frozen=True)
class Edges:
    """Scored pairs (i < j, indexes into the story) with their feature rows."""

    i: np.ndarray
    j: np.ndarray
    X: np.ndarray
    p: np.ndarray
    features: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.i)

    @classmethod
    def empty(cls, features: tuple[str, ...]) -> Edges:
        """No pairs (a story of one article, or of one sentence)."""
        return cls(
            np.zeros(0, int), np.zeros(0, int), np.zeros((0, len(features))), np.zeros(0), features
        )


@dataclass(frozen=True)
class Vectors:
    """A story's sentence vectors: unit vectors of the texts by view name (the model's
    `z_<name>` features), e5 vectors of their English texts (rows without English are
    ignored; None: no translations), and the embedder of each view, so that the model's priors
    apply only to the embedders they were measured with."""

    views: dict[str, np.ndarray]
    english: np.ndarray | None = None
    embedders: dict[str, str] = field(default_factory=dict)


def centred(vectors: np.ndarray, langs: Sequence[str], *, copy: bool = True) -> np.ndarray:
    """Vectors with part of their language's mean removed, renormalised. `copy=False`: in
    place, when `vectors` is float32 and the caller no longer needs them as they were."""
    out = np.array(vectors, dtype=np.float32, copy=True) if copy else vectors
    codes = np.array(langs)
    for lang in set(langs):
        rows = codes == lang
        if copy:
            out[rows] -= CENTRING * out[rows].mean(axis=0)
            continue
        # In place, a block at a time (the mean summed in float64: it may differ from the
        # float32 mean above in the last bit).
        where = np.flatnonzero(rows)
        total = np.zeros(out.shape[1])
        for start in range(0, len(where), 65536):
            total += out[where[start : start + 65536]].sum(axis=0, dtype=np.float64)
        shift = (CENTRING * (total / max(len(where), 1))).astype(np.float32)
        for start in range(0, len(where), 65536):
            out[where[start : start + 65536]] -= shift
    if copy:
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)
    for start in range(0, len(out), 65536):  # no temporary the size of the corpus
        block = out[start : start + 65536]
        norms = np.linalg.norm(block, axis=1, keepdims=True)
        block /= np.where(norms > 0, norms, 1.0)
    return out


class _Stats:
    """Mean and spread of cross-article cosines per (unordered) language pair."""

    def __init__(self, n_langs: int) -> None:
        self.s = np.zeros((n_langs, n_langs))
        self.ss = np.zeros((n_langs, n_langs))
        self.n = np.zeros((n_langs, n_langs))

    def add(
        self, block: np.ndarray, valid: np.ndarray, row_lang: np.ndarray, col_lang: np.ndarray
    ) -> None:
        values = np.where(valid, block, 0.0).astype(np.float32)
        n_langs = len(self.s)
        by_lang = np.zeros((len(col_lang), n_langs), dtype=np.float32)
        by_lang[np.arange(len(col_lang)), col_lang] = 1.0
        # Sums per row and column language, then over the rows of each language.
        for total, per_row in (
            (self.s, values @ by_lang),
            (self.ss, (values * values) @ by_lang),
            (self.n, valid.astype(np.float32) @ by_lang),
        ):
            for b in range(n_langs):
                total[:, b] += np.bincount(row_lang, weights=per_row[:, b], minlength=n_langs)

    def finish(self, prior: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Mean and spread per language pair; with a prior ({"same"|"cross": [mean, std]}),
        each is shrunk towards it as if PRIOR_PAIRS more pairs had been seen."""
        s, ss, n = self.s + self.s.T, self.ss + self.ss.T, self.n + self.n.T
        if prior:
            half = n / 2  # each pair was counted in both orders
            same = np.eye(len(n), dtype=bool)
            m0 = np.where(same, prior["same"][0], prior["cross"][0])
            v0 = np.where(same, prior["same"][1], prior["cross"][1]) ** 2
            mean = (s / 2 + PRIOR_PAIRS * m0) / (half + PRIOR_PAIRS)
            second = (ss / 2 + PRIOR_PAIRS * (v0 + m0**2)) / (half + PRIOR_PAIRS)
            return mean, np.sqrt(np.maximum(second - mean**2, 1e-8))
        total_n = max(n.sum(), 1.0)
        overall_mean = s.sum() / total_n
        overall_std = math.sqrt(max(ss.sum() / total_n - overall_mean**2, 1e-8))
        enough = n >= 2 * MIN_STAT_PAIRS  # counted in both orders
        mean = np.where(enough, s / np.maximum(n, 1), overall_mean)
        var = np.where(enough, ss / np.maximum(n, 1) - mean**2, overall_std**2)
        return mean, np.sqrt(np.maximum(var, 1e-8))


class _Story:
    """One story's centred vectors, statistics and best matches: everything features read."""

    def __init__(
        self,
        story: StoryText,
        views: dict[str, np.ndarray],
        model: LogisticModel,
        english_view: np.ndarray | None,
        embedders: dict[str, str] | None = None,
    ) -> None:
        self.n = n = len(story.texts)
        self.story = story
        lang_ids = {lang: k for k, lang in enumerate(sorted(set(story.langs)))}
        self.lang = np.array([lang_ids[x] for x in story.langs])
        doc_ids, self.doc_of = np.unique(story.docs, return_inverse=True)
        self.names = [name for name in views if f"z_{name}" in model.features]
        self.vecs = {name: centred(views[name], story.langs) for name in self.names}
        self.has_en = np.array([e is not None for e in story.english])
        self.en_vecs = centred(english_view, story.langs) if english_view is not None else None
        self.step = max(8, min(512, PAIRS_PER_BLOCK // n))
        # Pass 1: statistics, and each sentence's best combined similarity in every article.
        stats = {name: _Stats(len(lang_ids)) for name in self.names}
        en_stats = _Stats(1)
        self.best = np.full((n, len(doc_ids)), -np.inf, dtype=np.float32)
        by_doc = np.argsort(self.doc_of, kind="stable")
        starts = np.searchsorted(self.doc_of[by_doc], np.arange(len(doc_ids)))
        for rows, cross, sims, english in self.blocks():
            for name in self.names:
                stats[name].add(sims[name], cross, self.lang[rows], self.lang)
            combined = self.combine(sims) if sims else np.zeros((len(rows), n), dtype=np.float32)
            combined = np.where(cross, combined, -np.inf)[:, by_doc]
            self.best[rows] = np.maximum.reduceat(combined, starts, axis=1)
            if english is not None:
                en_stats.add(english[0], english[1], np.zeros(len(rows), int), np.zeros(n, int))
        priors = model.priors.get("views", {})
        self.moments = {
            name: stats[name].finish(
                priors.get(name)
                if embedders and priors.get(name, {}).get("embedder") == embedders.get(name)
                else None
            )
            for name in self.names
        }
        enough = en_stats.n.sum() >= 2 * MIN_STAT_PAIRS
        self.en_moments = tuple(float(m[0, 0]) for m in en_stats.finish()) if enough else None

    def blocks(self):
        """(rows, cross-article mask, similarities per view, English (sims, usable)) per block."""
        story, n = self.story, self.n
        for start in range(0, n, self.step):
            rows = np.arange(start, min(start + self.step, n))
            cross = self.doc_of[rows][:, None] != self.doc_of[None, :]
            sims = {name: self.vecs[name][rows] @ self.vecs[name].T for name in self.names}
            english = None
            if self.en_vecs is not None:
                both = self.has_en[rows][:, None] & self.has_en[None, :]
                either_translated = story.translated[rows][:, None] | story.translated[None, :]
                english = (self.en_vecs[rows] @ self.en_vecs.T, cross & both & either_translated)
            yield rows, cross, sims, english

    @staticmethod
    def combine(sims: dict[str, np.ndarray]) -> np.ndarray:
        return sum(sims.values()) / max(len(sims), 1)

    def z(
        self, name: str, sims: np.ndarray, a_lang: np.ndarray, b_lang: np.ndarray, english=None
    ) -> np.ndarray:
        """Standardised similarities; a and b languages broadcast like `sims`."""
        mean, std = self.moments[name]
        z = (sims - mean[a_lang, b_lang]) / std[a_lang, b_lang]
        if name == self.names[0] and english is not None and self.en_moments is not None:
            en_sims, usable = english
            en_mean, en_std = self.en_moments
            z = np.where(usable, np.maximum(z, (en_sims - en_mean) / en_std), z)
        return z

    def gap(self, combined: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """a, b broadcast like `combined` (rows by columns, or one pair per element)."""
        return 10 * np.minimum(
            combined - self.best[a, self.doc_of[b]], combined - self.best[b, self.doc_of[a]]
        )


class ScoringMemo:
    """`score_pairs` remembering its last few stories: a review session (or an answer checked
    and then written) scores the same story again and again, and the scores of the same texts,
    languages, articles, embedders, model and options are the same. Owned by its caller (a
    session), not global; `size`: stories kept."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self.kept: dict[tuple, Edges] = {}

    def __call__(
        self,
        story: StoryText,
        vectors: Vectors,
        model: LogisticModel,
        *,
        bridge: Bridge | None = None,
        floor: float = 0.15,
    ) -> Edges:
        key = (
            model.features,
            model.weights,
            model.bias,
            floor,
            id(bridge),
            tuple(sorted(vectors.embedders.items())),
            story.docs.tobytes(),
            story.langs,
            story.texts,
            story.english,
            np.asarray(story.translated).tobytes(),
        )
        if key in self.kept:
            self.kept[key] = self.kept.pop(key)  # the most recently used last
            return self.kept[key]
        edges = score_pairs(story, vectors, model, bridge=bridge, floor=floor)
        self.kept[key] = edges
        while len(self.kept) > self.size:
            del self.kept[next(iter(self.kept))]
        return edges


def score_pairs(
    story: StoryText,
    vectors: Vectors,
    model: LogisticModel,
    *,
    bridge: Bridge | None = None,
    floor: float = 0.15,
    per_sentence: int | None = 40,
) -> Edges:
    """The cross-article pairs of the story with probability >= `floor`, at most each
    sentence's `per_sentence` most probable ones (a claim of 25 articles needs 24), and their
    evidence."""
    n = len(story.texts)
    if n < 2 or len(np.unique(story.docs)) < 2:
        return Edges.empty(model.features)
    s = _Story(story, vectors.views, model, vectors.english, vectors.embedders)
    bridge_weight = dict(zip(model.features, model.weights, strict=True)).get("bridge", 0.0)
    bridge_weight = bridge_weight if bridge else 0.0
    pairs = _likely_pairs(s, model, bridge_weight, floor, per_sentence)
    if not pairs:
        return Edges.empty(model.features)
    ordered = np.array(sorted(pairs), dtype=int)
    i, j = ordered[:, 0], ordered[:, 1]
    X = _evidence(s, model, i, j)
    if bridge_weight:
        X[:, model.features.index("bridge")] = _bridge(story, i, j, bridge)
    p = model.predict(X)
    keep = p >= floor
    i, j, X, p = i[keep], j[keep], X[keep], p[keep]
    if per_sentence is not None and len(p):
        keep = top_per_sentence(i, j, p, per_sentence)
        i, j, X, p = i[keep], j[keep], X[keep], p[keep]
    return Edges(i, j, X, p, model.features)


def _likely_pairs(
    s: _Story, model: LogisticModel, bridge_weight: float, floor: float, per_sentence: int | None
) -> set[tuple[int, int]]:
    """Pass 2: log-odds of whole rows; each row keeps its most probable partners (a pair's best
    case with the bridge: one below the floor even then cannot rise)."""
    weight = dict(zip(model.features, model.weights, strict=True))
    floor_logit = math.log(floor / (1 - floor)) if floor > 0 else -np.inf
    n = s.n
    pairs: set[tuple[int, int]] = set()
    with np.errstate(invalid="ignore"):  # same-article cells hold inf - inf; masked below
        for rows, cross, sims, english in s.blocks():
            logit = np.full((len(rows), n), model.bias + max(bridge_weight, 0.0), dtype=np.float32)
            a_lang, b_lang = s.lang[rows][:, None], s.lang[None, :]
            for name in s.names:
                logit += weight[f"z_{name}"] * s.z(name, sims[name], a_lang, b_lang, english)
            if weight.get("gap"):
                logit += weight["gap"] * s.gap(
                    s.combine(sims), rows[:, None], np.arange(n)[None, :]
                )
            if weight.get("same_lang"):
                logit += weight["same_lang"] * (a_lang == b_lang)
            logit[~cross] = -np.inf
            for r, row in enumerate(logit):
                candidates = np.flatnonzero(row >= floor_logit)
                if per_sentence is not None and len(candidates) > per_sentence:
                    candidates = candidates[
                        np.argpartition(-row[candidates], per_sentence - 1)[:per_sentence]
                    ]
                a = int(rows[r])
                pairs.update((min(a, b), max(a, b)) for b in candidates.tolist())
    return pairs


def _evidence(s: _Story, model: LogisticModel, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The feature rows of the pairs (i, j), a chunk at a time (the vectors of both ends of a
    chunk in memory); the bridge column is the caller's."""
    column = {name: k for k, name in enumerate(model.features)}
    story = s.story
    X = np.zeros((len(i), len(model.features)))
    for start in range(0, len(i), CHUNK):
        a, b = i[start : start + CHUNK], j[start : start + CHUNK]
        sims = {name: (s.vecs[name][a] * s.vecs[name][b]).sum(axis=1) for name in s.names}
        english = None
        if s.en_vecs is not None:
            usable = s.has_en[a] & s.has_en[b] & (story.translated[a] | story.translated[b])
            english = ((s.en_vecs[a] * s.en_vecs[b]).sum(axis=1), usable)
        block = X[start : start + len(a)]
        for name in s.names:
            block[:, column[f"z_{name}"]] = s.z(name, sims[name], s.lang[a], s.lang[b], english)
        if "gap" in column:
            block[:, column["gap"]] = s.gap(s.combine(sims), a, b)
        if "same_lang" in column:
            block[:, column["same_lang"]] = s.lang[a] == s.lang[b]
    return X


def top_per_sentence(i: np.ndarray, j: np.ndarray, p: np.ndarray, k: int) -> np.ndarray:
    """Mask of the pairs that are among the k most probable of either of their sentences."""
    nodes = np.concatenate([i, j])
    edge = np.concatenate([np.arange(len(p)), np.arange(len(p))])
    order = np.lexsort((-np.concatenate([p, p]), nodes))
    sorted_nodes = nodes[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_nodes)) + 1]
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    keep = np.zeros(len(p), dtype=bool)
    keep[edge[order][rank < k]] = True
    return keep


def _bridge(story: StoryText, i: np.ndarray, j: np.ndarray, bridge: Bridge) -> np.ndarray:
    """Dictionary evidence for the German-English pairs among (i, j); 0 for the others."""
    english_stems = {
        k: [en_stem(w) for w in content_words(story.texts[k], "en")]
        for k in range(len(story.texts))
        if story.langs[k] == "en"
    }
    df = Counter(x for stems in english_stems.values() for x in set(stems))
    idf = {x: math.log((1 + len(english_stems)) / (1 + d)) for x, d in df.items()}
    german: dict[int, list[str]] = {}
    out = np.zeros(len(i))
    for k, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
        if {story.langs[a], story.langs[b]} != {"de", "en"}:
            continue
        de, en = (a, b) if story.langs[a] == "de" else (b, a)
        if de not in german:
            german[de] = content_words(story.texts[de], "de")
        out[k] = bridge.score(german[de], english_stems[en], idf)
    return out
