"""Facts read in each language, and differences that are real disagreements."""

from newsalign.corpus.align.differences import Mention, compare, linker, marks, shown
from newsalign.corpus.align.facts import extract


def test_numbers_with_words_of_scale_in_each_language() -> None:
    assert extract("Unos 50 mil habitantes huyeron.", "es").numbers == (50000.0,)
    assert extract("Около 2 тыс. человек и 1,5 млн рублей.", "ru").numbers == (2000.0, 1500000.0)
    assert extract("Es kostet 2,5 Mio. Euro und 3 Mrd. Dollar.", "de").numbers == (2.5e6, 3e9)
    assert extract("Some 120.000 Menschen flohen.", "de").numbers == (120000.0,)


def test_durations_are_not_counts() -> None:
    facts = extract("fast zwei Monate später begann der Abzug", "de")
    assert facts.numbers == () and facts.durations == ("2 months",)
    assert extract("casi dos meses después", "es").durations == ("2 months",)
    assert extract("after a 44-day war with 6,500 dead", "en").durations == ("44 days",)


def test_partial_dates_in_each_language_and_shown_as_dates() -> None:
    assert extract("se completó el 12 de junio", "es").dates == ("--06-12",)
    assert extract("в понедельник, 27 мая, он сказал", "ru").dates == ("--05-27",)
    assert shown("dates", "--05-27") == "27 May" and shown("dates", "2024-05") == "May 2024"
    assert shown("numbers", "5") == "5"


def test_relative_times_and_speakers_in_the_original_language() -> None:
    ru = extract("Консульство откроется в ближайшее время, заявил Карасин.", "ru")
    assert ru.relative == ("soon",) and ru.speakers == ("карасин",)
    said = "Об этом заявил журналистам замминистра Иван Петров."
    assert extract(said, "ru").speakers == ("петров",)
    assert extract("El proceso terminó hoy, dijo Peskov.", "es").relative == ("today",)
    assert extract("El proceso terminó hoy, dijo Peskov.", "es").speakers == ("peskov",)


def test_a_speaker_is_a_name_not_a_word_of_a_longer_noun() -> None:
    for text in (
        "The Ministry of Foreign Affairs said on Monday that it agreed.",
        "Jane Roe, head of the Committee on International Affairs, emphasized the ties.",
        "Bei einem Treffen in Moskau sagte er nichts.",
        "The envoy told Azerbaijani media that it was ready.",
    ):
        assert "affairs" not in extract(text, "en").speakers
        assert not {"moskau", "azerbaijani"} & set(extract(text, "en").speakers)
    assert extract("Minister J. Smith said so.", "en").speakers == ("smith",)


def _versions(*items: tuple[str, str]) -> dict:
    return {f"v{k}": marks(text, lang, []) for k, (text, lang) in enumerate(items)}


def test_no_false_conflicts_for_scale_words_durations_and_other_counts() -> None:
    found = compare(_versions(("Los 50 mil habitantes huyeron.", "es"),
                              ("Die 50.000 Einwohner flohen.", "de")))  # fmt: skip
    assert [d for d in found if d.kind == "numbers"] == []
    found = compare(_versions(("two wars were fought", "en"), ("6,500 people died", "en")))
    assert not any(d.disagree for d in found)
    found = compare(_versions(("fast zwei Monate später", "de"), ("casi dos meses después", "es")))
    assert found == []
    (real,) = compare(_versions(("some 50,000 fled", "en"), ("some 100,000 fled", "en")))
    assert real.kind == "numbers" and real.disagree


def test_the_place_of_an_event_can_disagree() -> None:
    def version(text: str, name: str, entity: str) -> list:
        start = text.index(name)
        return marks(text, None, [Mention(start, start + len(name), entity, entity, "", "place")])

    versions = {
        "a": version("He spoke at a meeting in Baku.", "Baku", "Baku"),
        "b": version("Bei einem Treffen in Moskau sagte er das.", "Moskau", "Moscow"),
        "c": version("Moscow counts on the support of its partners.", "Moscow", "Moscow"),
    }
    location = next(d for d in compare(versions) if d.kind == "location")
    assert location.disagree and location.values["c"] == ()  # "Moscow counts": no location
    # Versions the model links only weakly, or a claim unsure on average, never disagree.
    segments = {"a": {1}, "b": {2}, "c": {3}}
    weak = linker(segments, {(1, 2): 0.6}, 0.9)
    assert not any(d.disagree for d in compare(versions, weak))
    unsure = linker(segments, {(1, 2): 0.95}, 0.5)
    assert not any(d.disagree for d in compare(versions, unsure))
    sure = linker(segments, {(1, 2): 0.95}, 0.9)
    assert any(d.disagree for d in compare(versions, sure))
