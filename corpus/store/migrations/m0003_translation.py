"""Migration 0003: The translation memory and translations, with full-text search over them;
mentions in translations.

Never edited once landed: change the schema with a new migration."""

from __future__ import annotations

import sqlite_utils

NAME = "0003_translation"
FTS_TOKENIZE = "unicode61 remove_diacritics 2"


def apply(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE tm (
            id INTEGER PRIMARY KEY,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source TEXT NOT NULL,
            source_norm TEXT NOT NULL,
            target TEXT NOT NULL,
            origin TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            UNIQUE (source_lang, target_lang, source_norm)
        );
        CREATE TABLE translations (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL REFERENCES segments(id),
            target_lang TEXT NOT NULL,
            text TEXT NOT NULL,
            search_text TEXT NOT NULL,
            backend TEXT NOT NULL,
            model TEXT NOT NULL,
            path TEXT NOT NULL,
            glossary_version INTEGER NOT NULL,
            names_mode TEXT NOT NULL,
            settings TEXT NOT NULL,
            terms TEXT NOT NULL,
            terms_missing INTEGER NOT NULL DEFAULT 0,
            protection TEXT NOT NULL,
            run_id INTEGER REFERENCES runs(id),
            created_at TEXT NOT NULL,
            UNIQUE (segment_id, target_lang, model, glossary_version, names_mode)
        );
        CREATE INDEX idx_translations_segment ON translations(segment_id);
        ALTER TABLE mentions ADD COLUMN translation_id INTEGER REFERENCES translations(id);
        -- Partial: nearly every mention has no translation, and a full index would lure the
        -- planner into scanning it for "translation_id IS NULL".
        CREATE INDEX idx_mentions_translation ON mentions(translation_id)
            WHERE translation_id IS NOT NULL;
        """
    )
    db["translations"].enable_fts(
        ["search_text"], fts_version="FTS5", tokenize=FTS_TOKENIZE, create_triggers=True
    )
