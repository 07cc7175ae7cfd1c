"""Sentence vectors in the database, keyed by (hash of the text, model): a sentence is embedded
once per model, whichever document or version it appears in, however often embedders change."""

from __future__ import annotations

import numpy as np
import sqlite_utils

from newsalign.corpus.store.database import now


def have(db: sqlite_utils.Database, model: str, hashes: list[str]) -> set[str]:
    """Which of `hashes` already have a vector from `model`."""
    found: set[str] = set()
    for i in range(0, len(hashes), 500):
        chunk = hashes[i : i + 500]
        found.update(
            r[0]
            for r in db.execute(
                f"SELECT text_hash FROM sentence_vectors WHERE model = ? "
                f"AND text_hash IN ({','.join('?' * len(chunk))})",
                [model, *chunk],
            )
        )
    return found


def insert(
    db: sqlite_utils.Database, model: str, dim: int, hashes: list[str], vectors: np.ndarray
) -> None:
    """Store vectors (float32) for `hashes`; the caller holds the transaction."""
    created = now()
    db.conn.executemany(
        "INSERT OR REPLACE INTO sentence_vectors (text_hash, model, dim, vector, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            (h, model, dim, v.astype(np.float32).tobytes(), created)
            for h, v in zip(hashes, vectors, strict=True)
        ],
    )


def load(db: sqlite_utils.Database, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
    """The stored vectors of `model` for `hashes` (missing ones are absent)."""
    out: dict[str, np.ndarray] = {}
    wanted = sorted(set(hashes))
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        for text_hash, blob in db.execute(
            f"SELECT text_hash, vector FROM sentence_vectors WHERE model = ? "
            f"AND text_hash IN ({','.join('?' * len(chunk))})",
            [model, *chunk],
        ):
            out[text_hash] = np.frombuffer(blob, dtype=np.float32)
    return out
