"""Stories aligned and written a chunk at a time, for a full `align` and an incremental one
alike: only one chunk's candidates, vectors and rows are held at a time, so memory follows the
largest story, not the corpus.

1. Vectors first, outside the transaction: what the stories' candidates need is embedded and
   committed batch by batch (`embed_missing`; a full run does it while reading its grouping
   input), so a run killed while embedding resumes where it stopped.
2. Then one transaction with the run: story ids are chosen for every story at once (ids stay
   with the same documents, store/numbering.py), the replaced rows are deleted, and each chunk
   of whole stories (planning.CHUNK_DOCS documents, or one story when it is larger) is aligned
   and inserted. A claim keeps its id among the old claims of its chunk's documents. A run
   killed at any point leaves the alignment as it was: nothing is committed until the last
   chunk is in. The stored candidates of the stories aligned again are kept as they were.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sqlite_utils

from newsalign.corpus.align import engine, placing
from newsalign.corpus.align.candidates import Candidate
from newsalign.corpus.align.job import reviewed
from newsalign.corpus.align.job.planning import Work, chunks
from newsalign.corpus.align.job.reading import Prepared, decided, load_candidates, prepare
from newsalign.corpus.align.job.setup import Setup
from newsalign.corpus.align.job.vectors import STORED, Embedding, embed_candidates
from newsalign.corpus.align.labels import story_label
from newsalign.corpus.align.model import LogisticModel
from newsalign.corpus.ingest.years import infer_years
from newsalign.corpus.store import answers as answers_db
from newsalign.corpus.store import candidates as candidates_db
from newsalign.corpus.store import claims as claims_db
from newsalign.corpus.store import numbering, story_inputs
from newsalign.corpus.store.database import Moved, RunLog, data_version
from newsalign.corpus.store.records import (
    AlignmentRows,
    CandidateRow,
    ClusterRow,
    LinkRow,
    StoryRow,
    WrittenBy,
)


@dataclass(frozen=True)
class Written:
    """What step 2 wrote: the run, how many stories and candidates, and a person's decided
    pairs applied and not applied."""

    run_id: int
    stories: int
    candidates: int
    decisions: int
    unapplied: int


def _lean_candidates(db: sqlite_utils.Database, docs: list[int], work: Work) -> list[Candidate]:
    """The candidates of `docs` as stored (new documents' as planned)."""
    return load_candidates(db, docs, candidates_db.stored(db, docs) + list(work.new_candidates))


def embed_missing(db: sqlite_utils.Database, work: Work, setup: Setup, embedding: Embedding) -> int:
    """Step 1 of an incremental run: the vectors the stories' candidates need, each batch
    committed as it is made (a full run embeds while it reads the grouping input)."""
    embedded = 0
    for part in chunks(work.groups):
        docs = sorted(d for k in part for d in work.groups[k])
        found = _lean_candidates(db, docs, work)
        infos = candidates_db.documents_of(db, sorted({c.doc for c in found}))
        embedded += embed_candidates(db, setup.embedders, found, infos, embedding)
    return embedded


def align_and_write(
    db: sqlite_utils.Database,
    log: RunLog,
    work: Work,
    setup: Setup,
    stage: Callable[[str], None],
    expect: int | None = None,
) -> Written:
    """Step 2 (module docstring): align every story of `work` and write it, in one transaction
    with the run `log`. `expect`: the database's data_version when `work` was planned; if
    another process has committed since, nothing is written and Moved is raised (the plan may
    name stories that process replaced, or miss what it added: plan again)."""
    parts = chunks(work.groups)
    written = applied = unapplied = 0
    with log.transaction() as record:
        if expect is not None and data_version(db) != expect:
            raise Moved("the corpus changed while this align was planned; plan it again")
        run_id = record()
        # A dateline's year-less day takes its year from the story's other dates.
        infer_years(db, work.groups)
        doc_keys = numbering.document_keys(db)
        story_ids = numbering.keep_ids(
            db,
            "stories",
            numbering.old_stories(db, work.dropped),
            [frozenset(doc_keys[d] for d in g) for g in work.groups],
        )
        old = _old_claims_by_part(db, work, parts, doc_keys)
        # Read before the rows go: the stored candidates of the stories aligned again.
        every = sorted(d for g in work.groups for d in g)
        kept = candidates_db.stored(db, every) if work.dropped is not None else []
        ages = answers_db.label_ages(db)  # labels stay with the claims they name
        claims_db.delete_rows(db, work.dropped)
        for number, part in enumerate(parts, 1):
            stage(f"aligning {len(part)} stories (part {number} of {len(parts)})")
            groups = [work.groups[k] for k in part]
            docs = sorted(d for g in groups for d in g)
            claimed = [] if work.dropped is None else kept + list(work.new_candidates)
            prepared = prepare(db, setup.embedders, STORED, docs, claimed)
            decisions, missed = decided(db, prepared.candidates, {doc_keys[d] for d in docs})
            applied += len(decisions.must) + len(decisions.cannot)
            unapplied += missed
            result = engine.align_groups(
                prepared.data, groups, setup.claim_model, setup.options, decisions
            )
            result = reviewed.with_answers(
                db, prepared.candidates, prepared.data, result, doc_keys, ages
            )
            ids = [story_ids[k] for k in part]
            _write(db, run_id, setup, prepared, result, ids, old.pop(number - 1, {}))
            story_inputs.record(
                db, dict(zip(ids, [work.prints[k] for k in part], strict=True)), replace_all=False
            )
            written += len(prepared.candidates)
        # Old claims whose documents are in no story now: their ids are retired, never reused.
        leftover = {c: members for rest in old.values() for c, members in rest.items()}
        if leftover:
            numbering.keep_ids(db, "clusters", leftover, [])
    return Written(run_id, len(work.groups), written, applied, unapplied)


def _write(
    db: sqlite_utils.Database,
    run_id: int,
    setup: Setup,
    prepared: Prepared,
    result: engine.AlignResult,
    story_ids: list[int],
    old: dict[int, frozenset],
) -> None:
    """One chunk's rows, its claims taking the ids of the `old` claims they continue, and its
    documents' leads."""
    stories, clusters, links = rows(db, prepared, result, setup.claim_model)
    segment_keys = numbering.segment_keys(db, [s for c in clusters for s, _ in c.members])
    cluster_ids = numbering.keep_ids(
        db,
        "clusters",
        old,
        [frozenset(segment_keys[s] for s, _ in c.members) for c in clusters],
    )
    claims_db.insert_rows(
        db,
        WrittenBy(run_id, setup.method, setup.settings.threshold),
        AlignmentRows([candidate_row(c) for c in prepared.candidates], stories, clusters, links),
        story_ids,
        cluster_ids,
    )
    story_inputs.store_leads(
        db,
        setup.first.name,
        {
            d.id: placing.raw_lead(d, prepared.data.lead_vectors)
            for d in prepared.data.documents
            if d.rows
        },
    )


def _old_claims_by_part(
    db: sqlite_utils.Database, work: Work, parts: list[list[int]], doc_keys: dict[int, str]
) -> dict[int, dict[int, frozenset]]:
    """The stored claims being replaced, by the chunk holding most of their members' documents
    (key -1: documents in no story now), so that each chunk's claims take the ids of the old
    claims they continue."""
    part_of_key = {
        doc_keys[d]: n for n, part in enumerate(parts) for k in part for d in work.groups[k]
    }
    out: dict[int, dict[int, frozenset]] = {}
    for cluster_id, members in numbering.old_clusters(db, work.dropped).items():
        votes = Counter(part_of_key.get(doc_key, -1) for doc_key, _ in members)
        where = votes.most_common(1)[0][0] if votes else -1
        out.setdefault(where, {})[cluster_id] = members
    # The per-chunk calls see only their own old claims: every id given so far stays taken.
    numbering.reserve(db, "clusters", max((c for rest in out.values() for c in rest), default=0))
    return out


def candidate_row(c: Candidate) -> CandidateRow:
    """A candidate as the `claims` table stores it."""
    source = "original" if c.english == c.text else ("translation" if c.english else "none")
    return CandidateRow(
        c.id,
        c.doc,
        c.source,
        c.lang,
        c.english,
        source,
        tuple(sorted(c.entities)),
        {},  # facts are read when shown (views/claims.py), not stored
        c.headline,
    )


def rows(
    db: sqlite_utils.Database,
    prepared: Prepared,
    result: engine.AlignResult,
    model: LogisticModel,
) -> tuple[list[StoryRow], list[ClusterRow], list[LinkRow]]:
    """Story, claim and link rows of `result` (a claim names its story, a link its claim, by
    index into these lists)."""
    found = prepared.candidates
    docs = {d.id: d for d in candidates_db.documents_of(db, sorted({c.doc for c in found}))}
    first_view = next(iter(prepared.data.views.values()))
    stories: list[StoryRow] = []
    clusters: list[ClusterRow] = []
    links: list[LinkRow] = []
    for story in result.stories:
        members = [docs[d] for d in story.documents if d in docs]
        dates = sorted(d.published[:10] for d in members if d.published)
        stories.append(
            StoryRow(
                story_label(members, story, found),
                tuple(d.id for d in members),
                len({d.source for d in members}),
                ",".join(sorted({d.lang or "?" for d in members})),
                dates[0] if dates else None,
                dates[-1] if dates else None,
            )
        )
        first_cluster = len(clusters)
        probabilities = _links(story, found, first_view, model, first_cluster, links)
        for k, group in enumerate(story.clusters):
            indexes = [m.index for m in group]
            ps = probabilities.get(k, [])
            clusters.append(
                ClusterRow(
                    len(stories) - 1,
                    tuple(
                        (
                            found[m.index].id,
                            found[m.repeat_of].id if m.repeat_of is not None else None,
                        )
                        for m in group
                    ),
                    len({found[i].source for i in indexes}),
                    ",".join(sorted({found[i].lang or "?" for i in indexes})),
                    round(sum(ps) / len(ps), 4) if ps else 0.0,
                    found[story.labels[k]].id if story.labels else None,
                )
            )
    return stories, clusters, links


def _links(
    story: engine.StoryResult,
    found: list[Candidate],
    first_view: np.ndarray,
    model: LogisticModel,
    first_cluster: int,
    links: list[LinkRow],
) -> dict[int, list[float]]:
    """Append the story's kept links to `links`: those inside a claim, and for review the
    most probable others (at least REVIEW, at most three per sentence). Returns the
    probabilities of each claim's links (by index into the story's claims)."""
    # A sentence may be in several claims; a link belongs to the first claim holding both.
    where: dict[int, list[int]] = {}
    for k, c in enumerate(story.clusters):
        for m in c:
            where.setdefault(m.index, []).append(k)
    probabilities: dict[int, list[float]] = {}
    per_claim_review: dict[int, int] = {}
    order = np.argsort(-story.edges.p, kind="stable")
    for e in order:
        a, b, p = int(story.edges.i[e]), int(story.edges.j[e]), float(story.edges.p[e])
        shared = [k for k in where.get(a, ()) if k in where.get(b, ())]
        inside = bool(shared)
        if not inside:
            if (
                p < engine.REVIEW
                or per_claim_review.get(a, 0) >= 3
                or per_claim_review.get(b, 0) >= 3
            ):
                continue
            per_claim_review[a] = per_claim_review.get(a, 0) + 1
            per_claim_review[b] = per_claim_review.get(b, 0) + 1
        else:
            for k in shared:
                probabilities.setdefault(k, []).append(p)
        x = story.edges.X[e]
        evidence = {name: round(float(v), 4) for name, v in zip(model.features, x, strict=True)}
        links.append(
            LinkRow(
                found[a].id,
                found[b].id,
                p,
                float(first_view[a] @ first_view[b]),
                evidence.get("gap", 0.0) / 10,
                model.contributions(x),
                evidence,
                first_cluster + shared[0] if inside else None,
            )
        )
    return probabilities
