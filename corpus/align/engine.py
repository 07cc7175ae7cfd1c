"""Alignment as a pure function: claim candidates and their vectors in, stories and claims
out.

1. Documents group into stories (grouping.py); claims align only within a story.
2. In each story, every cross-article pair gets a calibrated probability (pairs.py, model.py).
3. Pairs at or above the threshold seed average-link clusters with one sentence per article,
   joined by marked repeats (clustering.py); a person's must/cannot decisions override the scores.
4. Pure claims first (issue 28): no sentence joins a second claim by the judgement alone (the
   overlap pass, `clustering.with_overlaps`, is off by default: measured on withdrawal, half the
   pairs it added were wrong, and it lowered claim purity from 0.75 to 0.68). A sentence
   joins further claims by a person's answers (claimreview.py); a person's `must` pair still
   apart makes its first sentence a member of the second's claim too.

The database side (reading candidates and vectors, planning a run, writing its rows) is
align/job/; benchmarks call this directly on synthetic or evaluation data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from newsalign.corpus.align import clustering, grouping
from newsalign.corpus.align.bridge import Bridge
from newsalign.corpus.align.clustering import Scored
from newsalign.corpus.align.model import LogisticModel
from newsalign.corpus.align.pairs import Edges, StoryText, Vectors, score_pairs

THRESHOLD = 0.5  # a claim's members are, on average, more likely the same claim than not
REVIEW = 0.25  # pairs from here up to the threshold are kept for a person to review
# The overlap pass's level (a sentence also joins every further claim it matches on average
# this well); None: no overlap pass. Pure claims first: a stray member is what a reader sees,
# so before a person answers, a sentence is left out of a second claim (issue 28).
OVERLAP: float | None = None
FLOOR = 0.15  # pairs below this are not kept at all (they barely move a claim's average)


@dataclass(frozen=True)
class AlignInput:
    """Everything alignment reads, index-aligned with `docs` and `lang` of each claim.

    `views` are unit vectors of the claim texts by view name (e5, use); `english` the e5
    vectors of each claim's English text (translation or original; rows without one are
    ignored); `leads` maps a document to rows of `lead_vectors` (its title and first claims)."""

    docs: np.ndarray
    langs: tuple[str, ...]
    texts: tuple[str, ...]
    english: tuple[str | None, ...]
    views: dict[str, np.ndarray]
    english_vectors: np.ndarray | None = None
    documents: tuple[grouping.Doc, ...] = field(default=())
    lead_vectors: np.ndarray | None = None
    embedders: dict[str, str] = field(default_factory=dict)  # view name -> embedder name


@dataclass(frozen=True)
class StoryResult:
    """One story: its documents, its claims (indexes into the input), scored pairs (global
    indexes), and its claim clusters."""

    documents: tuple[int, ...]
    claims: tuple[int, ...]
    edges: Edges
    clusters: tuple[tuple[clustering.Member, ...], ...]
    # Each claim's label (global index), where the job layer gave them (job/reviewed.py).
    labels: tuple[int, ...] = ()


@dataclass(frozen=True)
class AlignResult:
    stories: tuple[StoryResult, ...]
    threshold: float

    @property
    def clusters(self) -> list[tuple[clustering.Member, ...]]:
        return [c for s in self.stories for c in s.clusters]

    @property
    def pairs(self) -> int:
        return sum(len(s.edges) for s in self.stories)


@dataclass(frozen=True)
class Options:
    """How claims form: a claim's members agree on average at `threshold`; `bridge` adds the
    dictionary's evidence; pairs under `floor` are not kept; `overlap` is the average at which a
    clustered sentence also joins a further claim (None: never)."""

    threshold: float = THRESHOLD
    bridge: Bridge | None = None
    floor: float = FLOOR
    overlap: float | None = OVERLAP
    # How pairs are scored: pairs.score_pairs, or a pairs.ScoringMemo a session keeps.
    scorer: Callable[..., Edges] | None = None


@dataclass(frozen=True)
class Decisions:
    """A person's say in an alignment: `must` and `cannot` pairs of claim candidates (indexes
    into the input), and `recalibrate`, which adjusts a story's scored pairs (its global rows,
    its local edges) before clustering: the story's judgement learned from the person's answers
    (recalibrate.py)."""

    must: Sequence[tuple[int, int]] = ()
    cannot: Sequence[tuple[int, int]] = ()
    recalibrate: Callable[[np.ndarray, Edges], Edges] | None = None


def align_claims(
    data: AlignInput,
    claim_model: LogisticModel,
    story_model: LogisticModel | None,
    options: Options = Options(),
    decisions: Decisions = Decisions(),
) -> AlignResult:
    """Stories, then claims within each story. Without a story model (or documents), the whole
    input is one story. A `must` pair across two stories makes them one story."""
    if story_model is not None and data.documents and data.lead_vectors is not None:
        groups = grouping.group(data.documents, data.lead_vectors, story_model)
        doc_ids = [[data.documents[k].id for k in g] for g in groups]
    else:
        doc_ids = [sorted({int(d) for d in data.docs})]
    must = [(int(data.docs[a]), int(data.docs[b])) for a, b in decisions.must]
    return align_groups(data, join_stories(doc_ids, must), claim_model, options, decisions)


def align_groups(
    data: AlignInput,
    groups: Sequence[Sequence[int]],
    claim_model: LogisticModel,
    options: Options = Options(),
    decisions: Decisions = Decisions(),
) -> AlignResult:
    """Claims aligned within given stories (lists of document ids), without grouping: the
    stories an align run aligns (job/writing.py), each exactly as `align_claims` aligns a story
    of the same documents."""
    by_doc: dict[int, list[int]] = defaultdict(list)
    for index, doc in enumerate(data.docs):
        by_doc[int(doc)].append(index)
    results = []
    for docs in groups:
        rows = np.array(sorted(x for d in docs for x in by_doc.get(d, ())), dtype=int)
        local = {int(r): k for k, r in enumerate(rows)}
        decided = Decisions(
            [(local[a], local[b]) for a, b in decisions.must if a in local and b in local],
            [(local[a], local[b]) for a, b in decisions.cannot if a in local and b in local],
            decisions.recalibrate,
        )
        results.append(_story(data, sorted(docs), rows, claim_model, options, decided))
    return AlignResult(tuple(results), options.threshold)


def join_stories(doc_ids: list[list[int]], pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Stories joined where a person linked sentences of two of them, in first-story order."""
    story_of = {d: k for k, docs in enumerate(doc_ids) for d in docs}
    parent = list(range(len(doc_ids)))

    def root(k: int) -> int:
        while parent[k] != k:
            k = parent[k]
        return k

    for a, b in pairs:
        x, y = root(story_of[a]), root(story_of[b])
        if x != y:
            parent[max(x, y)] = min(x, y)
    joined: dict[int, list[int]] = defaultdict(list)
    for k, docs in enumerate(doc_ids):
        joined[root(k)].extend(docs)
    return [sorted(docs) for _, docs in sorted(joined.items())]


def _story(
    data: AlignInput,
    docs: Sequence[int],
    rows: np.ndarray,
    model: LogisticModel,
    options: Options,
    decided: Decisions,
) -> StoryResult:
    """One story's claims; `decided` holds pairs of indexes into `rows`."""
    if len(rows) < 2 or len(docs) < 2:
        empty = Edges.empty(model.features)
        return StoryResult(tuple(docs), tuple(rows.tolist()), empty, ())
    text = StoryText(
        docs=data.docs[rows],
        langs=tuple(data.langs[r] for r in rows),
        texts=tuple(data.texts[r] for r in rows),
        english=tuple(data.english[r] for r in rows),
        translated=np.array([data.english[r] is not None and data.langs[r] != "en" for r in rows]),
    )
    vectors = Vectors(
        {name: v[rows] for name, v in data.views.items()},
        data.english_vectors[rows] if data.english_vectors is not None else None,
        data.embedders,
    )
    score = options.scorer or score_pairs
    local = score(text, vectors, model, bridge=options.bridge, floor=options.floor)
    if decided.recalibrate is not None:
        local = decided.recalibrate(rows, local)
    members = clustering.claims(
        len(rows),
        text.docs,
        Scored(local.i, local.j, local.p),
        options.threshold,
        overlap=options.overlap,
        must=decided.must,
        cannot=decided.cannot,
    )
    edges = Edges(rows[local.i], rows[local.j], local.X, local.p, local.features)
    clusters = tuple(
        tuple(
            clustering.Member(
                int(rows[m.index]), None if m.repeat_of is None else int(rows[m.repeat_of]), m.also
            )
            for m in group
        )
        for group in members
    )
    return StoryResult(tuple(docs), tuple(rows.tolist()), edges, clusters)
