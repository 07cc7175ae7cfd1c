"""What runs on a worker: translating and embedding one batch. Each worker process loads a
model once and keeps it in `LOADED`, keyed by what identifies the model; `reset()` empties it
(tests, or a worker told to drop its models)."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from newsalign.corpus.errors import CorpusError
from newsalign.translate.engine import Engine, Settings
from newsalign.translate.errors import TranslateError

LOADED: dict[tuple, Any] = {}


def reset() -> None:
    """Forget every loaded model in this process."""
    LOADED.clear()


def _threads() -> int:
    """The worker's thread count, so a model does not take every core of a shared machine."""
    try:
        from distributed import get_worker

        return max(get_worker().state.nthreads, 1)
    except (ImportError, ValueError):
        return 1


def translate_batch(pair: tuple[str, str], model: str, settings: Settings, texts: list[str]):
    """Translations of `texts` by the installed package `model` ("argos:de-en@1.9"). A worker
    whose newest package for the pair is another version refuses, so cache keys stay honest."""
    from newsalign.translate.packages import find

    key = ("argos", model, settings)
    engine = LOADED.get(key)
    if engine is None:
        package = find(*pair)
        if package is None or package.id != model:
            found = package.id if package else "no package"
            raise TranslateError(
                f"a worker has {found} for {pair[0]}→{pair[1]}, not {model}: "
                "install the same package on every worker"
            )
        # CTranslate2's thread count changes speed only, never the output.
        threads = settings.threads or _threads()
        engine = Engine(package, dataclasses.replace(settings, threads=threads))
        LOADED[key] = engine
    return engine.translate(texts)


def embed_batch(cls: type, name: str, texts: list[str]) -> np.ndarray:
    """Vectors of `texts` from an embedder of class `cls` (built without arguments, as
    `load_embedder` does), which must carry the same model name as the caller's."""
    from newsalign.corpus.align.embedders import load_embedder

    key = ("embed", f"{cls.__module__}:{cls.__qualname__}", name)
    embedder = LOADED.get(key)
    if embedder is None:
        embedder = load_embedder(key[1])
        if embedder.name != name:
            raise CorpusError(f"a worker's {key[1]} is {embedder.name}, not {name}")
        LOADED[key] = embedder
    vectors = np.asarray(embedder.embed(texts), dtype=np.float32)
    if vectors.shape != (len(texts), embedder.dim):
        raise CorpusError(
            f"embedder {name} returned shape {vectors.shape}, "
            f"expected ({len(texts)}, {embedder.dim})"
        )
    return vectors
