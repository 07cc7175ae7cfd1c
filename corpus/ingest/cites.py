"""Who an article names as its source: "передаёт ТАСС", "по данным Интерфакс", "TASS reported",
"according to Reuters", "citing AFP", "laut dpa", "AFP quoted", "(AP) -", "/ТАСС/", "[AFP]",
"Баку. 17 апреля. ИНТЕРФАКС —", "according to a report by “the Caucasian Knot”".

Generic patterns, not a list of agencies: an attribution verb or preposition of English, German,
Russian or Spanish next to a capitalised name, an acronym or a quoted title; an agency named
with its noun ("news agency APA", "the Interfax news agency", "Nachrichtenagentur Interfax");
a dateline's agency; an agency in brackets closing a paragraph. People and places are not
sources: a name with a title word ("President", "Sprecher", "глава"), a surname the article
also writes after a first name ("Grigory Karasin", "Карасина"), a word shaped like a surname
of the region ("Лавров", "Peskov") or a place the caller knows (`is_place`, the glossary) is left
out. `resolve` then matches the names to the corpus's outlets (ТАСС is TASS) through a
transliteration key. Pure: no database; linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from newsalign.corpus.ingest.dates import find_dateline
from newsalign.glossary.translit import latin

_UP = "A-ZÀ-ÞА-ЯЁ"
# A word ends within _LONGEST characters or is no name: a capital after each hyphen of a run
# ("Aa-Aa-…") starts a word, and unbounded each ran to the end of the run (quadratic).
_LONGEST = 48
_WORD = rf"\b[{_UP}][\w&'’-]{{0,{_LONGEST}}}+(?![\w&'’-])(?:\.[a-z]{{2,3}}\b)?"
# A name: an acronym, or up to three capitalised words ("RIA Novosti", "Anadolu Agency"); a
# lowercase acronym (dpa) only right after an attribution.
_NAME = rf"(?P<name>{_WORD}(?:[ \t]+{_WORD}){{0,2}}|\b[a-z]{{2,4}}\b)"
_CAPITALISED = rf"(?P<name>{_WORD}(?:[ \t]+{_WORD}){{0,2}})"
# A quoted title: «Кавказский узел», “the Caucasian Knot”, „Kavkazskiy Uzel“.
_QUOTED = r"[«\"„“](?P<quoted>[^«»\"„“”\n]{2,40})[»\"“”]"
_AGENCY_NOUN = (
    r"(?i:news\s+agency|agency|news\s+service|Nachrichtenagentur|Agentur|"
    r"информационное\s+агентство|агентство|агентства|агентству|агентством|"
    r"издание|издания|agencia(?:\s+de\s+noticias)?)"
)
# Nouns of media that may stand between an attribution and the name, after a few adjectives:
# "citing Kremlin-aligned Russian news agency Interfax", "according to Russian independent media
# outlet Meduza".
_MEDIA_NOUN = (
    r"(?:news\s+agency|agency|news\s+service|media\s+outlet|outlet|newspaper|"
    r"news\s+(?:site|website|portal)|website|broadcaster|channel|"
    r"Nachrichtenagentur|Agentur|Zeitung|Nachrichtenportal|Sender|"
    r"агентство|агентства|агентству|газета|газеты|издание|издания|портал|портала|"
    r"телеканал|телеканала|agencia(?:\s+de\s+noticias)?|diario|periódico|medio|cadena)"
)
_DESCRIBED = (
    rf"(?:(?:the|der|die|dem|la|el|a|an)\s+)?(?:[\w’'-]+[ \t]+){{0,4}}?(?i:{_MEDIA_NOUN}),?[ \t]+"
)
# Verbs and phrases that only a medium's report takes: the name that follows is a source.
_STRONG_BEFORE = (
    r"(?:передаёт|передает|передало|передал|сообщает|сообщило|со\s+ссылкой\s+на|"
    r"по\s+данным|по\s+сообщению|по\s+информации|как\s+сообщает|как\s+передает|"
    r"как\s+передаёт|как\s+пишет|как\s+писал[аои]?|citing|cited\s+by|reported\s+by|"
    r"quoted\s+by|berichtet(?:e)?|meldet(?:e)?|unter\s+Berufung\s+auf|"
    r"informó|informa|reportó|según\s+informó|citando\s+a|según\s+la\s+agencia)"
)
# General attributions ("according to Karasin"): the name must look like an agency.
_WEAK_BEFORE = r"(?:according\s+to|laut|según|de\s+acuerdo\s+con|citó)"
# "according to a report by", "laut dem Bericht von", "по сообщению": whoever wrote a report is
# a medium (or a body that publishes), never a person speaking.
_REPORT_BY = (
    r"(?:according\s+to\s+(?:a|the)\s+report\s+(?:by|of|from|in)|laut\s+(?:dem|einem)\s+"
    r"Bericht\s+(?:von|des|der)|einem\s+Bericht\s+(?:von|des|der)|in\s+a\s+report\s+by|"
    r"según\s+(?:un|el)\s+informe\s+de)"
)
_AFTER = (
    r"(?:reported|reports|reporting|wrote|writes|said\s+in\s+a\s+report|quoted|quotes|"
    r"berichtete|berichtet|meldete|meldet|zufolge|zitierte|zitiert|schrieb|"
    r"сообщает|сообщил|сообщило|передаёт|передает|пишет|цитирует|"
    r"informó|informa|reportó|citó|cita)"
)
_ARTICLE = r"(?:the\s+|der\s+|die\s+|dem\s+|la\s+|el\s+)?"

_PATTERNS = (
    ("report", re.compile(rf"\b(?i:{_REPORT_BY})\s+(?:{_QUOTED}|{_ARTICLE}{_NAME})")),
    (
        "strong",
        re.compile(
            rf"\b(?i:{_STRONG_BEFORE})\s+(?:{_QUOTED}|{_ARTICLE}"
            rf"(?P<noun>{_DESCRIBED}|{_AGENCY_NOUN}\s+)?[«\"„]?{_NAME})"
        ),
    ),
    (
        "weak",
        re.compile(
            rf"\b(?i:{_WEAK_BEFORE})\s+{_ARTICLE}"
            rf"(?P<noun>{_DESCRIBED}|{_AGENCY_NOUN}\s+)?[«\"„]?{_NAME}"
        ),
    ),
    (
        "after",
        re.compile(rf"(?P<noun>{_AGENCY_NOUN}\s+)?[«\"„]?{_CAPITALISED}[»\"“]?\s+{_AFTER}\b"),
    ),
    # An agency named with its noun, wherever: "news agency APA", "Nachrichtenagentur Interfax".
    ("named", re.compile(rf"(?<![\w-])(?P<noun>(?i:{_MEDIA_NOUN})[ \t]+)[«\"„]?{_CAPITALISED}")),
    # ... or before it: "the Interfax news agency", "the APA news agency reported".
    ("named", re.compile(rf"{_CAPITALISED}[ \t]+(?P<noun>news\s+agency|Nachrichtenagentur)\b")),
    # An agency dateline inside a paragraph (a scrape glued it to the line before):
    # "...con Armenia.MOSCÚ (AP) — Rusia empezó".
    # It starts only where a run of capitals starts (two-letter words may lead it), since from
    # each word of a long run ("MOSCOW MOSCOW …") the rest of the run was read again.
    ("dateline", re.compile(rf"(?<![{_UP}]{{2}}[ -])\b(?:[{_UP}]{{2}}[ -])*+[{_UP}]{{3,}}+(?:[ -][{_UP}]{{2,}}+)*+,?[ \t]+\((?P<name>[^()\n]{{2,30}})\)[ \t]*[—–-]")),
    # An agency in brackets or slashes closing a paragraph: "... officials said. [AFP]" (in
    # parentheses only an acronym: "... in Stepanakert (Khankendi)." names a place).
    ("closing", re.compile(r"(?P<open>[\[(/])(?P<name>[A-ZА-ЯЁ][\w .&-]{1,30}?)[\])/]\.?\s*$")),
    # A source line: "Source: European Pravda, citing ...", "Quelle: dpa".
    ("source", re.compile(rf"^(?i:source|quelle|источник|fuente|kaynak|mənbə)\s*:\s*{_CAPITALISED}")),
)  # fmt: skip
# Words that follow an attribution but are not sources.
_NOT_NAMES = {
    "him", "her", "them", "us", "me", "you", "it", "ihm", "ihr", "ihnen", "uns", "sie", "es",
    "dem", "den", "der", "die", "das", "the", "a", "an", "his", "its", "their", "él", "ella",
    "ellos", "lo", "la", "el", "los", "las", "ein", "mit", "von", "für", "auf", "aus", "and",
    "but", "not", "has", "had", "was", "who", "one", "two", "que", "con", "por", "sin", "una",
    "uno", "dos", "и", "в", "на", "что", "this", "that", "these", "those", "he", "she", "they",
    "we", "i",
}  # fmt: skip
# Titles and roles: a name holding one, or right after one, is a person ("Turkish President
# Recep", "Kremlin spokesman Dmitry Peskov", "глава комитета Карасин").
_TITLE_WORDS = re.compile(
    r"(?i)^(?:president|presidents?|prime|premier|minister|ministers|spokesman|spokeswoman|"
    r"spokesperson|senator|ambassador|secretary|chairman|chairwoman|chair|head|adviser|advisor|"
    r"assistant|deputy|expert|analyst|general|colonel|mr|mrs|ms|dr|prof|king|queen|pope|mayor|"
    r"governor|leader|director|official|präsident|präsidentin|kanzler|kanzlerin|ministerin|"
    r"sprecher|sprecherin|kremlsprecher|botschafter|abgeordneter?|berater|experte|herr|frau|"
    r"президент|премьер|министр|глава|пресс-секретарь|секретарь|председатель|сенатор|посол|"
    r"депутат|помощник|эксперт|политолог|генерал|советник|мэр|губернатор|"
    r"presidente|ministro|ministra|portavoz|vocero|embajador|senador|diputado|asesor|experto|"
    r"señor|señora|sr|sra)\.?$"
)
# Surnames of the region by their endings (Russian, Ukrainian, Armenian, Georgian, Azerbaijani,
# Turkish), in Cyrillic with their case endings and in Latin: "Лавров", "Карасина", "Peskov",
# "Pashinyan", "Aliyev", "Erdoğan" is not caught this way (a surname reused or a title is).
_SURNAME = re.compile(
    r"(?i)(?:(?:ов|ев|ёв|ин|ын|ск|цк)(?:а|у|ым|ом|е|ой|ого|ому|ий|ая|ую|ой|и)?|"
    r"(?:ян|енко|швили|дзе|вич)(?:а|у|ом|ем|е)?|"
    r"(?:ov|ova|ev|eva|yev|yeva|in|ina|sky|skiy|ski|yan|enko|shvili|dze|ovich|evich|oglu|oğlu|zade))$"
)
# Words that open a sentence before a name without being a first name ("The Interfax ...").
_FUNCTION_WORDS = {
    "in", "on", "at", "for", "from", "with", "after", "before", "when", "while", "if", "as",
    "so", "also", "yesterday", "today", "im", "am", "bei", "nach", "auch", "heute", "gestern",
    "en", "por", "para", "del", "ayer", "hoy", "в", "во", "на", "по", "из", "с", "к", "о", "об",
    "как", "вчера", "сегодня", "до", "после",
}  # fmt: skip
# An adjective of nationality before "news agency" ("the Russian news agency") is not a name.
_NATIONALITY = re.compile(r"(?:ian|ean|an|ish|ese|i|ch)$")
_ATTRIBUTION_WORD = re.compile(r"(?i)^(?:according|laut|según|per|by|to|de|con)$")
_CASE_ENDING = re.compile(r"(?:ого|ому|ыми|ами|ой|ом|ым|ем|ою|ая|ую|а|у|е|ы|и|s|’s|'s)$")


def _acronym(name: str) -> bool:
    """TASS, ТАСС, AFP, AP, dpa (a lowercase acronym of two or three letters, not a word)."""
    letters = re.sub(r"[^\w]", "", name)
    if letters.isupper() and 2 <= len(letters) <= 6:
        return True
    return name.islower() and 2 <= len(name) <= 3 and name not in _NOT_NAMES


def _clean(name: str) -> str:
    name = name.strip(" .,;:'’\"«»„“”-")
    name = re.sub(r"['’]s$", "", name)  # "APA's sources"
    return re.sub(r"(?i)^(?:the|der|die|das|la|el)\s+", "", name)


def _stem(word: str) -> str:
    """A surname's stem for comparison across case forms ("Карасина", "Карасин")."""
    folded = word.lower()
    stem = _CASE_ENDING.sub("", folded)
    return stem if len(stem) >= 4 else folded


class _Persons:
    """What the article tells of people, read once (the old per-match scan was quadratic):
    the stems of words it writes after another capitalised word, as a surname after a first
    name ("Grigory Karasin", "Dmitri Peskow")."""

    def __init__(self, text: str) -> None:
        self.surnames: set[str] = set()
        pattern = rf"\b([{_UP}][\w-]{{0,{_LONGEST}}}+)[ \t]+(?=([{_UP}][\w-]{{0,{_LONGEST}}}+))"
        for m in re.finditer(pattern, text):
            first = m.group(1)
            if not (
                _ATTRIBUTION_WORD.match(first)
                or _acronym(first)
                or first.lower() in _NOT_NAMES | _FUNCTION_WORDS
            ):
                self.surnames.add(_stem(m.group(2)))

    def person(self, name: str, before: str) -> bool:
        """Whether `name` (found after the text `before`) is a person, not a medium."""
        words = name.split()
        if not words or _acronym(name):
            return False
        if any(_TITLE_WORDS.match(w) for w in words):
            return True
        previous = before.split()[-1:] if before.strip() else []
        if previous and _TITLE_WORDS.match(previous[0].strip(",")):
            return True
        if len(words) == 1 and _stem(words[0]) in self.surnames:
            return True
        # A surname-shaped last word of a name of capitalised words ("Dmitry Peskov",
        # "Лавров"), never of a name with a medium's word in it ("Caspian News").
        last = words[-1]
        return bool(_SURNAME.search(last)) and not re.search(
            rf"(?i){_MEDIA_NOUN}|news|media|press", name
        )


def find_cites(paragraphs: list[str], is_place: Callable[[str], bool] | None = None) -> list[str]:
    """The outlets an article names as its source, as written, in order of first mention.
    `paragraphs` are its body paragraphs (a dateline's agency counts); `is_place` tells a place
    name ("MOSCOW reported"), which is never a source."""
    found: dict[str, str] = {}

    def add(name: str) -> None:
        name = _clean(name)
        if not name or name.lower() in _NOT_NAMES or (is_place and is_place(name)):
            return
        found.setdefault(key(name), name)

    whole = "\n".join(paragraphs)
    persons = _Persons(whole)
    for k, text in enumerate(paragraphs):
        if k < 4:
            line = find_dateline(text)
            if line and line.agency:
                add(line.agency)
        for kind, pattern in _PATTERNS:
            for m in pattern.finditer(text):
                groups = m.groupdict()
                if groups.get("quoted"):
                    add(groups["quoted"])  # a quoted title after an attribution is a medium's
                    continue
                if not groups.get("name"):
                    continue
                name = _clean(groups["name"])
                noun = groups.get("noun")
                before = text[max(0, m.start("name") - 40) : m.start("name")]
                if kind in ("dateline", "closing", "source"):
                    if groups.get("open") == "(" and not _acronym(name):
                        continue
                    if not (_acronym(name) or name[:1].isupper()) or persons.person(name, ""):
                        continue
                elif kind == "after":
                    # Before a verb only an agency is named so ("agency TASS reported"):
                    # "Jerewan meldet", "Medienberichten zufolge" are not sources.
                    name = _last_acronym(name) or (name if noun else "")
                elif kind == "named":
                    # After its noun the name is the agency's ("Nachrichtenagentur News.am
                    # bestätigt"); before it, an adjective is not ("Russian news agency").
                    if (
                        m.start("noun") > m.start("name")
                        and not _acronym(name)
                        and (_NATIONALITY.search(name) or persons.person(name, ""))
                    ):
                        continue
                elif _acronym(name):
                    pass
                elif name.islower() or (
                    _adjective(text, m.end("name")) and not re.search(r"['’]s$", groups["name"])
                ):
                    continue  # "meldet vier Soldaten"; "Russian media" (not "APA's sources")
                elif not noun and persons.person(name, before):
                    continue  # "citing Dmitry Peskov", "как сообщает Лавров"
                elif kind == "weak" and not (noun or " " not in name):
                    continue  # "according to Anna Petrova": two words, no agency noun
                if name:
                    add(name)
    return list(found.values())


def _last_acronym(name: str) -> str | None:
    """The acronym ending a name ("News Agency TASS" is TASS), if any."""
    last = name.split()[-1] if name.split() else ""
    return last if last and _acronym(last) else None


def _adjective(text: str, end: int) -> bool:
    """A Latin-script word followed by a lowercase word is an adjective ("Russian media",
    "Azerbaijani sources"), not the name of a source."""
    return bool(re.match(r"[ \t]+[a-zà-ÿß]", text[end : end + 3]))


def key(name: str) -> str:
    """A spelling-independent key of an outlet's name: Latin letters, variants folded
    (ТАСС and TASS, Интерфакс and Interfax, Kavkazskiy and Kavkazsky meet)."""
    text = re.sub(r"\.(?:[a-z]{2}|com|net|org|info)$", "", latin(name)).replace("x", "ks")
    for variant, common in (
        ("kh", "h"),
        ("w", "v"),
        ("ph", "f"),
        ("c", "k"),
        ("j", "y"),
        ("iy", "y"),
        ("yy", "y"),
    ):
        text = text.replace(variant, common)
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[^a-z0-9]", "", text))


def outlet_keys(outlet: str) -> set[str]:
    """The keys an outlet answers to: its whole name, the name before any bracket ("OC Media
    (mirror)" is OC Media) and the name in it ("Caucasian Knot (Kavkazsky Uzel)")."""
    keys = {key(outlet), key(re.split(r"\s*[(,]", outlet)[0])}
    # A bracket of two words or more without a comma is another name of the outlet; "(AFP)",
    # "(Kenya, AFP)" say whose copy it carries.
    keys |= {key(inner) for inner in re.findall(r"\(([^(),]+\s[^(),]+)\)", outlet)}
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
