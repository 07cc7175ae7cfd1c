"""What each stored story's alignment was computed from, and each aligned document's lead
(migration 0015): an incremental `align` re-aligns a story only when the first changed, and
places a new document by the second without loading the corpus. Also the rows those
fingerprints hash (align/job/fingerprint.py): documents, translations, decisions, glossary."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence

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


# What the alignment of the whole corpus is computed from, one query each: documents and
# translations are only ever added (a changed article is a new version), so their ids and
# content hashes, or for translations their count and highest id, show any change.
# A document's content hash, followed by the id of its latest metadata correction if it has
# one: a corrected outlet, date or language changes its story (date range, outlets, grouping),
# so `documents set` counts as a change for the next `align`; a document never corrected
# hashes as it did before corrections were counted, so stored fingerprints stay valid.
_HASH = (
    "documents.sha256 || coalesce((SELECT '+' || max(c.id) FROM document_corrections c "
    "WHERE c.doc_key = documents.doc_key), '')"
)
_INPUTS = (
    f"SELECT id, {_HASH} FROM documents WHERE is_current = 1 ORDER BY id",
    "SELECT count(*), max(id) FROM translations",
    "SELECT d.id, d.action, p.link, p.a_doc_key, p.a_hash, p.b_doc_key, p.b_hash "
    "FROM decisions d JOIN decision_pairs p ON p.decision_id = d.id ORDER BY d.id, p.rowid",
    "SELECT max(version) FROM glossary_versions",
)


def corpus_inputs(db: sqlite_utils.Database) -> Iterator[tuple]:
    """Every row the corpus's alignment inputs are hashed from, in a fixed order."""
    for sql in _INPUTS:
        yield from (tuple(row) for row in db.execute(sql))


def glossary_version(db: sqlite_utils.Database) -> tuple:
    """The newest glossary version, as a row."""
    return tuple(db.execute(_INPUTS[3]).fetchone())


def decision_rows(db: sqlite_utils.Database) -> list[tuple]:
    """Every decided pair as (decision id, action, link, a key, a hash, b key, b hash)."""
    return [tuple(row) for row in db.execute(_INPUTS[2])]


def document_hashes(db: sqlite_utils.Database, doc_ids: list[int]) -> dict[int, tuple[str, str]]:
    """(doc_key, content hash) of each of `doc_ids`, the hash marked with the document's
    latest metadata correction (see _HASH)."""
    return {
        doc_id: (key, sha)
        for doc_id, key, sha in db.execute(
            f"SELECT id, doc_key, {_HASH} FROM documents "
            "WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(doc_ids)],
        )
    }


def translation_marks(db: sqlite_utils.Database, doc_ids: list[int]) -> dict[int, tuple[int, int]]:
    """How many translations each of `doc_ids` has, and the newest one's id."""
    return {
        doc_id: (count, newest)
        for doc_id, count, newest in db.execute(
            "SELECT s.doc_id, count(*), max(t.id) FROM translations t "
            "JOIN segments s ON s.id = t.segment_id "
            "WHERE s.doc_id IN (SELECT value FROM json_each(?)) GROUP BY s.doc_id",
            [json.dumps(doc_ids)],
        )
    }
