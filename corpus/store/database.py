"""Opening the corpus database: location, checks, WAL mode, migrations, read-only access."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store import migrations

DEFAULT_DB = "newsalign.db"
ENV_DB = "NEWSALIGN_DB"
# How long a write waits for another process's lock before giving up with a clear error.
BUSY_TIMEOUT_MS = 2000


def resolve_db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The database path: the explicit one, else $NEWSALIGN_DB, else ./newsalign.db."""
    return Path(path or os.environ.get(ENV_DB) or DEFAULT_DB)


def now() -> str:
    """UTC timestamp in ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if path.is_dir():
        raise CorpusError(f"{path} is a directory, not a database file")
    try:
        if readonly:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        else:
            conn = sqlite3.connect(str(path))
    except sqlite3.Error as exc:
        raise CorpusError(f"cannot open database {path}: {exc}") from None
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise locked_error(path) from None
        raise CorpusError(f"{path} is not a SQLite database ({exc})") from None
    if tables and migrations.MIGRATIONS_TABLE not in tables:
        conn.close()
        raise CorpusError(f"{path} is a SQLite database but not a newsalign corpus")
    return conn


def locked_error(path: Path) -> CorpusError:
    """The error for a database another process is writing to."""
    return CorpusError(
        f"database {path} is locked by another process (waited {BUSY_TIMEOUT_MS / 1000:g} s); "
        "try again when it has finished"
    )


def open_db(
    path: str | os.PathLike[str] | None = None, *, create: bool = False
) -> sqlite_utils.Database:
    """Open the corpus for writing, migrating it; create it only if `create` is true."""
    db_path = resolve_db_path(path)
    if not db_path.exists() and not create:
        raise CorpusError(f"no newsalign database at {db_path}; run `newsalign init` first")
    conn = _connect(db_path, readonly=False)
    db = sqlite_utils.Database(conn)
    try:
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = wal")
        db.execute("PRAGMA foreign_keys = ON")
        migrations.migrate(db)
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise locked_error(db_path) from None
        raise
    return db


def open_readonly(path: str | os.PathLike[str] | None = None) -> sqlite_utils.Database:
    """Open an existing, up-to-date corpus through a read-only connection."""
    db_path = resolve_db_path(path)
    if not db_path.exists():
        raise CorpusError(f"no newsalign database at {db_path}; run `newsalign init` first")
    conn = _connect(db_path, readonly=True)
    db = sqlite_utils.Database(conn)
    if migrations.pending(db):
        conn.close()
        raise CorpusError(f"database {db_path} needs upgrading: run `newsalign init`")
    return db


class RunLog:
    """A command run in the `runs` table, written lazily so that a run which changes nothing
    leaves no trace: bad input must leave the database exactly as it was."""

    def __init__(self, db: sqlite_utils.Database, command: str, args: dict[str, Any]) -> None:
        self.db = db
        self.command = command
        self.args = json.dumps(args, ensure_ascii=False, default=str, sort_keys=True)
        self.started_at = now()
        self.counts: dict[str, Any] = {}
        self.id: int | None = None

    def ensure(self) -> int:
        """The run's id, inserting its row; call inside the transaction of its first change."""
        if self.id is None:
            self.id = (
                self.db["runs"]
                .insert(
                    {
                        "command": self.command,
                        "args": self.args,
                        "started_at": self.started_at,
                        "status": "running",
                    }  # fmt: skip
                )
                .last_pk
            )
        return self.id

    def finish(self, error: str | None = None) -> None:
        """Close the run's row, if it has one."""
        if self.id is None:
            return
        with self.db.atomic():
            self.db["runs"].update(
                self.id,
                {
                    "finished_at": now(),
                    "status": "failed" if error else "ok",
                    "error": error,
                    "counts": json.dumps(self.counts, ensure_ascii=False),
                },  # fmt: skip
            )
