"""Alignment per story: an `align` after an earlier one (and without `--full`) keeps every stored
story whose inputs are unchanged, row for row, and aligns again only the others.

1. Documents already in a stored story stay in it; a document no longer current (removed, or
   replaced by a new version) leaves it; new documents are placed by placing.py (an existing
   story or a new one, by the story model within the date window), and a person's `must`
   decisions across two stories join them, as in a full run.
2. A story is aligned again when it gained or lost documents, or when what its alignment was
   computed from changed (fingerprint.story_prints: its documents, their translations, the
   decisions naming their sentences, the settings, weights and glossary; a change of the last
   three makes run.py align everything, as `--full` does).
3. Those stories are aligned and stored by chunks.py, a chunk of whole stories at a time (memory
   follows the largest story, not the corpus), all in one transaction with the run: a run
   killed at any point leaves the database as it was (a run that stops half way through its
   stories would leave a corpus aligned partly by one run and partly by another, with no run
   row saying so). The facts of stored claims are read back, not extracted again.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sqlite_utils

from newsalign.corpus.align import chunks, fingerprint, placing, run
from newsalign.corpus.align.bridge import Bridge
from newsalign.corpus.align.claims import load_claims, stored_claims
from newsalign.corpus.align.embed import Embedder, load_vectors
from newsalign.corpus.align.features import Facts
from newsalign.corpus.align.model import LogisticModel
from newsalign.corpus.store import claims as claims_db
from newsalign.corpus.store import story_inputs
from newsalign.corpus.store.database import RunLog
from newsalign.corpus.store.records import text_hash


@dataclass(frozen=True)
class Plan:
    """The stories to align again (document ids, with their fingerprints), the stored story
    ids whose rows they replace, and how many stored stories stay as they are."""

    groups: list[list[int]]
    prints: list[str]
    dropped: list[int]
    kept: int
    new_facts: dict[int, Facts]


def plan(
    db: sqlite_utils.Database,
    common: str,
    embedders: dict[str, Embedder],
    story_model: LogisticModel,
    embed: Callable[..., int],
    on_progress: Callable[[int, int], None] | None = None,
) -> Plan | None:
    """What an incremental run does; None when it cannot be incremental (no earlier run with
    these settings, weights and glossary, or stories stored before per-story inputs were)."""
    row = db.execute(
        "SELECT args FROM runs WHERE command = 'align' AND status = 'ok' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None or json.loads(row[0]).get("settings_fingerprint") != common:
        return None
    held = story_inputs.stored(db)
    stored: dict[int, list[int]] = {}
    for doc, sid in db.execute("SELECT doc_id, story_id FROM story_documents ORDER BY doc_id"):
        stored.setdefault(sid, []).append(doc)
    if any(sid not in held for sid in stored):
        return None
    current = {d for (d,) in db.execute("SELECT id FROM current_documents")}
    placed = {d for docs in stored.values() for d in docs}
    new_ids = sorted(current - placed)
    # Stories by key: a stored story id, or a negative key for a new story.
    final: dict[int, list[int]] = {
        sid: [d for d in docs if d in current] for sid, docs in stored.items()
    }
    touched = {sid for sid, docs in stored.items() if len(docs) != len(final[sid])}
    dropped: set[int] = set()
    new_facts: dict = {}
    if new_ids:
        first = next(iter(embedders.values()))
        fresh = run.prepare(db, embedders, on_progress, embed, docs=new_ids)
        new_facts = {c.id: c.facts for c in fresh.claims}
        placements = placing.place(
            db,
            first.name,
            fresh.data.documents,
            fresh.data.lead_vectors,
            story_model,
            lambda ids: leads_of(db, first.name, ids),
        )
        for k, where in enumerate(placements):
            key = where.stored[0] if where.stored else -(k + 1)
            final.setdefault(key, [])
            for other in where.stored[1:]:
                final[key] += final.pop(other)
                dropped.add(other)
            final[key] += list(where.new)
            touched.add(key)
    _join_decided(db, final, touched, dropped)
    prints = fingerprint.story_prints(db, common, final)
    touched |= {key for key in final if key < 0 or prints[key] != held.get(key)}
    emptied = {key for key, docs in final.items() if not docs and key > 0}
    dropped |= emptied | {key for key in touched if key > 0}
    keys = sorted(key for key in touched if final.get(key))
    return Plan(
        [sorted(final[key]) for key in keys],
        [prints[key] for key in keys],
        sorted(dropped),
        len(stored) - len(dropped),
        new_facts,
    )


def _join_decided(
    db: sqlite_utils.Database, final: dict[int, list[int]], touched: set[int], dropped: set[int]
) -> None:
    """A person's `must` pairs naming sentences of two stories make them one (as
    engine._join_stories does in a full run): the story with the smaller key keeps them."""
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
    pairs = db.execute(
        "SELECT p.a_doc_key, p.a_hash, p.b_doc_key, p.b_hash FROM decision_pairs p "
        "JOIN decisions d ON d.id = p.decision_id WHERE p.link = 'must'"
    ).fetchall()
    if not pairs:
        return []
    keys = sorted({k for a, _, b, _ in pairs for k in (a, b)})
    doc_of: dict[tuple[str, str], int] = {}
    for doc, key, text in db.execute(
        "SELECT d.id, d.doc_key, s.text FROM segments s JOIN current_documents d "
        "ON d.id = s.doc_id WHERE d.doc_key IN (SELECT value FROM json_each(?))",
        [json.dumps(keys)],
    ):
        doc_of[(key, text_hash(text))] = doc
    found = [(doc_of.get((ak, ah)), doc_of.get((bk, bh))) for ak, ah, bk, bh in pairs]
    return [(a, b) for a, b in found if a is not None and b is not None]


def leads_of(db: sqlite_utils.Database, model: str, doc_ids: list[int]):
    """Stored documents as story grouping sees them, with their vectors under `model` (the
    claims' facts are not read: grouping does not use them)."""
    claims = load_claims(db, docs=doc_ids, with_facts=False, claimed=stored_claims(db, doc_ids))
    infos = claims_db.documents_of(db, sorted({c.doc for c in claims}))
    texts = [c.text for c in claims] + [t for d in infos for t in d.titles]
    vectors = load_vectors(db, model, texts) if texts else np.zeros((0, 0), np.float32)
    return run.lead_documents(claims, infos), vectors


def realign(
    db: sqlite_utils.Database,
    settings: run.Settings,
    embedders: dict[str, Embedder],
    claim_model: LogisticModel,
    story_model: LogisticModel,
    bridge: Bridge | None,
    common: str,
    inputs: str,
    *,
    embed: Callable[..., int],
    on_progress: Callable[[int, int], None] | None = None,
    stage: Callable[[str], None] = lambda _: None,
    expect: int | None = None,
) -> run.AlignReport | None:
    """Align again only the stories that changed (module docstring); None when this run must
    be a full one. `expect`: chunks.align_and_store."""
    start = time.perf_counter()
    stage("placing new documents in stories")
    planned = plan(db, common, embedders, story_model, embed, on_progress)
    if planned is None:
        return None
    method = f"calibrated:{claim_model.about.get('version', 'custom')}"
    work = chunks.Work(planned.groups, planned.prints, planned.dropped, planned.new_facts)
    embedded = chunks.embed_missing(db, work, embedders, embed, on_progress)
    log = RunLog(
        db,
        "align",
        {
            "threshold": settings.threshold,
            "method": method,
            "embedders": [e.name for e in embedders.values()],
            "bridge": bridge is not None,
            "settings": dataclasses.asdict(settings),
            "fingerprint": inputs,
            "settings_fingerprint": common,
            "incremental": {"realigned": len(planned.groups), "kept": planned.kept},
        },
    )
    done = chunks.align_and_store(
        db, log, work, embedders, claim_model, settings, bridge, stage, expect=expect
    )
    log.counts.update(
        stories_realigned=done.stories, stories_kept=planned.kept, claims_realigned=done.claims
    )
    log.finish()
    report = run.stored_report(db, settings, done.run_id, method, bridge is not None, start)
    return dataclasses.replace(
        report,
        embedded=embedded,
        decisions=done.decisions,
        decisions_unapplied=done.unapplied,
        unchanged_since=None,
        realigned=done.stories,
        kept=planned.kept,
    )
