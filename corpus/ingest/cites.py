"""Who an article names as its source: "передаёт ТАСС", "по данным Интерфакс", "TASS reported",
"according to Reuters", "citing AFP", "laut dpa", "(AP) -", "/ТАСС/".

Generic patterns, not a list of agencies: an attribution verb or preposition of English, German,
Russian or Spanish next to a capitalised name or an acronym. Where the wording is ambiguous
("according to Karasin" names a person), the name must look like an agency: an acronym, or
follow a word such as "agency", "Nachrichtenagentur", "агентство". `resolve` then matches the
names to the corpus's outlets (ТАСС is TASS) through a transliteration key. Pure: no database.
"""

from __future__ import annotations

import re

from newsalign.corpus.ingest.dates import find_dateline
from newsalign.glossary.translit import latin

_UP = "A-ZÀ-ÞА-ЯЁ"
_WORD = rf"\b[{_UP}][\w&'’-]*(?:\.[a-z]{{2,3}}\b)?"
# A name: an acronym, or up to three capitalised words ("RIA Novosti", "Anadolu Agency"); a
# lowercase acronym (dpa) only right after an attribution.
_NAME = rf"(?P<name>{_WORD}(?:[ \t]+{_WORD}){{0,2}}|\b[a-z]{{2,4}}\b)"
_CAPITALISED = rf"(?P<name>{_WORD}(?:[ \t]+{_WORD}){{0,2}})"
_AGENCY_NOUN = (r"(?i:news\s+agency|agency|news\s+service|Nachrichtenagentur|Agentur|"
                r"информационное\s+агентство|агентство|агентства|агентству|агентством|"
                r"издание|издания|agencia(?:\s+de\s+noticias)?)")  # fmt: skip
# Verbs and phrases that only a medium's report takes: the name that follows is a source.
_STRONG_BEFORE = (r"(?:передаёт|передает|передало|передал|сообщает|сообщило|со\s+ссылкой\s+на|"
                  r"по\s+данным|по\s+сообщению|по\s+информации|как\s+сообщает|как\s+передает|"
                  r"как\s+передаёт|citing|cited\s+by|reported\s+by|quoted\s+by|"
                  r"berichtet(?:e)?|meldet(?:e)?|unter\s+Berufung\s+auf|"
                  r"informó|informa|reportó|según\s+informó|citando\s+a|según\s+la\s+agencia)")  # fmt: skip
# General attributions ("according to Karasin"): the name must look like an agency.
_WEAK_BEFORE = r"(?:according\s+to|laut|según|de\s+acuerdo\s+con|citó)"
_AFTER = (r"(?:reported|reports|reporting|wrote|writes|said\s+in\s+a\s+report|berichtete|"
          r"berichtet|meldete|meldet|zufolge|сообщает|сообщил|сообщило|передаёт|передает|"
          r"пишет|informó|informa|reportó)")  # fmt: skip

_PATTERNS = (
    (
        "strong",
        re.compile(
            rf"\b(?i:{_STRONG_BEFORE})\s+(?:the\s+|der\s+|die\s+|dem\s+|la\s+|el\s+)?"
            rf"(?:{_AGENCY_NOUN}\s+)?[«\"„]?{_NAME}"
        ),
    ),  # fmt: skip
    (
        "weak",
        re.compile(
            rf"\b(?i:{_WEAK_BEFORE})\s+(?:the\s+|der\s+|die\s+|dem\s+|la\s+|el\s+)?"
            rf"(?P<noun>{_AGENCY_NOUN}\s+)?[«\"„]?{_NAME}"
        ),
    ),  # fmt: skip
    (
        "after",
        re.compile(rf"(?P<noun>{_AGENCY_NOUN}\s+)?[«\"„]?{_CAPITALISED}[»\"“]?\s+{_AFTER}\b"),
    ),
)
# Words that follow an attribution but are not sources.
_NOT_NAMES = {
    "him", "her", "them", "us", "me", "you", "it", "ihm", "ihr", "ihnen", "uns", "sie", "es",
    "dem", "den", "der", "die", "das", "the", "a", "an", "his", "its", "their", "él", "ella",
    "ellos", "lo", "la", "el", "los", "las", "ein", "mit", "von", "für", "auf", "aus", "and",
    "but", "not", "has", "had", "was", "who", "one", "two", "que", "con", "por", "sin", "una",
    "uno", "dos", "и", "в", "на", "что",
}  # fmt: skip


def _acronym(name: str) -> bool:
    """TASS, ТАСС, AFP, AP, dpa (a lowercase acronym of two or three letters, not a word)."""
    letters = re.sub(r"[^\w]", "", name)
    if letters.isupper() and 2 <= len(letters) <= 6:
        return True
    return name.islower() and 2 <= len(name) <= 3 and name not in _NOT_NAMES


def _clean(name: str) -> str:
    return name.strip(" .,;:'’\"«»„“-")


def find_cites(paragraphs: list[str]) -> list[str]:
    """The outlets an article names as its source, as written, in order of first mention.
    `paragraphs` are its body paragraphs (a dateline's agency counts)."""
    found: dict[str, str] = {}

    def add(name: str) -> None:
        name = _clean(name)
        if name and name.lower() not in _NOT_NAMES:
            found.setdefault(key(name), name)

    whole = "\n".join(paragraphs)
    for k, text in enumerate(paragraphs):
        if k < 4:
            line = find_dateline(text)
            if line and line.agency:
                add(line.agency)
        for kind, pattern in _PATTERNS:
            for m in pattern.finditer(text):
                name = _clean(m.group("name"))
                noun = m.groupdict().get("noun")
                if kind == "after":
                    # Before a verb only an agency is named so ("agency TASS reported"):
                    # "Jerewan meldet", "Medienberichten zufolge" are not sources.
                    name = _last_acronym(name) or (name if noun else "")
                elif _acronym(name):
                    pass
                elif name.islower() or _adjective(text, m.end("name")):
                    continue  # "meldet vier Soldaten"; "Russian media"
                elif kind == "weak" and not (noun or _acronym(name) or _not_a_person(name, whole)):
                    continue
                if not name:
                    continue
                add(name)
    return list(found.values())


_ATTRIBUTION_WORD = re.compile(r"(?i)^(?:according|laut|según|per|by|to|de|con)$")


def _not_a_person(name: str, text: str) -> bool:
    """A single capitalised word is taken for a medium unless the article also writes it after
    another capitalised word, as a person's surname is ("Grigory Karasin", "Dmitri Peskow")."""
    if " " in name or not name[:1].isupper():
        return False
    for m in re.finditer(rf"([{_UP}][\w-]+)\s+{re.escape(name)}\b", text):
        if not _ATTRIBUTION_WORD.match(m.group(1)):
            return False
    return True


def _last_acronym(name: str) -> str | None:
    """The acronym ending a name ("News Agency TASS" is TASS), if any."""
    last = name.split()[-1] if name.split() else ""
    return last if last and _acronym(last) else None


def _adjective(text: str, end: int) -> bool:
    """A Latin-script word followed by a lowercase word is an adjective ("Russian media",
    "Azerbaijani sources"), not the name of a source."""
    return bool(re.match(r"[ \t]+[a-zà-ÿß]", text[end:]))


def key(name: str) -> str:
    """A spelling-independent key of an outlet's name: Latin letters, variants folded
    (ТАСС and TASS, Интерфакс and Interfax meet)."""
    text = re.sub(r"\.(?:[a-z]{2}|com|net|org|info)$", "", latin(name)).replace("x", "ks")
    for variant, common in (("kh", "h"), ("w", "v"), ("ph", "f"), ("c", "k"), ("j", "y")):
        text = text.replace(variant, common)
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[^a-z0-9]", "", text))


def outlet_keys(outlet: str) -> set[str]:
    """The keys an outlet answers to: its whole name and the name before any bracket
    ("OC Media (mirror)" is OC Media)."""
    keys = {key(outlet), key(re.split(r"\s*[(,]", outlet)[0])}
    return {k for k in keys if k}


def resolve(cites: list[str], outlets: list[str], own: str | None = None) -> list[str]:
    """Each cited name as the corpus's outlet it is, where it is one (else as written); an
    outlet citing itself (its own dateline) is left out."""
    index: dict[str, str] = {}
    for outlet in sorted(outlets):
        for k in outlet_keys(outlet):
            index.setdefault(k, outlet)
    out: list[str] = []
    # An outlet's own brand is not a source: "Sputnik" in Sputnik Moldova's dateline.
    own_keys = (outlet_keys(own) | {key(own.split()[0])}) if own else set()
    for name in cites:
        k = key(name)
        if k in own_keys:
            continue
        named = index.get(k, name)
        if named not in out and named != own:
            out.append(named)
    return out
