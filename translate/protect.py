"""Keep URLs, e-mail addresses, numbers, currency amounts and quotation marks intact.

The sentence goes through the model whole (context matters for quality). If anything protected
is missing from the output, the sentence is translated again in fragments split at the protected
spans, which are then put back verbatim, so they survive whatever the model does.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_CURRENCY = r"[€$£¥₽₼]|\b(?:EUR|USD|GBP|RUB|AZN|AMD|CHF)\b"
_NUMBER = r"\d+(?:[.,\u00a0\u202f]\d+)*"
PROTECTED = re.compile(
    "|".join(
        [
            r"\bhttps?://[^\s<>\"“”„«»]+[^\s<>\"“”„«».,;:!?)]",  # URL
            r"\bwww\.[^\s<>\"“”„«»]+[^\s<>\"“”„«».,;:!?)]",
            r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail
            rf"(?:{_CURRENCY})\s?{_NUMBER}|{_NUMBER}\s?(?:{_CURRENCY})",  # currency amount
            _NUMBER,
            r"[€$£¥₽₼]",
            r"[\"„“”«»]",  # quotation marks (not apostrophes, which English uses in "Russia’s")
        ]
    )
)


@dataclass(frozen=True)
class Piece:
    """A stretch of a sentence: text to translate, or a protected span kept verbatim."""

    text: str
    protected: bool


def protected_items(text: str) -> list[str]:
    """The protected spans of `text`, in order."""
    return [m.group() for m in PROTECTED.finditer(text)]


def missing(source: str, output: str) -> list[str]:
    """Protected spans of `source` that `output` lacks (counted, so two quotes need two)."""
    wanted = Counter(protected_items(source))
    found = Counter(m.group() for m in PROTECTED.finditer(output))
    return sorted((wanted - found).elements())


def split(text: str) -> list[Piece]:
    """`text` cut at its protected spans; whitespace stays with the text pieces."""
    pieces: list[Piece] = []
    cursor = 0
    for m in PROTECTED.finditer(text):
        if m.start() > cursor:
            pieces.append(Piece(text[cursor : m.start()], False))
        pieces.append(Piece(m.group(), True))
        cursor = m.end()
    if cursor < len(text):
        pieces.append(Piece(text[cursor:], False))
    return pieces


def needs_model(piece: Piece) -> bool:
    """Only pieces with letters go to the model; punctuation and spaces are kept as they are."""
    return not piece.protected and any(ch.isalpha() for ch in piece.text)


def join(pieces: list[Piece], translated: dict[int, str]) -> str:
    """Reassemble: translated text pieces (by index), everything else verbatim."""
    out = []
    for i, piece in enumerate(pieces):
        if i in translated:
            lead = piece.text[: len(piece.text) - len(piece.text.lstrip())]
            trail = piece.text[len(piece.text.rstrip()) :]
            out.append(lead + translated[i] + trail)
        else:
            out.append(piece.text)
    return "".join(out)
