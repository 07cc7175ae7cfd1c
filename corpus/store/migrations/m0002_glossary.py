"""Migration 0002: The place-name glossary (entities, names, spellings, versions) and its mentions
in segments.

Never edited once landed: change the schema with a new migration."""

from __future__ import annotations

import sqlite_utils

NAME = "0002_glossary"


def apply(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            label TEXT NOT NULL,
            geonames_id TEXT NOT NULL DEFAULT '',
            wikidata_id TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE names (
            id INTEGER PRIMARY KEY,
            entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            usage TEXT NOT NULL DEFAULT '',
            is_canonical INTEGER NOT NULL DEFAULT 0,
            valid_from TEXT NOT NULL DEFAULT '',
            valid_to TEXT NOT NULL DEFAULT '',
            UNIQUE (entity_id, name)
        );
        CREATE TABLE spellings (
            id INTEGER PRIMARY KEY,
            name_id INTEGER NOT NULL REFERENCES names(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            lang TEXT NOT NULL DEFAULT '',
            script TEXT NOT NULL,
            form TEXT NOT NULL,
            UNIQUE (name_id, text, lang)
        );
        CREATE INDEX idx_spellings_form ON spellings(form);
        CREATE TABLE glossary_versions (
            version INTEGER PRIMARY KEY,
            changed_at TEXT NOT NULL,
            change TEXT NOT NULL
        );
        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL REFERENCES segments(id),
            entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            name_id INTEGER NOT NULL REFERENCES names(id) ON DELETE CASCADE,
            spelling_id INTEGER NOT NULL REFERENCES spellings(id) ON DELETE CASCADE,
            surface TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            inflected INTEGER NOT NULL DEFAULT 0,
            glossary_version INTEGER NOT NULL
        );
        CREATE INDEX idx_mentions_segment ON mentions(segment_id);
        CREATE INDEX idx_mentions_entity ON mentions(entity_id);
        """
    )
