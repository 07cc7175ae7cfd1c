"""Where new documents go when stories are stored: each joins an existing story or opens one,
by growing.extend (the assignment bench/grow.py measures), without loading the corpus.

A new document's candidates are the stored documents published within the date window of it
(and the undated ones; an undated new document is compared with the window of the run's dated
new documents, or of the newest stored date), and the new documents placed before it; of those
the `k` nearest by lead cosine, on the leads stored by earlier runs (store/story_inputs.py,
centred per language over the candidates). Their stories are then weighed whole, as the full
grouping weighs them (grouping.py): the new document with every member of each such story in
the window, and the members of any two of them with each other, every pair scored up to
ALL_PAIRS_UP_TO documents and each document's CANDIDATES nearest leads above. (Weighed only
through the new document's nearest neighbours, two stories looked like one: those neighbours
are the members most like it.) Only those documents are loaded, and the story model scores
the pairs. Name rarity and centring are taken over the documents loaded, not the whole corpus:
the cost of not loading it.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from newsalign.corpus.align import grouping, growing
from newsalign.corpus.align.model import LogisticModel
from newsalign.corpus.align.pairs import CENTRING

Loader = Callable[[list[int]], tuple[list[grouping.Doc], np.ndarray]]


@dataclass(frozen=True)
class Placement:
    """Stories that change: stored story ids merged into one (empty: a new story), and the new
    documents that join them."""

    stored: tuple[int, ...]
    new: tuple[int, ...]


@dataclass(frozen=True)
class Pool:
    """Stored documents of current stories that may be candidates, by day (undated first):
    their ids, stories, days since the epoch (-1: undated) and languages, and the leads stored
    for them (documents without one are left out of the candidates)."""

    ids: list[int]
    story: np.ndarray
    days: np.ndarray
    langs: list[str]
    leads: dict[int, np.ndarray]

    def with_leads(self) -> Pool:
        """The pool without the documents that have no stored lead."""
        keep = [r for r, d in enumerate(self.ids) if d in self.leads]
        return Pool(
            [self.ids[r] for r in keep],
            self.story[keep],
            self.days[keep],
            [self.langs[r] for r in keep],
            self.leads,
        )


def raw_lead(doc: grouping.Doc, vectors: np.ndarray) -> np.ndarray:
    """A document's lead as stored: the mean of its title and first sentences' vectors."""
    return vectors[list(doc.rows[: grouping.LEAD_SENTENCES + 1])].mean(axis=0)


def window(
    placed: Sequence[tuple[int, int, str | None, str]],
    new_docs: Sequence[grouping.Doc],
    days: int = growing.WINDOW_DAYS,
) -> tuple[list[int], np.ndarray, np.ndarray, list[str]]:
    """Of the `placed` documents (document, story, published, language: store.stories.
    placed_documents), those within `days` of a new document's date, and the undated: (ids,
    stories, days since the epoch or -1, languages), by day, undated first. Undated new
    documents are compared with the window of the dated ones, or of the newest stored date."""
    rows = list(placed)
    day_of = np.array([_day(r[2]) for r in rows], dtype=int)
    anchors = np.array(sorted({_day(d.published) for d in new_docs} - {-1}), dtype=int)
    if not len(anchors):
        anchors = np.array([day_of.max()]) if len(day_of) and day_of.max() >= 0 else anchors
    keep = day_of < 0
    if len(anchors) and len(day_of):
        # Distance to the nearest anchor day.
        at = np.clip(np.searchsorted(anchors, day_of), 1, len(anchors)) - 1
        nearest = np.minimum(
            np.abs(day_of - anchors[at]),
            np.abs(day_of - anchors[np.minimum(at + 1, len(anchors) - 1)]),
        )
        keep |= nearest <= days
    picked = np.flatnonzero(keep)
    picked = picked[np.argsort(day_of[picked], kind="stable")]  # by day, undated first
    chosen = [rows[r] for r in picked]
    return (
        [r[0] for r in chosen],
        np.array([r[1] for r in chosen], dtype=int),
        day_of[picked],
        [r[3] for r in chosen],
    )


def place(
    new_docs: Sequence[grouping.Doc],
    new_vectors: np.ndarray,
    pool: Pool,
    story_model: LogisticModel,
    load: Loader,
    rule: growing.Rule | None = None,
) -> list[Placement]:
    """Where `new_docs` (rows into `new_vectors`) go among the stored stories of `pool`.
    `load(ids)` gives stored documents as story grouping sees them, with their vectors."""
    rule = rule or growing.Rule()
    new_docs = [d for d in new_docs if d.rows]
    if not new_docs:
        return []
    pool = pool.with_leads()
    n_new = len(new_docs)
    raw = [raw_lead(d, new_vectors) for d in new_docs] + [pool.leads[d] for d in pool.ids]
    leads = _centred(np.array(raw, dtype=np.float32), [d.lang for d in new_docs] + pool.langs)
    new_days = np.array([_day(d.published) for d in new_docs])
    order = sorted(range(n_new), key=lambda x: (new_days[x] < 0, new_days[x], new_docs[x].id))
    near = _candidates(order, new_days, leads, pool.days, rule)
    # The pairs the assignment reads, as indexes into new docs + pool, by the full grouping's
    # rule; then only the stored documents they name are loaded and scored.
    pairs = _pairs(near, n_new, [int(s) for s in pool.story], leads)
    wanted = sorted({i for pair in pairs for i in pair if i >= n_new})
    loaded_docs, loaded_vectors = load([pool.ids[i - n_new] for i in wanted])
    by_id = {d.id: d for d in loaded_docs}
    docs = list(new_docs)
    local = {x: x for x in range(n_new)}  # index into new docs + pool -> index into docs
    offset = len(new_vectors)
    for i in wanted:
        found = by_id.get(pool.ids[i - n_new])
        if found is not None:
            local[i] = len(docs)
            docs.append(dataclasses.replace(found, rows=tuple(r + offset for r in found.rows)))
    vectors = np.vstack([new_vectors, loaded_vectors]) if len(loaded_vectors) else new_vectors
    story_of = {local[i]: int(pool.story[i - n_new]) for i in wanted if i in local}
    near_local = {x: [local[i] for i in c if i in local] for x, c in near.items()}
    pairs_list = sorted(
        (min(local[a], local[b]), max(local[a], local[b]))
        for a, b in pairs
        if a in local and b in local
    )
    ctx = grouping.context(docs, vectors)
    X = grouping.features(docs, ctx, pairs_list)
    p = story_model.predict(X) if len(X) else np.zeros(0)
    scored = {pair: float(q) for pair, q in zip(pairs_list, p, strict=True)}

    def probability(a: list[int], b: list[int]) -> np.ndarray:
        return np.array([[scored.get((min(x, y), max(x, y)), np.nan) for y in b] for x in a])

    held_by: dict[int, list[int]] = {}
    for m, sid in sorted(story_of.items()):
        held_by.setdefault(sid, []).append(m)
    existing = [held_by[sid] for sid in sorted(held_by)]
    grown = growing.extend(
        order, lambda x: near_local[x], probability, existing=existing, threshold=rule.threshold
    )
    out = []
    for members in grown:
        new = tuple(sorted(docs[m].id for m in members if m < n_new))
        held = tuple(sorted({story_of[m] for m in members if m >= n_new}))
        if new or len(held) > 1:
            out.append(Placement(held, new))
    return out


def _candidates(
    order: list[int],
    new_days: np.ndarray,
    leads: np.ndarray,
    pool_days: np.ndarray,
    rule: growing.Rule,
) -> dict[int, list[int]]:
    """Each new document's `rule.k` nearest leads among the pool and the new documents placed
    before it, within the window (indexes into new docs + pool). The pool is sorted by day
    (undated first), so a window is a slice: no copy of the pool's leads per document."""
    n_new, window = len(new_days), rule.window
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
            spans = [(0, len(pool_days))]
        idx = np.concatenate([earlier] + [n_new + np.arange(a, b) for a, b in spans])
        if not len(idx):
            near[x] = []
            continue
        sims = np.concatenate(
            [leads[earlier] @ leads[x]] + [pool_leads[a:b] @ leads[x] for a, b in spans]
        )
        top = np.argsort(-sims, kind="stable")[: rule.k]
        near[x] = [int(i) for i in idx[top]]
    return near


def _pairs(
    near: dict[int, list[int]], n_new: int, pool_story: list[int], leads: np.ndarray
) -> set[tuple[int, int]]:
    """The document pairs the assignment weighs (indexes into new docs + pool, smaller first):
    each new document with the earlier new documents among its candidates and with every
    pool member of its candidates' stories, and the members of any two of those stories with
    each other. Average-link weighs a story by all its members: the few nearest a new
    document are the ones that agree with it most, and two stories seen only through them
    look like one. As in the full grouping (stories.pair_features), every such pair is scored
    when new docs and pool number ALL_PAIRS_UP_TO or fewer; above, only pairs where one is
    among the other's CANDIDATES nearest leads."""
    members: dict[int, list[int]] = {}
    for r, story in enumerate(pool_story):
        members.setdefault(story, []).append(n_new + r)
    wanted: set[tuple[int, int]] = set()
    story_pairs: set[tuple[int, int]] = set()
    for x, cands in near.items():
        around = sorted({pool_story[i - n_new] for i in cands if i >= n_new})
        wanted.update((min(x, c), max(x, c)) for c in cands if c < n_new)
        wanted.update((x, m) for s in around for m in members[s])
        story_pairs.update(itertools.combinations(around, 2))
    if n_new + len(pool_story) <= grouping.ALL_PAIRS_UP_TO:
        for s, t in story_pairs:
            wanted.update((u, v) for u in members[s] for v in members[t])
        return {(min(a, b), max(a, b)) for a, b in wanted}
    rows = {i for pair in wanted for i in pair}
    rows = sorted(rows | {m for pair in story_pairs for s in pair for m in members[s]})
    top = _nearest(leads, rows, grouping.CANDIDATES)
    story_at = {n_new + r: s for r, s in enumerate(pool_story)}
    out = {(a, b) for a, b in wanted if b in top[a] or a in top[b]}
    for s, t in story_pairs:
        for u in members[s] + members[t]:
            other = t if story_at[u] == s else s
            out.update((min(u, v), max(u, v)) for v in top[u] if story_at.get(v) == other)
    return out


def _nearest(leads: np.ndarray, rows: list[int], k: int) -> dict[int, set[int]]:
    """The `k` nearest leads (by cosine, itself excluded) of each of `rows`."""
    k = min(k, len(leads) - 1)
    out: dict[int, set[int]] = {}
    for start in range(0, len(rows), 128):
        block = rows[start : start + 128]
        sims = leads[block] @ leads.T
        sims[np.arange(len(block)), block] = -np.inf
        near = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        out.update({r: set(near[n].tolist()) for n, r in enumerate(block)})
    return out


def _centred(leads: np.ndarray, langs: list[str]) -> np.ndarray:
    out = leads.astype(np.float32, copy=True)
    codes = np.array(langs)
    for lang in set(langs):
        rows = codes == lang
        out[rows] -= CENTRING * out[rows].mean(axis=0)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def _day(published: str | None) -> int:
    found = grouping.parse_date(published)
    return found.toordinal() if found else -1
