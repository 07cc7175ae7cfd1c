"""Find calendar dates written in English, German, Russian, Spanish or Azerbaijani and normalise
them to ISO 8601."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTH_NUMBERS = {
    "january": 1, "jan": 1, "januar": 1, "jänner": 1,
    "february": 2, "feb": 2, "februar": 2,
    "march": 3, "mar": 3, "märz": 3, "maerz": 3, "mär": 3,
    "april": 4, "apr": 4,
    "may": 5, "mai": 5,
    "june": 6, "jun": 6, "juni": 6,
    "july": 7, "jul": 7, "juli": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12, "dezember": 12, "dez": 12,
    # Russian, in the genitive a date uses ("17 апреля") and the nominative.
    "января": 1, "январь": 1, "февраля": 2, "февраль": 2, "марта": 3, "март": 3,
    "апреля": 4, "апрель": 4, "мая": 5, "май": 5, "июня": 6, "июнь": 6, "июля": 7, "июль": 7,
    "августа": 8, "август": 8, "сентября": 9, "сентябрь": 9, "октября": 10, "октябрь": 10,
    "ноября": 11, "ноябрь": 11, "декабря": 12, "декабрь": 12,
    # Spanish ("17 de abril de 2024").
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    # Azerbaijani.
    "yanvar": 1, "fevral": 2, "mart": 3, "aprel": 4, "iyun": 6, "iyul": 7, "avqust": 8,
    "sentyabr": 9, "oktyabr": 10, "noyabr": 11, "dekabr": 12,
}  # fmt: skip

_MONTH = r"(?P<month>" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_PATTERNS = [
    # May 29, 2024 / May 29 2024
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.I),
    # 29 May 2024 / 17. April 2024 / 17 апреля 2024 (г.) / 17 de abril de 2024
    re.compile(
        r"\b(?P<day>\d{1,2})(?:\.|st|nd|rd|th)?\s+(?:de\s+)?"
        + _MONTH
        + r",?\s+(?:de\s+)?(?P<year>\d{4})\b",
        re.I,
    ),
    # 2024-05-29
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})\b"),
    # 29.05.2024
    re.compile(r"\b(?P<day>\d{1,2})\.(?P<mnum>\d{1,2})\.(?P<year>\d{4})\b"),
]


@dataclass(frozen=True)
class DateMention:
    """A full date found in text: ISO value and character span."""

    iso: str
    start: int
    end: int


def find_dates(text: str) -> list[DateMention]:
    """Every full (day, month, year) date in `text`, in order of appearance."""
    found: dict[int, DateMention] = {}
    taken = bytearray(len(text) + 1)  # inside a date found already (a list lookup was quadratic)
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if taken[m.start()]:
                continue
            groups = m.groupdict()
            month = (
                MONTH_NUMBERS[groups["month"].lower()]
                if groups.get("month")
                else int(groups["mnum"])
            )
            try:
                value = date(int(groups["year"]), month, int(groups["day"]))
            except ValueError:
                continue
            found[m.start()] = DateMention(value.isoformat(), m.start(), m.end())
            taken[m.start() : m.end()] = b"\1" * (m.end() - m.start())
    return [found[k] for k in sorted(found)]


def first_date(text: str) -> str | None:
    """ISO form of the first full date in `text`, if any."""
    dates = find_dates(text)
    return dates[0].iso if dates else None


# --- A document's own date: precision, where it came from, a year inferred ---------------------

PRECISIONS = {4: "year", 7: "month", 10: "day"}


def precision(value: str | None) -> str | None:
    """day, month or year for an ISO date (YYYY-MM-DD, YYYY-MM, YYYY); None for no date."""
    return PRECISIONS.get(len(value)) if value else None


def span(value: str) -> tuple[date, date]:
    """The first and last day an ISO date of any precision may stand for."""
    year = int(value[:4])
    if len(value) == 4:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(value[5:7])
    if len(value) == 7:
        end = date(year + (month == 12), month % 12 + 1, 1)
        return date(year, month, 1), date.fromordinal(end.toordinal() - 1)
    day = date.fromisoformat(value)
    return day, day


@dataclass(frozen=True)
class DocDate:
    """A document's date: ISO value of its precision, where it was found, and what of it was
    inferred rather than read ("year"), if anything."""

    value: str
    source: str  # manifest, correction, html, front matter, page, dateline, url
    inferred: str | None = None

    @property
    def precision(self) -> str | None:
        return precision(self.value)


@dataclass(frozen=True)
class Dateline:
    """The head of an agency-style first paragraph: "МОСКВА, 27 мая. /ТАСС/.", "BERLIN (dpa) -",
    "Baku, 29 May". `day` is "--MM-DD" when the year is not written, else a full ISO date."""

    place: str
    day: str | None
    agency: str | None
    end: int


# Datelines also abbreviate Russian months ("КИШИНЕВ, 17 апр – Sputnik.").
DATELINE_MONTHS = {**MONTH_NUMBERS, **{
    "янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4, "июн": 6, "июл": 7, "авг": 8, "сен": 9,
    "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12,
}}  # fmt: skip
_DL_MONTH = r"(?P<month>" + "|".join(sorted(DATELINE_MONTHS, key=len, reverse=True)) + r")\.?"
# Words of at most 40 characters: a hyphen is in a word and between words, so on a run like
# "Aa-Aa-…" every way to cut it in three was tried (cubic: 3.6 KB took 33 s).
_PLACE = r"(?P<place>[A-ZÀ-ÞА-ЯЁ][\w'’.-]{0,40}(?:[ -][A-ZÀ-ÞА-ЯЁ][\w'’.-]{0,40}){0,2})"
_DAY_MONTH = (
    r"(?:(?P<day>\d{1,2})\.?\s+(?:de\s+)?(?i:"
    + _DL_MONTH
    + r")|(?i:"
    + _DL_MONTH.replace("month", "month2")
    + r")\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?)"
    r"(?:,?\s+(?:de\s+)?(?P<year>\d{4}))?"
)
_AGENCY = r"\s*[/(](?P<{}>\w[\w .&-]{{0,30}}?)[/)]"
# "– Sputnik." after the date: the agency's name closing the dateline.
_DASHED = r"\s*[–—-]\s*(?P<agency3>[A-ZА-ЯЁ][\w-]{1,30})\.(?=\s)"
# Interfax's form: "Баку. 17 апреля. ИНТЕРФАКС —", "МОСКВА, 3 июня. ИНТЕРФАКС -": the agency in
# capitals after the date, then a dash.
_CAPS_AGENCY = r"\s+(?P<agency4>[A-ZА-ЯЁ][A-ZА-ЯЁ&-]{1,20}(?:[ -][A-ZА-ЯЁ&-]{2,20})?)(?=\s*[—–-])"
_DATELINE = re.compile(
    r"\A\s*"
    + _PLACE
    + r"(?:[,.]\s+"
    + _DAY_MONTH
    + r"\.?(?:"
    + _AGENCY.format("agency")
    + r"|"
    + _DASHED
    + r"|"
    + _CAPS_AGENCY
    + r")?|"
    + _AGENCY.format("agency2")
    + r")"
    r"\s*[.:]?\s*(?:[-–—]|\.|:|(?=[A-ZÀ-ÞА-ЯЁ\"«„]))"
)


def find_dateline(paragraph: str) -> Dateline | None:
    """The dateline opening `paragraph`, if it has one: a capitalised place, then a day and
    month (year optional) and/or an agency in slashes or brackets."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None
    g = m.groupdict()
    day = None
    if g.get("month") or g.get("month2"):
        month = DATELINE_MONTHS[(g.get("month") or g["month2"]).lower()]
        number = int(g.get("day") or g["day2"])
        try:
            date(2000, month, number)  # a leap year: 29 February is a day
        except ValueError:
            return None
        day = f"--{month:02d}-{number:02d}"
        if g.get("year"):
            try:
                day = date(int(g["year"]), month, number).isoformat()
            except ValueError:
                return None
    agency = (
        g.get("agency") or g.get("agency2") or g.get("agency3") or g.get("agency4") or ""
    ).strip() or None
    if day is None and agency is None:
        return None
    return Dateline(g["place"], day, agency, m.end())


_URL_DATE = re.compile(
    r"/(?P<year>(?:19|20)\d{2})(?P<sep>[/-])(?P<month>\d{1,2})(?:(?P=sep)(?P<day>\d{1,2}))?(?=[/-]|$)"
    r"|/(?P<cyear>(?:19|20)\d{2})(?P<cmonth>\d{2})(?P<cday>\d{2})(?=/)"
)


def url_date(url: str | None) -> str | None:
    """The date a URL's path spells (/2024/05/29/, /2024/4/17/, /2024-05-29-, /20240417/)."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url.strip(), flags=re.I)
    for m in _URL_DATE.finditer(path):
        year, month, day = (
            (m.group("year"), m.group("month"), m.group("day"))
            if m.group("year")
            else (m.group("cyear"), m.group("cmonth"), m.group("cday"))
        )
        try:
            if day:
                return date(int(year), int(month), int(day)).isoformat()
            date(int(year), int(month), 1)
            return f"{year}-{int(month):02d}"
        except ValueError:
            continue
    return None


def choose(candidates: list[DocDate | None]) -> DocDate | None:
    """The date to keep: candidates come most trusted first; a later one replaces an earlier
    only when it is more precise and agrees with it (falls inside its span)."""
    best: DocDate | None = None
    rank = {"year": 0, "month": 1, "day": 2}
    for c in candidates:
        if c is None or c.precision is None:
            continue
        finer = best is not None and rank[c.precision] > rank[best.precision or "year"]
        if best is None or (finer and c.value.startswith(best.value)):
            best = c
    return best


def infer_year(day: str, references: list[str]) -> str | None:
    """The full date of a year-less `day` ("--05-27"): the year that puts it nearest the middle
    of `references` (ISO dates of any precision); None without references."""
    middles = sorted(
        (lambda s: s[0] + (s[1] - s[0]) / 2)(span(r)) for r in references if r and r[:4].isdigit()
    )
    if not middles:
        return None
    centre = middles[len(middles) // 2]
    month, number = int(day[2:4]), int(day[5:7])
    options = []
    for year in (centre.year - 1, centre.year, centre.year + 1):
        try:
            options.append(date(year, month, number))
        except ValueError:
            continue
    if not options:
        return None
    return min(options, key=lambda d: abs((d - centre).days)).isoformat()


# --- A date the lead gives of itself: "today, 27 May", "am Mittwoch (17.04.2024)" -------------

# Weekdays as the lead writes them, to their number (Monday 0), in English, German, Russian (the
# accusative after "в"), Spanish, Azerbaijani, Turkish, French and Ukrainian.
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
    "sonnabend": 5, "sonntag": 6,
    "понедельник": 0, "вторник": 1, "среду": 2, "среда": 2, "четверг": 3, "пятницу": 4,
    "пятница": 4, "субботу": 5, "суббота": 5, "воскресенье": 6,
    "lunes": 0, "martes": 1, "miércoles": 2, "miercoles": 2, "jueves": 3, "viernes": 4,
    "sábado": 5, "sabado": 5, "domingo": 6,
    "bazar ertəsi": 0, "çərşənbə axşamı": 1, "çərşənbə": 2, "cümə axşamı": 3, "cümə": 4,
    "şənbə": 5, "bazar": 6,
    "pazartesi": 0, "salı": 1, "çarşamba": 2, "perşembe": 3, "cuma": 4, "cumartesi": 5,
    "pazar": 6,
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
    "dimanche": 6,
    "понеділок": 0, "вівторок": 1, "середу": 2, "четвер": 3, "п'ятницю": 4, "суботу": 5,
    "неділю": 6,
}  # fmt: skip
# "Today" in the same languages: a lead's "сегодня, 27 мая" is the day it was written.
_TODAY = r"(?:today|heute|сегодня|hoy|bu\s+gün|bugün|aujourd'hui|сьогодні)"
_WEEKDAY = r"(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")"
_A_DATE = (
    r"(?:(?P<d1>\d{1,2})\.(?P<m1>\d{1,2})\.(?P<y1>\d{4})|"
    r"(?P<d2>\d{1,2})(?:\.|st|nd|rd|th)?\s+(?:de\s+)?"
    + _MONTH.replace("month", "mo2")
    + r"(?:,?\s+(?:de\s+)?(?P<y2>\d{4}))?|"
    + _MONTH.replace("month", "mo3")
    + r"\s+(?P<d3>\d{1,2})(?:st|nd|rd|th)?"
    r"(?:,?\s+(?P<y3>\d{4}))?)"
)
_LEAD_DATE = re.compile(
    r"(?i)(?<!\w)(?:"
    + _TODAY
    + r"|"
    + _WEEKDAY
    + r")\s*[,(]?\s*(?:the\s+)?"
    + _A_DATE
    + r"(?![\d.]\d)"
)


def lead_date(paragraph: str) -> str | None:
    """The day a lead paragraph gives of itself: "today, 27 May", "сегодня, 27 мая", "am
    Mittwoch (17.04.2024)", "el miércoles 17 de abril", "on Wednesday, April 17". ISO when the
    year is written (and then the weekday, if any, must fall on it), else "--MM-DD"."""
    for m in _LEAD_DATE.finditer(paragraph):
        g = m.groupdict()
        if g["d1"]:
            day, month, year = int(g["d1"]), int(g["m1"]), g["y1"]
        elif g["d2"]:
            day, month, year = int(g["d2"]), MONTH_NUMBERS[g["mo2"].lower()], g["y2"]
        else:
            day, month, year = int(g["d3"]), MONTH_NUMBERS[g["mo3"].lower()], g["y3"]
        try:
            value = date(int(year) if year else 2000, month, day)
        except ValueError:
            continue
        if not year:
            return f"--{month:02d}-{day:02d}"
        weekday = g.get("weekday")
        if weekday and WEEKDAYS[weekday.lower()] != value.weekday():
            continue  # "on Monday, 17 April 2024" (a Wednesday) names another day
        return value.isoformat()
    return None
