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
