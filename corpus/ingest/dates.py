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
