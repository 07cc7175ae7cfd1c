"""Alignment per story (corpus/align/job/planning.py): an `align` after an earlier one aligns
again only the stories that changed; the others keep their rows byte for byte."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import fetch
from tests.test_analyst import ARTICLES, MANIFEST

# Bag-of-words vectors score these sentences low: a low threshold makes claims of them.
FAKE = (
    "--embedder",
    "tests.fakes:HashEmbedder",
    "--second-embedder",
    "none",
    "--threshold",
    "0.25",
)

FLOOD = {
    "flood1.txt": """River floods the old town of Tbilisi
Heavy rain made the Kura river flood the old town of Tbilisi on Sunday night, rescuers said.
Rescuers evacuated 300 residents from flooded houses near the river bank.
Farmers in the valley lost most of their wheat harvest to the water.
Schools will stay closed until Wednesday, the education ministry announced.
""",
    "flood2.txt": """Tbilisi old town under water after heavy rain
The Kura river flooded the old town of Tbilisi on Sunday night after heavy rain, rescuers said.
Rescuers evacuated 280 residents from flooded houses near the river bank.
The national bank promised cheap loans to repair damaged shops and cafes.
Tourists were asked to avoid the capital until the weekend.
""",
    "flood3.txt": """Kura river flood forces evacuations
Heavy rain flooded the old town of Tbilisi on Sunday night, the rescuers said.
Three hundred residents were evacuated from flooded houses near the river bank.
An opposition deputy blamed the city hall for years of neglected drains.
""",
}
FLOOD_MANIFEST = (
    "file\turl\toutlet\tlanguage\tdate\n"
    "flood1.txt\t\tDelta Post\ten\t2024-03-03\n"
    "flood2.txt\t\tEpsilon Times\ten\t2024-03-03\n"
    "flood3.txt\t\tZeta Radio\ten\t2024-03-04\n"
)
# A wire copy of the consulate story, a day later.
LATE = """Russia to open consulate in Khankendi, senator says
Russia plans to open a consulate general in Khankendi this year, senator Grigory Karasin said on Monday.
The consulate would employ 12 diplomats, he added.
Azerbaijan's foreign ministry declined to comment on the plan.
Observers expect talks with Baku to take months.
"""
OTHER = """Chess champion wins the final in Madrid
The chess champion won the final game in Madrid after seven hours of play, organisers said.
The organisers praised the quiet audience and the long endgame of the champion.
"""
TABLES = {
    "stories": "SELECT * FROM stories WHERE id = :story",
    "story_documents": "SELECT * FROM story_documents WHERE story_id = :story ORDER BY doc_id",
    "clusters": "SELECT * FROM clusters WHERE story_id = :story ORDER BY id",
    "cluster_members": "SELECT m.* FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id "
    "WHERE c.story_id = :story ORDER BY m.cluster_id, m.segment_id",
    "alignments": "SELECT a.* FROM alignments a JOIN claims c ON c.segment_id = a.a_segment_id "
    "JOIN story_documents sd ON sd.doc_id = c.doc_id WHERE sd.story_id = :story ORDER BY a.id",
    "claims": "SELECT c.* FROM claims c JOIN story_documents sd ON sd.doc_id = c.doc_id "
    "WHERE sd.story_id = :story ORDER BY c.segment_id",
}


def _write(folder: Path, articles: dict[str, str], manifest: str) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "index.tsv").write_text(manifest, encoding="utf-8")
    return folder / "index.tsv"


def two_stories_in(folder: Path) -> list[list[str]]:
    """The consulate story and a flood story written into `folder`, ingested with their
    manifests and aligned once (a full run, fake embedder)."""
    return [
        ["ingest", "--manifest", str(_write(folder / name, articles, manifest))]
        for name, articles, manifest in (
            ("consulate", ARTICLES, MANIFEST),
            ("flood", FLOOD, FLOOD_MANIFEST),
        )
    ] + [["align", *FAKE]]


@pytest.fixture
def two_stories(corpus_copy) -> Path:
    """This test's copy of the two stories (built once a session)."""
    return corpus_copy("two-stories", two_stories_in)


def story_of(db: Path, outlet: str) -> int:
    (row,) = fetch(
        db,
        "SELECT sd.story_id FROM story_documents sd JOIN current_documents d "
        "ON d.id = sd.doc_id WHERE d.source = ?",
        [outlet],
    )
    return row[0]


def snapshot(db: Path, story: int) -> dict[str, list[tuple]]:
    return {name: fetch(db, sql, {"story": story}) for name, sql in TABLES.items()}


def grouping(db: Path) -> list[list[str]]:
    groups: dict[int, list[str]] = {}
    for story, outlet in fetch(
        db,
        "SELECT sd.story_id, d.source FROM story_documents sd JOIN documents d ON d.id = sd.doc_id",
    ):
        groups.setdefault(story, []).append(outlet)
    return sorted(sorted(g) for g in groups.values())


def late(tmp_path: Path, name: str, text: str, outlet: str, date: str) -> Path:
    folder = tmp_path / name
    return _write(
        folder,
        {f"{name}.txt": text},
        f"file\turl\toutlet\tlanguage\tdate\n{name}.txt\t\t{outlet}\ten\t{date}\n",
    )


@pytest.mark.slow
def test_a_new_document_joins_its_story_and_only_that_story_is_aligned_again(
    two_stories, cli, tmp_path
) -> None:
    db = two_stories
    consulate, flood = story_of(db, "Alpha Wire"), story_of(db, "Delta Post")
    assert consulate != flood
    before_flood, before_consulate = snapshot(db, flood), snapshot(db, consulate)
    assert before_flood["clusters"] and before_flood["alignments"]
    result = cli(
        "ingest", "--manifest", str(late(tmp_path, "late", LATE, "Eta Wire", "2024-05-29"))
    )
    assert result.exit_code == 0, result.output
    result = cli("align", *FAKE, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["realigned"] == 1 and report["kept"] == 1
    # The new article is in the consulate story, which keeps its id; the flood story's rows
    # (ids, run, scores, links) are untouched.
    assert story_of(db, "Eta Wire") == consulate
    assert snapshot(db, flood) == before_flood
    after = snapshot(db, consulate)
    assert after != before_consulate
    (run_id,) = fetch(db, "SELECT max(id) FROM runs WHERE command = 'align'")[0]
    assert {row[1] for row in after["clusters"]} == {run_id}
    assert {row[1] for row in before_flood["clusters"]} != {run_id}
    # The same grouping as a full run of the same corpus.
    incremental = grouping(db)
    assert cli("align", *FAKE, "--full").exit_code == 0
    assert grouping(db) == incremental
    assert ["Alpha Wire", "Beta News", "Eta Wire", "Gamma Daily"] in incremental


def test_an_unrelated_document_opens_a_story_and_a_second_run_does_nothing(
    two_stories, cli, tmp_path
) -> None:
    db = two_stories
    before = {s: snapshot(db, s) for s in (story_of(db, "Alpha Wire"), story_of(db, "Delta Post"))}
    path = late(tmp_path, "chess", OTHER, "Theta Sport", "2024-05-28")
    assert cli("ingest", "--manifest", str(path)).exit_code == 0
    result = cli("align", *FAKE)
    assert result.exit_code == 0, result.output
    assert "Aligned per story: 1 story changed and aligned again, 2 kept" in result.output
    chess = story_of(db, "Theta Sport")
    assert chess not in before
    assert all(snapshot(db, s) == rows for s, rows in before.items())
    assert cli("align", *FAKE).output.startswith("Nothing changed")


def test_a_document_removed_leaves_its_story(two_stories, cli, tmp_path) -> None:
    db = two_stories
    consulate, flood = story_of(db, "Alpha Wire"), story_of(db, "Delta Post")
    before_flood = snapshot(db, flood)
    gamma = fetch(db, "SELECT id FROM documents WHERE source = 'Gamma Daily'")[0][0]
    gamma_claims = fetch(db, "SELECT count(*) FROM claims WHERE doc_id = ?", [gamma])[0][0]
    assert gamma_claims
    # A document stops being current (what a new version or a removal does to the old one).
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE documents SET is_current = 0 WHERE id = ?", [gamma])
    result = cli("align", *FAKE, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["realigned"] == 1
    assert fetch(db, "SELECT count(*) FROM story_documents WHERE doc_id = ?", [gamma]) == [(0,)]
    assert fetch(db, "SELECT count(*) FROM claims WHERE doc_id = ?", [gamma]) == [(0,)]
    assert story_of(db, "Alpha Wire") == consulate
    assert snapshot(db, flood) == before_flood


def test_a_decision_aligns_only_its_story_again(two_stories, cli) -> None:
    db = two_stories
    consulate, flood = story_of(db, "Alpha Wire"), story_of(db, "Delta Post")
    before_flood = snapshot(db, flood)
    (claim, a, b) = fetch(
        db,
        "SELECT c.id, min(m.segment_id), max(m.segment_id) FROM clusters c "
        "JOIN cluster_members m ON m.cluster_id = c.id WHERE c.story_id = ? "
        "AND c.size >= 2 GROUP BY c.id ORDER BY c.id LIMIT 1",
        [consulate],
    )[0]
    result = cli("claims", "reject", str(a), str(b), "--json")
    assert result.exit_code == 0, result.output
    aligned = json.loads(result.output)["aligned"]
    assert aligned["realigned"] == 1 and aligned["kept"] == 1
    assert snapshot(db, flood) == before_flood
    together = fetch(
        db,
        "SELECT count(*) FROM cluster_members x JOIN cluster_members y ON "
        "x.cluster_id = y.cluster_id WHERE x.segment_id = ? AND y.segment_id = ?",
        [a, b],
    )
    assert together == [(0,)]


def test_full_aligns_everything_again_and_settings_do_too(two_stories, cli) -> None:
    db = two_stories
    groups = grouping(db)
    result = cli("align", *FAKE, "--full", "--json")
    assert result.exit_code == 0 and json.loads(result.output)["realigned"] is None
    (run_id,) = fetch(db, "SELECT max(id) FROM runs WHERE command = 'align'")[0]
    assert fetch(db, "SELECT DISTINCT run_id FROM clusters") == [(run_id,)]
    assert grouping(db) == groups
    # Another threshold changes every story's inputs: a full run, not a per-story one.
    result = cli("align", *FAKE[:-1], "0.3", "--json")
    assert result.exit_code == 0 and json.loads(result.output)["realigned"] is None


KILL = """
import os, sys
from newsalign.corpus.align.job import planning, run, setup
from newsalign.corpus.store import claims as claims_db, open_db
from tests.fakes import HashEmbedder

real = claims_db.insert_rows
planning.CHUNK_DOCS = 1  # a story a chunk: the run dies with some written and some not
written = []

def insert_then_die(*args, **kwargs):
    real(*args, **kwargs)  # old rows deleted, this chunk's written, nothing committed
    written.append(1)
    if len(written) == int(sys.argv[3]):
        os._exit(9)

claims_db.insert_rows = insert_then_die
db = open_db(sys.argv[1])
run.run_alignment(db, setup.last_settings(db), embedders={"e5": HashEmbedder()},
                  full=sys.argv[2] == "full")
"""


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["incremental", "full"])
def test_a_run_killed_mid_write_leaves_the_database_as_it_was(
    two_stories, cli, tmp_path, mode
) -> None:
    db = two_stories
    stories = [s for (s,) in fetch(db, "SELECT id FROM stories ORDER BY id")]
    before = {s: snapshot(db, s) for s in stories}
    path = late(tmp_path, "late", LATE, "Eta Wire", "2024-05-29")
    assert cli("ingest", "--manifest", str(path)).exit_code == 0
    runs = fetch(db, "SELECT id, status FROM runs")
    marks = fetch(db, "SELECT * FROM id_marks ORDER BY name")
    # An incremental run aligns the one story the new document joined; a full run every story.
    die_after = "1" if mode == "incremental" else "2"
    child = subprocess.run(
        [sys.executable, "-c", KILL, str(db), mode, die_after],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert child.returncode == 9, child.stderr
    assert {s: snapshot(db, s) for s in stories} == before
    assert fetch(db, "SELECT id, status FROM runs") == runs
    assert fetch(db, "SELECT * FROM id_marks ORDER BY name") == marks


def test_a_must_decision_across_two_stories_joins_them_as_a_full_run_does(two_stories, cli):
    db = two_stories
    (a,) = fetch(
        db,
        "SELECT s.id FROM text_segments s WHERE s.source = 'Alpha Wire' "
        "AND s.kind = 'body' ORDER BY s.id LIMIT 1",
    )[0]
    (b,) = fetch(
        db,
        "SELECT s.id FROM text_segments s WHERE s.source = 'Delta Post' "
        "AND s.kind = 'body' ORDER BY s.id LIMIT 1",
    )[0]
    result = cli("claims", "accept", str(a), str(b), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["aligned"]["realigned"] == 1
    assert story_of(db, "Alpha Wire") == story_of(db, "Delta Post")
    joined = grouping(db)
    assert len(joined) == 1
    assert cli("align", *FAKE, "--full").exit_code == 0
    assert grouping(db) == joined


def _everything(db: Path) -> dict[str, list[tuple]]:
    """Every alignment row, without the run that wrote it and when."""
    return {
        "stories": fetch(
            db,
            "SELECT id, label, documents, sources, languages, first_published, "
            "last_published FROM stories ORDER BY id",
        ),
        "story_documents": fetch(db, "SELECT * FROM story_documents ORDER BY doc_id"),
        "clusters": fetch(
            db, "SELECT id, size, sources, languages, score, story_id FROM clusters ORDER BY id"
        ),
        "cluster_members": fetch(
            db, "SELECT * FROM cluster_members ORDER BY cluster_id, segment_id"
        ),
        "alignments": fetch(
            db,
            "SELECT a_segment_id, b_segment_id, score, cosine, accepted, "
            "cluster_id, evidence FROM alignments ORDER BY a_segment_id, b_segment_id",
        ),
        "claims": fetch(
            db,
            "SELECT segment_id, doc_id, english, entities, facts, headline "
            "FROM claims ORDER BY segment_id",
        ),
    }


def test_a_full_run_in_chunks_of_one_story_stores_what_one_chunk_stores(
    two_stories, cli, monkeypatch
) -> None:
    from newsalign.corpus.align.job import planning

    db = two_stories
    assert cli("align", *FAKE, "--full").exit_code == 0
    whole = _everything(db)
    assert len(whole["stories"]) >= 2 and whole["cluster_members"]
    monkeypatch.setattr(planning, "CHUNK_DOCS", 1)
    assert len(planning.chunks([[1, 2], [3], [4]])) == 3
    assert cli("align", *FAKE, "--full").exit_code == 0
    assert _everything(db) == whole


def test_grouping_in_place_and_by_component_is_the_plain_grouping() -> None:
    """grouping.group as a full align runs it (the matrix centred in place, each component of
    pairs at the threshold grouped alone) gives the groups of the plain run, on 400 documents
    of 40 synthetic events (above ALL_PAIRS_UP_TO, so candidates are nearest leads)."""
    import numpy as np

    from newsalign.corpus.align import grouping
    from newsalign.corpus.align.model import shipped

    rng = np.random.default_rng(7)
    topics = rng.normal(size=(40, 64))
    docs, rows = [], []
    for k in range(400):
        event = k % 40
        start = len(rows)
        for _ in range(5):
            rows.append(topics[event] + rng.normal(scale=1.2, size=64))
        docs.append(
            grouping.Doc(
                k,
                tuple(range(start, start + 5)),
                "en" if k % 3 else "de",
                f"2024-03-{1 + event % 28:02d}",
                (f"Report {k} on Event{event}",),
            )
        )
    vectors = np.array(rows, dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    model = shipped("stories")
    plain = grouping.group(docs, vectors.copy(), model)
    assert 5 <= len(plain) < 400  # events found, not every document alone
    lean = grouping.group(docs, vectors, model, consume=True)
    assert lean == plain


def test_review_asks_about_a_stored_story_with_its_documents_only(two_stories, cli, monkeypatch):
    """`review --story N` reads that story's claims as stored (not the corpus, not a regrouping
    of it): the stories an incremental align placed are the ones asked about."""
    from newsalign.corpus.review import claims

    db = two_stories
    story = story_of(db, "Delta Post")  # the flood story
    docs = sorted(
        d for (d,) in fetch(db, "SELECT doc_id FROM story_documents WHERE story_id = ?", [story])
    )
    seen = []
    real = claims.prepare

    def spy(db_, embedders, embedding, docs=None, claimed=()):
        seen.append(docs)
        return real(db_, embedders, embedding, docs, claimed)

    monkeypatch.setattr(claims, "prepare", spy)
    result = cli("review", "--json", "--limit", "20", "--story", str(story))
    assert result.exit_code == 0, result.output
    assert seen == [docs]
    asked = json.loads(result.output)
    doc_of = dict(fetch(db, "SELECT id, doc_id FROM segments"))
    shown = [s["id"] for q in asked for s in q["sentences"]]
    assert asked and {doc_of[x] for x in shown} <= set(docs)


# Two stories of one country's week: a flood in Tbilisi (six outlets) and an election in Kutaisi
# (22 outlets, eight of which also tell of the flood in two sentences); all mention the
# government. A new document's nearest stored documents then include the election articles
# most like the flood ones, and judged through those few the two stories look like one.
FLOOD_CORE = (
    "Heavy rain made the Kura river flood the old town of Tbilisi on Sunday night, rescuers said.",
    "Rescuers evacuated {n} residents from flooded houses near the river bank.",
    "Water levels in the Kura rose by {n} centimetres within a few hours.",
    "The mayor of Tbilisi asked residents to stay away from the embankment.",
    "Several cars were swept away by the water in the Sololaki district.",
    "Schools in the old town will stay closed until Wednesday, the ministry announced.",
    "Volunteers filled sandbags along the river promenade through the night.",
    "The weather service expects more rain over the Caucasus this week.",
)
ELECTION_CORE = (
    "The Georgian Dream party won the local election in Kutaisi with {n} percent of the vote.",
    "Turnout in Kutaisi reached {n} percent, the election commission said.",
    "Observers from the OSCE reported minor irregularities at several polling stations.",
    "The opposition United National Movement refused to recognise the result in Kutaisi.",
    "Coalition talks in the Kutaisi city council will start next week.",
    "The new mayor of Kutaisi promised to repair roads and schools.",
    "Protesters gathered in front of the election commission in Kutaisi on Monday.",
    "Counting of the ballots in Kutaisi finished late on Sunday night.",
)
GOVERNMENT = (
    "Prime minister Irakli Kobakhidze said the government in Tbilisi would help.",
    "The Georgian Government met in Tbilisi on Monday to discuss the situation.",
    "President Salome Zourabichvili called for calm in a televised address.",
)


def _week_story(folder: Path, core, other, count: int, bridging: int, rng) -> Path:
    """`count` articles of five sentences from `core` (the last `bridging` with two from
    `other`) and one of GOVERNMENT, with a manifest."""
    folder.mkdir()
    rows = ["file\turl\toutlet\tlanguage\tdate"]
    for k in range(count):
        borrowed = 2 if k >= count - bridging else 0
        chosen = rng.sample(core, 4 - borrowed) + rng.sample(other, borrowed)
        chosen = [s.format(n=rng.randint(10, 99)) for s in chosen + rng.sample(GOVERNMENT, 1)]
        name = f"{folder.name}{k:02d}.txt"
        (folder / name).write_text(
            "\n\n".join([chosen[0].split(",")[0].rstrip(".")] + chosen) + "\n", encoding="utf-8"
        )
        rows.append(f"{name}\t\t{folder.name.title()} Outlet {k}\ten\t2024-05-{10 + k % 3:02d}")
    (folder / "index.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder / "index.tsv"


@pytest.mark.slow
def test_new_versions_join_their_stories_without_merging_two(cli, db_path, tmp_path) -> None:
    """Issue 26.1: a new version joins the story its documents agree with as a whole, by the
    rule the full grouping uses; judged through its nearest documents only, it merged two
    stories into one (and only `--full` undid it)."""
    import random

    rng = random.Random(0)
    manifests = [
        _week_story(tmp_path / "flood", FLOOD_CORE, ELECTION_CORE, 6, 0, rng),
        _week_story(tmp_path / "election", ELECTION_CORE, FLOOD_CORE, 22, 8, rng),
    ]
    for manifest in manifests:
        assert cli("ingest", "--manifest", str(manifest)).exit_code == 0
    assert cli("align", *FAKE[:4]).exit_code == 0
    before = grouping(db_path)
    assert len(before) == 2
    for name in ("flood/flood00.txt", "election/election00.txt"):  # a new version of each
        path = tmp_path / name
        path.write_text(
            path.read_text(encoding="utf-8") + "\nThe officials gave no further "
            "details on Monday evening.\n",
            encoding="utf-8",
        )
    for manifest in manifests:
        assert cli("ingest", "--manifest", str(manifest)).exit_code == 0
    assert fetch(db_path, "SELECT count(*), sum(is_current) FROM documents") == [(30, 28)]
    result = cli("align", *FAKE[:4], "--json")
    assert result.exit_code == 0 and json.loads(result.output)["realigned"] == 2, result.output
    assert grouping(db_path) == before
    assert cli("align", *FAKE[:4], "--full").exit_code == 0
    assert grouping(db_path) == before


# Runs `newsalign ARGS` with a random pause before each write transaction is opened, so that
# concurrent runs interleave their reads and writes differently each time.
JITTER = """
import random, sys, time
from newsalign.corpus.store import database

real = database.transaction

def jittered(db):
    if not db.conn.in_transaction:
        time.sleep(random.random() * 0.3)
    return real(db)

database.transaction = jittered
from newsalign.corpus.cli.app import run_main

sys.argv = ["newsalign", *sys.argv[1:]]
run_main()
"""


def _copy(source: Path, target: Path) -> Path:
    import sqlite3

    for side in ("", "-wal", "-shm"):
        Path(f"{target}{side}").unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


@pytest.mark.slow
def test_two_aligns_and_an_answer_at_once_end_as_a_serial_order_does(
    two_stories, cli, tmp_path
) -> None:
    """Issue 26.2: two `align` runs and a `claims accept` at once, many times over, each end
    in a state that one of their serial orders gives (an align planned on stories another run
    then replaced lost a story, or wrote a state no order gives)."""
    from typer.testing import CliRunner

    from newsalign.corpus.cli.app import app

    db = two_stories
    assert cli("ingest", "--manifest", str(late(tmp_path, "late", LATE, "Eta Wire", "2024-05-29")))
    (a,) = fetch(
        db,
        "SELECT id FROM text_segments WHERE source = 'Alpha Wire' AND kind = 'body' "
        "ORDER BY id LIMIT 1",
    )[0]
    (b,) = fetch(
        db,
        "SELECT id FROM text_segments WHERE source = 'Delta Post' AND kind = 'body' "
        "ORDER BY id LIMIT 1",
    )[0]
    commands = {"align": ["align", *FAKE], "accept": ["claims", "accept", str(a), str(b)]}
    start = _copy(db, tmp_path / "start.db")
    serial = []
    for order in (
        ("align", "align", "accept"),
        ("align", "accept", "align"),
        ("accept", "align", "align"),
    ):
        work = _copy(start, tmp_path / "serial.db")
        for name in order:
            result = CliRunner().invoke(app, [*commands[name], "--db", str(work)])
            assert result.exit_code == 0, result.output
        serial.append(_everything(work))
    root = Path(__file__).resolve().parents[1]
    for _ in range(10):
        work = _copy(start, tmp_path / "work.db")
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", JITTER, *commands[name], "--db", str(work)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=root,
            )
            for name in ("align", "align", "accept")
        ]
        for run in runs:
            out, err = run.communicate(timeout=300)
            assert run.returncode == 0, out + err
        assert _everything(work) in serial
        stories = fetch(
            work,
            "SELECT d.id, count(sd.story_id) FROM current_documents d "
            "LEFT JOIN story_documents sd ON sd.doc_id = d.id GROUP BY d.id",
        )
        assert {n for _, n in stories} == {1}  # every document in exactly one story


@pytest.mark.slow
def test_a_decision_naming_what_no_alignment_can_place_is_refused(cli, db_path, tmp_path):
    """Issue 26.3: accept or reject of a sentence that can never be in a claim (a heading
    between paragraphs), of an old version's sentence, or of one sentence in two versions, is
    one line and exit 1, and nothing is recorded (each was recorded, and the first merged two
    stories)."""
    db = db_path
    for args in two_stories_in(tmp_path):  # its own files: one of them changes
        assert cli(*args).exit_code == 0
    folder = tmp_path / "flood"
    flood1 = folder / "flood1.txt"
    text = flood1.read_text(encoding="utf-8").split("\n")
    flood1.write_text(
        "\n".join(text[:2] + ["Rescue work continues in the old town"] + text[2:]), encoding="utf-8"
    )
    assert cli("ingest", "--manifest", str(folder / "index.tsv")).exit_code == 0

    def named(outlet: str, text: str, current: int = 1) -> int:
        (row,) = fetch(
            db,
            "SELECT s.id FROM segments s JOIN documents d ON d.id = s.doc_id "
            "WHERE d.source = ? AND d.is_current = ? AND s.text LIKE ?",
            [outlet, current, f"{text}%"],
        )
        return row[0]

    heading = named("Delta Post", "Rescue work")
    old = named("Delta Post", "Rescuers evacuated 300", current=0)
    new = named("Delta Post", "Rescuers evacuated 300")
    other = named("Epsilon Times", "Rescuers evacuated 280")
    consulate = named("Alpha Wire", "Russia plans")
    refused = [
        (("accept", str(heading), str(consulate)), f"sentence {heading} cannot be in a claim"),
        (("reject", str(consulate), str(heading)), f"sentence {heading} cannot be in a claim"),
        (("accept", str(old), str(other)), f"current version has it as sentence {new}"),
        (("reject", str(new), str(old)), f"sentence {old} is from an old version"),
        (("detach", str(heading)), "cannot be in a claim"),
    ]
    for aligned in (False, True):  # before the new version is aligned, and after
        if aligned:
            assert cli("align", *FAKE).exit_code == 0
        for args, message in refused:
            result = cli("claims", *args)
            assert result.exit_code == 1 and message in result.output, (args, result.output)
            assert len(result.output.strip().splitlines()) == 1
            assert fetch(db, "SELECT count(*) FROM decisions") == [(0,)]
    result = cli("claims", "accept", str(new), str(other))
    assert result.exit_code == 0, result.output
    assert len(grouping(db)) == 2
