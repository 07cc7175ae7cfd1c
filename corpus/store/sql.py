"""Arbitrary SQL from the user, on a read-only connection."""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlite_utils

from newsalign.corpus.errors import CorpusError


def run_sql(db: sqlite_utils.Database, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run SQL on a (read-only) connection; return column names and rows."""
    try:
        cursor = db.execute(sql)
        columns = [c[0] for c in cursor.description or []]
        return columns, cursor.fetchall()
    except sqlite3.Error as exc:
        raise CorpusError(f"SQL error: {exc}") from None
