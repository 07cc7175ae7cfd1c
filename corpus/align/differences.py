"""What differs between the versions of one claim, and where each version says it.

A version is one article's sentences in the claim. For each kind of fact (numbers, dates,
relative times, speakers, places named, and the name chosen for a place) the versions that state
it are compared. Numbers and dates can *disagree*: numbers when two versions state sets neither
of which contains the other's ("3 days" and "5 days"), dates when a part both state (year,
month, day) differs ("2024" and "2025"; "27 May" agrees with "2024-05-27" and with "2024").
Everything else is a *detail* some versions give and others leave out: which places and
speakers a sentence names depends too much on how it is cut and on what extraction finds to
call it a conflict (tried on the consulate story: "versions naming no town in common" flagged
two claims, both wrongly, Moscow and Baku standing for their governments, and missed the one
real case, a meeting "in Baku" and "in Moskau" in versions that both also name Baku).
Versions silent on a kind are not counted against the others: most outlets shorten.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from newsalign.corpus.align.features import fact_spans

KINDS = ("numbers", "dates", "relative", "speakers", "places", "naming")
LABELS = {
    "numbers": "numbers", "dates": "dates", "relative": "times (relative)",
    "speakers": "speakers", "places": "places and names mentioned",
    "naming": "name chosen for a place",
}  # fmt: skip


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


def marks(text: str, lang: str | None, mentions: list[Mention]) -> list[Mark]:
    """Facts and names of one sentence, in reading order."""
    out = [Mark(f.start, f.end, f.kind, f.value) for f in fact_spans(text, lang)]
    for m in mentions:
        out.append(Mark(m.start, m.end, "places", m.entity, m.usage))
        out.append(Mark(m.start, m.end, "naming", f"{m.entity}: {m.name}", m.usage))
    return sorted(out, key=lambda m: (m.start, m.end, m.kind))


def compare(versions: Mapping[str, list[Mark]]) -> list[Difference]:
    """The differences between versions (label -> the marks of its sentences)."""
    out = []
    for kind in KINDS:
        values = {v: tuple(sorted({m.value for m in ms if m.kind == kind}))
                  for v, ms in versions.items()}  # fmt: skip
        if kind == "naming":
            out += _naming(values)
            continue
        stated = [set(x) for x in values.values() if x]
        if not stated or all(s == stated[0] for s in stated) and len(stated) == len(values):
            continue
        if len(stated) < 2 and kind in ("places", "speakers", "relative"):
            continue  # one version naming a place or a speaker is a detail not worth a row
        compared = [_comparable(kind, s) for s in stated]
        common = set.intersection(*compared)
        if kind == "dates":
            disagree = any(_dates_conflict(a, b) for a in stated for b in stated)
        else:
            disagree = kind in CAN_DISAGREE and any(
                not (a <= b or b <= a) for a in compared for b in compared
            )
        odd = {v for s in stated for v in s if not _comparable(kind, {v}) <= common}
        out.append(Difference(kind, disagree, values, frozenset(odd)))
    return out


CAN_DISAGREE = ("numbers", "dates")


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


def _dates_conflict(a: set[str], b: set[str]) -> bool:
    """Two versions' dates conflict when, for a part both state (year, month or day), they
    share no value: 2024 and 2025, 27 May and 28 May; not 2024 and 27 May."""
    pa, pb = _date_parts(a), _date_parts(b)
    return any(pa[k] and pb[k] and not pa[k] & pb[k] for k in pa)


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
        out.append(Difference("naming", False,
                              {v: tuple(sorted(chosen.get(v, ()))) for v in values},
                              frozenset(names - shared)))  # fmt: skip
    return out
