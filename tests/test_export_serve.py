"""Exports (claims, TMX, corpus), the Datasette metadata and queries, and a real browser."""

import csv
import html
import io
import json
import re
import sqlite3
import subprocess
import xml.etree.ElementTree as ET

import pytest

from newsalign.corpus.publish.serve import metadata
from newsalign.corpus.store.canned import CLAIMS, NAMING_STANCE, REVIEW, UNTRANSLATED
from tests.helpers import CHROMIUM, EXAMPLES, SEEDS, Served, headless

# Real engines, servers, processes or clusters: the slow tier (make test-fast leaves it out).
pytestmark = pytest.mark.slow

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def aligned(corpus_copy):
    """The examples and the seeds aligned with the real engines (built once a session)."""
    steps = [["ingest", str(EXAMPLES), str(SEEDS)], ["align"]]
    return corpus_copy("examples-and-seeds", lambda _: steps)


def test_export_claims_jsonl_and_csv(aligned, cli) -> None:
    records = [json.loads(line) for line in cli("export", "claims").output.splitlines()]
    assert records and all(r["sources"] >= 2 and len(r["members"]) >= 2 for r in records)
    member = records[0]["members"][0]
    assert {"outlet", "language", "original", "english", "names", "repeat_of"} <= set(member)
    rows = list(csv.DictReader(io.StringIO(cli("export", "claims", "--format", "csv").output)))
    assert len(rows) == sum(len(r["members"]) for r in records)
    assert any("Stepanakert (Stepanakert)" in row["names"] for row in rows)


def test_export_tmx_is_valid_and_round_trips(aligned, cli, tmp_path) -> None:
    path = tmp_path / "pairs.tmx"
    result = cli("export", "tmx", "-o", str(path))
    assert result.exit_code == 0, result.output
    root = ET.parse(path).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    for attribute in (
        "creationtool",
        "creationtoolversion",
        "segtype",
        "o-tmf",
        "adminlang",
        "srclang",
        "datatype",
    ):
        assert header.get(attribute), attribute
    units = root.find("body").findall("tu")
    assert units
    for tu in units:
        assert [tuv.get(XML_LANG) for tuv in tu.findall("tuv")] == ["de", "en"]
        assert all(tuv.find("seg").text for tuv in tu.findall("tuv"))
    other = tmp_path / "other.db"
    from typer.testing import CliRunner

    from newsalign.corpus.cli.app import app

    imported = CliRunner().invoke(app, ["tm", "import", str(path), "--db", str(other)])
    assert imported.exit_code == 0, imported.output
    conn = sqlite3.connect(other)
    assert conn.execute(
        "SELECT count(*) FROM tm WHERE source_lang = 'de' AND target_lang = 'en'"
    ).fetchone()[0] == len(units)
    conn.close()


def test_export_corpus_jsonl(aligned, cli, tmp_path) -> None:
    path = tmp_path / "corpus.jsonl"
    assert cli("export", "corpus", "-o", str(path)).exit_code == 0
    documents = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(documents) == 7
    german = next(d for d in documents if d["lang"] == "de" and "002_" in d["path"])
    title = next(s for s in german["segments"] if s["kind"] == "title")
    assert {m["name"] for m in title["mentions"]} >= {"Khankendi", "Stepanakert"}
    assert any(s["kind"] == "boilerplate" for s in german["segments"])


def test_canned_queries_run_and_pair_the_languages(aligned) -> None:
    conn = sqlite3.connect(aligned)
    rows = conn.execute(CLAIMS, {"story": "", "claim": ""}).fetchall()
    languages: dict[int, set[str]] = {}
    for row in rows:
        languages.setdefault(row[0], set()).add(row[5])
    assert any(langs == {"de", "en"} for langs in languages.values())
    one = rows[0][0]
    assert {r[0] for r in conn.execute(CLAIMS, {"story": "", "claim": str(one)})} == {one}
    stance = conn.execute(NAMING_STANCE).fetchall()
    assert any(row[2] == "Stepanakert" for row in stance)
    assert conn.execute(UNTRANSLATED).fetchall()  # no model: the German is untranslated
    conn.execute(REVIEW).fetchall()
    conn.close()
    meta = metadata("corpus")
    assert "GeoNames" in json.dumps(meta)
    queries = meta["databases"]["corpus"]["queries"]
    assert {
        "claim_members",
        "timeline",
        "search",
        "naming_stance",
        "review",
        "corrections",
        "documents_list",
        "untranslated",
    } == set(queries)
    assert all(q["hide_sql"] for q in queries.values())


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_browser_shows_karasins_announcement_as_one_claim(cli, db_path, tmp_path) -> None:
    assert cli("ingest", str(SEEDS)).exit_code == 0
    assert cli("align").exit_code == 0
    with Served(db_path) as server:
        page = subprocess.run(
            headless(
                tmp_path / "chromium",
                "--disable-quic",
                "--dump-dom",
                f"{server.base}/{db_path.stem}/claim_members?story=&claim=&_size=max",
            ),
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    rows = [html.unescape(row) for row in page.split("<tr")[1:]]
    assert rows, page[:500]
    claims: dict[str, str] = {}
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if cells:
            claims[cells[0]] = claims.get(cells[0], "") + row
    assert any(
        "Am 27. Mai kündigte Grigorij Karasin" in text and "Grigory Karasin, announced" in text
        for text in claims.values()
    )
