"""Where new documents go when stories are stored: each joins an existing story or opens one,
by grow.extend (the assignment bench/grow.py measures), without loading the corpus.

A new document's candidates are the stored documents published within the date window of it
(and the undated ones; an undated new document is compared with the window of the run's dated
new documents, or of the newest stored date), and the new documents placed before it; of those
the `k` nearest by lead cosine, on the leads stored by earlier runs (store/story_inputs.py,
centred per language over the candidates). Only the candidates are then loaded, and the story
model scores each new document with its candidates, and candidates of different stories with
each other (what average-link grouping would weigh when a document bridges two stories). Name
rarity and centring are taken over the documents loaded, not the whole corpus: the cost of not
loading it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sqlite_utils

from newsalign.corpus.align import grow, stories
from newsalign.corpus.align.model import LogisticModel
from newsalign.corpus.align.pairs import CENTRING
from newsalign.corpus.store import story_inputs

Loader = Callable[[list[int]], tuple[list[stories.Doc], np.ndarray]]


@dataclass(frozen=True)
class Placement:
    """Stories that change: stored story ids merged into one (empty: a new story), and the new
    documents that join them."""

    stored: tuple[int, ...]
    new: tuple[int, ...]


def raw_lead(doc: stories.Doc, vectors: np.ndarray) -> np.ndarray:
    """A document's lead as stored: the mean of its title and first sentences' vectors."""
    return vectors[list(doc.rows[: stories.LEAD_SENTENCES + 1])].mean(axis=0)


def place(
    db: sqlite_utils.Database,
    model_name: str,
    new_docs: Sequence[stories.Doc],
    new_vectors: np.ndarray,
    story_model: LogisticModel,
    load: Loader,
    *,
    window: int = grow.WINDOW_DAYS,
    k: int = grow.NEIGHBOURS,
    threshold: float = 0.5,
) -> list[Placement]:
    """Where `new_docs` (rows into `new_vectors`) go among the stored stories. `load(ids)` gives
    stored documents as story grouping sees them, with their vectors."""
    new_docs = [d for d in new_docs if d.rows]
    if not new_docs:
        return []
    pool_ids, pool_story, pool_days, pool_langs = _pool(db, new_docs, window)
    stored_leads = story_inputs.leads(db, model_name, pool_ids)
    keep = [r for r, d in enumerate(pool_ids) if d in stored_leads]
    pool_ids = [pool_ids[r] for r in keep]
    pool_story, pool_days = pool_story[keep], pool_days[keep]
    pool_langs = [pool_langs[r] for r in keep]
    n_new = len(new_docs)
    raw = [raw_lead(d, new_vectors) for d in new_docs] + [stored_leads[d] for d in pool_ids]
    leads = _centred(np.array(raw, dtype=np.float32), [d.lang for d in new_docs] + pool_langs)
    new_days = np.array([_day(d.published) for d in new_docs])
    order = sorted(range(n_new), key=lambda x: (new_days[x] < 0, new_days[x], new_docs[x].id))
    # Candidates of each new document, as indexes into new docs + pool. The pool is sorted by
    # day (undated first), so a window is a slice: no copy of the pool's leads per document.
    near: dict[int, list[int]] = {}
    pool_leads = leads[n_new:]
    undated = int(np.searchsorted(pool_days, 0))
    for position, x in enumerate(order):
        earlier = np.array(order[:position], dtype=int)
        day = new_days[x]
        if day >= 0:
            earlier = earlier[(new_days[earlier] < 0) | (np.abs(new_days[earlier] - day) <= window)]
            lo = max(int(np.searchsorted(pool_days, day - window)), undated)
            hi = int(np.searchsorted(pool_days, day + window, side="right"))
            spans = [(0, undated), (lo, max(lo, hi))]
        else:
            spans = [(0, len(pool_ids))]
        idx = np.concatenate([earlier] + [n_new + np.arange(a, b) for a, b in spans])
        if not len(idx):
            near[x] = []
            continue
        sims = np.concatenate([leads[earlier] @ leads[x]]
                              + [pool_leads[a:b] @ leads[x] for a, b in spans])  # fmt: skip
        top = np.argsort(-sims, kind="stable")[:k]
        near[x] = [int(i) for i in idx[top]]
    # Load the stored candidates and score the pairs the assignment reads.
    wanted = sorted({i for c in near.values() for i in c if i >= n_new})
    loaded_docs, loaded_vectors = load([pool_ids[i - n_new] for i in wanted])
    by_id = {d.id: d for d in loaded_docs}
    docs = list(new_docs)
    local = {x: x for x in range(n_new)}  # index into new docs + pool -> index into docs
    offset = len(new_vectors)
    for i in wanted:
        found = by_id.get(pool_ids[i - n_new])
        if found is not None:
            local[i] = len(docs)
            docs.append(dataclasses.replace(found, rows=tuple(r + offset for r in found.rows)))
    vectors = np.vstack([new_vectors, loaded_vectors]) if len(loaded_vectors) else new_vectors
    story_of = {local[i]: int(pool_story[i - n_new]) for i in wanted if i in local}
    near_local = {x: [local[i] for i in c if i in local] for x, c in near.items()}
    pairs = set()
    for x, cands in near_local.items():
        pairs.update((min(x, c), max(x, c)) for c in cands)
        old = [c for c in cands if c in story_of]
        pairs.update((a, b) for a in old for b in old if a < b and story_of[a] != story_of[b])
    pairs_list = sorted(pairs)
    ctx = stories.context(docs, vectors)
    X = stories.features(docs, ctx, pairs_list)
    p = story_model.predict(X) if len(X) else np.zeros(0)
    scored = {pair: float(q) for pair, q in zip(pairs_list, p, strict=True)}

    def probability(a: list[int], b: list[int]) -> np.ndarray:
        return np.array([[scored.get((min(x, y), max(x, y)), np.nan) for y in b] for x in a])

    held_by: dict[int, list[int]] = {}
    for m, sid in sorted(story_of.items()):
        held_by.setdefault(sid, []).append(m)
    existing = [held_by[sid] for sid in sorted(held_by)]
    grown = grow.extend(order, lambda x: near_local[x], probability, existing=existing,
                        threshold=threshold)  # fmt: skip
    out = []
    for members in grown:
        new = tuple(sorted(docs[m].id for m in members if m < n_new))
        held = tuple(sorted({story_of[m] for m in members if m >= n_new}))
        if new or len(held) > 1:
            out.append(Placement(held, new))
    return out


def _pool(db: sqlite_utils.Database, new_docs: Sequence[stories.Doc], window: int):
    """Stored documents of current stories that may be candidates: (ids, story ids, days since
    the epoch or -1 when undated, languages)."""
    rows = db.execute(
        "SELECT sd.doc_id, sd.story_id, d.published, coalesce(d.lang, '?') FROM story_documents "
        "sd JOIN current_documents d ON d.id = sd.doc_id ORDER BY sd.doc_id"
    ).fetchall()
    days = np.array([_day(r[2]) for r in rows], dtype=int)
    anchors = np.array(sorted({_day(d.published) for d in new_docs} - {-1}), dtype=int)
    if not len(anchors):
        anchors = np.array([days.max()]) if len(days) and days.max() >= 0 else anchors
    keep = days < 0
    if len(anchors) and len(days):
        # Distance to the nearest anchor day.
        at = np.clip(np.searchsorted(anchors, days), 1, len(anchors)) - 1
        nearest = np.minimum(np.abs(days - anchors[at]),
                             np.abs(days - anchors[np.minimum(at + 1, len(anchors) - 1)]))  # fmt: skip
        keep |= nearest <= window
    picked = np.flatnonzero(keep)
    picked = picked[np.argsort(days[picked], kind="stable")]  # by day, undated first
    chosen = [rows[r] for r in picked]
    return ([r[0] for r in chosen], np.array([r[1] for r in chosen], dtype=int),
            days[picked], [r[3] for r in chosen])  # fmt: skip


def _centred(leads: np.ndarray, langs: list[str]) -> np.ndarray:
    out = leads.astype(np.float32, copy=True)
    codes = np.array(langs)
    for lang in set(langs):
        rows = codes == lang
        out[rows] -= CENTRING * out[rows].mean(axis=0)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def _day(published: str | None) -> int:
    found = stories._date(published)
    return found.toordinal() if found else -1
