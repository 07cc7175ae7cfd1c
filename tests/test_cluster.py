"""`--cluster`: translation and embedding on a Dask cluster (local:2, as CI runs it) give what the
local path gives; a worker killed mid-batch loses and doubles nothing; every cluster stops."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from newsalign.corpus.cli.app import app
from newsalign.corpus.cluster import tasks
from newsalign.corpus.cluster.connect import INSTALL_HINT
from tests.helpers import SEEDS, fetch, seed

GERMAN = (
    "Bahnstrecke nach Chankendi eröffnet\n\n"
    "Am 3. März 2025 kam der erste Zug mit 1.200 Tonnen Zement in Chankendi an. "
    "„Das ist ein großer Tag“, sagte der Sprecher. Die Strecke kostete 410 € pro Meter.\n\n"
    "Die Friedenstruppen haben sich aus Bergkarabach zurückgezogen, meldete Baku am Montag.\n"
)
FAKE = ("--embedder", "tests.fakes:HashEmbedder", "--second-embedder", "none")


def run(db: Path | None, *args: str):
    return CliRunner().invoke(app, [*args, *(["--db", str(db)] if db else [])])


def _children() -> list[str]:
    """Our child processes, but multiprocessing's resource tracker, which Python keeps for the
    life of the process that first spawned anything."""
    out = []
    for p in psutil.Process().children(recursive=True):
        try:
            line = " ".join(p.cmdline())
        except psutil.NoSuchProcess:
            continue
        if "resource_tracker" not in line:
            out.append(line[:120])
    return out


@pytest.fixture(autouse=True)
def no_cluster_left():
    """Every test stops its cluster: no process of ours remains afterwards."""
    tasks.reset()
    yield
    deadline = time.monotonic() + 10
    while _children() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _children(), f"processes left running: {_children()}"


def _corpus(db: Path, tmp_path: Path) -> Path:
    article = tmp_path / "bahn.txt"
    article.write_text(GERMAN, encoding="utf-8")
    result = run(db, "ingest", str(article), str(seed("002")), str(seed("004")))
    assert result.exit_code == 0, result.output
    return db


def _translations(db: Path) -> list[tuple]:
    return fetch(db, "SELECT segment_id, text, model, input_hash, count(*) OVER "
                     "(PARTITION BY segment_id) FROM translations ORDER BY segment_id")  # fmt: skip


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


def test_a_translation_task_is_what_one_local_engine_call_translates(monkeypatch) -> None:
    """Outputs depend on the batch a sentence is decoded in, so the cluster's tasks must be the
    slices Engine.stream submits as one call."""
    from newsalign.corpus.cluster.run import tasks_of
    from newsalign.translate import engine

    calls = []

    class Recorder:
        def translate_batch(self, tokens, **_options):
            calls.append([" ".join(t) for t in tokens])
            return []

    class Pieces:
        def encode(self, texts, out_type=str):
            return [[t] for t in texts]

    local = engine.Engine.__new__(engine.Engine)
    local.settings, local._translator, local._sp = engine.Settings(), Recorder(), Pieces()
    texts = [f"s{i}" for i in range(10_000)]
    list(local.stream(texts))
    assert calls == tasks_of(texts) and len(calls) > 1


def _vectors(db: Path) -> list[tuple]:
    return fetch(db, "SELECT text_hash, model, vector FROM sentence_vectors ORDER BY 1, 2")


def _claims(db: Path) -> list[tuple]:
    return fetch(db, "SELECT c.segment_id, c.english, k.cluster_id FROM claims c "
                     "LEFT JOIN cluster_members k ON k.segment_id = c.segment_id ORDER BY 1, 3")  # fmt: skip


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
    [("local:0", "1 <= N"), ("somewhere", "tcp://host:8786"),
     ("tcp://127.0.0.1:9", "cannot reach the scheduler")],
)  # fmt: skip
def test_a_bad_address_is_one_line(seeded, monkeypatch, address, message) -> None:
    monkeypatch.setattr("newsalign.corpus.cluster.connect.CONNECT_TIMEOUT", 2)
    result = run(seeded, "align", *FAKE, "--cluster", address)
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1
