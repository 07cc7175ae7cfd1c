"""Migration 0009: How sure ingest was of a non-UTF-8 encoding.

Never edited once landed: change the schema with a new migration."""

from __future__ import annotations

import sqlite_utils

NAME = "0009_encoding_confidence"


def apply(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        -- How sure ingest was of the encoding of text that was not UTF-8 (1.0 for UTF-8 and
        -- UTF-16, which are read, not guessed).
        ALTER TABLE documents ADD COLUMN encoding_confidence REAL;
        """
    )
