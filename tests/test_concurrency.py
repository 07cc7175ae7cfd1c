"""Locks and concurrency, with real processes: writers wait for each other, races end in one
line at most, and runs killed mid-way are marked interrupted."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.helpers import fetch

# Real engines, servers, processes or clusters: the slow tier (make test-fast leaves it out).
pytestmark = pytest.mark.slow

NEWSALIGN = [sys.executable, "-m", "newsalign.corpus.cli.app"]


def _articles(folder: Path, prefix: str, count: int) -> Path:
    folder.mkdir()
    for k in range(count):
        (folder / f"{prefix}{k}.txt").write_text(
            f"{prefix.upper()} report number {k} on the railway\n\n"
            f"The line to Khankendi carried {k + 10} trains in week {k}, officials said on Monday. "
            f"Freight volumes rose to {k + 3},000 tonnes, according to the operator {prefix}.\n",
            encoding="utf-8",
        )
    return folder


def _ingest(db: Path, folder: Path, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [*NEWSALIGN, "ingest", str(folder), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


def test_two_ingests_of_different_folders_at_once_both_succeed(tmp_path) -> None:
    db = tmp_path / "corpus.db"
    subprocess.run([*NEWSALIGN, "init", "--db", str(db)], check=True, capture_output=True)
    a = _articles(tmp_path / "a", "alpha", 12)
    b = _articles(tmp_path / "b", "beta", 12)
    runs = [_ingest(db, a), _ingest(db, b)]
    outputs = [r.communicate(timeout=300) for r in runs]
    for r, (out, err) in zip(runs, outputs, strict=True):
        assert r.returncode == 0, out + err
        assert "Traceback" not in err
    assert fetch(db, "SELECT count(*) FROM documents")[0][0] == 24
    assert fetch(
        db, "SELECT count(*), min(status), max(status) FROM runs WHERE command = 'ingest'"
    ) == [(2, "ok", "ok")]


def test_two_ingests_of_the_same_folder_at_once_end_cleanly(tmp_path) -> None:
    db = tmp_path / "corpus.db"
    subprocess.run([*NEWSALIGN, "init", "--db", str(db)], check=True, capture_output=True)
    folder = _articles(tmp_path / "same", "gamma", 12)
    runs = [_ingest(db, folder), _ingest(db, folder)]
    outputs = [r.communicate(timeout=300) for r in runs]
    for r, (out, err) in zip(runs, outputs, strict=True):
        assert r.returncode == 0, out + err
        assert "Traceback" not in err and "Error" not in err
    assert fetch(db, "SELECT count(*) FROM documents")[0][0] == 12  # each file once
    statuses = "".join(out for out, _ in outputs)
    assert statuses.count("added") + statuses.count("unchanged") >= 24
    # Every document's run exists and finished (no id of a rolled-back run).
    assert fetch(
        db,
        "SELECT count(*) FROM documents d LEFT JOIN runs r ON r.id = d.run_id "
        "WHERE r.id IS NULL OR r.status != 'ok'",
    ) == [(0,)]


def test_a_writer_waits_for_the_lock_and_then_proceeds(tmp_path) -> None:
    db = tmp_path / "corpus.db"
    subprocess.run([*NEWSALIGN, "init", "--db", str(db)], check=True, capture_output=True)
    folder = _articles(tmp_path / "a", "delta", 2)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sqlite3, sys, time
            conn = sqlite3.connect({str(db)!r}, isolation_level=None)
            conn.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            time.sleep(2)
            conn.execute("COMMIT")
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    start = time.monotonic()
    run = _ingest(db, folder, NEWSALIGN_LOCK_WAIT="20")
    out, err = run.communicate(timeout=120)
    holder.wait(timeout=10)
    assert run.returncode == 0, out + err
    assert time.monotonic() - start >= 1.0  # it waited for the holder
    assert fetch(db, "SELECT count(*) FROM documents")[0][0] == 2


def test_a_run_killed_mid_way_is_marked_interrupted_by_the_next_command(
    tmp_path, cli, db_path
) -> None:
    assert cli("init").exit_code == 0
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO runs (command, args, started_at, status, pid, host) "
        "VALUES ('ingest', '{}', 'then', 'running', ?, ?)",
        [gone.pid, os.uname().nodename],
    )
    conn.execute(
        "INSERT INTO runs (command, args, started_at, status, pid, host) "
        "VALUES ('translate', '{}', 'then', 'running', ?, ?)",
        [os.getpid(), os.uname().nodename],
    )  # this process: alive
    conn.commit()
    conn.close()
    assert cli("init").exit_code == 0  # any command that opens the corpus for writing
    rows = fetch(db_path, "SELECT command, status, error FROM runs ORDER BY id")
    assert rows[0][:2] == ("ingest", "interrupted") and "stopped" in rows[0][2]
    assert rows[1][:2] == ("translate", "running")
