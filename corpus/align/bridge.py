"""A German-English word bridge from the Ding dictionary (Debian's `trans-de-en`).

The dictionary is GPL and is read where Debian installs it (`/usr/share/trans/de-en`, or
`$NEWSALIGN_DING`), never copied into newsalign. Each German word maps to the stems of its
English translations; words missing from the dictionary are tried without a case ending, then
as compounds by their longest known last part ("Truppenabzug" by "Abzug").

Its evidence for a German-English pair: the share of the English sentence's rare words found
among the German words' translations, and the share of German words with a translation in the
English sentence (the geometric mean of the two).
"""

from __future__ import annotations

import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

DEFAULT_PATH = Path("/usr/share/trans/de-en")
ENV = "NEWSALIGN_DING"

_ANNOTATION = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\([^)]*\)|<[^>]*>")
_WORD = re.compile(r"\w+")
# Function words carry no claim; these are grammar, not vocabulary taken from any story.
EN_STOP = frozenset(
    ["a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "but", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "it", "its", "this", "that", "these", "those", "with", "by", "from", "as", "not", "no", "he", "she", "they", "we", "his", "her", "their", "our", "will", "would", "which", "who", "whom", "there", "also", "than", "then", "into", "about", "after", "before", "over", "under", "up", "out", "off", "one", "sb", "sth", "something", "somebody", "someone", "said", "says"]
)  # fmt: skip
DE_STOP = frozenset(
    ["der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "einen", "und", "oder", "aber", "ist", "sind", "war", "waren", "wird", "werden", "wurde", "wurden", "hat", "haben", "hatte", "hatten", "sich", "nicht", "auch", "auf", "aus", "bei", "mit", "nach", "von", "vor", "zu", "zum", "zur", "im", "in", "am", "an", "als", "wie", "dass", "es", "er", "sie", "wir", "ihr", "sein", "seine", "ihre", "ihren", "seiner", "über", "unter", "um", "bis", "seit", "durch", "für", "gegen", "ohne", "noch", "nur", "schon", "so", "sowie", "dieser", "diese", "dieses", "diesem", "diesen", "alle", "mehr", "sagte"]
)  # fmt: skip
_DE_ENDINGS = ("ern", "em", "en", "er", "es", "e", "n", "s")
_EN_SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "ies", "ied", "ed", "es", "er", "s", "ly")


def en_stem(word: str) -> str:
    """A crude English stem: common suffixes off, six letters kept ("withdrawn" ~ "withdrawal")."""
    word = word.lower()
    for suffix in _EN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    return word[:6]


def content_words(text: str, lang: str) -> list[str]:
    """Words that carry content: three letters or more, no digits, no function words."""
    stop = EN_STOP if lang == "en" else DE_STOP if lang == "de" else frozenset()
    return [
        w for w in _WORD.findall(text) if len(w) >= 3 and not w.isdigit() and w.lower() not in stop
    ]


def dictionary_path() -> Path | None:
    """Where the Ding dictionary is installed, if it is."""
    path = Path(os.environ.get(ENV) or DEFAULT_PATH)
    return path if path.is_file() else None


class Bridge:
    """German word -> stems of its English translations."""

    def __init__(self, entries: Mapping[str, frozenset[str]]) -> None:
        self._entries = entries

    @classmethod
    def load(cls, path: Path | None = None) -> Bridge | None:
        """Read the Ding dictionary (a few seconds); None when it is not installed."""
        path = path or dictionary_path()
        if path is None:
            return None
        entries: dict[str, set[str]] = defaultdict(set)
        with path.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("#") or "::" not in line:
                    continue
                german, english = line.rstrip("\n").split("::", 1)
                left, right = german.split("|"), english.split("|")
                if len(left) != len(right):  # sub-entries that do not pair up: keep the first
                    left, right = left[:1], right[:1]
                for de_part, en_part in zip(left, right, strict=True):
                    stems = set()
                    for synonym in _ANNOTATION.sub(" ", en_part).split(";"):
                        words = [
                            w
                            for w in _WORD.findall(synonym.lower())
                            if w not in EN_STOP and not w.isdigit()
                        ]
                        if 1 <= len(words) <= 3:
                            stems.update(en_stem(w) for w in words)
                    if not stems:
                        continue
                    for synonym in _ANNOTATION.sub(" ", de_part).split(";"):
                        words = _WORD.findall(synonym)
                        if len(words) == 1:
                            entries[words[0].lower()].update(stems)
        return cls({word: frozenset(stems) for word, stems in entries.items()})

    def translations(self, word: str) -> frozenset[str]:
        """English stems for a German word (inflected or compound), empty if unknown."""
        word = word.lower()
        if word in self._entries:
            return self._entries[word]
        for ending in _DE_ENDINGS:
            if word.endswith(ending) and word[: -len(ending)] in self._entries:
                return self._entries[word[: -len(ending)]]
        for cut in range(3, len(word) - 3):
            head = word[cut:]
            if len(head) >= 4 and head in self._entries:
                modifier = word[:cut].rstrip("s")
                extra = (
                    self._entries.get(modifier, frozenset()) if len(modifier) >= 3 else frozenset()
                )
                return self._entries[head] | extra
        return frozenset()

    def score(
        self, german: Iterable[str], english_stems: Iterable[str], idf: Mapping[str, float]
    ) -> float:
        """Evidence that a German and an English sentence say the same (0..1)."""
        wanted = set(english_stems)
        translated = [self.translations(w) for w in german]
        known = [t for t in translated if t]
        if not wanted or not known:
            return 0.0
        union = frozenset().union(*known)
        total = sum(idf.get(e, 0.0) for e in wanted)
        covered = sum(idf.get(e, 0.0) for e in wanted if e in union) / total if total else 0.0
        matched = sum(1 for t in known if t & wanted) / len(known)
        return math.sqrt(covered * matched)
