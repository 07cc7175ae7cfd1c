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
from newsalign.glossary.translit import latin

# Words that multiply the number before them: "50 mil" is 50,000, "2 млн" 2,000,000.
_MULTIPLIERS = {
    "thousand": 1e3, "tausend": 1e3, "mil": 1e3, "тыс": 1e3, "тысяч": 1e3, "тысячи": 1e3,
    "тысяча": 1e3, "million": 1e6, "millions": 1e6, "millionen": 1e6, "mio": 1e6,
    "millones": 1e6, "millón": 1e6, "млн": 1e6, "миллион": 1e6, "миллиона": 1e6,
    "миллионов": 1e6, "billion": 1e9, "billions": 1e9, "milliarde": 1e9, "milliarden": 1e9,
    "mrd": 1e9, "млрд": 1e9, "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9,
}  # fmt: skip
_MULTIPLIER = "|".join(sorted(_MULTIPLIERS, key=len, reverse=True))
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:([.,\u00a0\u202f ])\d{3})+|\d+)(?:([.,])(\d+))?(?![\d])"
    r"(?:\s*(" + _MULTIPLIER + r")(?!\w)\.?)?",
    re.I,
)
_WORD_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "два": 2, "две": 2, "двух": 2, "три": 3,
    "трех": 3, "трёх": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8,
    "девять": 9, "десять": 10,
}  # fmt: skip
# A number before a unit of time is a duration ("fast zwei Monate", "44 days"), compared as
# a duration, never as a count.
_TIME_UNITS = {
    "day": "days", "days": "days", "tag": "days", "tage": "days", "tagen": "days",
    "día": "days", "días": "days", "дня": "days", "дней": "days", "день": "days",
    "week": "weeks", "weeks": "weeks", "woche": "weeks", "wochen": "weeks", "semana": "weeks",
    "semanas": "weeks", "неделя": "weeks", "недели": "weeks", "недель": "weeks",
    "month": "months", "months": "months", "monat": "months", "monate": "months",
    "monaten": "months", "mes": "months", "meses": "months", "месяц": "months",
    "месяца": "months", "месяцев": "months", "year": "years", "years": "years",
    "jahr": "years", "jahre": "years", "jahren": "years", "año": "years", "años": "years",
    "год": "years", "года": "years", "лет": "years", "hour": "hours", "hours": "hours",
    "stunde": "hours", "stunden": "hours", "hora": "hours", "horas": "hours", "час": "hours",
    "часа": "hours", "часов": "hours",
}  # fmt: skip
_UNIT_AFTER = re.compile(r"[\s-]*(?:of\s+)?(\w+)")
_PARTIAL_DATE = [
    re.compile(
        r"\b(?P<day>\d{1,2})\.?\s+(?:de\s+)?(?P<month>" + "|".join(MONTH_NUMBERS) + r")\b", re.I
    ),
    re.compile(r"\b(?P<month>" + "|".join(MONTH_NUMBERS) + r")\.?\s+(?P<day>\d{1,2})\b", re.I),
]
# Relative times in each language read; the key is what is compared.
_RELATIVE = {
    "this-year": r"\b(this year|in diesem jahr|dieses jahr|noch in diesem jahr|heuer|este año"
    r"|в этом году|в текущем году)\b",
    "last-year": r"\b(last year|letztes jahr|im vergangenen jahr|vergangenes jahr|im letzten jahr"
    r"|el año pasado|в прошлом году)\b",
    "next-year": r"\b(next year|nächstes jahr|im nächsten jahr|kommendes jahr|el próximo año"
    r"|el año que viene|в следующем году|в будущем году)\b",
    "today": r"\b(today|heute|hoy|сегодня)\b",
    "yesterday": r"\b(yesterday|gestern|ayer|вчера)\b",
    "recently": r"\b(recently|vor kurzem|kürzlich|unlängst|jüngst|recientemente|недавно)\b",
    "soon": r"\b(soon|in the near future|bald|in naher zukunft|demnächst|pronto|próximamente"
    r"|en breve|в ближайшее время|в скором времени|скоро|вскоре)\b",
}
_RELATIVE_RE = {key: re.compile(p, re.I) for key, p in _RELATIVE.items()}
_SAY_EN = r"(?:said|says|stated|noted|added|told|announced|stressed|emphasi[sz]ed|explained|believes|claimed|declared|warned|recalled)"
_SAY_DE = r"(?:sagte|erklärte|betonte|kündigte|teilte|meinte|sagt|erklärt|betont|warnte|bekräftigte|schlug|fügte)"
_SAY_ES = (
    r"(?:dijo|afirmó|declaró|señaló|aseguró|indicó|explicó|añadió|agregó|subrayó|anunció|advirtió)"
)
_SAY_RU = r"(?:заявил|заявила|сказал|сказала|сообщил|сообщила|отметил|отметила|подчеркнул|подчеркнула|добавил|добавила|пояснил|пояснила|считает|напомнил|напомнила)"
# A name: one to three capitalised words or initials ("J. Smith"), never across a full stop.
# Its words are read possessively and at most 40 characters long: a long word of capitals
# ("AaAaAa...") would otherwise be read to its end from each capital (quadratic).
_NAME = r"(?:[A-ZÄÖÜ]\.\s?|[A-ZÄÖÜ][\w'’-]{1,40}+\s){0,2}[A-ZÄÖÜ][\w'’-]{1,40}+"
_NAME_CYRL = r"(?:[А-ЯЁ]\.\s?|[А-ЯЁ][\w-]{1,40}+\s){0,2}[А-ЯЁ][\w-]{1,40}+"
# Capitalised words after "of" or "for" belong to a longer noun ("the Ministry of Foreign
# Affairs said"): no name there.
_BEFORE_NAME = 200  # characters looked at before a speaker's name
_CAPITALISED_RUN = re.compile(r"(?:[A-ZÄÖÜА-ЯЁ][\w'’-]*\s+)*$")
# After a preposition a name is its object ("in Moskau sagte Karasin", "Committee on
# International Affairs, emphasized"), not who speaks.
_CONNECTOR_BEFORE = re.compile(
    r"\b(?:of|for|on|in|at|to|from|with|by|de|del|des|der|du|en|con|im|aus|nach|von|mit|bei|zu"
    r"|в|во|на|из|с|к|по|от|у)\s+$",
    re.I,
)
_SPEAKER = [
    re.compile(rf"(?P<name>{_NAME}),?\s+(?:also\s+)?{_SAY_EN}\b"),
    re.compile(rf"\b{_SAY_EN.replace('told|', '')}\s+(?P<name>{_NAME})"),  # "told X": X listens
    re.compile(rf"\b{_SAY_DE}\s+(?P<name>{_NAME})"),
    re.compile(rf"(?P<name>{_NAME})\s+{_SAY_DE}\b"),
    re.compile(rf",\s+so\s+(?P<name>{_NAME})"),
    re.compile(rf"\baccording to\s+(?P<name>{_NAME})"),
    re.compile(rf"\b{_SAY_ES}\s+(?:el\s+|la\s+)?(?P<name>{_NAME})"),
    re.compile(rf"(?P<name>{_NAME}),?\s+{_SAY_ES}\b"),
    re.compile(rf"\bsegún\s+(?P<name>{_NAME})"),
    # Russian puts whom it was said to before the speaker: "заявил журналистам замминистра Карасин".
    re.compile(rf"\b{_SAY_RU}\s+(?P<role>)(?P<name>(?:[а-яё-]{{3,}}\s+){{0,2}}[А-ЯЁ])"),
    re.compile(rf"(?P<name>{_NAME_CYRL})(?P<cyrl>),?\s+{_SAY_RU}\b"),
    re.compile(rf"\bпо словам\s+(?P<name>{_NAME_CYRL})"),
]
_NOT_SPEAKERS = {"he", "she", "they", "it", "er", "sie", "es", "we", "wir", "the", "der", "die",
                 "das", "this", "that", "dies", "dieser", "russia", "russland", "él", "ella",
                 "он", "она", "они", "это"}  # fmt: skip


@dataclass(frozen=True)
class Facts:
    """What a sentence states beyond its words."""

    numbers: tuple[float, ...] = ()
    dates: tuple[str, ...] = ()  # ISO (2024-04-17, 2024), or day and month (--05-27)
    relative: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()  # folded surnames
    durations: tuple[str, ...] = ()  # "2 months", "44 days"

    def as_dict(self) -> dict[str, list]:
        return {
            "numbers": list(self.numbers),
            "dates": list(self.dates),
            "relative": list(self.relative),
            "speakers": list(self.speakers),
            "durations": list(self.durations),
        }


# Languages that write decimals with a comma and group thousands with a point or a space.
_COMMA_DECIMAL = {"de", "es", "ru", "uk", "fr", "it", "pt", "az", "tr", "pl"}


def _number(match: re.Match[str], lang: str) -> float | None:
    _, group_sep, dec_sep, decimals, multiplier = match.groups()
    text = match.group(1)
    # "2.000" groups thousands in German and "2,000" in English; either way digits only.
    value = float(re.sub(r"\D", "", text)) if group_sep else float(text)
    if dec_sep and decimals:
        comma_decimal = lang in _COMMA_DECIMAL and dec_sep == ","
        point_decimal = lang not in _COMMA_DECIMAL and dec_sep == "."
        if comma_decimal or point_decimal:
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
    kind: str  # numbers, dates, relative, speakers or durations
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
    out += _partial_dates(text, taken)
    out += _numbers(text, lang, taken)
    for key, pattern in _RELATIVE_RE.items():
        out += [FactSpan(m.start(), m.end(), "relative", key) for m in pattern.finditer(text)]
    out += _speakers(text)
    return sorted(out, key=lambda f: (f.start, f.end))


def _partial_dates(text: str, taken: bytearray) -> list[FactSpan]:
    """A day without a year ("27 May", "12 de junio", "27 мая"), marked in `taken`."""
    out = []
    for pattern in _PARTIAL_DATE:
        for m in pattern.finditer(text):
            if taken[m.start()]:
                continue
            day = int(m.group("day"))
            if 1 <= day <= 31:
                month = MONTH_NUMBERS[m.group("month").lower()]
                out.append(FactSpan(m.start(), m.end(), "dates", f"--{month:02d}-{day:02d}"))
                taken[m.start() : m.end()] = b"\1" * (m.end() - m.start())
    return out


def _numbers(text: str, lang: str, taken: bytearray) -> list[FactSpan]:
    """Numbers in digits (a year among them is a date) and in words, outside dates."""
    out = []
    for m in _NUMBER.finditer(text):
        if taken[m.start()]:
            continue
        value = _number(m, lang)
        if value is not None and re.fullmatch(r"(19|20)\d\d", m.group(0)):
            out.append(FactSpan(m.start(), m.end(), "dates", m.group(0)))  # a year
        elif value is not None:
            out.append(_count_or_duration(text, m.start(), m.end(), value))
    for m in re.finditer(r"\w+", text):
        word = m.group().lower()
        if (
            word in _WORD_NUMBERS
            and not _REFERENCE.search(text[: m.start()])
            and not _PARTIES.match(text, m.end())
        ):
            value = _WORD_NUMBERS[m.group().lower()]
            out.append(_count_or_duration(text, m.start(), m.end(), value))
    return out


def _speakers(text: str) -> list[FactSpan]:
    """Who is said to speak: the surname of an attribution, not the object of a preposition."""
    out = []
    for pattern in _SPEAKER:
        for m in pattern.finditer(text):
            start, end = m.start("name"), m.end("name")
            if "role" in m.groupdict():
                # Russian after its verb: a role, then the person ("заявил глава комитета Совета
                # Федерации Григорий Карасин"): the person is the run of names a surname ends.
                person = _person_after(text, start)
                if person is None:
                    continue
                start, end = person
            if "cyrl" in m.groupdict() and not _RU_SURNAME.search(text[start:end]):
                continue  # "делегацией парламента Азербайджана заявил": not a person
            # What stands just before the name (bounded: searched once per speaker found).
            before = text[max(0, start - _BEFORE_NAME) : start]
            run = _CAPITALISED_RUN.search(before)
            if _CONNECTOR_BEFORE.search(before[: run.start() if run else len(before)]):
                continue
            surname = re.split(r"[\s.]+", text[start:end].strip(".,"))[-1]  # "Г.Карасин"
            folded = fold(surname)
            if folded not in _NOT_SPEAKERS and folded not in MONTH_NUMBERS and len(surname) > 2:
                out.append(FactSpan(start, end, "speakers", speaker_name(surname)))
    return out


def _count_or_duration(text: str, start: int, end: int, value: float) -> FactSpan:
    """A number, or a duration when a unit of time follows it ("fast zwei Monate")."""
    unit = _UNIT_AFTER.match(text, end)
    kind = _TIME_UNITS.get(unit.group(1).lower()) if unit else None
    if unit and kind:
        return FactSpan(start, unit.end(), "durations", f"{_fmt(value)} {kind}")
    return FactSpan(start, end, "numbers", _fmt(value))


KINDS = ("numbers", "dates", "relative", "speakers", "durations")


def extract(text: str, lang: str | None) -> Facts:
    """Numbers, dates, relative times, speakers and durations of one sentence."""
    found: dict[str, set] = {k: set() for k in KINDS}
    for f in fact_spans(text, lang):
        found[f.kind].add(float(f.value) if f.kind == "numbers" else f.value)
    return Facts(*(tuple(sorted(found[k])) for k in KINDS))


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip


def show_date(value: str) -> str:
    """A stored date as a reader writes it: "--05-27" is "27 May", "2024-05" "May 2024"."""
    if re.fullmatch(r"--\d\d-\d\d", value):
        return f"{int(value[5:])} {_MONTH_NAMES[int(value[2:4]) - 1]}"
    if re.fullmatch(r"\d{4}-\d\d", value):
        return f"{_MONTH_NAMES[int(value[5:]) - 1]} {value[:4]}"
    return value


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def speaker_name(surname: str) -> str:
    """A speaker as the person's surname in Latin letters, however it was written: "Karasin"
    for Карасин, Karasin and KARASIN (compared and shown so)."""
    return latin(surname).capitalize()


# Where a Russian role after its verb ends and the person begins: a run of capitalised words
# whose last looks like a surname, or an initial and a surname ("Г. Карасин").
_CYRL_RUN = re.compile(r"(?:[А-ЯЁ]\.\s?)?[А-ЯЁ][а-яё-]++(?:\s+[А-ЯЁ][а-яё-]++){0,2}")
_RU_SURNAME = re.compile(
    r"(?:ов|ев|ёв|ин|ын|ский|цкий|ой|ая|ова|ева|ина|ян|енко|швили|дзе|ич|"
    r"ук|юк|ко|ли|лы|зе)$"
)
_PERSON_WINDOW = 120


def _person_after(text: str, start: int) -> tuple[int, int] | None:
    """The span of the person named after a role that begins at `start` (same sentence)."""
    # The sentence's end, not an initial's full stop ("Г. Карасин").
    window = re.split(
        r"(?<![А-ЯЁ])\.\s|[!?;«»\"]", text[start : start + _PERSON_WINDOW], maxsplit=1
    )[0]
    for m in _CYRL_RUN.finditer(window):
        words = m.group().split()
        if _RU_SURNAME.search(words[-1]):
            return start + m.start(), start + m.end()
    return None


# A small number after a definite article, or before a word for the parties, refers to things
# already named ("the two countries", "beiden Seiten", "обеих стран"): it counts nothing.
_REFERENCE = re.compile(r"(?i)(?:the|die|der|den|los|las|les|these|those|both)\s+$")
_PARTIES = re.compile(
    r"(?i)\s+(?:countries|nations|states|sides|parties|leaders|presidents|ministers|capitals|"
    r"länder|ländern|staaten|seiten|parteien|países|naciones|partes|estados|"
    r"стран|странам|странами|сторон|сторонам|государств|лидеров|президентов)\b"
)


def same_speaker(a: str, b: str) -> bool:
    """Folded surnames that are one name in two languages ("kreml", "kremlin")."""
    a, b = fold(a), fold(b)
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))
