import json

from typer.testing import CliRunner

from newsalign.corpus.cli.app import app


def test_stats_json(seeded, cli) -> None:
    result = cli("stats", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["documents"] == 5
    assert {"lang": "de", "documents": 1} in data["by_language"]
    reasons = {row["reason"] for row in data["boilerplate_removed"]}
    assert {"menu", "related-or-footer"} <= reasons
    assert data["characters"]["raw"] > data["characters"]["clean"]


def test_stats_text(seeded, cli) -> None:
    result = cli("stats")
    assert result.exit_code == 0
    assert "5 documents" in result.output and "Boilerplate removed" in result.output


def test_show_by_file_name(seeded, cli) -> None:
    result = cli("show", "002_79167aa4b0d22884.txt")
    assert result.exit_code == 0, result.output
    assert "Russland bittet Aserbaidschan" in result.output
    assert "Siehe auch" not in result.output
    assert "Siehe auch" in cli("show", "002_79167aa4b0d22884.txt", "--boilerplate").output


def test_show_unknown_document(seeded, cli) -> None:
    result = cli("show", "999")
    assert result.exit_code == 1 and "no document matches" in result.output


def test_search_folds_diacritics_and_filters(seeded, cli) -> None:
    result = cli("search", "hacibeyli", "--json")
    hits = json.loads(result.output)
    assert hits and all("Hacıbəyli" in h["text"] for h in hits)
    assert "[Hacıbəyli]" in hits[0]["snippet"]
    assert json.loads(cli("search", "Hacıbəyli", "--json").output) == hits
    german = json.loads(cli("search", "Khankendi", "--lang", "de", "--json").output)
    assert german and {h["lang"] for h in german} == {"de"}
    assert "[Khankendi]" in german[0]["snippet"] and german[0]["title"]


def test_search_quotes_punctuation_and_reports_bad_fts(seeded, cli) -> None:
    assert cli("search", "Khankendi/Stepanakert").exit_code == 0
    assert cli("search", "Nagorno-Karabakh").exit_code == 0
    bad = cli("search", "AND OR (", "--fts")
    assert bad.exit_code == 1 and "invalid search query" in bad.output


def test_query_is_read_only_and_formats(seeded, cli) -> None:
    out = cli("query", "SELECT count(*) AS n FROM documents WHERE lang = 'en'").output
    assert out.splitlines() == ["n", "-", "4"]
    rows = json.loads(cli("query", "SELECT id, lang FROM documents ORDER BY id", "--json").output)
    assert rows[0] == {"id": 1, "lang": "en"}
    assert cli("query", "SELECT id FROM documents", "--csv").output.splitlines()[0] == "id"
    write = cli("query", "DELETE FROM documents")
    assert write.exit_code == 1 and "only reading queries are allowed" in write.output
    assert json.loads(cli("stats", "--json").output)["documents"] == 5


def test_read_commands_need_an_existing_database(cli) -> None:
    result = cli("stats")
    assert result.exit_code == 1
    assert "no newsalign database" in result.output


def test_init_is_idempotent_and_loads_the_default_glossary_once(cli) -> None:
    first = cli("init").output
    assert "Created" in first and "Loaded the default glossary" in first
    second = cli("init").output
    assert "Up to date" in second and "glossary" not in second


def test_help_lists_the_commands() -> None:
    result = CliRunner().invoke(app, ["--help"])
    for command in ("init", "ingest", "stats", "show", "search", "query", "run"):
        assert command in result.output
