"""The translation hot path: SentencePiece and CTranslate2 directly, in batches.

argostranslate's own translate() imports stanza and torch and takes one text at a time; here a
package's model and tokenizer are loaded once and whole lists of sentences are translated.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from newsalign.translate.errors import TranslateError
from newsalign.translate.packages import Package


@dataclass(frozen=True)
class Settings:
    """Decoding settings, recorded with every translation."""

    beam_size: int = 2
    batch_size: int = 1  # 1: reproducible (see Engine.stream); more: faster, not reproducible
    threads: int = 0  # 0: one per CPU (at most 8)
    compute_type: str = "int8"
    max_decoding_length: int = 256
    min_decoding_length: int = 1

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Engine:
    """A loaded package, ready to translate lists of sentences."""

    def __init__(self, package: Package, settings: Settings) -> None:
        import ctranslate2
        import sentencepiece as spm

        self.package = package
        self.settings = settings
        try:
            self._sp = spm.SentencePieceProcessor(model_file=str(package.sentencepiece))
            # One sentence at a time (see stream()): parallel over sentences, one thread each.
            alone = settings.batch_size == 1
            workers = settings.threads or min(os.cpu_count() or 1, 8)
            self._translator = ctranslate2.Translator(
                str(package.model_dir),
                device="cpu",
                compute_type=settings.compute_type,
                inter_threads=workers if alone else 1,
                intra_threads=1 if alone else settings.threads,
            )
        except Exception as exc:  # the engines raise RuntimeError, OSError, ValueError…
            raise TranslateError(f"model {package.path.name} does not load: {exc}") from None

    def stream(self, sentences: list[str], chunk: int = 4096) -> Iterator[str]:
        """Translations of `sentences` in order, as they finish.

        By default each sentence is decoded as a batch of its own (batch size 1): in a batch,
        CTranslate2's output for a sentence depends on its neighbours (padding, and the batch
        shape of every matrix product: 7 of 200 sentences came out alike batched by 32 and
        alone, even in float32, and 98 of 200 in batches of equal lengths), so a resumed run or
        another selection would translate the same sentence differently. Alone, a sentence
        always gives the same text; the thread count does not change it either. A larger
        batch size is faster (7x on a base-size model) but gives up that guarantee. Work is
        submitted asynchronously, a chunk ahead, while the caller stores finished results.
        """
        s = self.settings
        options = {
            "beam_size": s.beam_size,
            "max_batch_size": s.batch_size,
            "max_decoding_length": s.max_decoding_length,
            "min_decoding_length": s.min_decoding_length,
            "asynchronous": True,
        }

        def submit(start: int) -> list:
            tokens = self._sp.encode(sentences[start : start + chunk], out_type=str)
            return self._translator.translate_batch(tokens, **options) if tokens else []

        pending = submit(0)
        for start in range(0, len(sentences), chunk):
            following = submit(start + chunk)
            for future in pending:
                yield self._sp.decode(future.result().hypotheses[0]).strip()
            pending = following

    def translate(self, sentences: list[str]) -> list[str]:
        """Translations of `sentences`, in order."""
        return list(self.stream(sentences))
