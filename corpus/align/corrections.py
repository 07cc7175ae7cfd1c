"""A person's corrections, applied at once: record the decision, then re-align the way the last
`align` did (same embedders, threshold and weights), so the claims reflect it immediately.

The decision itself is stored by sentence identity (store/decisions.py) and applied by every
later run; here is only the convenience of seeing its effect straight away.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from newsalign.corpus.align.run import AlignReport, last_settings, run_alignment
from newsalign.corpus.store import decisions

ACTIONS = ("reject", "accept", "split", "merge")


@dataclass(frozen=True)
class Correction:
    """A recorded decision, and the align run that applied it (None: not re-aligned)."""

    decision: int
    action: str
    pairs: int
    aligned: AlignReport | None
    placed: tuple[tuple[int, int | None], ...]  # (sentence, the claim it is in now or None)


def correct(
    db: sqlite_utils.Database,
    action: str,
    ids: list[int],
    *,
    claim: int | None = None,
    note: str = "",
    realign: bool = True,
) -> Correction:
    """Record a decision and re-align. `ids`: two sentences (reject, accept), the sentences that
    leave `claim` (split), or the claims to merge."""
    if action in ("reject", "accept"):
        pairs = decisions.link_pairs(db, "cannot" if action == "reject" else "must", *ids)
    elif action == "split":
        pairs = decisions.split_pairs(db, claim, ids)
    elif action == "merge":
        pairs = decisions.merge_pairs(db, ids)
    else:
        raise ValueError(action)
    sentences = sorted({x for _, a, b in pairs for x in (a, b)})
    decision = decisions.record(db, action, pairs, note)
    aligned = _realign(db) if realign else None
    where = dict(db.execute("SELECT segment_id, cluster_id FROM cluster_members").fetchall())
    placed = tuple((s, where.get(s)) for s in sentences)
    return Correction(decision, action, len(pairs), aligned, placed)


def withdraw(
    db: sqlite_utils.Database, decision: int, *, realign: bool = True
) -> AlignReport | None:
    """Remove a decision and re-align without it."""
    decisions.remove(db, decision)
    return _realign(db) if realign else None


def _realign(db: sqlite_utils.Database) -> AlignReport | None:
    if db.execute("SELECT 1 FROM runs WHERE command = 'align' LIMIT 1").fetchone() is None:
        return None  # never aligned: the person runs `align` when ready
    return run_alignment(db, last_settings(db))
