"""Search: other names inside a longer query, outlets in any case, and saying what is cut."""

import json

import pytest


def _ingest(cli, tmp_path, name: str, source: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = cli("ingest", str(path), "--source", source)
    assert result.exit_code == 0, result.output


def _corpus(cli, tmp_path) -> None:
    _ingest(
        cli,
        tmp_path,
        "a.txt",
        "Alpha Wire",
        "Consulate plan\n\nRussia will open a consulate in Khankendi this year, the envoy "
        "said on Monday.\n\nThe consulate in Khankendi will be the second one.\n",
    )
    _ingest(
        cli,
        tmp_path,
        "b.txt",
        "Beta News",
        "Mission in Stepanakert\n\nA consulate in Stepanakert is planned, the envoy said "
        "in a meeting.\n\nStepanakert residents left last year.\n",
    )


@pytest.mark.slow
def test_other_names_of_a_place_inside_a_longer_query(cli, tmp_path) -> None:
    _corpus(cli, tmp_path)
    hits = json.loads(cli("search", "consulate Stepanakert", "--json").output)
    entity = [h for h in hits if h["match"] == "entity"]
    assert len(hits) == 3 and len(entity) == 2
    assert all("Khankendi" in h["text"] and "consulate" in h["text"] for h in entity)
    # the other word still counts: a segment naming the place without it is not a hit
    assert not any("residents" in h["text"] for h in hits)
    literal = json.loads(cli("search", "consulate Stepanakert", "--json", "--literal").output)
    assert len(literal) == 1


@pytest.mark.slow
def test_source_in_any_case_or_part_of_the_name(cli, tmp_path) -> None:
    _corpus(cli, tmp_path)
    for source in ("alpha wire", "ALPHA", "Alpha Wire"):
        hits = json.loads(cli("search", "envoy", "--source", source, "--json").output)
        assert [h["source"] for h in hits] == ["Alpha Wire"], source
    result = cli("search", "envoy", "--source", "gamma")
    assert result.exit_code == 1 and "no outlet matching 'gamma'" in result.output


@pytest.mark.slow
def test_search_says_when_the_limit_cuts_hits(cli, tmp_path) -> None:
    _corpus(cli, tmp_path)
    total = len(json.loads(cli("search", "consulate", "--json", "--limit", "100").output))
    assert total >= 3
    out = cli("search", "consulate", "--limit", "1").output
    assert f"1 of {total} shown; --limit {total} shows all." in out
    assert "shown" not in cli("search", "consulate", "--limit", str(total)).output
