"""Languages of the region: Armenian, Georgian, Azerbaijani detected; Cyrillic and Turkish text in
legacy encodings read right; place names in their scripts found; Russian abbreviations kept.

The three articles in tests/fixtures/languages/ were written for these tests (an invented
railway story, the Russian one saved in cp1251).
"""

from __future__ import annotations

import json

import pytest

from newsalign.corpus.errors import InputError
from newsalign.corpus.ingest.decode import decode_bytes
from newsalign.corpus.ingest.segment import split_sentences
from newsalign.translate.errors import TranslateError
from newsalign.translate.langid import LanguageDetector, parse_langs
from tests.helpers import ROOT, fetch

ARTICLES = ROOT / "tests" / "fixtures" / "languages"


@pytest.mark.slow
def test_armenian_georgian_and_cp1251_russian_articles_are_read_and_named(cli, db_path) -> None:
    result = cli("ingest", str(ARTICLES), "--json")
    assert result.exit_code == 0, result.output
    docs = {
        path.rsplit("/", 1)[-1]: (lang, encoding, confidence, text)
        for path, lang, encoding, confidence, text in fetch(
            db_path, "SELECT path, lang, encoding, encoding_confidence, text FROM documents"
        )
    }
    lang, encoding, confidence, text = docs["armenian.txt"]
    assert (lang, encoding, confidence) == ("hy", "utf-8", 1.0)
    assert "Երկուշաբթի օրը Ստեփանակերտ քաղաքում" in text
    lang, encoding, _, text = docs["georgian.txt"]
    assert (lang, encoding) == ("ka", "utf-8") and "ორშაბათს ქალაქ ხანკენდი" in text
    lang, encoding, confidence, text = docs["russian-cp1251.txt"]
    assert (lang, encoding) == ("ru", "cp1251") and confidence >= 0.9
    assert "Председатель комитета Совета Федерации Г. Карасин заявил" in text
    # Sentences split at the Armenian full stop and at Georgian sentence starts, not at "Г." or
    # "т.е.": every sentence has its language.
    sentences = fetch(
        db_path,
        "SELECT d.path, s.lang, s.text FROM segments s JOIN documents d "
        "ON d.id = s.doc_id WHERE s.kind = 'body'",
    )
    by_file: dict[str, list[str]] = {}
    for path, seg_lang, seg_text in sentences:
        by_file.setdefault(path.rsplit("/", 1)[-1], []).append(seg_text)
        assert seg_lang == {"armenian.txt": "hy", "georgian.txt": "ka"}.get(
            path.rsplit("/", 1)[-1], "ru"
        )
    assert len(by_file["armenian.txt"]) == 3 and len(by_file["georgian.txt"]) == 3
    # Georgian has no capitals: its headline is still a title, not page header.
    titles = dict(fetch(db_path, "SELECT source, title FROM documents"))
    assert titles == {
        "armenian": "Ստեփանակերտ քաղաքում նոր կայարան է բացվել",
        "georgian": "ხანკენდი ახალ რკინიგზას იღებს",
        "russian-cp1251": titles["russian-cp1251"],
    }
    assert titles["russian-cp1251"]
    assert by_file["russian-cp1251.txt"][0].endswith("т.е. уже в этом году.")
    # The names in their scripts: the Armenian article says Stepanakert, the others Khankendi.
    uses = json.loads(cli("names", "khankendi", "--json").output)
    names = {(u["source"], u["name"]) for u in uses}
    assert names == {
        ("armenian", "Stepanakert"),
        ("georgian", "Khankendi"),
        ("russian-cp1251", "Khankendi"),
    }
    shown = cli("show", "russian-cp1251.txt").output
    assert "cp1251 (Cyrillic)" in shown and "confidence" in shown


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Prezident İlham Əliyev bu gün Bakıda xarici qonaqları qəbul edib.", "az"),
        ("Cumhurbaşkanı bugün Ankara'da yabancı konukları kabul etti.", "tr"),
        ("Նախագահը այսօր ընդունել է արտասահմանյան հյուրերին։", "hy"),
        ("პრეზიდენტმა დღეს უცხოელი სტუმრები მიიღო.", "ka"),
        ("Президент сегодня принял иностранных гостей в Москве.", "ru"),
        ("Der Präsident empfing heute ausländische Gäste in Berlin.", "de"),
    ],
)
def test_the_regions_languages_are_told_apart(text: str, lang: str) -> None:
    found = LanguageDetector().detect(text)
    assert found is not None and found.lang == lang


@pytest.mark.slow
def test_restricting_languages_still_works_and_knows_the_new_codes() -> None:
    assert parse_langs("az,hy,ka") == ["az", "hy", "ka"]
    with pytest.raises(TranslateError, match="unsupported"):
        parse_langs("xx")
    german_english = LanguageDetector(["de", "en"])
    assert german_english.detect("Die Delegation traf sich am Montag in Baku.").lang == "de"
    # Armenian script is not German or English: unknown, not a guess among the two.
    assert german_english.detect("Նախագահը այսօր ընդունել է հյուրերին։") is None
    # langdetect alone, as first built, calls Armenian something else entirely.
    alone = LanguageDetector(complete=False).detect("Նախագահը այսօր ընդունել է հյուրերին։")
    assert alone is None or alone.lang != "hy"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Россия рассчитывает на поддержку Азербайджана в Ханкенди.", "cp1251"),
        ("Россия рассчитывает на поддержку Азербайджана в Ханкенди.", "koi8_r"),
        ("Україна та Азербайджан підтримують одна одну.", "koi8_u"),
        ("Dışişleri Bakanlığı açıklama yapmadı; görüşme şubatta yapılacak.", "cp1254"),
        ("Grüße aus Baku – „Zitat“ über Bergkarabach.", "cp1252"),
    ],
)
def test_legacy_encodings_are_named_and_read(text: str, encoding: str) -> None:
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.text == text and decoded.encoding == encoding
    assert (
        decoded.confidence >= 0.9
        and encoding.replace("_", "-").upper()[:4] in decoded.warning.upper()
    )


def test_bytes_no_encoding_reads_as_text_are_still_refused() -> None:
    with pytest.raises(InputError, match="undecodable"):
        decode_bytes(b"Caf\x81 \x8d\x8f\x90\x9d " * 20)


def test_russian_abbreviations_and_initials_do_not_end_sentences() -> None:
    text = (
        "Об этом заявил Г. Карасин. В 2024 г. откроют консульство, т.е. скоро. "
        "Речь о десятках тыс. человек."
    )
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Об этом заявил Г. Карасин.",
        "В 2024 г. откроют консульство, т.е. скоро.",
        "Речь о десятках тыс. человек.",
    ]


def test_the_default_glossary_spells_places_in_the_regions_scripts(cli, db_path) -> None:
    assert cli("init").exit_code == 0
    rows = fetch(
        db_path,
        "SELECT n.name, n.usage, s.text, s.lang FROM spellings s JOIN names n "
        "ON n.id = s.name_id JOIN entities e ON e.id = n.entity_id "
        "WHERE e.key = 'khankendi'",
    )
    spelled = {(name, text, lang) for name, _, text, lang in rows}
    assert {
        ("Khankendi", "Ханкенди", "ru"),
        ("Khankendi", "Xankəndi", "az"),
        ("Khankendi", "ხანკენდი", "ka"),
        ("Stepanakert", "Ստեփանակերտ", "hy"),
        ("Stepanakert", "Степанакерт", "ru"),
        ("Khankendi", "Hankendi", ""),
        ("Khankendi", "Chankendi", "de"),
    } <= spelled
    assert {usage for name, usage, _, _ in rows if name == "Stepanakert"} == {"Armenian"}
