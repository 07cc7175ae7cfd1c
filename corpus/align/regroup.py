"""A full `align` (the first one, `--full`, or after a change of settings, weights or glossary):
every current document grouped into stories again over the whole corpus, then every story
aligned and stored by chunks.py.

Grouping reads what stories.py needs of each document (its titles and claims, their vectors
under the first embedder, no facts), loaded a chunk of documents at a time into one float32
matrix that grouping then centres in place; the claims' facts, their other views and every
row are only ever held one chunk of stories at a time. So memory follows the corpus's
documents for grouping (about 1.5 KB a sentence) and the largest chunk for the rest.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import numpy as np
import sqlite_utils

from newsalign.corpus.align import chunks, engine, fingerprint, run
from newsalign.corpus.align import stories as grouping
from newsalign.corpus.align.bridge import Bridge
from newsalign.corpus.align.claims import load_claims
from newsalign.corpus.align.embed import Embedder, load_vectors
from newsalign.corpus.align.incremental import must_documents
from newsalign.corpus.align.model import LogisticModel
from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store import claims as claims_db
from newsalign.corpus.store.database import RunLog


def full(
    db: sqlite_utils.Database,
    settings: run.Settings,
    embedders: dict[str, Embedder],
    models: tuple[LogisticModel, LogisticModel],
    bridge: Bridge | None,
    args: dict,
    *,
    embed: Callable[..., int],
    on_progress: Callable[[int, int], None] | None = None,
    stage: Callable[[str], None] = lambda _: None,
    expect: int | None = None,
) -> run.AlignReport:
    """Embed what is missing, group every document into stories, align and store every story;
    `args` are the run's recorded arguments (settings and fingerprints); `expect`:
    chunks.align_and_store."""
    start = time.perf_counter()
    claim_model, story_model = models
    doc_ids = [d for (d,) in db.execute("SELECT id FROM current_documents ORDER BY id")]
    stage(f"embedding what is missing and grouping {len(doc_ids)} documents into stories")
    documents, vectors, embedded = _grouping_input(db, embedders, doc_ids, embed, on_progress)
    found = grouping.group(documents, vectors, story_model, consume=True)
    del vectors
    groups = engine._join_stories([[documents[k].id for k in g] for g in found], must_documents(db))
    del documents, found  # aligning holds one chunk of stories at a time, not the corpus
    prints = fingerprint.story_prints(
        db, args["settings_fingerprint"] or "", dict(enumerate(groups))
    )
    work = chunks.Work(groups, [prints[k] for k in range(len(groups))], None, {})
    log = RunLog(db, "align", args)
    done = chunks.align_and_store(
        db, log, work, embedders, claim_model, settings, bridge, stage, expect=expect
    )
    report = run.stored_report(db, settings, done.run_id, args["method"], bridge is not None, start)
    log.counts.update(
        claims=report.claims,
        stories=report.stories,
        accepted=report.accepted,
        clusters=report.clusters,
    )
    log.finish()
    return dataclasses.replace(
        report, embedded=embedded, decisions=done.decisions, decisions_unapplied=done.unapplied
    )


def _grouping_input(
    db: sqlite_utils.Database,
    embedders: dict[str, Embedder],
    doc_ids: list[int],
    embed: Callable[..., int],
    on_progress: Callable[[int, int], None] | None,
) -> tuple[list[grouping.Doc], np.ndarray, int]:
    """Every document as story grouping sees it, with one float32 matrix of the rows it reads
    (each chunk's claims, then its titles, as run.lead_documents numbers them), and how many
    vectors were embedded: a chunk's missing vectors are stored (each batch committed, so a
    killed run resumes) before its rows are read."""
    model = next(iter(embedders.values())).name
    # At most every body sentence, and each title twice (a claim, and the document's title).
    (upper,) = db.execute(
        "SELECT coalesce(sum(CASE kind WHEN 'title' THEN 2 ELSE 1 END), 0) FROM text_segments "
        "WHERE kind IN ('title', 'body') AND doc_id IN (SELECT id FROM current_documents)"
    ).fetchone()
    matrix: np.ndarray | None = None  # pages are only touched as rows are written
    documents: list[grouping.Doc] = []
    sources: set[str] = set()
    used = embedded = 0
    for part in chunks.chunks([[d] for d in doc_ids]):
        docs = [doc_ids[k] for k in part]
        claims = load_claims(db, docs=docs, with_facts=False)
        sources |= {c.source for c in claims}
        infos = claims_db.documents_of(db, sorted({c.doc for c in claims}))
        embedded += run.embed_claims(db, embedders, claims, infos, on_progress, embed)
        texts = [c.text for c in claims] + [t for d in infos for t in d.titles]
        if not texts:
            continue
        vectors = load_vectors(db, model, texts)
        if matrix is None:
            matrix = np.empty((upper, vectors.shape[1]), dtype=np.float32)
        matrix[used : used + len(vectors)] = vectors
        documents += [
            dataclasses.replace(d, rows=tuple(used + r for r in d.rows))
            for d in run.lead_documents(claims, infos)
        ]
        used += len(vectors)
    if len(sources) < 2 or matrix is None:
        raise CorpusError("alignment needs claims from at least two sources")
    return documents, matrix[:used], embedded
