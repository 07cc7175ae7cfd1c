"""Names across scripts and spelling conventions: Cyrillic to Latin, and a consonant key under
which Peskov, Peskow and Песков, or Karasin and Карасин, meet.

The key folds the usual transliteration variants of German, English, Spanish and Russian
(w/v, j/y, sch/sh, dzh/j, kh/h, doubled letters) and keeps the first letter and the consonants
that follow. It is for matching names, not for showing them.
"""

from __future__ import annotations

import re

from newsalign.glossary.textnorm import fold

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
            "i",
            "yi",
            "ye",
            "g",
            "u",
        ],
        strict=True,
    )
)
_VARIANTS = (("dsch", "j"), ("tsch", "ch"), ("sch", "sh"), ("dzh", "j"), ("zh", "j"), ("ck", "k"),
             ("c", "k"), ("kh", "h"), ("w", "v"), ("ph", "f"), ("ie", "i"), ("j", "y"))  # fmt: skip


def latin(text: str) -> str:
    """Cyrillic letters spelled in Latin (BGN-like); other letters kept, folded."""
    return fold("".join(_CYRILLIC.get(ch, ch) for ch in text.lower()))


def name_key(word: str, length: int = 4) -> str:
    """The first letter and the next consonants of a word, spelling variants folded."""
    word = latin(word)
    for variant, common in _VARIANTS:
        word = word.replace(variant, common)
    word = re.sub(r"(.)\1+", r"\1", word)
    return (word[:1] + re.sub(r"[aeiouy]", "", word[1:]))[:length]
