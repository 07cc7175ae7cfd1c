"""Migration 0005: Views every query repeats (current documents, text segments, original mentions),
translation cache keys, and sentence vectors keyed by text hash and model (moved from
`embeddings`).

Never edited once landed: change the schema with a new migration."""

from __future__ import annotations

import hashlib

import sqlite_utils

NAME = "0005_views_and_cache_keys"


def apply(db: sqlite_utils.Database) -> None:
    # What nearly every query repeats, said once: current documents, their title and body
    # segments with the outlet, and mentions in original text (not in translations).
    db.executescript(
        """
        CREATE VIEW current_documents AS SELECT * FROM documents WHERE is_current = 1;
        CREATE VIEW text_segments AS
            SELECT s.*, d.source, d.title AS doc_title, d.published
            FROM segments s JOIN documents d ON d.id = s.doc_id
            WHERE d.is_current = 1 AND s.kind != 'boilerplate';
        CREATE VIEW original_mentions AS
            SELECT m.*, s.doc_id, s.kind, d.source, e.key AS entity_key, e.label AS entity_label,
                   n.name, n.usage, n.is_canonical
            FROM mentions m
            JOIN segments s ON s.id = m.segment_id
            JOIN documents d ON d.id = s.doc_id
            JOIN names n ON n.id = m.name_id
            JOIN entities e ON e.id = m.entity_id
            WHERE m.translation_id IS NULL AND d.is_current = 1 AND s.kind != 'boilerplate';
        -- A translation is reused while the text the translator saw is unchanged: the segment
        -- after glossary names were put in (see corpus/mt). Older rows have no hash and are
        -- kept as history; the next run translates their segments again.
        ALTER TABLE translations ADD COLUMN input_hash TEXT;
        CREATE INDEX idx_translations_input ON translations(segment_id, target_lang, input_hash);
        -- Sentence vectors keyed by what was embedded and by whom, so switching embedders back
        -- and forth, or re-ingesting the same sentence, never embeds it twice.
        CREATE TABLE sentence_vectors (
            text_hash TEXT NOT NULL,
            model TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (text_hash, model)
        );
        """
    )
    rows = db.execute(
        "SELECT s.text, e.model, e.dim, e.vector, e.created_at FROM embeddings e "
        "JOIN segments s ON s.id = e.segment_id"
    ).fetchall()
    db.conn.executemany(
        "INSERT OR IGNORE INTO sentence_vectors VALUES (?, ?, ?, ?, ?)",
        [
            (text_hash(text), model, dim, vector, created)
            for text, model, dim, vector, created in rows
        ],
    )
    db.execute("DROP TABLE embeddings")


def text_hash(text: str) -> str:
    """The cache key of a text as this migration wrote it: SHA-256 of its UTF-8 bytes, hex
    (kept here, not imported, so the migration stays what it was whatever the live code does)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
