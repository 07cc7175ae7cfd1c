"""Arbitrary SQL from the user: reading only, and for a limited time.

The connection is read-only, and an authorizer allows only what reading needs (SELECT, reading
columns, functions, recursive CTEs, a few pragmas that report), so ATTACH (which would create a
file), VACUUM INTO (which would write a copy of the corpus), DETACH and pragmas that change state
are refused. A progress handler stops a query that runs past its time limit.
"""

from __future__ import annotations

import sqlite3
import time
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
    that runs longer than `time_limit` seconds, is refused in one line."""
    conn = db.conn
    deadline = time.monotonic() + time_limit
    conn.set_authorizer(_authorizer)
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        cursor = conn.execute(sql)
        columns = [c[0] for c in cursor.description or []]
        return columns, cursor.fetchall()
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise CorpusError(f"query stopped after {time_limit:g} s (--time-limit)") from None
        if "authoriz" in str(exc) or "prohibited" in str(exc):
            raise CorpusError(f"only reading queries are allowed ({exc})") from None
        raise CorpusError(f"SQL error: {exc}") from None
    except sqlite3.Warning as exc:  # "You can only execute one statement at a time."
        raise CorpusError(f"SQL error: {exc}") from None
    except (sqlite3.Error, OverflowError, ValueError) as exc:
        if "authoriz" in str(exc):
            raise CorpusError(f"only reading queries are allowed ({exc})") from None
        raise CorpusError(f"SQL error: {exc}") from None
    finally:
        conn.set_progress_handler(None, 0)
        conn.set_authorizer(None)
