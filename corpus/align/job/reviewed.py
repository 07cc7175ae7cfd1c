"""A person's claim-review answers in an alignment (issue 28): the one place where `align` and
`newsalign review` turn a story's engine result into the review's story (claimset.ReviewStory)
and back, so both build a reviewed story's claims the same way.

- A story with live answers (store/answers.py) stores `claimreview.derive(story, answers,
  ages).claims`: its proposals are the engine's own claims of the story (its scored pairs
  clustered with no overlap pass, a person's must/cannot decisions honoured), corrected by the
  answers. Without answers the engine's claims stand.
- Every claim gets a label, the sentence that states it: a reviewed claim's is the one it was
  reviewed under; a proposed claim keeps the oldest label it holds (a label's age is the id of
  the stored claim it named: a lower id named it earlier), else takes its most central member
  (highest mean probability with the members of other articles; a headline on a tie), as
  claimset does.

Answers are named by document key and text hash: an answer about a sentence no current document
has is left out (its sentence is gone), and a screen whose label is gone counts no more."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
import sqlite_utils

from newsalign.corpus.align import claimreview, clustering, engine
from newsalign.corpus.align.candidates import Candidate
from newsalign.corpus.align.claimset import Answer, ReviewStory
from newsalign.corpus.align.job.reading import identities
from newsalign.corpus.store import answers as answers_db


def review_story(
    found: Sequence[Candidate],
    data: engine.AlignInput,
    result: engine.StoryResult,
    threshold: float,
    story: int | None = None,
) -> ReviewStory:
    """The review's view of one engine story: its candidates by segment id and its scored
    pairs (the engine's edges, local indexes)."""
    rows = np.asarray(result.claims, dtype=int)
    local = {int(r): k for k, r in enumerate(rows.tolist())}
    edges = result.edges
    i = np.array([local[int(x)] for x in edges.i], dtype=int)
    j = np.array([local[int(x)] for x in edges.j], dtype=int)
    p = np.clip(np.asarray(edges.p, dtype=float), 1e-9, 1 - 1e-9)
    return ReviewStory(
        ids=tuple(found[r].id for r in rows.tolist()),
        docs=np.asarray(data.docs)[rows] if len(rows) else np.zeros(0, int),
        headline=np.array([bool(found[r].headline) for r in rows.tolist()], dtype=bool),
        i=i,
        j=j,
        X=np.asarray(edges.X, dtype=float).reshape(len(i), len(edges.features)),
        prior=np.log(p / (1 - p)),
        features=tuple(edges.features),
        threshold=threshold,
        story=story,
        given=tuple(tuple(local[m.index] for m in group) for group in result.clusters),
    )


def answers_for(
    db: sqlite_utils.Database, found: Sequence[Candidate], doc_keys: set[str]
) -> list[Answer]:
    """The live answers whose label is a sentence of these documents, as review answers
    (segment ids), one per screen in the order answered."""
    stored = answers_db.live(db, doc_keys)
    if not stored:
        return []
    index = identities(db, found)
    by_screen: dict[int, tuple[int | None, set[int], set[int]]] = {}
    for a in stored:
        label = index.get(a.label)
        if label is None:
            continue
        _, yes, no = by_screen.setdefault(a.screen, (found[label].id, set(), set()))
        k = index.get(a.sentence)
        if k is not None:
            (yes if a.asserts else no).add(found[k].id)
    return [
        Answer(label, frozenset(yes), frozenset(no - yes))
        for _, (label, yes, no) in sorted(by_screen.items())
        if label is not None
    ]


def with_answers(
    db: sqlite_utils.Database,
    found: Sequence[Candidate],
    data: engine.AlignInput,
    result: engine.AlignResult,
    doc_keys: Mapping[int, str],
    ages: Mapping[int, int],
) -> engine.AlignResult:
    """`result` with each story that has live answers given the claims they make, and every
    claim its label (engine.StoryResult.labels, global indexes)."""
    stories = []
    for s in result.stories:
        keys = {doc_keys[d] for d in s.documents if d in doc_keys}
        answers = answers_for(db, found, keys) if s.clusters or len(s.claims) > 1 else []
        if answers:
            rstory = review_story(found, data, s, result.threshold)
            review = claimreview.derive(rstory, answers, ages)
            row_of = {found[r].id: r for r in s.claims}
            clusters = tuple(
                tuple(clustering.Member(row_of[sid]) for sid in c.members) for c in review.claims
            )
            labels = tuple(row_of[c.label] for c in review.claims)
            stories.append(dataclasses.replace(s, clusters=clusters, labels=labels))
        else:
            stories.append(dataclasses.replace(s, labels=proposal_labels(found, s, ages)))
    return dataclasses.replace(result, stories=tuple(stories))


def proposal_labels(
    found: Sequence[Candidate], story: engine.StoryResult, ages: Mapping[int, int]
) -> tuple[int, ...]:
    """Each engine claim's label (global index): the oldest past label among its members, else
    its most central member (a headline first on a tie, then the lower index)."""
    p: dict[tuple[int, int], float] = {}
    for a, b, q in zip(
        story.edges.i.tolist(), story.edges.j.tolist(), story.edges.p.tolist(), strict=True
    ):
        p[(a, b) if a < b else (b, a)] = q
    used: set[int] = set()
    out = []
    for group in story.clusters:
        members = [m.index for m in group]
        aged = [x for x in members if found[x].id in ages and x not in used]
        if aged:
            label = min(aged, key=lambda x: (ages[found[x].id], x))
        else:
            central = defaultdict(float)
            for x in members:
                others = [y for y in members if found[y].doc != found[x].doc]
                total = sum(p.get((x, y) if x < y else (y, x), 0.0) for y in others)
                central[x] = total / len(others) if others else 0.0
            free = [x for x in members if x not in used] or members
            label = max(free, key=lambda x: (round(central[x], 6), bool(found[x].headline), -x))
        used.add(label)
        out.append(label)
    return tuple(out)
