"""The glossary's records: an entity has names, a name has spellings.

"Khankendi" and "Stepanakert" are two *names* of one *entity* (the city), each with a usage label
("Azerbaijani official", "Armenian"); "Xankəndi" (az) and "Ханкенди" (ru) are *spellings* of the
name Khankendi. Which name an outlet uses is a signal, so names are never merged into one.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from newsalign.glossary.textnorm import nfc

ENTITY_TYPES = ("place", "region", "country", "organisation", "person")


def script_of(text: str) -> str:
    """ISO 15924 code of the main script of `text` (Latn, Cyrl, Armn, Geor, Arab, Grek…)."""
    counts: dict[str, int] = {}
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        for prefix, code in _SCRIPTS:
            if name.startswith(prefix):
                counts[code] = counts.get(code, 0) + 1
                break
        else:
            counts["Zyyy"] = counts.get("Zyyy", 0) + 1
    return max(counts, key=counts.__getitem__) if counts else "Zyyy"


_SCRIPTS = (
    ("LATIN", "Latn"), ("CYRILLIC", "Cyrl"), ("ARMENIAN", "Armn"), ("GEORGIAN", "Geor"),
    ("ARABIC", "Arab"), ("GREEK", "Grek"), ("HEBREW", "Hebr"), ("CJK", "Hani"),
    ("HIRAGANA", "Hira"), ("KATAKANA", "Kana"), ("HANGUL", "Hang"), ("DEVANAGARI", "Deva"),
)  # fmt: skip


@dataclass(frozen=True, order=True)
class Spelling:
    """A written form of a name in one language (empty `lang`: any language) and script."""

    text: str
    lang: str = ""
    script: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", nfc(self.text).strip())
        if not self.script:
            object.__setattr__(self, "script", script_of(self.text))


@dataclass(frozen=True)
class Name:
    """A name of an entity, with its usage label and optional validity dates."""

    name: str
    usage: str = ""
    canonical: bool = False
    valid_from: str = ""
    valid_to: str = ""
    spellings: tuple[Spelling, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", nfc(self.name).strip())


@dataclass(frozen=True)
class Entity:
    """A place, region, country, organisation or person, known by one or more names."""

    key: str
    type: str
    label: str
    geonames_id: str = ""
    wikidata_id: str = ""
    notes: str = ""
    names: tuple[Name, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", nfc(self.label).strip())

    @property
    def canonical(self) -> Name | None:
        return next((n for n in self.names if n.canonical), None)
