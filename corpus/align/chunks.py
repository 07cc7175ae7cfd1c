"""Stories aligned and stored a chunk at a time, for a full `align` (regroup.py) and an
incremental one (incremental.py) alike: only one chunk's claims, vectors and rows are held at a
time, so memory follows the largest story, not the corpus.

1. Vectors first, outside the transaction: what the stories' claims need is embedded and
   committed batch by batch (`embed_missing`; a full run does it while reading its grouping
   input), so a run killed while embedding resumes where it stopped.
2. Then one transaction with the run: story ids are chosen for every story at once (ids stay
   with the same documents, numbering.py), the replaced rows are deleted, and each chunk of
   whole stories (`CHUNK_DOCS` documents, or one story when it is larger) is aligned and
   inserted. A claim keeps its id among the old claims of its chunk's documents. A run killed at
   any point leaves the alignment as it was: nothing is committed until the last chunk is in.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import sqlite_utils

from newsalign.corpus.align import engine, placing, run
from newsalign.corpus.align.bridge import Bridge
from newsalign.corpus.align.claims import (
    Claim,
    load_claims,
    parse_facts,
    stored_claims,
    stored_facts_raw,
)
from newsalign.corpus.align.embed import Embedder
from newsalign.corpus.align.features import Facts
from newsalign.corpus.align.model import LogisticModel
from newsalign.corpus.store import claims as claims_db
from newsalign.corpus.store import numbering, story_inputs
from newsalign.corpus.store.database import Moved, RunLog, data_version
from newsalign.corpus.store.dating import infer_years

CHUNK_DOCS = 2000  # documents aligned at a time (whole stories; a larger story alone)


@dataclass(frozen=True)
class Work:
    """Stories to align (lists of document ids) with their fingerprints, in the order their new
    ids are given; the stored story ids whose rows they replace (None: every stored row, a
    full run); and the facts known for new documents' claims (a full run extracts them all)."""

    groups: list[list[int]]
    prints: list[str]
    dropped: list[int] | None
    new_facts: Mapping[int, Facts]


@dataclass(frozen=True)
class Stored:
    run_id: int
    stories: int
    claims: int
    decisions: int
    unapplied: int


def chunks(groups: Sequence[Sequence[int]], size: int | None = None) -> list[list[int]]:
    """Consecutive stories (indexes into `groups`), up to `size` documents a chunk."""
    size = size or CHUNK_DOCS
    out: list[list[int]] = []
    held = 0
    for k, group in enumerate(groups):
        if not out or held + len(group) > size:
            out.append([])
            held = 0
        out[-1].append(k)
        held += len(group)
    return out


def _lean_claims(db: sqlite_utils.Database, docs: list[int], work: Work) -> list[Claim]:
    """The claims of `docs` as stored (new documents' as `plan` chose them), without facts."""
    return load_claims(
        db, docs=docs, with_facts=False, claimed=stored_claims(db, docs) + list(work.new_facts)
    )


def embed_missing(
    db: sqlite_utils.Database,
    work: Work,
    embedders: dict[str, Embedder],
    embed: Callable[..., int],
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Step 1 of an incremental run: the vectors the stories' claims need, each batch committed
    as it is made (a full run embeds while it reads the grouping input, regroup.py)."""
    embedded = 0
    for part in chunks(work.groups):
        docs = sorted(d for k in part for d in work.groups[k])
        claims = _lean_claims(db, docs, work)
        infos = claims_db.documents_of(db, sorted({c.doc for c in claims}))
        embedded += run.embed_claims(db, embedders, claims, infos, on_progress, embed)
    return embedded


def _stored_only(*_args: object) -> int:
    return 0  # step 1 embedded everything; load_vectors says so if a vector is missing


def align_and_store(
    db: sqlite_utils.Database,
    log: RunLog,
    work: Work,
    embedders: dict[str, Embedder],
    claim_model: LogisticModel,
    settings: run.Settings,
    bridge: Bridge | None,
    stage: Callable[[str], None] = lambda _: None,
    *,
    expect: int | None = None,
) -> Stored:
    """Step 2 (module docstring): align every story of `work` and write it, in one transaction
    with the run `log`. `expect`: the database's data_version when `work` was planned; if
    another process has committed since, nothing is written and Moved is raised (the plan may
    name stories that process replaced, or miss what it added: plan again)."""
    first = next(iter(embedders.values()))
    method = f"calibrated:{claim_model.about.get('version', 'custom')}"
    parts = chunks(work.groups)
    claims = applied = unapplied = 0
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
        # Read before the rows go: the stored facts of the claims aligned again.
        known: dict[int, list[tuple[int, str]]] = {}
        if work.dropped is not None:
            every = sorted(d for g in work.groups for d in g)
            for doc, sid, raw in stored_facts_raw(db, every):
                known.setdefault(doc, []).append((sid, raw))
        _delete(db, work.dropped)
        for number, part in enumerate(parts, 1):
            stage(f"aligning {len(part)} stories (part {number} of {len(parts)})")
            groups = [work.groups[k] for k in part]
            docs = sorted(d for g in groups for d in g)
            facts = None
            if work.dropped is not None:
                facts = {sid: parse_facts(raw) for d in docs for sid, raw in known.pop(d, ())}
                facts |= work.new_facts
            prepared = run.prepare(db, embedders, embed=_stored_only, docs=docs, facts=facts)
            keys = {doc_keys[d] for d in docs}
            must, cannot, missed = run.decided_pairs(db, prepared.claims, keys)
            applied, unapplied = applied + len(must) + len(cannot), unapplied + missed
            result = engine.align_groups(
                prepared.data,
                groups,
                claim_model,
                threshold=settings.threshold,
                bridge=bridge,
                must=must,
                cannot=cannot,
                recalibrate=run.learned(db, prepared.claims),
            )
            stories, clusters, links = run._rows(db, prepared, result, claim_model)
            segment_keys = numbering.segment_keys(db, [s for c in clusters for s, _ in c.members])
            cluster_ids = numbering.keep_ids(
                db,
                "clusters",
                old.pop(number - 1, {}),
                [frozenset(segment_keys[s] for s, _ in c.members) for c in clusters],
            )
            ids = [story_ids[k] for k in part]
            claims_db.insert_rows(
                db,
                run_id,
                method,
                settings.threshold,
                [run._claim_row(c) for c in prepared.claims],
                stories,
                clusters,
                links,
                ids,
                cluster_ids,
            )
            story_inputs.record(
                db, dict(zip(ids, [work.prints[k] for k in part], strict=True)), replace_all=False
            )
            story_inputs.store_leads(
                db,
                first.name,
                {
                    d.id: placing.raw_lead(d, prepared.data.lead_vectors)
                    for d in prepared.data.documents
                    if d.rows
                },
            )
            claims += len(prepared.claims)
        # Old claims whose documents are in no story now: their ids are retired, never reused.
        leftover = {c: members for rest in old.values() for c, members in rest.items()}
        if leftover:
            numbering.keep_ids(db, "clusters", leftover, [])
    return Stored(run_id, len(work.groups), claims, applied, unapplied)


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


def _delete(db: sqlite_utils.Database, dropped: list[int] | None) -> None:
    """The rows being replaced: every stored alignment row (None), or those of the stories
    `dropped` with their documents' claims."""
    if dropped is None:
        for table in (
            "alignments",
            "cluster_members",
            "clusters",
            "claims",
            "story_documents",
            "stories",
            "story_inputs",
        ):
            db.execute(f"DELETE FROM {table}")
        return
    gone = [json.dumps(sorted(dropped))]
    docs = "SELECT doc_id FROM story_documents WHERE story_id IN (SELECT value FROM json_each(?))"
    for sql in (
        f"DELETE FROM alignments WHERE a_segment_id IN (SELECT segment_id FROM claims "
        f"WHERE doc_id IN ({docs}))",
        "DELETE FROM cluster_members WHERE cluster_id IN (SELECT id FROM clusters "
        "WHERE story_id IN (SELECT value FROM json_each(?)))",
        "DELETE FROM clusters WHERE story_id IN (SELECT value FROM json_each(?))",
        f"DELETE FROM claims WHERE doc_id IN ({docs})",
        "DELETE FROM story_documents WHERE story_id IN (SELECT value FROM json_each(?))",
        "DELETE FROM stories WHERE id IN (SELECT value FROM json_each(?))",
    ):
        db.execute(sql, gone)
    story_inputs.forget(db, dropped)
