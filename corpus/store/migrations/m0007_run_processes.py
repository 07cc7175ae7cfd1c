"""Migration 0007: The process and host of each run, so a run whose process is gone is marked
interrupted.

Never edited once landed: change the schema with a new migration."""

from __future__ import annotations

import sqlite_utils

NAME = "0007_run_processes"


def apply(db: sqlite_utils.Database) -> None:
    # Which process ran a command: a run left 'running' by a process that is gone was killed,
    # and the next command marks it interrupted.
    db.executescript(
        """
        ALTER TABLE runs ADD COLUMN pid INTEGER;
        ALTER TABLE runs ADD COLUMN host TEXT;
        """
    )
