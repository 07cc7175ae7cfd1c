"""Migration 0001: Runs, documents, paragraphs and segments, with full-text search over a folded
copy of the segments' text.

Never edited once landed: change the schema with a new migration."""

from __future__ import annotations

import sqlite_utils

NAME = "0001_foundation"
FTS_TOKENIZE = "unicode61 remove_diacritics 2"


def apply(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            command TEXT NOT NULL,
            args TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL,
            counts TEXT,
            error TEXT
        );
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            doc_key TEXT NOT NULL,
            version INTEGER NOT NULL,
            previous_id INTEGER REFERENCES documents(id),
            is_current INTEGER NOT NULL DEFAULT 1,
            path TEXT,
            source TEXT NOT NULL,
            title TEXT,
            published TEXT,
            lang TEXT,
            lang_prob REAL,
            format TEXT NOT NULL,
            encoding TEXT NOT NULL,
            encoding_warning TEXT,
            sha256 TEXT NOT NULL UNIQUE,
            raw_chars INTEGER NOT NULL,
            clean_chars INTEGER NOT NULL,
            boilerplate_chars INTEGER NOT NULL,
            text TEXT NOT NULL,
            run_id INTEGER REFERENCES runs(id),
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX idx_documents_key ON documents(doc_key);
        CREATE TABLE paragraphs (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id),
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            lang TEXT,
            lang_prob REAL,
            lang_method TEXT
        );
        CREATE INDEX idx_paragraphs_doc ON paragraphs(doc_id);
        CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id),
            paragraph_id INTEGER REFERENCES paragraphs(id),
            idx INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('title', 'body', 'boilerplate')),
            reason TEXT,
            sentence INTEGER,
            start INTEGER,
            "end" INTEGER,
            line INTEGER,
            text TEXT NOT NULL,
            search_text TEXT NOT NULL,
            lang TEXT,
            lang_prob REAL,
            lang_method TEXT
        );
        CREATE INDEX idx_segments_doc ON segments(doc_id);
        """
    )
    # The index holds a folded copy of the text (see glossary.textnorm) so that "Xankendi" finds
    # "Xankəndi"; SQLite's own diacritics folding does not cover ə or ı.
    db["segments"].enable_fts(
        ["search_text"], fts_version="FTS5", tokenize=FTS_TOKENIZE, create_triggers=True
    )
