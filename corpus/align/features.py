"""Language-independent facts of a sentence: numbers, dates, relative times, speakers.

"17. April 2024" and "April 17, 2024" give the same date; "2.000" (German) and "2,000"
(English) the same number; "in diesem Jahr" and "this year" the same relative marker, kept
relative. Speakers come from attributions: "Karasin said", "erklärte Karasin".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsalign.corpus.ingest.dates import MONTH_NUMBERS, find_dates
from newsalign.glossary.textnorm import fold

_MULTIPLIERS = {
    "thousand": 1e3, "tausend": 1e3, "million": 1e6, "millions": 1e6, "millionen": 1e6,
    "mio": 1e6, "billion": 1e9, "billions": 1e9, "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9,
}  # fmt: skip
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:([.,\u00a0\u202f ])\d{3})+|\d+)(?:([.,])(\d+))?(?![\d])"
    r"(?:\s*(" + "|".join(_MULTIPLIERS) + r")\b\.?)?",
    re.I,
)
_WORD_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10,
}  # fmt: skip
_PARTIAL_DATE = [
    re.compile(r"\b(?P<day>\d{1,2})\.?\s+(?P<month>" + "|".join(MONTH_NUMBERS) + r")\b", re.I),
    re.compile(r"\b(?P<month>" + "|".join(MONTH_NUMBERS) + r")\.?\s+(?P<day>\d{1,2})\b", re.I),
]
_RELATIVE = {
    "this-year": r"\b(this year|in diesem jahr|dieses jahr|noch in diesem jahr|heuer)\b",
    "last-year": r"\b(last year|letztes jahr|im vergangenen jahr|vergangenes jahr|im letzten jahr)\b",
    "next-year": r"\b(next year|nächstes jahr|im nächsten jahr|kommendes jahr)\b",
    "today": r"\b(today|heute)\b",
    "yesterday": r"\b(yesterday|gestern)\b",
    "recently": r"\b(recently|vor kurzem|kürzlich|unlängst|jüngst)\b",
    "soon": r"\b(soon|in the near future|bald|in naher zukunft|demnächst)\b",
}
_RELATIVE_RE = {key: re.compile(p, re.I) for key, p in _RELATIVE.items()}
_SAY_EN = r"(?:said|says|stated|noted|added|told|announced|stressed|emphasi[sz]ed|explained|believes|claimed|declared|warned|recalled)"
_SAY_DE = r"(?:sagte|erklärte|betonte|kündigte|teilte|meinte|sagt|erklärt|betont|warnte|bekräftigte|schlug|fügte)"
# A name's words are read possessively and at most 40 characters long: a long word of capitals
# ("AaAaAa...") would otherwise be read to its end from each capital (quadratic).
_NAME = r"(?:[A-ZÄÖÜ][\w'’-]{1,40}+\.?\s){0,2}[A-ZÄÖÜ][\w'’-]{1,40}+"
_SPEAKER = [
    re.compile(rf"(?P<name>{_NAME}),?\s+(?:also\s+)?{_SAY_EN}\b"),
    re.compile(rf"\b{_SAY_EN}\s+(?P<name>{_NAME})"),
    re.compile(rf"\b{_SAY_DE}\s+(?P<name>{_NAME})"),
    re.compile(rf"(?P<name>{_NAME})\s+{_SAY_DE}\b"),
    re.compile(rf",\s+so\s+(?P<name>{_NAME})"),
    re.compile(rf"\baccording to\s+(?P<name>{_NAME})"),
]
_NOT_SPEAKERS = {"he", "she", "they", "it", "er", "sie", "es", "we", "wir", "the", "der", "die",
                 "das", "this", "that", "dies", "dieser", "russia", "russland"}  # fmt: skip


@dataclass(frozen=True)
class Facts:
    """What a sentence states beyond its words."""

    numbers: tuple[float, ...] = ()
    dates: tuple[str, ...] = ()  # ISO (2024-04-17, 2024), or day and month (--05-27)
    relative: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()  # folded surnames

    def as_dict(self) -> dict[str, list]:
        return {"numbers": list(self.numbers), "dates": list(self.dates),
                "relative": list(self.relative), "speakers": list(self.speakers)}  # fmt: skip


def _number(match: re.Match[str], lang: str) -> float | None:
    _, group_sep, dec_sep, decimals, multiplier = match.groups()
    text = match.group(1)
    # "2.000" groups thousands in German and "2,000" in English; either way digits only.
    value = float(re.sub(r"\D", "", text)) if group_sep else float(text)
    if dec_sep and decimals:
        german_decimal = lang == "de" and dec_sep == ","
        english_decimal = lang != "de" and dec_sep == "."
        if german_decimal or english_decimal:
            value += float(f"0.{decimals}")
        elif len(decimals) == 3 and not group_sep:
            value = value * 1000 + float(decimals)  # "2.000" in German, "2,000" in English
    if multiplier:
        value *= _MULTIPLIERS[multiplier.lower().rstrip(".")]
    return value


@dataclass(frozen=True)
class FactSpan:
    """Where a sentence states a fact: characters start-end, kind and normalised value."""

    start: int
    end: int
    kind: str  # numbers, dates, relative or speakers
    value: str


def fact_spans(text: str, lang: str | None) -> list[FactSpan]:
    """Every number, date, relative time and speaker of one sentence, where it is written."""
    lang = lang or "en"
    out = [FactSpan(d.start, d.end, "dates", d.iso) for d in find_dates(text)]
    # Characters already inside a date, marked rather than listed: looking a start up in a list
    # of every span found so far made a sentence of many dates quadratic.
    taken = bytearray(len(text) + 1)
    for f in out:
        taken[f.start : f.end] = b"\1" * (f.end - f.start)
    for pattern in _PARTIAL_DATE:
        for m in pattern.finditer(text):
            if taken[m.start()]:
                continue
            day = int(m.group("day"))
            if 1 <= day <= 31:
                month = MONTH_NUMBERS[m.group("month").lower()]
                out.append(FactSpan(m.start(), m.end(), "dates", f"--{month:02d}-{day:02d}"))
                taken[m.start() : m.end()] = b"\1" * (m.end() - m.start())
    for m in _NUMBER.finditer(text):
        if taken[m.start()]:
            continue
        value = _number(m, lang)
        if value is not None and re.fullmatch(r"(19|20)\d\d", m.group(0)):
            out.append(FactSpan(m.start(), m.end(), "dates", m.group(0)))  # a year
        elif value is not None:
            out.append(FactSpan(m.start(), m.end(), "numbers", _fmt(value)))
    for m in re.finditer(r"\w+", text):
        if m.group().lower() in _WORD_NUMBERS:
            out.append(FactSpan(m.start(), m.end(), "numbers",
                                _fmt(_WORD_NUMBERS[m.group().lower()])))  # fmt: skip
    for key, pattern in _RELATIVE_RE.items():
        out += [FactSpan(m.start(), m.end(), "relative", key) for m in pattern.finditer(text)]
    for pattern in _SPEAKER:
        for m in pattern.finditer(text):
            surname = fold(m.group("name").split()[-1].strip(".,"))
            if surname not in _NOT_SPEAKERS and surname not in MONTH_NUMBERS and len(surname) > 2:
                out.append(FactSpan(m.start("name"), m.end("name"), "speakers", surname))
    return sorted(out, key=lambda f: (f.start, f.end))


def extract(text: str, lang: str | None) -> Facts:
    """Numbers, dates, relative times and speakers of one sentence."""
    found: dict[str, set] = {"numbers": set(), "dates": set(), "relative": set(), "speakers": set()}
    for f in fact_spans(text, lang):
        found[f.kind].add(float(f.value) if f.kind == "numbers" else f.value)
    return Facts(*(tuple(sorted(found[k])) for k in ("numbers", "dates", "relative", "speakers")))


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def same_speaker(a: str, b: str) -> bool:
    """Folded surnames that are one name in two languages ("kreml", "kremlin")."""
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))
