"""Fitting the two judgements from labelled data: pairs of sentences with a gold in the
`stories/` format (same claim?), and pairs of documents whose story is known (same story?).

Used by `bench/fit_models.py`, which writes weights.json, and by `bench/stories.py`, which
fits models on some articles and scores others; both go through the product's own feature code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsalign.corpus.align import grouping
from newsalign.corpus.align.bridge import Bridge
from newsalign.corpus.align.engine import AlignInput
from newsalign.corpus.align.gold import GoldRow, Sentence, memberships
from newsalign.corpus.align.model import LogisticModel, fit
from newsalign.corpus.align.pairs import Edges, StoryText, Vectors, centred, score_pairs

CLAIM_FEATURES = ("z_e5", "z_use", "gap", "same_lang")
BRIDGE_FEATURE = "bridge"  # measured in bench/stories.py; fitted in only with --bridge


@dataclass(frozen=True)
class LabelledPairs:
    """Every cross-article pair of one story (indexes into the input), its features, its
    label (the two sentences share a gold claim) and the two articles' files."""

    edges: Edges
    y: np.ndarray
    file_a: np.ndarray
    file_b: np.ndarray


def all_pairs(
    data: AlignInput,
    rows: Sequence[int],
    features: Sequence[str],
    bridge: Bridge | None = None,
    priors: dict | None = None,
) -> Edges:
    """Features of every cross-article pair among `rows` (one story), nothing dropped, with
    the story statistics shrunk towards `priors` as the engine does."""
    rows = np.asarray(sorted(rows), dtype=int)
    keep_all = LogisticModel(
        tuple(features), tuple(0.0 for _ in features), 0.0, priors=priors or {}
    )
    text = StoryText(
        docs=data.docs[rows],
        langs=tuple(data.langs[r] for r in rows),
        texts=tuple(data.texts[r] for r in rows),
        english=tuple(data.english[r] for r in rows),
        translated=np.array([data.english[r] is not None and data.langs[r] != "en" for r in rows]),
    )
    views = {name: v[rows] for name, v in data.views.items()}
    english = data.english_vectors[rows] if data.english_vectors is not None else None
    # A zero model gives every pair probability 0.5, so a floor of 0 keeps them all; the
    # bridge is then computed for every German-English pair.
    local = score_pairs(
        text,
        Vectors(views, english, data.embedders),
        _with_bridge(keep_all),
        bridge=bridge,
        floor=0.0,
        per_sentence=None,
    )
    return Edges(rows[local.i], rows[local.j], local.X, local.p, local.features)


def priors(stories_rows: Sequence[tuple[AlignInput, Sequence[int]]]) -> dict:
    """The mean and spread of cross-article cosines of centred vectors, per view, for
    same-language and cross-language pairs, over labelled stories (data, rows of one story)."""
    out: dict[str, dict] = {}
    first = stories_rows[0][0]
    for name in first.views:
        values = {"same": [], "cross": []}
        for data, rows in stories_rows:
            rows = np.asarray(sorted(rows), dtype=int)
            langs = [data.langs[r] for r in rows]
            vecs = centred(data.views[name][rows], langs)
            sims = vecs @ vecs.T
            docs, lang = data.docs[rows], np.array(langs)
            upper = np.triu(docs[:, None] != docs[None, :], k=1)
            same = lang[:, None] == lang[None, :]
            values["same"].append(sims[upper & same])
            values["cross"].append(sims[upper & ~same])
        out[name] = {
            "embedder": first.embedders.get(name, ""),
            **{
                kind: [
                    round(float(np.concatenate(v).mean()), 6),
                    round(float(np.concatenate(v).std()), 6),
                ]
                for kind, v in values.items()
            },
        }
    return {"views": out, "pairs_weight": "see pairs.PRIOR_PAIRS"}


def _with_bridge(model: LogisticModel) -> LogisticModel:
    # score_pairs computes the bridge only where its weight is positive.
    if "bridge" not in model.features:
        return model
    weights = tuple(
        1e-9 if f == "bridge" else w for f, w in zip(model.features, model.weights, strict=True)
    )
    return LogisticModel(model.features, weights, model.bias, priors=model.priors)


def label(edges: Edges, sentences: Sequence[Sentence], gold: Sequence[GoldRow]) -> LabelledPairs:
    """Labels for `edges`: 1 when the two sentences share a gold claim (must or ok)."""
    member, _ = memberships(gold, sentences)
    y = np.array(
        [
            bool(set(member.get(a, {})) & set(member.get(b, {})))
            for a, b in zip(edges.i.tolist(), edges.j.tolist(), strict=True)
        ]
    )
    files = np.array([s.file for s in sentences])
    return LabelledPairs(edges, y, files[edges.i], files[edges.j])


def fit_claims(parts: Sequence[LabelledPairs], about: dict | None = None) -> LogisticModel:
    """The same-claim judgement, fitted on the pairs of every part."""
    X = np.vstack([p.edges.X for p in parts])
    y = np.concatenate([p.y for p in parts])
    return fit(X, y, parts[0].edges.features, l2=1.0, about=about)


def document_pairs(docs: Sequence[grouping.Doc], vectors: np.ndarray, story_of: dict[int, str]):
    """Candidate document pairs, their features and labels (same story) for known stories."""
    a, b, X = grouping.pair_features(docs, vectors)
    y = np.array([story_of[docs[i].id] == story_of[docs[j].id] for i, j in zip(a, b, strict=True)])
    return a, b, X, y


def fit_stories(X: np.ndarray, y: np.ndarray, about: dict | None = None) -> LogisticModel:
    """Classes weighted equally: how many candidate pairs share a story depends on how the
    training corpus was put together (here mostly same-story), not on the evidence, so the
    fitted odds are the evidence's and 0.5 means it favours the same story."""
    y = np.asarray(y, dtype=float)
    weight = np.where(y > 0, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9))
    return fit(X, y, grouping.FEATURES, l2=1.0, sample_weight=weight, about=about)


def sentences(data: AlignInput, paths: dict[int, str]) -> list[Sentence]:
    """The input's claims as the gold scorer sees them (article = file name of the document)."""
    return [
        Sentence(k, Path(paths[int(d)]).name, data.langs[k], data.texts[k])
        for k, d in enumerate(data.docs)
    ]
