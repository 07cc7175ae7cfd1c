"""Migration 0006: Stories and their documents; each claim's story; each link's evidence.

Never edited once landed: change the schema with a new migration."""

from __future__ import annotations

import sqlite_utils

NAME = "0006_stories"


def apply(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            label TEXT NOT NULL,
            documents INTEGER NOT NULL,
            sources INTEGER NOT NULL,
            languages TEXT NOT NULL,
            first_published TEXT,
            last_published TEXT
        );
        CREATE TABLE story_documents (
            doc_id INTEGER PRIMARY KEY REFERENCES documents(id),
            story_id INTEGER NOT NULL REFERENCES stories(id)
        );
        CREATE INDEX idx_story_documents_story ON story_documents(story_id);
        ALTER TABLE clusters ADD COLUMN story_id INTEGER REFERENCES stories(id);
        -- The raw value of every feature behind a link's probability (contributions holds each
        -- feature's share of the log-odds).
        ALTER TABLE alignments ADD COLUMN evidence TEXT;
        """
    )
