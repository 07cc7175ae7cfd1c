"""Command runs as `RunLog` records them in `runs`: the last successful run of a command, with
the arguments it recorded (an align run records its settings and fingerprints there)."""

from __future__ import annotations

import json

import sqlite_utils

from newsalign.corpus.store.records import LastRun


def last_run(db: sqlite_utils.Database, command: str) -> LastRun | None:
    """The last run of `command` that ended well (None: there was none)."""
    row = db.execute(
        "SELECT id, args, counts, finished_at FROM runs WHERE command = ? AND status = 'ok' "
        "ORDER BY id DESC LIMIT 1",
        [command],
    ).fetchone()
    if row is None:
        return None
    return LastRun(row[0], json.loads(row[1]), json.loads(row[2] or "{}"), row[3])


def ever_ran(db: sqlite_utils.Database, command: str) -> bool:
    """Whether `command` ever started, however it ended."""
    return (
        db.execute("SELECT 1 FROM runs WHERE command = ? LIMIT 1", [command]).fetchone() is not None
    )
