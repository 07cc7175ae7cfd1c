"""What an align run aligns: every story (a full run), or only the stories that changed (an
incremental run, after an earlier one and without `--full`).

A full run (the first one, `--full`, or after a change of settings, weights or glossary) groups
every current document into stories again over the whole corpus. It reads what grouping needs
of each document (its titles and candidates, their vectors under the first embedder), a chunk
of documents at a time, into one float32 matrix that grouping then centres in place; the
candidates' other views and every row are only ever held one chunk of stories at a time
(writing.py). So memory follows the corpus's documents for grouping (about
1.5 KB a sentence) and the largest chunk for the rest.

An incremental run keeps every stored story whose inputs are unchanged, row for row:

1. Documents already in a stored story stay in it; a document no longer current (removed, or
   replaced by a new version) leaves it; new documents are placed by placing.py (an existing
   story or a new one, by the story model within the date window), and a person's `must`
   decisions across two stories join them, as in a full run.
2. A story is aligned again when it gained or lost documents, or when what its alignment was
   computed from changed (fingerprint.story_prints: its documents, their translations, the
   decisions naming their sentences, the settings, weights and glossary; a change of the last
   three makes the run a full one).

Either way the stories are then aligned and written by writing.py, a chunk of whole stories
(`CHUNK_DOCS` documents, or one story when it is larger) at a time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sqlite_utils

from newsalign.corpus.align import engine, grouping, placing
from newsalign.corpus.align.job import fingerprint
from newsalign.corpus.align.job.reading import (
    lead_documents,
    load_candidates,
    prepare,
    stored_documents,
)
from newsalign.corpus.align.job.setup import Setup
from newsalign.corpus.align.job.vectors import Embedding, embed_candidates, load_vectors
from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store import candidates as candidates_db
from newsalign.corpus.store import decisions, story_inputs
from newsalign.corpus.store import stories as stories_db
from newsalign.corpus.store.records import text_hash
from newsalign.corpus.store.runs import last_run

CHUNK_DOCS = 2000  # documents aligned at a time (whole stories; a larger story alone)


@dataclass(frozen=True)
class Work:
    """Stories to align (lists of document ids) with their fingerprints, in the order their new
    ids are given; the stored story ids whose rows they replace (None: every stored row, a
    full run); the candidates chosen for new documents; and how many stored stories stay as
    they are (None: a full run)."""

    groups: list[list[int]]
    prints: list[str]
    dropped: list[int] | None
    new_candidates: tuple[int, ...] = ()
    kept: int | None = None


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


def incremental(db: sqlite_utils.Database, setup: Setup, embedding: Embedding) -> Work | None:
    """What an incremental run aligns (module docstring); None when it cannot be incremental
    (no earlier run with these settings, weights and glossary, or stories stored before
    per-story inputs were). New documents' candidates are embedded on the way."""
    run = last_run(db, "align")
    if run is None or run.args.get("settings_fingerprint") != setup.common:
        return None
    held = story_inputs.stored(db)
    stored = stories_db.documents_by_story(db)
    if any(sid not in held for sid in stored):
        return None
    current = set(candidates_db.current_document_ids(db))
    placed = {d for docs in stored.values() for d in docs}
    new_ids = sorted(current - placed)
    # Stories by key: a stored story id, or a negative key for a new story.
    final: dict[int, list[int]] = {
        sid: [d for d in docs if d in current] for sid, docs in stored.items()
    }
    touched = {sid for sid, docs in stored.items() if len(docs) != len(final[sid])}
    dropped: set[int] = set()
    new_candidates: tuple[int, ...] = ()
    if new_ids:
        fresh = prepare(db, setup.embedders, embedding, docs=new_ids)
        new_candidates = tuple(c.id for c in fresh.candidates)
        for k, where in enumerate(_placements(db, setup, fresh.data)):
            key = where.stored[0] if where.stored else -(k + 1)
            final.setdefault(key, [])
            for other in where.stored[1:]:
                final[key] += final.pop(other)
                dropped.add(other)
            final[key] += list(where.new)
            touched.add(key)
    _join_decided(db, final, touched, dropped)
    prints = fingerprint.story_prints(db, setup.common, final)
    touched |= {key for key in final if key < 0 or prints[key] != held.get(key)}
    emptied = {key for key, docs in final.items() if not docs and key > 0}
    dropped |= emptied | {key for key in touched if key > 0}
    keys = sorted(key for key in touched if final.get(key))
    return Work(
        [sorted(final[key]) for key in keys],
        [prints[key] for key in keys],
        sorted(dropped),
        new_candidates,
        len(stored) - len(dropped),
    )


def _placements(
    db: sqlite_utils.Database, setup: Setup, data: engine.AlignInput
) -> list[placing.Placement]:
    """Where the new documents of `data` go among the stored stories."""
    new_docs = [d for d in data.documents if d.rows]
    if not new_docs:
        return []
    model = setup.first.name
    ids, story, days, langs = placing.window(stories_db.placed_documents(db), new_docs)
    pool = placing.Pool(ids, story, days, langs, story_inputs.leads(db, model, ids))
    return placing.place(
        new_docs,
        data.lead_vectors,
        pool,
        setup.story_model,
        lambda wanted: stored_documents(db, model, wanted),
    )


def _join_decided(
    db: sqlite_utils.Database, final: dict[int, list[int]], touched: set[int], dropped: set[int]
) -> None:
    """A person's `must` pairs naming sentences of two stories make them one (as
    engine.join_stories does in a full run): the story with the smaller key keeps them."""
    story_of = {d: key for key, docs in final.items() for d in docs}
    for a, b in must_documents(db):
        x, y = story_of.get(a), story_of.get(b)
        if x is None or y is None or x == y:
            continue
        keep, gone = sorted((x, y), key=lambda k: (k < 0, k))
        for d in final[gone]:
            story_of[d] = keep
        final[keep] += final.pop(gone)
        touched.add(keep)
        touched.discard(gone)
        if gone > 0:
            dropped.add(gone)


def must_documents(db: sqlite_utils.Database) -> list[tuple[int, int]]:
    """The current documents of the two sentences of each `must` pair a person decided (pairs
    naming a sentence no current document has are left out)."""
    pairs = decisions.must_pairs(db)
    if not pairs:
        return []
    keys = sorted({k for a, _, b, _ in pairs for k in (a, b)})
    doc_of: dict[tuple[str, str], int] = {}
    for doc, key, text in decisions.current_sentences_of(db, keys):
        doc_of[(key, text_hash(text))] = doc
    found = [(doc_of.get((ak, ah)), doc_of.get((bk, bh))) for ak, ah, bk, bh in pairs]
    return [(a, b) for a, b in found if a is not None and b is not None]


def full(
    db: sqlite_utils.Database,
    setup: Setup,
    embedding: Embedding,
    stage: Callable[[str], None],
) -> tuple[Work, int]:
    """What a full run aligns: every current document grouped into stories again (module
    docstring), with a person's `must` pairs joining stories; and how many vectors were
    embedded on the way."""
    doc_ids = candidates_db.current_document_ids(db)
    stage(f"embedding what is missing and grouping {len(doc_ids)} documents into stories")
    documents, vectors, embedded = _grouping_input(db, setup, embedding, doc_ids)
    found = grouping.group(documents, vectors, setup.story_model, consume=True)
    del vectors
    groups = engine.join_stories([[documents[k].id for k in g] for g in found], must_documents(db))
    del documents, found  # aligning holds one chunk of stories at a time, not the corpus
    common = "" if setup.custom else setup.common
    prints = fingerprint.story_prints(db, common, dict(enumerate(groups)))
    return Work(groups, [prints[k] for k in range(len(groups))], None), embedded


def _grouping_input(
    db: sqlite_utils.Database, setup: Setup, embedding: Embedding, doc_ids: list[int]
) -> tuple[list[grouping.Doc], np.ndarray, int]:
    """Every document as story grouping sees it, with one float32 matrix of the rows it reads
    (each chunk's candidates, then its titles, as reading.lead_documents numbers them), and how
    many vectors were embedded: a chunk's missing vectors are stored (each batch committed, so
    a killed run resumes) before its rows are read."""
    model = setup.first.name
    upper = candidates_db.grouping_rows(db)
    matrix: np.ndarray | None = None  # pages are only touched as rows are written
    documents: list[grouping.Doc] = []
    sources: set[str] = set()
    used = embedded = 0
    for part in chunks([[d] for d in doc_ids]):
        docs = [doc_ids[k] for k in part]
        found = load_candidates(db, docs)
        sources |= {c.source for c in found}
        infos = candidates_db.documents_of(db, sorted({c.doc for c in found}))
        embedded += embed_candidates(db, setup.embedders, found, infos, embedding)
        texts = [c.text for c in found] + [t for d in infos for t in d.titles]
        if not texts:
            continue
        vectors = load_vectors(db, model, texts)
        if matrix is None:
            matrix = np.empty((upper, vectors.shape[1]), dtype=np.float32)
        matrix[used : used + len(vectors)] = vectors
        documents += [
            dataclasses.replace(d, rows=tuple(used + r for r in d.rows))
            for d in lead_documents(found, infos)
        ]
        used += len(vectors)
    if len(sources) < 2 or matrix is None:
        raise CorpusError("alignment needs claims from at least two sources")
    return documents, matrix[:used], embedded
