"""The translation hot path: SentencePiece and CTranslate2 directly, in batches.

argostranslate's own translate() imports stanza and torch and takes one text at a time; here a
package's model and tokenizer are loaded once and whole lists of sentences are translated.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from newsalign.translate.errors import TranslateError
from newsalign.translate.packages import Package


@dataclass(frozen=True)
class Settings:
    """Decoding settings, recorded with every translation."""

    beam_size: int = 2
    batch_size: int = 32
    threads: int = 0  # 0: let CTranslate2 decide
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
            self._translator = ctranslate2.Translator(
                str(package.model_dir),
                device="cpu",
                compute_type=settings.compute_type,
                intra_threads=settings.threads,
            )
        except Exception as exc:  # the engines raise RuntimeError, OSError, ValueError…
            raise TranslateError(f"model {package.path.name} does not load: {exc}") from None

    def stream(self, sentences: list[str], chunk: int = 4096) -> Iterator[str]:
        """Translations of `sentences` in order, as they finish.

        Work is submitted asynchronously, a chunk ahead, so CTranslate2 sorts and batches it as
        one call would, while the caller stores finished results.
        """
        s = self.settings
        options = {"beam_size": s.beam_size, "max_batch_size": s.batch_size,
                   "max_decoding_length": s.max_decoding_length,
                   "min_decoding_length": s.min_decoding_length, "asynchronous": True}  # fmt: skip

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
