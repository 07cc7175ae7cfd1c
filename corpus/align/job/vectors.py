"""Sentence vectors in the database: what is missing is embedded, in batches each committed
(a killed run resumes), and what is stored is read back, per text and model, so nothing is
embedded twice. `Embedding` says how the missing ones are made: here, or on a cluster
(corpus/distributed/run.py gives its own `embed`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sqlite_utils

from newsalign.corpus.align.candidates import Candidate
from newsalign.corpus.align.embedders import Embedder
from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store import vectors as vectors_db
from newsalign.corpus.store.database import transaction
from newsalign.corpus.store.records import DocumentInfo, text_hash

# Texts per call: large enough for the engine's own batching, small enough to commit often.
EMBED_BATCH = 256


def ensure_embeddings(
    db: sqlite_utils.Database,
    embedder: Embedder,
    texts: list[str],
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Embed the texts that have no vector from this embedder yet; returns how many."""
    todo = missing(db, embedder, texts)
    hashes = list(todo)
    done = 0
    for i in range(0, len(hashes), EMBED_BATCH):
        batch = hashes[i : i + EMBED_BATCH]
        store_batch(db, embedder, batch, embedder.embed([todo[h] for h in batch]))
        done += len(batch)
        if on_progress:
            on_progress(done, len(hashes))
    return done


def missing(db: sqlite_utils.Database, embedder: Embedder, texts: list[str]) -> dict[str, str]:
    """Text hash -> text, of the `texts` with no stored vector from `embedder`, in order."""
    by_hash = {text_hash(t): t for t in texts}
    have = vectors_db.have(db, embedder.name, list(by_hash))
    return {h: t for h, t in by_hash.items() if h not in have}


def store_batch(db: sqlite_utils.Database, embedder: Embedder, hashes: list[str], vectors) -> None:
    """One batch's vectors, checked against the embedder's shape, stored in one transaction
    (INSERT OR REPLACE on (text, model): a batch stored twice is the same rows)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.shape != (len(hashes), embedder.dim):
        raise CorpusError(
            f"embedder {embedder.name} returned shape {vectors.shape}, "
            f"expected ({len(hashes)}, {embedder.dim})"
        )
    with transaction(db):
        vectors_db.insert(db, embedder.name, embedder.dim, hashes, vectors)


def load_vectors(db: sqlite_utils.Database, model: str, texts: list[str]) -> np.ndarray:
    """Stored vectors for `texts`, in that order, as one (n, dim) float32 array."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    hashes = [text_hash(t) for t in texts]
    stored = vectors_db.load(db, model, hashes)
    missing = sum(h not in stored for h in hashes)
    if missing:
        raise CorpusError(f"{missing} texts have no {model} embedding")
    return np.stack([stored[h] for h in hashes])


@dataclass(frozen=True)
class Embedding:
    """How the missing vectors are made: `embed(db, embedder, texts, on_progress)` stores
    them and says how many it embedded (`ensure_embeddings`, or the cluster's), and
    `on_progress(done, total)` follows it."""

    embed: Callable[..., int] = ensure_embeddings
    on_progress: Callable[[int, int], None] | None = None

    def missing(self, db: sqlite_utils.Database, embedder: Embedder, texts: list[str]) -> int:
        return self.embed(db, embedder, texts, self.on_progress)


def _stored_only(*_args: object) -> int:
    return 0  # everything was embedded before; load_vectors says so if a vector is missing


STORED = Embedding(embed=_stored_only)  # nothing is embedded: the vectors are stored


def embed_candidates(
    db: sqlite_utils.Database,
    embedders: dict[str, Embedder],
    candidates: Sequence[Candidate],
    infos: Sequence[DocumentInfo],
    embedding: Embedding,
) -> int:
    """Store the vectors alignment reads of `candidates` that are missing: every view of their
    texts, and under the first embedder their English translations and their documents'
    titles. Returns how many were embedded."""
    first = next(iter(embedders.values()))
    texts = [c.text for c in candidates]
    translated = [c.english for c in candidates if c.translated and c.english]
    lead_texts = [t for d in infos for t in d.titles]
    embedded = 0
    for embedder in embedders.values():
        wanted = texts + (translated + lead_texts if embedder is first else [])
        embedded += embedding.missing(db, embedder, wanted)
    return embedded
