"""Migration 0014: what part of a document's date was inferred, a day read without its year,
and a person's corrections of a document's metadata.

Never edited once landed: change the schema with a new migration."""

from __future__ import annotations

import sqlite_utils

NAME = "0014_dates_and_corrections"


def apply(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        -- What part of `published` was inferred rather than read ('year'), and a day found
        -- without its year ('--05-27', from a dateline) kept until a year can be inferred.
        ALTER TABLE documents ADD COLUMN published_inferred TEXT;
        ALTER TABLE documents ADD COLUMN undated_day TEXT;
        -- A person's corrections of a document's metadata (`documents set`, or a re-ingest with
        -- an edited manifest or --source), by doc_key so that a new version of the file keeps
        -- them; the latest value of a field wins.
        CREATE TABLE document_corrections (
            id INTEGER PRIMARY KEY,
            doc_key TEXT NOT NULL,
            field TEXT NOT NULL CHECK (field IN ('outlet', 'url', 'date', 'language')),
            value TEXT,
            previous TEXT,
            how TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX idx_document_corrections_key ON document_corrections(doc_key);
        """
    )
