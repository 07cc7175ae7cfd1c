"""Opening the corpus database: location, checks, WAL mode, migrations, read-only access,
write transactions that wait for other writers, and the log of command runs."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from newsalign.corpus.errors import CorpusError, LockedError
from newsalign.corpus.store import migrations

DEFAULT_DB = "newsalign.db"
ENV_DB = "NEWSALIGN_DB"
# How long a writer waits for another process's write lock before giving up (seconds).
ENV_WAIT = "NEWSALIGN_LOCK_WAIT"
DEFAULT_WAIT = 30.0


def resolve_db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The database path: the explicit one, else $NEWSALIGN_DB, else ./newsalign.db."""
    return Path(path or os.environ.get(ENV_DB) or DEFAULT_DB)


DATABASE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def refuse_overwrite(target: str | os.PathLike[str], db: str | os.PathLike[str] | None) -> None:
    """Raise CorpusError if writing `target` would write over the corpus database or one of its
    side files (-wal, -shm, -journal), however the path spells it: relative, through a symlink
    (names are compared resolved, so a side file that does not exist yet is caught too) or as
    a hard link (device and inode are compared)."""
    db_path = resolve_db_path(db)
    wanted = os.path.realpath(target)
    try:
        target_stat = os.stat(target)
    except OSError:
        target_stat = None
    real_db = os.path.realpath(db_path)
    for suffix in DATABASE_SIDE_FILES:
        # SQLite names side files after the database's resolved path: through a symlinked
        # --db the -wal is realpath(db) + "-wal", not realpath(db + "-wal").
        sides = {f"{db_path}{suffix}", f"{real_db}{suffix}"}
        same = any(os.path.realpath(side) == wanted for side in sides)
        if not same and target_stat is not None:
            same = any(_same_file(side, target_stat) for side in sides)
        if same:
            what = "the corpus database" if not suffix else f"the corpus database's {suffix} file"
            raise CorpusError(
                f"refusing to write {target}: it is {what} ({db_path}); choose another output file"
            )


def _same_file(path: str, stat: os.stat_result) -> bool:
    try:
        found = os.stat(path)
    except OSError:
        return False
    return (found.st_dev, found.st_ino) == (stat.st_dev, stat.st_ino)


def now() -> str:
    """UTC timestamp in ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def lock_wait() -> float:
    """Seconds a writer waits for a lock: $NEWSALIGN_LOCK_WAIT, else 30."""
    try:
        return max(float(os.environ.get(ENV_WAIT, DEFAULT_WAIT)), 0.0)
    except ValueError:
        raise CorpusError(f"${ENV_WAIT} must be a number of seconds") from None


def _is_locked(exc: BaseException) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _readonly_uri(path: Path) -> str:
    """A read-only URI. In a folder this user cannot write, with no write-ahead log beside the
    file, SQLite could not create the -shm file a WAL database needs even to be read; nobody
    can be writing it through that folder, so it is opened as immutable."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    folder = path.resolve().parent
    if not os.access(folder, os.W_OK) and not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    return uri


def damaged_error(path: Path | str, exc: BaseException) -> CorpusError:
    """The error for a database whose pages are corrupt (flipped bytes, a torn copy)."""
    return CorpusError(
        f"the database is damaged: {path}: {exc}; make a repaired copy with "
        f"`sqlite3 {path} .recover | sqlite3 repaired.db`"
    )


def full_error(path: Path | str, exc: BaseException) -> CorpusError:
    """The error for a write that found the disk (or the database's size limit) full."""
    return CorpusError(
        f"no space left on device: {path}: {exc}; nothing of the failed step was written"
    )


def is_damaged(exc: BaseException) -> bool:
    """Whether SQLite reports corrupt pages (rather than a file that is not a database)."""
    return "malformed" in str(exc)


def is_full(exc: BaseException) -> bool:
    """Whether SQLite reports that the disk or the database is full."""
    return "disk is full" in str(exc) or "No space left" in str(exc)


def _check_version(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a corpus with a migration this version does not know: a newer newsalign made it,
    and this one would misread it or write what the newer one does not expect."""
    known = {name for name, _ in migrations.MIGRATIONS}
    names = [row[0] for row in conn.execute(f"SELECT name FROM {migrations.MIGRATIONS_TABLE}")]
    unknown = sorted(set(names) - known)
    if unknown:
        raise CorpusError(
            f"{path} was made by a newer newsalign (migration {unknown[-1]} is "
            "unknown to this version); upgrade newsalign to use it"
        )


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if path.is_dir():
        raise CorpusError(f"{path} is a directory, not a database file")
    wait = lock_wait()
    try:
        if readonly:
            # Shared with a worker thread by `query` (sql.run_sql), which can abandon it.
            conn = sqlite3.connect(
                _readonly_uri(path), uri=True, timeout=wait, check_same_thread=False
            )
        else:
            conn = sqlite3.connect(str(path), timeout=wait)
    except sqlite3.Error as exc:
        raise CorpusError(f"cannot open database {path}: {exc}") from None
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        conn.close()
        if _is_locked(exc):
            raise locked_error(path) from None
        if "unable to open" in str(exc) or "readonly" in str(exc):
            raise CorpusError(f"cannot read database {path}: {exc}") from None
        if is_damaged(exc):
            raise damaged_error(path, exc) from None
        raise CorpusError(f"{path} is not a SQLite database ({exc})") from None
    if tables and migrations.MIGRATIONS_TABLE not in tables:
        conn.close()
        raise CorpusError(f"{path} is a SQLite database but not a newsalign corpus")
    if tables:
        try:
            _check_version(conn, path)
        except BaseException:
            conn.close()
            raise
    return conn


def locked_error(path: Path | str) -> LockedError:
    """The error for a database another process is writing to, after waiting for it."""
    return LockedError(
        f"database {path} is locked by another process (waited {lock_wait():g} s); "
        "try again when it has finished"
    )


def _writable(path: Path) -> None:
    """Refuse, in one line, a database this user may not write (its file or its folder)."""
    if path.exists() and not os.access(path, os.W_OK):
        raise CorpusError(
            f"database {path} is read-only for this user; commands that change it "
            "cannot run (reading commands can)"
        )
    folder = path.resolve().parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CorpusError(
            f"cannot write in {folder}, where database {path.name} and its write-ahead log live"
        )


def open_db(
    path: str | os.PathLike[str] | None = None, *, create: bool = False
) -> sqlite_utils.Database:
    """Open the corpus for writing, migrating it; create it only if `create` is true. Runs
    of earlier commands that were killed are marked interrupted."""
    db_path = resolve_db_path(path)
    if not db_path.exists() and not create:
        raise CorpusError(f"no newsalign database at {db_path}; run `newsalign init` first")
    if db_path.is_dir():
        raise CorpusError(f"{db_path} is a directory, not a database file")
    _writable(db_path)
    created = not db_path.exists()
    conn = _connect(db_path, readonly=False)
    db = sqlite_utils.Database(conn)
    try:
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = wal")
        db.execute("PRAGMA foreign_keys = ON")
        migrations.migrate(db)
        mark_interrupted(db)
    except BaseException as exc:
        conn.close()
        if created and not _is_locked(exc):
            # A database that could not be set up is not left behind, empty or half-made (one
            # locked by another process creating it at the same moment is that process's).
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        if not isinstance(exc, sqlite3.DatabaseError):
            raise
        if _is_locked(exc):
            raise locked_error(db_path) from None
        if is_full(exc):
            raise full_error(db_path, exc) from None
        if is_damaged(exc):
            raise damaged_error(db_path, exc) from None
        raise CorpusError(f"cannot write database {db_path}: {exc}") from None
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


class Moved(CorpusError):
    """Another process committed after work was planned on what it read: plan again."""


def data_version(db: sqlite_utils.Database) -> int:
    """A number that changes whenever another connection commits to the database (SQLite's
    data_version): work planned on what was read stays valid while it is unchanged."""
    return db.execute("PRAGMA data_version").fetchone()[0]


def database_path(db: sqlite_utils.Database) -> str:
    """The file behind an open database (for messages)."""
    return db.conn.execute("PRAGMA database_list").fetchone()[2]


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction that takes the write lock at once (BEGIN IMMEDIATE), so another
    writer is waited for (the busy timeout) instead of failing half-way; nested calls are
    savepoints. A lock still held after the wait is one line, not a traceback."""
    if db.conn.in_transaction:
        with db.atomic():  # a savepoint inside the outer transaction
            yield db
        return
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if _is_locked(exc):
            raise locked_error(database_path(db)) from None
        raise
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    try:
        db.conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        if _is_locked(exc):
            raise locked_error(database_path(db)) from None
        raise


@contextmanager
def many_small_commits(db: sqlite_utils.Database) -> Iterator[None]:
    """For a command committing many small transactions (ingest: one per document): no sync
    to disk after each commit, only at checkpoints and when the database closes
    (synchronous = NORMAL, which in WAL mode keeps the database consistent on a power loss
    and may lose the last commits, which the command redoes when run again). A sync per
    commit was half of ingest's time."""
    previous = db.conn.execute("PRAGMA synchronous").fetchone()[0]
    db.conn.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        db.conn.execute(f"PRAGMA synchronous = {int(previous)}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def mark_interrupted(db: sqlite_utils.Database) -> int:
    """Runs still 'running' whose process on this machine is gone were killed: say so."""
    host = socket.gethostname()
    dead = [
        run_id
        for run_id, pid, run_host in db.execute(
            "SELECT id, pid, host FROM runs WHERE status = 'running'"
        )
        if run_host in (None, host) and (pid is None or not _alive(pid))
    ]
    if dead:
        with transaction(db):
            db.conn.executemany(
                "UPDATE runs SET status = 'interrupted', finished_at = ?, "
                "error = 'the process stopped before the run finished' WHERE id = ?",
                [(now(), run_id) for run_id in dead],
            )
    return len(dead)


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
        self.failure: str | None = None  # set by work that ends normally but not wholly ok

    @contextmanager
    def transaction(self) -> Iterator[Callable[[], int]]:
        """A write transaction yielding `record()`: call it when the transaction changes
        something, and it returns the run's id, writing the run's row first if needed. If the
        transaction rolls back, so does a run row it wrote, and its id is forgotten."""
        created = []

        def record() -> int:
            if self.id is None:
                self.id = self.db.execute(
                    "INSERT INTO runs (command, args, started_at, status, pid, host) "
                    "VALUES (?, ?, ?, 'running', ?, ?)",
                    [self.command, self.args, self.started_at, os.getpid(), socket.gethostname()],
                ).lastrowid
                created.append(self.id)
            return self.id

        try:
            with transaction(self.db):
                yield record
        except BaseException:
            if created:
                self.id = None
            raise

    @contextmanager
    def closing(self) -> Iterator[RunLog]:
        """Close the run's row however the work ends: ok; interrupted (Ctrl-C); failed, with
        the error. What the run committed before stays, and its row says it is partial."""
        try:
            yield self
        except KeyboardInterrupt:
            self._finish_quietly("interrupted by the user (Ctrl-C)", "interrupted")
            raise
        except BaseException as exc:
            self._finish_quietly(f"{type(exc).__name__}: {exc}", "failed")
            raise
        self.finish(self.failure)

    def _finish_quietly(self, error: str, status: str) -> None:
        # The database may be why the work stopped (locked, full): the row then stays
        # 'running' and the next command marks it interrupted (mark_interrupted).
        with suppress(sqlite3.Error, CorpusError):
            self.finish(error, status=status)

    def finish(self, error: str | None = None, *, status: str | None = None) -> None:
        """Close the run's row, if it has one."""
        if self.id is None:
            return
        with transaction(self.db):
            self.db["runs"].update(
                self.id,
                {
                    "finished_at": now(),
                    "status": status or ("failed" if error else "ok"),
                    "error": error,
                    "counts": json.dumps(self.counts, ensure_ascii=False),
                },
            )
