"""`align` with nothing changed since its last run does no work and says so."""

from __future__ import annotations

import json

import psutil
import pytest

from tests.helpers import fetch, seed

FAKE = ("--embedder", "tests.fakes:HashEmbedder", "--second-embedder", "none")


def _align_runs(db) -> list[tuple]:
    return fetch(db, "SELECT id, status FROM runs WHERE command = 'align' ORDER BY id")


@pytest.mark.slow
def test_an_unchanged_corpus_is_not_aligned_again(cli, db_path) -> None:
    assert cli("ingest", str(seed("000")), str(seed("001")), str(seed("002"))).exit_code == 0
    first = cli("align", *FAKE)
    assert first.exit_code == 0, first.output
    stories = fetch(db_path, "SELECT id, label FROM stories ORDER BY id")
    ((run_id, status),) = _align_runs(db_path)
    assert status == "ok"
    again = cli("align", *FAKE)
    assert again.exit_code == 0
    assert again.output.startswith(f"Nothing changed since align run {run_id} ")
    assert len(_align_runs(db_path)) == 1
    assert fetch(db_path, "SELECT id, label FROM stories ORDER BY id") == stories
    report = json.loads(cli("align", *FAKE, "--json").output)
    assert report["unchanged_since"] == run_id and report["embedded"] == 0
    assert report["claims"] == fetch(db_path, "SELECT count(*) FROM claims")[0][0]
    # With the cluster option too: nothing to do starts no cluster.
    clustered = cli("align", *FAKE, "--cluster", "local:2")
    assert clustered.output.startswith("Nothing changed")
    assert not [
        p
        for p in psutil.Process().children(recursive=True)
        if "spawn_main" in " ".join(p.cmdline())
    ]


@pytest.mark.slow
def test_any_changed_input_aligns_again(cli, db_path) -> None:
    assert cli("ingest", str(seed("000")), str(seed("001"))).exit_code == 0
    assert cli("align", *FAKE).exit_code == 0
    assert cli("align", *FAKE, "--full").output.startswith("Nothing") is False
    assert len(_align_runs(db_path)) == 2
    assert cli("align", *FAKE, "--threshold", "0.6").output.startswith("Nothing") is False
    assert len(_align_runs(db_path)) == 3
    assert cli("ingest", str(seed("002"))).exit_code == 0
    grown = cli("align", *FAKE, "--threshold", "0.6")
    assert grown.exit_code == 0 and not grown.output.startswith("Nothing")
    assert len(_align_runs(db_path)) == 4
    assert cli("align", *FAKE, "--threshold", "0.6").output.startswith("Nothing")
    assert cli("glossary", "add", "testtown", "Testtown").exit_code == 0
    assert not cli("align", *FAKE, "--threshold", "0.6").output.startswith("Nothing")
