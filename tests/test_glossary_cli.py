import json
from pathlib import Path

import pytest

from newsalign.corpus.store.glossary import default_entities
from newsalign.glossary.build_default import build
from newsalign.glossary.check import conflicts
from newsalign.glossary.io import dumps
from tests.helpers import ROOT, SHARED, fetch, seed

# Places, regions and countries named in the seeds, with the entity each must resolve to.
SEED_PLACES = {
    "000": {"Azerbaijan": "azerbaijan", "Karabakh": "karabakh", "Ganja": "ganja",
            "Shamakhi": "shamakhi", "Khankendi": "khankendi", "Baku": "baku", "Yerevan": "yerevan",
            "Armenia": "armenia", "South Caucasus": "south-caucasus", "Russia": "russia"},
    "001": {"Khankendi": "khankendi", "St. Petersburg": "saint-petersburg",
            "Yekaterinburg": "yekaterinburg", "Russian Federation": "russia", "Baku": "baku",
            "Karabakh": "karabakh", "Armenia": "armenia"},
    "002": {"Khankendi": "khankendi", "Stepanakert": "khankendi", "Bergkarabach": "karabakh",
            "Aserbaidschans": "azerbaijan", "Bakus": "baku", "Moskau": "moscow",
            "Russland": "russia"},
    "003": {"Nakhchivan": "nakhchivan", "Zangazur": "zangezur", "Lachin": "lachin",
            "Nagorno-Karabakh": "karabakh", "Caucasus": "caucasus", "Moscow": "moscow",
            "Ukraine": "ukraine", "OSCE Minsk Group": "osce-minsk-group"},
    "004": {"Donetsk": "donetsk", "Luhansk": "luhansk", "Zaporizhzhia": "zaporizhzhia",
            "Kherson": "kherson", "Nagorno-Karabakh": "karabakh", "Turkey": "turkey",
            "Abkhazia": "abkhazia", "South Ossetia": "south-ossetia", "Ukraine": "ukraine"},
}  # fmt: skip


def test_shipped_glossary_is_what_the_builder_makes_from_geonames() -> None:
    shipped = (ROOT / "glossary" / "data" / "default.tsv").read_text(encoding="utf-8")
    assert dumps(build(SHARED / "eval" / "geonames-caucasus"), "tsv") == shipped
    assert "GeoNames (geonames.org)" in shipped.splitlines()[0]
    assert conflicts(default_entities()) == []


def test_every_place_named_in_the_seeds_resolves(seeded) -> None:
    for prefix, places in SEED_PLACES.items():
        found = dict(
            fetch(
                seeded,
                "SELECT m.surface, e.key FROM mentions m JOIN segments s ON s.id = m.segment_id "
                "JOIN documents d ON d.id = s.doc_id JOIN entities e ON e.id = m.entity_id "
                "WHERE d.path LIKE ?",
                (f"%{seed(prefix).name}",),
            )
        )
        for surface, key in places.items():
            assert found.get(surface) == key, (prefix, surface, found.get(surface))


def test_names_shows_each_outlets_choice(seeded, cli) -> None:
    rows = json.loads(cli("names", "Stepanakert", "--json").output)
    outlet = {
        source: Path(path).name[:3]
        for source, path in fetch(seeded, "SELECT source, path FROM documents")
    }
    used = {(outlet[r["source"]], r["name"]): r["mentions"] for r in rows}
    assert used[("001", "Khankendi")] >= 1
    assert ("002", "Khankendi") in used and ("002", "Stepanakert") in used
    assert ("001", "Stepanakert") not in used
    text = cli("names", "karabakh").output
    assert "Nagorno-Karabakh" in text and "Bergkarabach" in text


def test_search_finds_other_names_of_the_same_place_unless_literal(seeded, cli) -> None:
    hits = json.loads(cli("search", "Stepanakert", "--json", "--limit", "50").output)
    literal = [h for h in hits if h["match"] == "text"]
    others = [h for h in hits if h["match"] == "entity"]
    assert literal and all("Stepanakert" in h["text"] for h in literal)
    assert others and all(h["names_used"] == "Khankendi" for h in others)
    assert any(h["source"] == "Aze.Media" for h in others)  # seed 001, named from its page
    only = json.loads(cli("search", "Stepanakert", "--json", "--literal").output)
    assert only == literal[: len(only)] and all(h["match"] == "text" for h in only)


def test_edits_bump_the_version_and_refresh_mentions(seeded, cli) -> None:
    (version,) = fetch(seeded, "SELECT max(version) FROM glossary_versions")[0]
    result = cli("glossary", "add", "klimov", "Aleksey Klimov", "--type", "person")
    assert result.exit_code == 0, result.output
    assert f"Glossary version {version + 1}" in result.output
    assert fetch(
        seeded,
        "SELECT count(*) FROM mentions m JOIN entities e ON e.id = m.entity_id "
        "WHERE e.key = 'klimov'",
    ) == [(1,)]
    assert cli("glossary", "remove", "klimov").exit_code == 0
    assert fetch(seeded, "SELECT count(*) FROM entities WHERE key = 'klimov'") == [(0,)]
    versions = fetch(seeded, "SELECT DISTINCT glossary_version FROM mentions")
    assert versions == [(version + 2,)]


def test_an_edit_keeps_the_rows_and_ids_of_everything_it_did_not_change(seeded, cli) -> None:
    tables = ("entities", "names", "spellings")
    before = {t: set(fetch(seeded, f"SELECT * FROM {t}")) for t in tables}
    result = cli("glossary", "add-spelling", "khankendi", "Khankendi", "Chankändi", "--lang", "de")
    assert result.exit_code == 0, result.output
    after = {t: set(fetch(seeded, f"SELECT * FROM {t}")) for t in tables}
    assert after["entities"] == before["entities"] and after["names"] == before["names"]
    assert before["spellings"] < after["spellings"]
    (added,) = after["spellings"] - before["spellings"]
    assert added[2:4] == ("Chankändi", "de")


def test_conflicting_spelling_is_refused_and_changes_nothing(seeded, cli) -> None:
    before = cli("glossary", "export").output
    result = cli("glossary", "add-spelling", "baku", "Baku", "Stepanakert", "--lang", "en")
    assert result.exit_code == 1
    assert "conflict" in result.output and "khankendi" in result.output
    assert cli("glossary", "export").output == before


@pytest.mark.slow
def test_export_import_into_a_fresh_database_export_is_identical(seeded, cli, tmp_path) -> None:
    from typer.testing import CliRunner

    from newsalign.corpus.cli.app import app

    for fmt in ("tsv", "csv", "json"):
        first = tmp_path / f"glossary.{fmt}"
        assert cli("glossary", "export", "--format", fmt, "-o", str(first)).exit_code == 0
        fresh = tmp_path / f"fresh-{fmt}.db"
        runner = CliRunner()
        assert runner.invoke(app, ["init", "--db", str(fresh)]).exit_code == 0
        imported = runner.invoke(
            app, ["glossary", "import", str(first), "--replace", "--db", str(fresh)]
        )
        assert imported.exit_code == 0, imported.output
        again = runner.invoke(app, ["glossary", "export", "--format", fmt, "--db", str(fresh)])
        assert again.output.encode() == first.read_bytes()


def test_malformed_import_names_the_line_and_imports_nothing(seeded, cli, tmp_path) -> None:
    bad = tmp_path / "bad.tsv"
    good_lines = cli("glossary", "export").output.splitlines()[:4]
    bad.write_text("\n".join([*good_lines, "baku\tplace\ttoo few"]) + "\n", encoding="utf-8")
    before = fetch(seeded, "SELECT max(version) FROM glossary_versions")
    result = cli("glossary", "import", str(bad))
    assert result.exit_code == 1
    assert "line 5" in result.output
    assert fetch(seeded, "SELECT max(version) FROM glossary_versions") == before


def test_list_show_check_set_canonical(seeded, cli) -> None:
    listing = json.loads(cli("glossary", "list", "--json", "--type", "region").output)
    assert {"karabakh", "zangezur"} <= {r["key"] for r in listing}
    shown = cli("glossary", "show", "Xankəndi").output
    assert "Khankendi (canonical): Azerbaijani official" in shown and "Ստեփանակերտ" in shown
    assert cli("glossary", "check").exit_code == 0
    assert cli("glossary", "set-canonical", "khankendi", "Stepanakert").exit_code == 0
    assert "Stepanakert (canonical)" in cli("glossary", "show", "khankendi").output
    assert cli("glossary", "show", "Atlantis").exit_code == 1


def test_seed_002_title_names_the_city_both_ways(seeded) -> None:
    rows = fetch(
        seeded,
        "SELECT n.name, m.surface FROM mentions m JOIN segments s ON s.id = m.segment_id "
        "JOIN documents d ON d.id = s.doc_id JOIN names n ON n.id = m.name_id "
        "JOIN entities e ON e.id = m.entity_id "
        "WHERE d.path LIKE ? AND s.kind = 'title' AND e.key = 'khankendi' ORDER BY m.start",
        (f"%{seed('002').name}",),
    )
    assert rows == [("Khankendi", "Khankendi"), ("Stepanakert", "Stepanakert")]
