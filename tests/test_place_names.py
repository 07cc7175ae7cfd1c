"""Place names in every language the tool reads (issue 29): the default glossary's forms from
GeoNames, CLDR (through Babel) and hand-written knowledge, their case endings, a case form as a
query, and spellings of the corpus suggested for the glossary. The sentences are invented."""

from __future__ import annotations

import json

import pytest

from newsalign.corpus.store.glossary import default_entities
from newsalign.glossary.edit import find_entity
from newsalign.glossary.match import Matcher, Term
from newsalign.glossary.model import Entity, Name, Spelling
from newsalign.glossary.suggest import corpus_words, suggest


@pytest.fixture(scope="module")
def entities() -> list[Entity]:
    return default_entities()


def _matcher(entities: list[Entity]) -> Matcher:
    return Matcher(
        Term(s.text, k, j, 0, s.lang)
        for k, e in enumerate(entities)
        for j, n in enumerate(e.names)
        for s in n.spellings
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("La tregua en Alto Karabaj sigue vigente.", "karabakh"),
        ("Las tropas salieron de Nagorno Karabaj.", "karabakh"),
        ("El acuerdo menciona el Karabaj.", "karabakh"),
        ("La reunión tuvo lugar en Bakú y luego en Moscú.", "baku"),
        ("La delegación llegó a Ereván.", "yerevan"),
        ("Консульство откроется в Ханкянди.", "khankendi"),
        ("Он жил в Степанакерте.", "khankendi"),
        ("Війська залишили у Карабасі техніку.", "karabakh"),
        ("Nümayəndə heyəti Xankəndidə oldu.", "khankendi"),
        ("Toplantı Bakü'de yapıldı.", "baku"),
        ("Dağlık Karabağ'da durum sakin.", "karabakh"),
        ("Պատվիրակությունը Երևանում էր։", "yerevan"),
        ("დელეგაცია თბილისში ჩავიდა.", "tbilisi"),
        ("შეხვედრა ბაქოში გაიმართა.", "baku"),
        ("La délégation est arrivée au Haut-Karabakh.", "karabakh"),
        ("De delegatie reisde naar Bakoe.", "baku"),
        ("Delegationen rejste til Moskva.", "moscow"),
        ("Die afvaardiging het na Moskou gereis.", "moscow"),
        ("Das Kloster Dadiwank liegt im Bezirk Kelbadschar.", "dadivank"),
        ("Police now guard the Khudavang monastery.", "dadivank"),
        ("Die Zukunft Bergkarabachs ist offen.", "karabakh"),
        ("Ruslands ambassade reageerde niet.", "russia"),
    ],
)
def test_the_default_glossary_names_the_region_in_every_language_read(entities, text, key):
    found = _matcher(entities).find(text)
    assert found, text
    assert entities[found[0].term.entity_id].key == key


@pytest.mark.parametrize(
    ("key", "langs"),
    [
        ("azerbaijan", "en de ru es az hy ka uk tr fr nl da af"),
        ("armenia", "en de ru es az hy ka uk tr fr nl da af"),
        ("russia", "en de ru es az hy ka uk tr fr nl da af"),
        ("baku", "en de ru es az hy ka uk tr fr nl da af"),
        ("moscow", "en de ru es az hy ka uk tr fr nl da af"),
        ("karabakh", "en de ru es az hy ka uk tr fr nl da"),
        ("khankendi", "en de ru es az hy ka uk"),  # Turkish: Hankendi, of any language
    ],
)
def test_the_region_s_main_places_have_a_spelling_in_each_language(entities, key, langs):
    entity = next(e for e in entities if e.key == key)
    have = {s.lang for n in entity.names for s in n.spellings}
    assert set(langs.split()) <= have


def test_a_case_form_finds_its_place(entities, cli, db_path) -> None:
    assert find_entity(entities, "Степанакерте").key == "khankendi"
    assert find_entity(entities, "Xankəndidə").key == "khankendi"
    assert find_entity(entities, "Bergkarabachs").key == "karabakh"
    with pytest.raises(Exception, match="no entity"):
        find_entity(entities, "Степанакертовский")
    assert cli("init").exit_code == 0
    result = cli("names", "Степанакерте")
    assert result.exit_code == 0 and "No mentions" in result.output


def _entity(key: str, *spellings: str) -> Entity:
    return Entity(
        key,
        "place",
        key,
        names=(
            Name(
                key.title(),
                "",
                True,
                spellings=tuple(
                    Spelling(text.partition("@")[0], text.partition("@")[2]) for text in spellings
                ),
            ),
        ),
    )


def test_spellings_that_look_like_a_known_name_are_suggested() -> None:
    entities = [
        _entity("gyumri", "Gyumri@en", "Gjumri@de", "Гюмри@ru"),
        _entity("armenia", "Armenia@en", "Armenien@de", "Армения@ru"),
    ]
    texts = [
        ("Der Zug fährt nach Gjumrі und Giumri.", "de"),
        ("Поезд идёт в Гюмрі.", "uk"),
        ("The Armenians of Giumri welcomed Armenian trains to Giumri.", "en"),
        ("Поезд идёт в Гьюмри, сказал Армянский посол.", "ru"),
    ]
    words = corpus_words(
        texts,
        Matcher(
            Term(s.text, k, 0, 0, s.lang)
            for k, e in enumerate(entities)
            for n in e.names
            for s in n.spellings
        ),
    )
    found = {s.spelling: s for s in suggest(words, entities)}
    assert found["Giumri"].entity == "gyumri" and found["Giumri"].count == 3
    assert found["Гьюмри"].entity == "gyumri"
    assert "Armenians" not in found and "Armenian" not in found and "Армянский" not in found
    assert (
        found["Giumri"].command == "newsalign glossary add-spelling gyumri Gyumri Giumri --lang en"
    )


@pytest.mark.slow
def test_names_suggest_lists_spellings_with_the_command_that_adds_them(cli, db_path, tmp_path):
    page = tmp_path / "train.txt"
    page.write_text(
        "New trains for Gyumri\n\nThe first train from Chodschaly and Giumri arrived "
        "in Yerevan on Monday, the railway said.\n",
        encoding="utf-8",
    )
    assert cli("ingest", str(page)).exit_code == 0
    result = cli("names", "--suggest", "--json")
    assert result.exit_code == 0
    rows = {r["spelling"]: r for r in json.loads(result.output)}
    assert rows["Giumri"]["entity"] == "gyumri" and rows["Chodschaly"]["entity"] == "khojaly"
    assert "Yerevan" not in rows and "Gyumri" not in rows  # known spellings are not suggested
    add = rows["Giumri"]["command"].split()[1:]
    assert cli(*add).exit_code == 0
    again = {r["spelling"] for r in json.loads(cli("names", "--suggest", "--json").output)}
    assert "Giumri" not in again
    assert "Giumri" in cli("names", "gyumri").output
