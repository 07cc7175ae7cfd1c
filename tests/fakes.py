"""A stand-in embedder for tests: deterministic vectors from word hashes (no model)."""

from __future__ import annotations

import hashlib

import numpy as np

from newsalign.glossary.textnorm import WORD, fold


class HashEmbedder:
    """Bag-of-words vectors: texts sharing words are close. Fast; monolingual only."""

    name = "test:hash-bag-of-words"
    dim = 64

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in WORD.findall(text):
                h = int(hashlib.md5(fold(word).encode()).hexdigest(), 16)
                out[i, h % self.dim] += 1.0
            out[i] /= np.linalg.norm(out[i]) or 1.0
        return out


class OtherHashEmbedder(HashEmbedder):
    """The same vectors under another model name, to switch embedders."""

    name = "test:other-hash"


class KillOnceEmbedder(HashEmbedder):
    """The hash vectors, but the first process to embed a batch dies mid-batch (SIGKILL), as a
    worker lost to the out-of-memory killer would; the flag file says it happened."""

    def embed(self, texts: list[str]) -> np.ndarray:
        import os
        import signal
        from pathlib import Path

        flag = Path(os.environ["NEWSALIGN_TEST_KILL_FLAG"])
        try:
            with flag.open("x") as fh:
                fh.write(str(os.getpid()))
        except FileExistsError:
            return super().embed(texts)
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")
