"""Sentence splitting for news text (German and English first; Russian and Spanish
abbreviations too), with character offsets.

Rule-based on purpose: the cases news text needs (German ordinals and dates, abbreviations,
initials, numbers, quotations) are explicit here and tested, rather than left to a model.
"""

from __future__ import annotations

import re

QUOTE_CHARS = '"“”„«»'
_CLOSERS = "\"“”»«'’)]"
# What ends a sentence ("։" is the Armenian full stop); cleaning and claims read line ends by it.
SENTENCE_FINAL = ".!?…։"
# Sentence-final punctuation, any closing quotes or brackets, then the space before the next one.
_CANDIDATE = re.compile("[" + SENTENCE_FINAL + "]+[" + re.escape(_CLOSERS) + r"]*(?=\s)")
_NEXT_START = re.compile(r"\s+([\"“„«'‘(\[]*)(\S)")
_WORD_BEFORE = re.compile(r"(\S+)$")

MONTHS = {
    # English
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
    # German
    "januar", "jänner", "februar", "märz", "mai", "juni", "juli", "oktober", "dezember",
}  # fmt: skip

# Abbreviations that are followed by a capitalised word without ending the sentence.
# Deliberately absent: "etc", "usw", "Co" and similar, which end sentences as often as not.
ABBREVIATIONS = {
    # English titles and common abbreviations
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Sr", "Jr", "Gen", "Col", "Lt", "Sgt", "Capt", "Gov",
    "Sen", "Rep", "Rev", "Hon", "Mt", "Ft", "No", "Nos", "vs", "approx", "Dept", "Inc", "Ltd",
    "Corp", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "e.g", "i.e", "U.S", "U.K", "U.N", "a.m", "p.m",
    # German
    "bzw", "ca", "Chr", "evtl", "ggf", "vgl", "Nr", "Hr", "Hrn", "Fr", "Str", "Abs", "Art", "Bd",
    "Dipl", "Ing", "Mio", "Mrd", "Tsd", "Jh", "Jhd", "inkl", "exkl", "zzgl", "gem", "geb",
    "gest", "sog", "z.B", "u.a", "d.h", "o.ä", "u.U", "z.T", "Min", "Std", "Tel",
    # Russian ("г." and initials such as "Г. Карасин" are single letters, handled below)
    "т.е", "т.д", "т.п", "т.к", "т.н", "др", "им", "ул", "пр", "стр", "тыс", "млн", "млрд",
    "руб", "долл", "гг", "вв", "см", "напр", "проф", "акад", "ген", "пос", "обл", "ст",
    # Spanish
    "Sra", "Srta", "Dña", "Dra", "EE.UU", "núm", "pág", "aprox",
}  # fmt: skip


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Quoted stretches as (open, close) index pairs; an unmatched last quote is ignored."""
    positions = [i for i, ch in enumerate(text) if ch in QUOTE_CHARS]
    return [(positions[i], positions[i + 1]) for i in range(0, len(positions) - 1, 2)]


def _is_boundary(text: str, punct_start: int, end: int, quotes: list[tuple[int, int]]) -> bool:
    nxt = _NEXT_START.match(text, end)
    if nxt is None:
        return False
    first = nxt.group(2)
    if not (first.isupper() or first.isdigit() or caseless(first)):
        return False
    for open_, close in quotes:
        if open_ < punct_start and close >= end:
            return False
    punct = text[punct_start:end].rstrip(_CLOSERS)
    if punct != ".":
        return True
    before = _WORD_BEFORE.search(text, 0, punct_start)
    if before is None:
        return True
    word = before.group(1).lstrip("\"“„«'‘([")
    if len(word) == 1 and word.isalpha():
        return False  # initials ("H. Babaoğlu") and "z. B.", "u. a."
    if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
        return False
    if word.isdigit() and len(word) <= 2 and not _follows_month(text, before.start()):
        return False  # German ordinals and dates: "Am 27. Mai", "17. April 2024"
    next_word = text[nxt.start(2) :].split(" ", 1)[0].lower().strip(",.")
    return not (word.isdigit() and next_word in MONTHS)


def caseless(ch: str) -> bool:
    """A letter of a script without capitals: any letter may start a sentence. Georgian's
    everyday letters count as small letters in Unicode, which has capitals for them that
    running text does not use."""
    return ch.isalpha() and (not ch.islower() or "\u10d0" <= ch <= "\u10ff")


def _follows_month(text: str, word_start: int) -> bool:
    """True for English dates like "Jan. 5." or "May 5.", where the day ends the sentence."""
    previous = _WORD_BEFORE.search(text, 0, max(word_start - 1, 0))
    return previous is not None and previous.group(1).lower().rstrip(".,") in MONTHS | {
        m[:3] for m in MONTHS
    }


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`, whitespace trimmed, in order."""
    quotes = quote_spans(text)
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if _is_boundary(text, match.start(), match.end(), quotes):
            spans.append((start, match.end()))
            start = match.end()
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed
