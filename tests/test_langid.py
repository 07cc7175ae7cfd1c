import pytest

from newsalign.translate.errors import TranslateError
from newsalign.translate.langid import LanguageDetector, assign_languages, parse_langs

DE = "Die russischen Friedenstruppen haben sich vor kurzem aus der Region zurückgezogen."
EN = "This year, the Russian peacekeeping contingent has left the territory of Azerbaijan."


@pytest.mark.slow
def test_detection_is_deterministic_across_instances() -> None:
    texts = ["Karabakh", "Baku Moskau", "Accept", DE, EN, "Info"]
    first = [LanguageDetector().detect(t) for t in texts]
    second = [LanguageDetector().detect(t) for t in texts]
    assert first == second


def test_restricted_candidates() -> None:
    detector = LanguageDetector(["de", "en"])
    assert detector.detect(DE).lang == "de"
    assert detector.detect(EN).lang == "en"
    assert detector.detect("Font ResizerAa").lang in ("de", "en")
    assert detector.detect("unterstützung finden").lang == "de"


def test_no_letters_means_no_guess() -> None:
    assert LanguageDetector().detect("2024 — 1,200 / 98") is None


def test_short_segments_take_the_paragraph_or_document_language() -> None:
    doc, paras, sents = assign_languages(LanguageDetector(), [[DE, "Gut."], [DE, DE]])
    assert doc.lang == "de"
    assert sents[0][1].lang == "de" and sents[0][1].method in ("paragraph", "document")


def test_mixed_document_keeps_per_segment_languages() -> None:
    doc, paras, sents = assign_languages(LanguageDetector(), [[DE, DE], [EN], [DE]])
    assert doc.lang == "de"
    assert paras[1].lang == "en" and sents[1][0].lang == "en"


def test_parse_langs() -> None:
    assert parse_langs("en, de") == ["de", "en"]
    assert parse_langs(None) is None
    with pytest.raises(TranslateError, match="xx"):
        parse_langs("de,xx")


def test_a_document_of_one_word_has_no_language_rather_than_a_random_one() -> None:
    doc, _, sents = assign_languages(LanguageDetector(), [["Only"]])
    assert doc.lang is None and sents[0][0].lang is None
    doc, _, _ = assign_languages(LanguageDetector(), [["Eine kurze Meldung über Stepanakert."]])
    assert doc.lang == "de"


@pytest.mark.slow
def test_one_candidate_language_is_that_language() -> None:
    """`--langs ru` alone: langdetect cannot rank one profile (it raised "Need more than 2
    profiles"); the user has said what the text is. Another script is still not taken for it."""
    only_ru = LanguageDetector(["ru"])
    found = only_ru.detect("Россия откроет генеральное консульство в Ханкенди в этом году.")
    assert found is not None and found.lang == "ru"
    assert only_ru.detect("Ռուսաստանը հյուպատոսություն կբացի") is None
    assert LanguageDetector(["de"]).detect("ok").lang == "de"
