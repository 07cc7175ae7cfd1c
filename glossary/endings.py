"""Case endings a place name takes, per language: which inflected forms of a spelling to accept.

Each language has a closed table of classes. A class is keyed by how the (folded) word ends;
the word's stem is the word without that ending, and its forms are the stem plus each ending
of the class. Words ending otherwise are indeclinable in that language ("Ханкенди", "Баку").
Forms are generated, never guessed by stripping text: a form matches only a whole word that
is exactly stem + ending, with a stem of at least `MIN_STEM` letters, so "Крым" gives
"Крыму" but no short stem ever reaches into a longer unrelated word.

Tables are over folded text (see textnorm.fold: "й" is "и", "ə" is "e", "ı" is "i").
English takes none: "Armenian" and "Armenians" are demonyms, not forms of "Armenia".
"""

from __future__ import annotations

MIN_STEM = 3

# (how the word ends, what replaces that ending in the stem, endings added to the stem)
Rule = tuple[str, str, tuple[str, ...]]

_RU_CONSONANTS = "бвгджзклмнпрстфхцчшщ"
_UK_CONSONANTS = "бвгґджзклмнпрстфхцчшщ"
_AZ_VOWELS = "aeiou"

# Russian: nouns by their last letter, adjectives of multi-word names ("Нагорный Карабах",
# "Южная Осетия") by theirs. Indeclinable endings (-и, -у, -о, -ы) have no class.
RUSSIAN: tuple[Rule, ...] = (
    ("ыи", "", ("ого", "ому", "ым", "ом")),
    ("ии", "", ("его", "ему", "им", "ем")),
    ("ая", "", ("ои", "ую")),
    ("яя", "", ("еи", "юю")),
    ("ое", "", ("ого", "ому", "ым", "ом")),
    ("ье", "", ("ья", "ью", "ьем")),
    ("а", "", ("ы", "и", "е", "у", "ои", "ою", "еи")),
    ("я", "", ("и", "е", "ю", "еи", "ею")),
    ("ь", "", ("и", "ю", "ью", "я", "е", "ем")),
    *((c, c, ("а", "у", "е", "ом", "ем")) for c in _RU_CONSONANTS),
)

# Ukrainian: as Russian, with -і and the locative's consonant change (Карабах, у Карабасі).
UKRAINIAN: tuple[Rule, ...] = (
    ("ии", "", ("ого", "ому", "им")),
    ("а", "", ("и", "і", "у", "ою", "о")),
    ("я", "", ("і", "ю", "ею")),
    ("ь", "", ("і", "ю", "я", "ем")),
    ("х", "с", ("і",)),
    ("к", "ц", ("і",)),
    ("г", "з", ("і",)),
    *((c, c, ("а", "у", "ом", "ові") + (() if c in "хкг" else ("і",))) for c in _UK_CONSONANTS),
)

# Azerbaijani suffixes, folded (ə->e, ı->i, ü->u, ö->o, so harmony pairs fold together);
# after a vowel the buffer letters y and n come in: Xankəndidə, Xankəndiyə, Bakının, Şuşada.
AZERBAIJANI: tuple[Rule, ...] = (
    *(
        (v, v, ("da", "de", "dan", "den", "ya", "ye", "nin", "nun", "ni", "nu", "daki", "deki"))
        for v in _AZ_VOWELS
    ),
    *(
        (c, c, ("da", "de", "ta", "te", "dan", "den", "a", "e", "in", "un", "i", "u", "daki"))
        for c in "bcdfghjklmnpqrstvxyz"
    ),
)

# German genitive of a name: Bergkarabachs, Aserbaidschans, Armeniens ("Kaukasus" stays).
GERMAN: tuple[Rule, ...] = tuple((c, c, ("s",)) for c in "abcdefghijklmnopqrtuvwxyz")

# Dutch, Danish and Afrikaans write a name's genitive as German does: Ruslands, Armeniës.
GENITIVE_S: tuple[Rule, ...] = tuple((c, c, ("s",)) for c in "abcdefghijklmnopqrtuvwxyzë")

# Armenian: case endings added to a name ending in a consonant or in -ի (Երևանում "in
# Yerevan", Երևանի, Երևանից, Երևանով; Շուշիում). A final -ու changes its stem (Բաքու,
# Բաքվում): left alone.
_HY_CONSONANTS = "բգդզթժլխծկհձղճմյնշչպջռսվտրցփքֆ"
ARMENIAN: tuple[Rule, ...] = (
    *((c, c, ("ի", "ում", "ից", "ով", "ին", "ը", "ն")) for c in _HY_CONSONANTS),
    ("ի", "ի", ("ում", "ից", "ով", "ն")),
)

# Georgian: the nominative's final -ი drops before the case endings (თბილისი, თბილისში,
# თბილისის, თბილისიდან); a name ending in another vowel keeps it (ბაქო, ბაქოში, ბაქოს,
# ბაქოდან), and -ა drops before the genitive (შუშა, შუშის, შუშაში).
GEORGIAN: tuple[Rule, ...] = (
    ("ი", "", ("ში", "ის", "იდან", "ს", "ით", "თან", "ზე", "ისკენ")),
    ("ა", "ა", ("ში", "ს", "დან", "ზე", "თან")),
    ("ა", "", ("ის", "იდან", "ით")),
    *((v, v, ("ში", "ს", "დან", "ზე", "თი", "თან")) for v in "ეოუ"),
)

TABLES: dict[str, tuple[Rule, ...]] = {
    "ru": RUSSIAN,
    "uk": UKRAINIAN,
    "az": AZERBAIJANI,
    "de": GERMAN,
    "nl": GENITIVE_S,
    "da": GENITIVE_S,
    "af": GENITIVE_S,
    "hy": ARMENIAN,
    "ka": GEORGIAN,
}
# English, Spanish and French names do not decline; Turkish writes its case endings after an
# apostrophe (Bakü'de, Karabağ'dan), which the matcher reads as a separate word.

# A spelling of no stated language takes the tables of the languages its script writes.
BY_SCRIPT: dict[str, tuple[str, ...]] = {
    "Latn": ("de", "az"),
    "Cyrl": ("ru", "uk"),
    "Armn": ("hy",),
    "Geor": ("ka",),
}


def forms(word: str, lang: str) -> set[str]:
    """The inflected forms of one folded `word` in `lang` (empty if it does not decline)."""
    rules = [r for r in TABLES.get(lang, ()) if word.endswith(r[0])]
    # The longest ending that fits decides the class ("Нагорный" is an adjective in -ый,
    # not a noun in -й); a class may have several rules (Ukrainian Карабаха, Карабасі).
    longest = max((len(r[0]) for r in rules), default=0)
    out: set[str] = set()
    for ending, keep, suffixes in rules:
        stem = word[: len(word) - len(ending)] + keep
        if len(ending) == longest and len(stem) >= MIN_STEM:
            out.update(stem + s for s in suffixes)
    out.discard(word)
    return out


def languages(lang: str, script: str) -> tuple[str, ...]:
    """The ending tables a spelling in `lang` and `script` takes."""
    if lang:
        return (lang,) if lang in TABLES else ()
    return BY_SCRIPT.get(script, ())
