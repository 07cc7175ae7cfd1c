"""What differs between the versions of one claim, and where each version says it.

A version is one article's sentences in the claim. For each kind of fact (numbers, dates,
durations, where it happened, relative times, speakers, places named, and the name chosen for a
place) the versions that state it are compared. Some kinds can *disagree*: numbers when two
versions state values of one magnitude (within ten times) neither has ("50,000" and "100,000";
not "two wars" and "6,500 dead", which count different things), dates when a part both state
(year, month, day) differs ("2024" and "2025"; "27 May" agrees with "2024-05-27" and with
"2024"), durations when they give the same unit different values, and the location when the
towns an event is said to happen *in* ("said in Baku", "на встрече в Москве", a dateline's
"МОСКВА": a glossary town after a locative preposition shortly after a meeting or a statement,
not a place planned for something: "open a consulate in Khankendi") have none in common; two
versions linked surely disagree on it even in a claim whose other links are weak. A town named otherwise is a detail: Moscow
and Baku often stand for their governments. Everything else is a detail some versions give
and others leave out. Versions silent on a kind are not counted against the others: most
outlets shorten. Only versions the model links with some confidence (`linked`) can disagree:
two sentences it is unsure about are as likely different claims as one told differently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from newsalign.corpus.align.facts import fact_spans, show_date
from newsalign.corpus.ingest.dates import find_dateline

KINDS = ("numbers", "dates", "durations", "location", "relative", "speakers", "places", "naming")
LABELS = {
    "numbers": "numbers", "dates": "dates", "durations": "durations",
    "location": "where it happened", "relative": "times (relative)", "speakers": "speakers",
    "places": "places and names mentioned", "naming": "name chosen for a place",
}  # fmt: skip
# "in Baku", "в Москве", "en Bakú", "im Kreml": the town after is where something happened ...
_LOCATIVE = re.compile(r"(?:^|[\s(«„\"“])(?:in|at|im|en|в|во|у|à)\s+$", re.I)
# ... when a meeting or a statement comes shortly before it ("said in Moscow", "during a meeting
# with the delegation in Baku", "на встрече в Москве"), and no plan for a place ("open a consulate
# in Khankendi", "открыть генконсульство в Ханкенди": where it will be, not where it was said).
_EVENT = re.compile(
    r"(?i)\b(?:meeting|met|meet|talks|visit|visited|conference|briefing|said|says|told|spoke|"
    r"stated|announced|noted|treffen|traf|gespräch|gesprächen|besuch|sagte|erklärte|betonte|"
    r"kündigte|reunión|reunió|encuentro|visita|dijo|afirmó|declaró|anunció|встреч\w*|"
    r"переговор\w*|визит\w*|заявил\w*|сказал\w*|отметил\w*|сообщил\w*)\b"
)
_PLAN = re.compile(
    r"(?i)\b(?:open\w*|establish\w*|build\w*|set\s+up|eröffn\w*|einricht\w*|errichte\w*|"
    r"abrir\w*|abre|abrirá|apertura|establec\w*|откр\w*|созда\w*|размест\w*)\b"
)
_EVENT_WINDOW = 60  # characters before the preposition where the meeting or statement stands
_MAGNITUDE = 10.0  # numbers further apart than this count different things
# Calibrated link probabilities: versions disagree only where some pair of their sentences is
# linked at three to one or better; a claim whose links average under 0.6 is marked unsure
# and claims no disagreement at all.
SURE_LINK = 0.75
UNSURE_CLAIM = 0.6


def linker(
    segments: Mapping[str, set[int]], scores: Mapping[tuple[int, int], float], claim_score: float
) -> Callable[..., bool]:
    """Which versions (label -> its segment ids) are linked surely enough to disagree, given
    the link probability of each (smaller, larger) segment pair and the claim's mean."""

    def linked(a: str, b: str, kind: str = "") -> bool:
        # Where it happened is a fact of the event two surely linked sentences must share,
        # even in a claim whose other links are weak; other kinds wait for a sure claim.
        if claim_score < UNSURE_CLAIM and kind != "location":
            return False
        return any(
            scores.get((min(x, y), max(x, y)), 0.0) >= SURE_LINK
            for x in segments.get(a, ())
            for y in segments.get(b, ())
        )

    return linked


@dataclass(frozen=True)
class Mark:
    """A stretch of a sentence to highlight: a fact, or a name with its usage label."""

    start: int
    end: int
    kind: str
    value: str
    note: str = ""  # a name's usage label ("Armenian", "Azerbaijani official")


@dataclass(frozen=True)
class Difference:
    kind: str
    disagree: bool  # two versions state numbers or dates neither of which contains the other's
    values: dict[str, tuple[str, ...]]  # version -> its values ("" for silent versions)
    odd: frozenset[str]  # values not stated by every version that states this kind


@dataclass(frozen=True)
class Mention:
    """A glossary name in a sentence (from the mentions table)."""

    start: int
    end: int
    entity: str  # the entity's label: the place
    name: str  # the name used for it
    usage: str
    type: str = ""  # the entity's type: place (a town), region, country, organisation


def marks(text: str, lang: str | None, mentions: list[Mention]) -> list[Mark]:
    """Facts and names of one sentence, in reading order. A speaker the glossary knows as a
    place is none ("Азербайджана заявил")."""
    places = [(m.start, m.end) for m in mentions if m.type in ("place", "region", "country")]
    out = [
        Mark(f.start, f.end, f.kind, f.value)
        for f in fact_spans(text, lang)
        if not (f.kind == "speakers" and any(s < f.end and f.start < e for s, e in places))
    ]
    line = find_dateline(text)
    for m in mentions:
        out.append(Mark(m.start, m.end, "places", m.entity, m.usage))
        out.append(Mark(m.start, m.end, "naming", f"{m.entity}: {m.name}", m.usage))
        if m.type == "place" and (
            _where_it_happened(text, m.start)
            or (line is not None and m.end <= line.end and m.start < 40)
        ):
            out.append(Mark(m.start, m.end, "location", m.entity))  # "МОСКВА, 27 мая. /ТАСС/."
    return sorted(out, key=lambda m: (m.start, m.end, m.kind))


def _where_it_happened(text: str, start: int) -> bool:
    """A town after a locative preposition, a meeting or statement shortly before it and no
    plan between them (see _EVENT and _PLAN)."""
    before = text[:start]
    if not _LOCATIVE.search(before):
        return False
    window = before[max(0, start - _EVENT_WINDOW) :]
    events = list(_EVENT.finditer(window))
    return bool(events) and not _PLAN.search(window[events[-1].end() :])


def compare(
    versions: Mapping[str, list[Mark]], linked: Callable[..., bool] | None = None
) -> list[Difference]:
    """The differences between versions (label -> the marks of its sentences); only versions
    `linked` says are one claim with confidence can disagree (default: all)."""
    sure = linked or (lambda a, b, kind="": True)
    out = []
    for kind in KINDS:
        values = {
            v: tuple(sorted({m.value for m in ms if m.kind == kind})) for v, ms in versions.items()
        }
        if kind == "naming":
            out += _naming(values)
            continue
        stated = [set(x) for x in values.values() if x]
        if not stated or all(s == stated[0] for s in stated) and len(stated) == len(values):
            continue
        if len(stated) < 2 and kind in ("places", "speakers", "relative", "location"):
            continue  # one version naming a place or a speaker is a detail not worth a row
        compared = [_comparable(kind, s) for s in stated]
        common = set.intersection(*compared)
        pairs = [
            (set(values[a]), set(values[b]))
            for a in values
            for b in values
            if a < b and values[a] and values[b] and sure(a, b, kind)
        ]
        disagree = kind in CAN_DISAGREE and any(CAN_DISAGREE[kind](a, b) for a, b in pairs)
        odd = {v for s in stated for v in s if not _comparable(kind, {v}) <= common}
        out.append(Difference(kind, disagree, values, frozenset(odd)))
    return out


def _numbers_conflict(a: set[str], b: set[str]) -> bool:
    """Neither version's numbers contain the other's, and two they do not share are of one
    magnitude (so they may count the same thing)."""
    if a <= b or b <= a:
        return False
    x, y = [float(v) for v in a - b], [float(v) for v in b - a]
    return any(min(p, q) > 0 and max(p, q) / min(p, q) <= _MAGNITUDE for p in x for q in y)


def _durations_conflict(a: set[str], b: set[str]) -> bool:
    """The same unit of time with no value in common ("2 months" and "3 months")."""
    units = {v.split()[-1] for v in a} & {v.split()[-1] for v in b}
    return any(not {v for v in a if v.endswith(u)} & {v for v in b if v.endswith(u)} for u in units)


def _location_conflict(a: set[str], b: set[str]) -> bool:
    return not a & b


def _dates_conflict(a: set[str], b: set[str]) -> bool:
    """Two versions' dates conflict when, for a part both state (year, month or day), they
    share no value: 2024 and 2025, 27 May and 28 May; not 2024 and 27 May."""
    pa, pb = _date_parts(a), _date_parts(b)
    return any(pa[k] and pb[k] and not pa[k] & pb[k] for k in pa)


CAN_DISAGREE: dict[str, Callable[[set[str], set[str]], bool]] = {
    "numbers": _numbers_conflict,
    "dates": _dates_conflict,
    "durations": _durations_conflict,
    "location": _location_conflict,
}


def shown(kind: str, value: str) -> str:
    """A value as a reader writes it ("--05-27" is "27 May")."""
    return show_date(value) if kind == "dates" else value


def _date_parts(values: set[str]) -> dict[str, set[str]]:
    """Year, month and day-of-month of each date, as far as it states them."""
    parts: dict[str, set[str]] = {"year": set(), "month": set(), "day": set()}
    for v in values:
        if v.startswith("--"):
            parts["month"].add(v[2:4])
            parts["day"].add(v[2:])
            continue
        parts["year"].add(v[:4])
        if len(v) >= 7:
            parts["month"].add(v[5:7])
        if len(v) == 10:
            parts["day"].add(v[5:])
    return parts


def _comparable(kind: str, values: set[str]) -> set[str]:
    """Values as compared: a full date also stands for its year and for its day and month
    ("2024", "27 May"), a month for its year."""
    if kind != "dates":
        return set(values)
    out = set(values)
    for v in values:
        if len(v) >= 7 and v[4] == "-" and v[:4].isdigit():
            out.add(v[:4])
        if len(v) == 10 and v[4] == "-":
            out.add("--" + v[5:])
    return out


def _naming(values: dict[str, tuple[str, ...]]) -> list[Difference]:
    """Per place, the names versions chose, when they chose differently."""
    by_place: dict[str, dict[str, set[str]]] = {}
    for version, items in values.items():
        for item in items:
            place, _, name = item.partition(": ")
            by_place.setdefault(place, {}).setdefault(version, set()).add(item)
    out = []
    for place in sorted(by_place):
        chosen = by_place[place]
        names = set.union(*chosen.values())
        shared = set.intersection(*chosen.values())
        if len(names) < 2 or names == shared:
            continue
        out.append(
            Difference(
                "naming",
                False,
                {v: tuple(sorted(chosen.get(v, ()))) for v in values},
                frozenset(names - shared),
            )
        )
    return out
