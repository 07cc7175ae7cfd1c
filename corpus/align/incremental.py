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
3. Those stories are aligned in chunks of whole stories (`CHUNK_DOCS` documents, or one story
   when it is larger): the claims and vectors of a chunk only, so memory follows the largest
   story, not the corpus. The facts of stored claims are read back, not extracted again.
4. Everything is written in one transaction, with the run: a run killed at any point leaves
   the database as it was (a run that stops half way through its stories would leave a
   corpus aligned partly by one run and partly by another, with no run row saying so).
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sqlite_utils

from newsalign.corpus.align import engine, fingerprint, placing, run
from newsalign.corpus.align.bridge import Bridge
from newsalign.corpus.align.claims import load_claims, stored_claims, stored_facts
from newsalign.corpus.align.embed import Embedder, load_vectors
from newsalign.corpus.align.features import Facts
from newsalign.corpus.align.model import LogisticModel
from newsalign.corpus.store import claims as claims_db
from newsalign.corpus.store import story_inputs
from newsalign.corpus.store.database import RunLog
from newsalign.corpus.store.dating import infer_years
from newsalign.corpus.store.records import text_hash

CHUNK_DOCS = 2000  # documents aligned at a time (whole stories; a larger story alone)


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
        placements = placing.place(db, first.name, fresh.data.documents, fresh.data.lead_vectors,
                                   story_model, lambda ids: leads_of(db, first.name, ids))  # fmt: skip
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
    return Plan([sorted(final[key]) for key in keys], [prints[key] for key in keys],
                sorted(dropped), len(stored) - len(dropped), new_facts)  # fmt: skip


def _join_decided(
    db: sqlite_utils.Database, final: dict[int, list[int]], touched: set[int], dropped: set[int]
) -> None:
    """A person's `must` pairs naming sentences of two stories make them one (as
    engine._join_stories does in a full run): the story with the smaller key keeps them."""
    pairs = db.execute(
        "SELECT p.a_doc_key, p.a_hash, p.b_doc_key, p.b_hash FROM decision_pairs p "
        "JOIN decisions d ON d.id = p.decision_id WHERE p.link = 'must'"
    ).fetchall()
    if not pairs:
        return
    keys = sorted({k for a, _, b, _ in pairs for k in (a, b)})
    doc_of: dict[tuple[str, str], int] = {}
    for doc, key, text in db.execute(
        "SELECT d.id, d.doc_key, s.text FROM segments s JOIN current_documents d "
        "ON d.id = s.doc_id WHERE d.doc_key IN (SELECT value FROM json_each(?))",
        [json.dumps(keys)],
    ):
        doc_of[(key, text_hash(text))] = doc
    story_of = {d: key for key, docs in final.items() for d in docs}
    for ak, ah, bk, bh in pairs:
        x, y = story_of.get(doc_of.get((ak, ah), -1)), story_of.get(doc_of.get((bk, bh), -1))
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
) -> run.AlignReport | None:
    """Align again only the stories that changed (module docstring); None when this run must
    be a full one."""
    start = time.perf_counter()
    stage("placing new documents in stories")
    planned = plan(db, common, embedders, story_model, embed, on_progress)
    if planned is None:
        return None
    first = next(iter(embedders.values()))
    method = f"calibrated:{claim_model.about.get('version', 'custom')}"
    claim_rows, stories, clusters, links, leads, prints = [], [], [], [], {}, []
    applied = unapplied = embedded = 0
    chunks = _chunks(list(zip(planned.groups, planned.prints, strict=True)))
    for number, part in enumerate(chunks, 1):
        stage(f"aligning {len(part)} changed stories (part {number} of {len(chunks)})")
        chunk = [group for group, _ in part]
        prints += [p for _, p in part]
        docs = sorted(d for g in chunk for d in g)
        facts = stored_facts(db, docs) | planned.new_facts
        prepared = run.prepare(db, embedders, on_progress, embed, docs=docs, facts=facts)
        embedded += prepared.embedded
        keys = {k for (k,) in db.execute(
            "SELECT doc_key FROM documents WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(docs)])}  # fmt: skip
        must, cannot, missed = run.decided_pairs(db, prepared.claims, keys)
        applied, unapplied = applied + len(must) + len(cannot), unapplied + missed
        result = engine.align_groups(prepared.data, chunk, claim_model,
                                     threshold=settings.threshold, bridge=bridge, must=must,
                                     cannot=cannot, recalibrate=run.learned(db, prepared.claims))  # fmt: skip
        run._rows(db, prepared, result, claim_model, (stories, clusters, links))
        claim_rows += [run._claim_row(c) for c in prepared.claims]
        leads.update({d.id: placing.raw_lead(d, prepared.data.lead_vectors)
                      for d in prepared.data.documents if d.rows})  # fmt: skip
    log = RunLog(db, "align", {"threshold": settings.threshold, "method": method,
                               "embedders": [e.name for e in embedders.values()],
                               "bridge": bridge is not None,
                               "settings": dataclasses.asdict(settings), "fingerprint": inputs,
                               "settings_fingerprint": common,
                               "incremental": {"realigned": len(stories),
                                               "kept": planned.kept}})  # fmt: skip
    stage("storing the changed stories")
    with log.transaction() as record:
        run_id = record()
        infer_years(db, planned.groups)
        ids = claims_db.replace_stories(db, run_id, method, settings.threshold, planned.dropped,
                                        claim_rows, stories, clusters, links)  # fmt: skip
        story_inputs.forget(db, planned.dropped)
        story_inputs.record(db, dict(zip(ids, prints, strict=True)), replace_all=False)
        story_inputs.store_leads(db, first.name, leads)
    log.counts.update(stories_realigned=len(stories), stories_kept=planned.kept,
                      claims_realigned=len(claim_rows))  # fmt: skip
    log.finish()
    report = run.stored_report(db, settings, run_id, method, bridge is not None, start)
    return dataclasses.replace(report, embedded=embedded, decisions=applied,
                               decisions_unapplied=unapplied, unchanged_since=None,
                               realigned=len(stories), kept=planned.kept)  # fmt: skip


def _chunks(groups: list[tuple[list[int], str]]) -> list[list[tuple[list[int], str]]]:
    """Whole stories, smallest first, up to CHUNK_DOCS documents a chunk."""
    out: list[list[tuple[list[int], str]]] = []
    size = 0
    for group in sorted(groups, key=lambda g: len(g[0])):
        if not out or size + len(group[0]) > CHUNK_DOCS:
            out.append([])
            size = 0
        out[-1].append(group)
        size += len(group[0])
    return out
