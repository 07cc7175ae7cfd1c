"""Sentence splitting for news text (German and English first; Russian and Spanish
abbreviations too), with character offsets.

Rule-based on purpose: the cases news text needs (German ordinals and dates, abbreviations,
initials, numbers, quotations) are explicit here and tested, rather than left to a model.
"""

from __future__ import annotations

import re
from bisect import bisect_left

QUOTE_CHARS = '"“”„«»'
_CLOSERS = "\"“”»«'’)]"
# What ends a sentence ("։" is the Armenian full stop); cleaning and claims read line ends by it.
SENTENCE_FINAL = ".!?…։"
# Sentence-final punctuation, any closing quotes or brackets, then the space before the next one.
# Only from the start of a run of punctuation, and possessive: a run of dots or quotes is read
# once, not once per character (the splitter stays linear on "......" or '""""').
_CANDIDATE = re.compile(
    "(?<![" + SENTENCE_FINAL + "])[" + SENTENCE_FINAL + "]++[" + re.escape(_CLOSERS) + r"]*+(?=\s)"
)
_NEXT_START = re.compile(r"\s++([\"“„«'‘(\[]*)(\S)")

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


def _word_before(text: str, end: int) -> tuple[int, str] | None:
    """(start, word) of the run of non-spaces ending at `end` (or just before a newline there),
    like searching `(\\S+)$` in text[:end], but reading back only the word itself."""
    if end > 0 and text[end - 1] == "\n":
        end -= 1
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return (start, text[start:end]) if start < end else None


def _inside_quote(
    quotes: list[tuple[int, int]], opens: list[int], punct_start: int, end: int
) -> bool:
    """Quote spans are disjoint and in order: only the last one opened before the punctuation
    can enclose it."""
    i = bisect_left(opens, punct_start) - 1
    return i >= 0 and quotes[i][1] >= end


def _is_boundary(
    text: str, punct_start: int, end: int, quotes: list[tuple[int, int]], opens: list[int]
) -> bool:
    nxt = _NEXT_START.match(text, end)
    if nxt is None:
        return False
    first = nxt.group(2)
    if not (first.isupper() or first.isdigit() or caseless(first)):
        return False
    if _inside_quote(quotes, opens, punct_start, end):
        return False
    punct = text[punct_start:end].rstrip(_CLOSERS)
    if punct != ".":
        return True
    before = _word_before(text, punct_start)
    if before is None:
        return True
    word = before[1].lstrip("\"“„«'‘([")
    if len(word) == 1 and word.isalpha():
        return False  # initials ("H. Babaoğlu") and "z. B.", "u. a."
    if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
        return False
    if word.isdigit() and len(word) <= 2 and not _follows_month(text, before[0]):
        return False  # German ordinals and dates: "Am 27. Mai", "17. April 2024"
    if not word.isdigit():
        return True
    space = text.find(" ", nxt.start(2))
    next_word = text[nxt.start(2) : space if space >= 0 else len(text)].lower().strip(",.")
    return next_word not in MONTHS


def caseless(ch: str) -> bool:
    """A letter of a script without capitals: any letter may start a sentence. Georgian's
    everyday letters count as small letters in Unicode, which has capitals for them that
    running text does not use."""
    return ch.isalpha() and (not ch.islower() or "\u10d0" <= ch <= "\u10ff")


def _follows_month(text: str, word_start: int) -> bool:
    """True for English dates like "Jan. 5." or "May 5.", where the day ends the sentence."""
    previous = _word_before(text, max(word_start - 1, 0))
    return previous is not None and previous[1].lower().rstrip(".,") in MONTHS | {
        m[:3] for m in MONTHS
    }


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`, whitespace trimmed, in order."""
    quotes = quote_spans(text)
    opens = [open_ for open_, _ in quotes]
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if _is_boundary(text, match.start(), match.end(), quotes, opens):
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
