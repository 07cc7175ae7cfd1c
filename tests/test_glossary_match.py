from newsalign.glossary.match import Matcher, Term

KHANKENDI, STEPANAKERT, KARABAKH, NK, AZ = (
    Term("Khankendi", 1, 10),
    Term("Stepanakert", 1, 11),
    Term("Karabakh", 2, 20),
    Term("Nagorno-Karabakh", 2, 21),
    Term("Aserbaidschan", 3, 30),
)
XANKENDI = Term("Xankəndi", 1, 10)
BERGKARABACH = Term("Bergkarabach", 2, 22)


def matcher() -> Matcher:
    return Matcher([KHANKENDI, STEPANAKERT, KARABAKH, NK, AZ, XANKENDI, BERGKARABACH])


def surfaces(text: str) -> list[tuple[str, int]]:
    return [(m.surface, m.term.name_id) for m in matcher().find(text)]


def test_case_and_diacritics_insensitive_keeping_the_surface() -> None:
    assert surfaces("in XANKENDI and Xankendi") == [("XANKENDI", 10), ("Xankendi", 10)]


def test_a_capitalised_name_does_not_match_a_lowercase_word() -> None:
    # Spanish "la diáspora armenia" is the adjective, not the country.
    m = Matcher([Term("Armenia", 7, 70, lang="en")])
    assert [x.surface for x in m.find("la diáspora armenia, Armenia")] == ["Armenia"]


def test_longest_match_wins_and_hyphen_or_space_variants() -> None:
    assert surfaces("the Nagorno-Karabakh war") == [("Nagorno-Karabakh", 21)]
    assert surfaces("the Nagorno Karabakh war") == [("Nagorno Karabakh", 21)]
    assert surfaces("Karabakh alone") == [("Karabakh", 20)]


def test_never_inside_another_word() -> None:
    assert surfaces("Karabakhization and preKhankendi") == []


def test_german_inflected_forms() -> None:
    assert surfaces("die Kontrolle Bergkarabachs und Aserbaidschans") == [
        ("Bergkarabachs", 22),
        ("Aserbaidschans", 30),
    ]


RU = [
    Term("Карабах", 2, 20, lang="ru"),
    Term("Степанакерт", 1, 11, lang="ru"),
    Term("Шуша", 4, 40, lang="ru"),
    Term("Ханкенди", 1, 10, lang="ru"),
    Term("Нагорный Карабах", 2, 21, lang="ru"),
    Term("Армения", 5, 50, lang="ru"),
]


def ru(text: str) -> list[tuple[str, int, bool]]:
    return [(m.surface, m.term.name_id, m.inflected) for m in Matcher(RU).find(text)]


def test_russian_case_forms() -> None:
    text = "в Карабахе, из Карабаха, над Карабахом, в Степанакерте, в Шуше, в Шушу, в Армении"
    assert ru(text) == [
        ("Карабахе", 20, True),
        ("Карабаха", 20, True),
        ("Карабахом", 20, True),
        ("Степанакерте", 11, True),
        ("Шуше", 40, True),
        ("Шушу", 40, True),
        ("Армении", 50, True),
    ]


def test_russian_adjective_and_noun_of_one_name_decline_together() -> None:
    assert ru("в Нагорном Карабахе") == [("Нагорном Карабахе", 21, True)]


def test_indeclinable_names_and_other_words_stay_apart() -> None:
    # Ханкенди does not decline; "Ханкендием" is no form of it; "армянский" (Armenian, an
    # adjective) and "Карабахская" are other words, not case forms.
    assert ru("в Ханкенди, Ханкендием, армянский, Карабахская, Шушарин") == [
        ("Ханкенди", 10, False)
    ]


def test_ukrainian_locative_changes_the_last_consonant() -> None:
    m = Matcher([Term("Карабах", 2, 20, lang="uk")])
    assert [x.surface for x in m.find("у Карабасі, до Карабаху")] == ["Карабасі", "Карабаху"]


def test_azerbaijani_suffixes() -> None:
    m = Matcher([Term("Xankəndi", 1, 10, lang="az"), Term("Şuşa", 4, 40, lang="az")])
    text = "Xankəndidə, Xankəndiyə, Xankəndidən, Şuşada, Şuşanın; Xankəndilər, Şuşalı"
    assert [x.surface for x in m.find(text)] == [
        "Xankəndidə",
        "Xankəndiyə",
        "Xankəndidən",
        "Şuşada",
        "Şuşanın",
    ]


def test_english_spellings_take_no_endings_so_demonyms_are_not_names() -> None:
    m = Matcher([Term("Armenia", 5, 50, lang="en"), Term("Azerbaijan", 3, 30, lang="en")])
    assert m.find("Armenian and Armenians, Azerbaijani troops") == []


def test_slash_separated_names_are_two_matches_with_offsets() -> None:
    text = "Konsulat in Khankendi/Stepanakert"
    found = matcher().find(text)
    assert [(text[m.start : m.end], m.term.name_id) for m in found] == [
        ("Khankendi", 10),
        ("Stepanakert", 11),
    ]


def test_same_form_for_two_entities_is_visible_as_a_conflict() -> None:
    m = Matcher([Term("Georgia", 5, 50), Term("Georgia", 6, 60)])
    assert {t.entity_id for t in m.lookup("georgia")} == {5, 6}
    assert m.lookup("Tbilisi") == []
