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
    assert surfaces("in XANKENDI and xankəndi") == [("XANKENDI", 10), ("xankəndi", 10)]


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
