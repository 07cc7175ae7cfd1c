"""`--cluster`: translation and embedding on a Dask cluster (local:2, as CI runs it) give what the
local path gives; a worker killed mid-batch loses and doubles nothing; every cluster stops."""

from __future__ import annotations

import sys
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from newsalign.corpus.cli.app import app
from newsalign.corpus.distributed import tasks
from newsalign.corpus.distributed.connect import INSTALL_HINT
from tests.helpers import SEEDS, fetch, no_children_left, seed

# Real engines, servers, processes or clusters: the slow tier (make test-fast leaves it out).
pytestmark = pytest.mark.slow

GERMAN = (
    "Bahnstrecke nach Chankendi eröffnet\n\n"
    "Am 3. März 2025 kam der erste Zug mit 1.200 Tonnen Zement in Chankendi an. "
    "„Das ist ein großer Tag“, sagte der Sprecher. Die Strecke kostete 410 € pro Meter.\n\n"
    "Die Friedenstruppen haben sich aus Bergkarabach zurückgezogen, meldete Baku am Montag.\n"
)
FAKE = ("--embedder", "tests.fakes:HashEmbedder", "--second-embedder", "none")


def run(db: Path | None, *args: str):
    return CliRunner().invoke(app, [*args, *(["--db", str(db)] if db else [])])


@pytest.fixture(autouse=True)
def no_cluster_left():
    """Every test stops its cluster: no process of ours remains afterwards."""
    tasks.reset()
    yield
    no_children_left()


def _corpus(db: Path, tmp_path: Path) -> Path:
    article = tmp_path / "bahn.txt"
    article.write_text(GERMAN, encoding="utf-8")
    result = run(db, "ingest", str(article), str(seed("002")), str(seed("004")))
    assert result.exit_code == 0, result.output
    return db


def _translations(db: Path) -> list[tuple]:
    return fetch(
        db,
        "SELECT segment_id, text, model, input_hash, count(*) OVER "
        "(PARTITION BY segment_id) FROM translations ORDER BY segment_id",
    )


def test_translations_on_local_2_equal_the_local_path(argos_dir, tiny_packages, tmp_path) -> None:
    assert run(None, "models", "install", str(tiny_packages["de:en"])).exit_code == 0
    local, remote = (_corpus(tmp_path / f"{n}.db", tmp_path) for n in ("local", "remote"))
    assert run(local, "translate", "--from", "de").exit_code == 0
    result = run(remote, "translate", "--from", "de", "--cluster", "local:2")
    assert result.exit_code == 0, result.output
    assert "Translated" in result.output
    expected = _translations(local)
    assert expected and _translations(remote) == expected
    assert all(row[4] == 1 for row in expected)
    again = run(remote, "translate", "--from", "de", "--cluster", "local:2")
    assert "Nothing to translate" in again.output


@pytest.mark.parametrize("batch_size", [1, 8])
def test_translation_tasks_translate_what_the_local_engine_does(
    argos_dir, tiny_packages, batch_size
) -> None:
    """Outputs depend on the batch a sentence is decoded in, unless it is decoded alone: the
    tasks a cluster of two workers gets, each translated as a worker does, give the local
    engine's translations; alone they are small enough to keep both workers busy."""
    from newsalign.corpus.distributed.run import ENGINE_CHUNK, tasks_of
    from newsalign.translate.engine import Engine, Settings
    from newsalign.translate.packages import install_file

    package = install_file(tiny_packages["de:en"])
    settings = Settings(batch_size=batch_size, max_decoding_length=12)
    texts = sorted(
        {f"{w} {i} Zug {j}." for i, w in enumerate(GERMAN.split()) for j in range(3)}, key=len
    )
    expected = Engine(package, settings).translate(texts)
    batches = tasks_of(texts, settings, workers=2)
    remote = [
        t for b in batches for t in tasks.translate_batch(("de", "en"), package.id, settings, b)
    ]
    assert remote == expected
    if batch_size == 1:
        assert len(batches) >= 2 * 2 and max(map(len, batches)) < len(texts)
    else:  # smaller tasks would change translations: the rule is needed, not decoration
        assert batches == [texts[i : i + ENGINE_CHUNK] for i in range(0, len(texts), ENGINE_CHUNK)]
        sliced = [
            t
            for b in tasks_of(texts, Settings(), 2)
            for t in Engine(package, settings).translate(b)
        ]
        assert sliced != expected


def _vectors(db: Path) -> list[tuple]:
    return fetch(db, "SELECT text_hash, model, vector FROM sentence_vectors ORDER BY 1, 2")


def _claims(db: Path) -> list[tuple]:
    return fetch(
        db,
        "SELECT c.segment_id, c.english, k.cluster_id FROM claims c "
        "LEFT JOIN cluster_members k ON k.segment_id = c.segment_id ORDER BY 1, 3",
    )


def test_embeddings_and_claims_on_local_2_equal_the_local_path(tmp_path) -> None:
    local, remote = tmp_path / "local.db", tmp_path / "remote.db"
    for db in (local, remote):
        assert run(db, "ingest", str(SEEDS)).exit_code == 0
    assert run(local, "align", *FAKE).exit_code == 0
    result = run(remote, "align", *FAKE, "--cluster", "local:2")
    assert result.exit_code == 0, result.output
    assert _vectors(local) and _vectors(remote) == _vectors(local)
    assert _claims(remote) == _claims(local)


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(tmp_path, monkeypatch) -> None:
    flag = tmp_path / "killed"
    monkeypatch.setenv("NEWSALIGN_TEST_KILL_FLAG", str(flag))
    local, remote = tmp_path / "local.db", tmp_path / "remote.db"
    for db in (local, remote):
        assert run(db, "ingest", str(SEEDS)).exit_code == 0
    assert run(local, "align", *FAKE).exit_code == 0
    killer = ("--embedder", "tests.fakes:KillOnceEmbedder", "--second-embedder", "none")
    result = run(remote, "align", *killer, "--cluster", "local:2")
    assert result.exit_code == 0, result.output
    assert flag.exists(), "no worker was killed"
    assert not psutil.pid_exists(int(flag.read_text())), "the killed worker is still alive"
    assert _vectors(remote) == _vectors(local)
    assert _claims(remote) == _claims(local)


def test_without_dask_cluster_says_how_to_install(seeded, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = run(seeded, "align", *FAKE, "--cluster", "local:2")
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {INSTALL_HINT}"
    assert fetch(seeded, "SELECT count(*) FROM runs WHERE command = 'align'")[0][0] == 0


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("local:0", "1 <= N"),
        ("somewhere", "tcp://host:8786"),
        ("tcp://127.0.0.1:9", "cannot reach the scheduler"),
    ],
)
def test_a_bad_address_is_one_line(seeded, monkeypatch, address, message) -> None:
    monkeypatch.setattr("newsalign.corpus.distributed.connect.CONNECT_TIMEOUT", 2)
    result = run(seeded, "align", *FAKE, "--cluster", address)
    malformed = not address.startswith("tcp://")  # a usage error (exit 2), with the usage line
    assert result.exit_code == (2 if malformed else 1)
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message in errors[0], result.output
    if not malformed:
        assert len(result.output.strip().splitlines()) == 1


def test_local_workers_keep_glibcs_adaptive_malloc() -> None:
    """Dask's default MALLOC_TRIM_THRESHOLD_ slows CTranslate2 in a worker (connect.py); a
    local cluster's workers start without it and with one OpenMP thread, as Dask sets."""
    import os

    from newsalign.corpus.distributed.connect import open_cluster

    def environ() -> tuple[str | None, str | None]:
        return os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS")

    with open_cluster("local:2") as cluster:
        seen = cluster.client.run(environ)
    assert len(seen) == 2 and set(seen.values()) == {(None, "1")}
