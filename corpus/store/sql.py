"""Arbitrary SQL from the user: reading only, and for a limited time.

The connection is read-only, and an authorizer allows only what reading needs (SELECT, reading
columns, functions, recursive CTEs, a few pragmas that report), so ATTACH (which would create a
file), VACUUM INTO (which would write a copy of the corpus), DETACH and pragmas that change state
are refused. The query runs in a worker thread that is interrupted at its time limit; a query
stuck inside one long function call, which SQLite cannot interrupt (`printf('%.*c', 900000000,
'x')`), is abandoned there and the command ends. No single value may exceed MAX_VALUE_BYTES.
Ctrl-C interrupts the query too, and is reported as an interrupt, not as the time limit.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

import sqlite_utils

from newsalign.corpus.errors import CorpusError

DEFAULT_TIME_LIMIT = 5.0  # seconds, as Datasette
# Pragmas that only report. Anything else a pragma does (journal_mode, writable_schema…) is
# refused.
READING_PRAGMAS = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "database_list", "collation_list", "function_list", "pragma_list",
    "compile_options", "page_count", "page_size", "freelist_count", "user_version",
})  # fmt: skip
_ALLOWED = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
            getattr(sqlite3, "SQLITE_RECURSIVE", 33)}  # fmt: skip
MAX_VALUE_BYTES = 16 * 1024 * 1024  # one string or blob of a result; articles are far smaller
_NEVER_FUNCTIONS = frozenset({"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"})


def _authorizer(
    action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None
) -> int:
    if action == sqlite3.SQLITE_PRAGMA:
        # A pragma with an argument sets something; without, most report.
        if (arg1 or "").lower() in READING_PRAGMAS:
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _NEVER_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK if action in _ALLOWED else sqlite3.SQLITE_DENY


def run_sql(
    db: sqlite_utils.Database, sql: str, time_limit: float = DEFAULT_TIME_LIMIT
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one reading statement; return column names and rows. Anything else, and anything
    that runs longer than `time_limit` seconds, is refused in one line. The connection must
    allow use from another thread (`open_readonly` gives one that does)."""
    conn = db.conn
    conn.set_authorizer(_authorizer)
    length = conn.getlimit(sqlite3.SQLITE_LIMIT_LENGTH)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            cursor = conn.execute(sql)
            outcome["columns"] = [c[0] for c in cursor.description or []]
            outcome["rows"] = cursor.fetchall()
        except Exception as exc:  # handed to the caller's thread below
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="newsalign-query", daemon=True)
    worker.start()
    try:
        worker.join(time_limit)
        timed_out = worker.is_alive()
        if timed_out:
            conn.interrupt()
            worker.join(1.0)
    except KeyboardInterrupt:
        conn.interrupt()
        raise
    if worker.is_alive():  # inside one function call SQLite cannot interrupt: left behind
        raise CorpusError(f"query stopped after {time_limit:g} s (--time-limit)")
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, length)
    conn.set_authorizer(None)
    if "error" not in outcome:
        return outcome["columns"], outcome["rows"]
    exc = outcome["error"]
    if timed_out and "interrupted" in str(exc):
        raise CorpusError(f"query stopped after {time_limit:g} s (--time-limit)")
    if isinstance(exc, sqlite3.Warning):  # "You can only execute one statement at a time."
        raise CorpusError(f"SQL error: {exc}")
    if "authoriz" in str(exc) or "prohibited" in str(exc):
        raise CorpusError(f"only reading queries are allowed ({exc})")
    if "too big" in str(exc):
        raise CorpusError(
            f"SQL error: {exc} (one value may hold at most {MAX_VALUE_BYTES // 2**20} MB)"
        )
    if isinstance(exc, sqlite3.Error | OverflowError | ValueError):
        raise CorpusError(f"SQL error: {exc}")
    raise exc
