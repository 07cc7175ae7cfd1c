"""The naming stance counts every outlet's case forms and never a demonym."""

import json

import pytest

from tests.helpers import SHARED

CONSULATE = SHARED / "stories" / "consulate"
RUSSIAN = ("01_tass-ru.txt", "02_eadaily-ru.txt", "06_rusarminfo-ru.txt", "13_caucasianknot-ru.txt")


@pytest.mark.slow
def test_russian_case_forms_and_no_demonyms(cli, tmp_path) -> None:
    ru = tmp_path / "ru.txt"
    ru.write_text(
        "Консульство в Степанакерте\n\nДипломаты прибыли в Карабахе и уехали из Карабаха. "
        "Армянский посол говорил о Шуше, а азербайджанский — о Ханкенди.\n",
        encoding="utf-8",
    )
    en = tmp_path / "en.txt"
    en.write_text(
        "Armenians protest\n\nArmenian and Azerbaijani officials met in Armenia. "
        "La comunidad armenia also spoke.\n",
        encoding="utf-8",
    )
    assert cli("ingest", str(ru), "--source", "Ru").exit_code == 0
    assert cli("ingest", str(en), "--source", "En").exit_code == 0
    karabakh = json.loads(cli("names", "karabakh", "--json").output)
    assert [(r["source"], r["mentions"]) for r in karabakh] == [("Ru", 2)]
    assert set(karabakh[0]["surfaces"].split(",")) == {"Карабахе", "Карабаха"}
    khankendi = json.loads(cli("names", "khankendi", "--json").output)
    assert {(r["name"], r["surfaces"]) for r in khankendi} == {
        ("Stepanakert", "Степанакерте"),
        ("Khankendi", "Ханкенди"),
    }
    armenia = json.loads(cli("names", "armenia", "--json").output)
    assert [(r["source"], r["surfaces"]) for r in armenia] == [("En", "Armenia")]
    assert json.loads(cli("names", "azerbaijan", "--json").output) == []


def test_consulate_russian_outlets_are_counted(cli) -> None:
    paths = [str(CONSULATE / name) for name in RUSSIAN]
    result = cli("ingest", "--manifest", str(CONSULATE / "index.tsv"), *paths)
    assert result.exit_code == 0, result.output
    rows = json.loads(cli("names", "karabakh", "--json").output)
    assert sum(r["mentions"] for r in rows) >= 8
    assert {r["source"] for r in rows} >= {"EADaily", "RUSARMINFO"}
    surfaces = {s for r in rows for s in r["surfaces"].split(",")}
    assert "Карабахе" in surfaces and "Нагорном Карабахе" in surfaces
