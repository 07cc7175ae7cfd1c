"""Text folding for search: case, diacritics, and letters Unicode does not decompose."""

from __future__ import annotations

import re
import unicodedata

# Letters with no Unicode decomposition, which SQLite's remove_diacritics cannot fold either.
_SPECIAL = str.maketrans(
    {
        "ə": "e",
        "Ə": "e",
        "ı": "i",
        "İ": "i",
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "ħ": "h",
    }
)
_SPECIALS = re.compile("[" + "".join(map(chr, _SPECIAL)) + "]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
WORD = re.compile(r"\w+", re.UNICODE)


def nfc(text: str) -> str:
    """The composed form (NFC): "S" + U+0327 and "Ş" are one letter, and a word pattern must
    not split a decomposed spelling at its accents. Every door of text into newsalign uses it."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lowercase, without diacritics: "Xankəndi" and "Hacıbəyli" become "xankendi", "hacibeyli"."""
    # Ingest folds every word and sentence: the steps that change nothing in a text are
    # skipped (ASCII has no special letters, no decompositions and no combining marks).
    if text.isascii():
        return text.casefold()
    if _SPECIALS.search(text):
        text = text.translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed.casefold()
    return _NON_ASCII.sub(_unmarked, decomposed).casefold()


def _unmarked(run: re.Match[str]) -> str:
    return "".join(ch for ch in run.group() if not unicodedata.combining(ch))
