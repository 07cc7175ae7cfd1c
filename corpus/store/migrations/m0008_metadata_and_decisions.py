"""Migration 0008: Where a document's URL, outlet and date came from; a person's decisions; the
highest id ever given.

Never edited once landed: change the schema with a new migration."""

from __future__ import annotations

import sqlite_utils

NAME = "0008_metadata_and_decisions"


def apply(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        -- Where a document came from and how its outlet and date were learned: manifest, html
        -- (page metadata), page (a scrape's header, byline or footer), option, file.
        ALTER TABLE documents ADD COLUMN url TEXT;
        ALTER TABLE documents ADD COLUMN outlet_from TEXT;
        ALTER TABLE documents ADD COLUMN published_from TEXT;
        -- A person's corrections of the alignment. Each decision is kept as sentence pairs
        -- that must or cannot be one claim, the sentences named by their document (doc_key,
        -- stable across versions) and the hash of their text, so later runs apply them.
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            action TEXT NOT NULL CHECK (action IN ('reject', 'accept', 'split', 'merge')),
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE TABLE decision_pairs (
            decision_id INTEGER NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
            link TEXT NOT NULL CHECK (link IN ('must', 'cannot')),
            a_doc_key TEXT NOT NULL,
            a_hash TEXT NOT NULL,
            b_doc_key TEXT NOT NULL,
            b_hash TEXT NOT NULL
        );
        CREATE INDEX idx_decision_pairs ON decision_pairs(decision_id);
        -- The highest id ever given to a story or claim, so a new one never reuses the id of
        -- one that an earlier run had and a later run dissolved.
        CREATE TABLE id_marks (name TEXT PRIMARY KEY, last INTEGER NOT NULL);
        """
    )
