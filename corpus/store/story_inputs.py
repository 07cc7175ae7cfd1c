"""What each stored story's alignment was computed from, and each aligned document's lead
(migration 0015): an incremental `align` re-aligns a story only when the first changed, and
places a new document by the second without loading the corpus."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import numpy as np
import sqlite_utils


def record(db: sqlite_utils.Database, prints: Mapping[int, str], *, replace_all: bool) -> None:
    """Store the fingerprint of each story id (`replace_all`: forget every other story's; else
    the caller has deleted the replaced stories' rows). The caller holds the transaction."""
    if replace_all:
        db.execute("DELETE FROM story_inputs")
    db.conn.executemany(
        "INSERT OR REPLACE INTO story_inputs (story_id, fingerprint) VALUES (?, ?)",
        sorted(prints.items()),
    )


def forget(db: sqlite_utils.Database, story_ids: Sequence[int]) -> None:
    db.execute(
        "DELETE FROM story_inputs WHERE story_id IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(story_ids))],
    )


def stored(db: sqlite_utils.Database) -> dict[int, str]:
    return dict(db.execute("SELECT story_id, fingerprint FROM story_inputs").fetchall())


def store_leads(db: sqlite_utils.Database, model: str, leads: Mapping[int, np.ndarray]) -> None:
    """Each document's lead (float32) under `model`; the caller holds the transaction."""
    db.conn.executemany(
        "INSERT OR REPLACE INTO document_leads (doc_id, model, lead) VALUES (?, ?, ?)",
        [(d, model, np.asarray(v, dtype=np.float32).tobytes()) for d, v in leads.items()],
    )


def leads(db: sqlite_utils.Database, model: str, doc_ids: Sequence[int]) -> dict[int, np.ndarray]:
    """The stored leads of `doc_ids` under `model` (documents without one are absent)."""
    return {
        d: np.frombuffer(blob, dtype=np.float32)
        for d, blob in db.execute(
            "SELECT doc_id, lead FROM document_leads WHERE model = ? "
            "AND doc_id IN (SELECT value FROM json_each(?))",
            [model, json.dumps(sorted(doc_ids))],
        )
    }
