"""Spellings a corpus uses that look like a known name but are not in the glossary, so a person
can extend it while reading: "Ханкянди" beside Ханкенди, "Karabaj" beside Karabach, "Chodschali"
beside Khojaly.

A word of the corpus (capitalised, four letters or more, matched by no spelling in any case
form) is proposed for a name when it meets one of its spellings by
- the transliteration key (glossary.translit: Ханкянди and Hankendi, Peskow and Песков meet),
- a small edit distance between the two written in Latin letters (Karabaj, Karabach),
- a shared stem (the two agree on their first five letters or more and differ only in an ending).
Demonyms and adjectives made from a name ("Armenians", "armenisch", "армянский") are never
proposed: they are not names. Pure: no database.
"""

from __future__ import annotations

import re
import shlex
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsalign.glossary.match import Matcher
from newsalign.glossary.model import Entity
from newsalign.glossary.textnorm import WORD, fold
from newsalign.glossary.translit import latin, name_key

MIN_LETTERS = 4
# How a word made from a name ends: demonyms and adjectives of the languages read.
_DERIVED = re.compile(
    r"(?:n|ns|an|ans|ian|ians|ier|i|is|ese|ish|er|ern|erin|innen|isch|ische|ischen|ischer|"
    r"isches|ский|ская|ское|ские|ского|ской|скому|ским|ских|цы|ец|цев|ка|ки|ку|о|а|ец|ов|"
    r"no|na|nos|nas|í|íes|ano|ana|anos|anas|lı|li|lu|lü|ca|ce)$"
)


@dataclass(frozen=True)
class Suggestion:
    """A spelling of the corpus that looks like a known name, and the command that adds it."""

    spelling: str  # as the corpus writes it
    count: int  # how often
    lang: str  # the language of the segments it appears in most ("" if unknown)
    entity: str  # entity key
    name: str  # the name it would be added to
    near: str  # the glossary spelling it resembles
    why: str  # transliteration key, edit distance N, shared stem
    command: str


def corpus_words(texts: Iterable[tuple[str, str]], known: Matcher) -> Counter[tuple[str, str]]:
    """(word, language) -> count of the capitalised words of `texts` ((text, language) pairs)
    that no glossary spelling matches, in any case form."""
    counts: Counter[tuple[str, str]] = Counter()
    for text, lang in texts:
        covered = [(m.start, m.end) for m in known.find(text)]
        for m in WORD.finditer(text):
            word = m.group()
            if (
                len(word) >= MIN_LETTERS
                and word[:1].isupper()
                and not word.isupper()  # acronyms
                and not any(s <= m.start() < e for s, e in covered)
                and not any(ch.isdigit() for ch in word)
            ):
                counts[word, lang or ""] += 1
    return counts


def _latin(text: str) -> str:
    return re.sub(r"[^a-z]", "", latin(text))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (short words: a plain table)."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class _Known:
    """A one-word glossary spelling, with the forms it is compared in."""

    entity: str
    name: str
    text: str
    folded: str
    latin: str
    key: str


def _known(entity: str, name: str, text: str) -> _Known:
    return _Known(entity, name, text, fold(text), _latin(text), name_key(text, 99))


def _resembles(word: _Known, spelling: _Known) -> str | None:
    """Why `word` looks like `spelling`, or None."""
    a, b = word.folded, spelling.folded
    if a == b:
        return None
    if len(word.latin) >= 5 and len(word.key) >= 4 and word.key == spelling.key:
        return "transliteration key"
    shortest = min(len(word.latin), len(spelling.latin))
    if shortest >= 5 and abs(len(word.latin) - len(spelling.latin)) <= 2:
        distance = edit_distance(word.latin, spelling.latin)
        if distance <= max(1, shortest // 5):
            return f"edit distance {distance}"
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    if prefix >= 5 and max(len(a), len(b)) - prefix <= 3:
        return "shared stem"
    return None


def _derived(word: _Known, stems: set[tuple[str, bool]]) -> bool:
    """A demonym or adjective made from one of an entity's spellings ("Armenians", "Turkish",
    "Caucasian", "Armenier", "армянский"): a spelling and a derivational ending, or a spelling
    short of its last letters and an ending of two letters or more (Gyumri is not Gyumr + i)."""
    return any(
        len(stem) >= 4
        and form.startswith(stem)
        and _DERIVED.fullmatch(ending := form[len(stem) :])
        and (full or len(ending) >= 2)
        for form in (word.latin, word.folded)
        for stem, full in stems
    )


def suggest(
    counts: Counter[tuple[str, str]], entities: Sequence[Entity], limit: int = 50
) -> list[Suggestion]:
    """Suggestions for the corpus's `counts` (from `corpus_words`), most frequent first."""
    buckets: dict[str, list[_Known]] = {}
    for e in entities:
        if e.type not in ("place", "region", "country"):
            continue
        for n in e.names:
            for s in n.spellings:
                if len(WORD.findall(s.text)) == 1:
                    known = _known(e.key, n.name, s.text)
                    # Compared only with words that begin alike (in Latin letters).
                    buckets.setdefault(known.latin[:1], []).append(known)
    by_word: dict[str, Counter[str]] = {}
    for (word, lang), count in counts.items():
        by_word.setdefault(word, Counter())[lang] += count
    stems: dict[str, set[tuple[str, bool]]] = {}
    for bucket in buckets.values():
        for known in bucket:
            stems.setdefault(known.entity, set()).update(
                {
                    (known.latin, True),
                    (known.folded, True),
                    (known.latin[:-1], False),
                    (known.latin[:-2], False),
                    (known.folded[:-1], False),
                    (known.folded[:-2], False),
                }
            )
    out: list[Suggestion] = []
    for word, langs in by_word.items():
        candidate = _known("", "", word)
        for spelling in buckets.get(candidate.latin[:1], ()):
            why = _resembles(candidate, spelling)
            if why is None or _derived(candidate, stems[spelling.entity]):
                continue
            lang = langs.most_common(1)[0][0]
            command = shlex.join(
                ["newsalign", "glossary", "add-spelling", spelling.entity, spelling.name, word]
                + (["--lang", lang] if lang else [])
            )
            out.append(
                Suggestion(
                    word,
                    sum(langs.values()),
                    lang,
                    spelling.entity,
                    spelling.name,
                    spelling.text,
                    why,
                    command,
                )
            )
            break
    out.sort(key=lambda s: (-s.count, s.spelling))
    return out[:limit]
