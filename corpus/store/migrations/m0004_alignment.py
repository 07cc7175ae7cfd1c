"""Migration 0004: Alignment: embeddings (dropped by 0005), claim candidates (`claims`), claims
(`clusters`) with their members, and scored links (`alignments`).

Never edited once landed: change the schema with a new migration."""

from __future__ import annotations

import sqlite_utils

NAME = "0004_alignment"


def apply(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE embeddings (
            segment_id INTEGER PRIMARY KEY REFERENCES segments(id),
            model TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE claims (
            segment_id INTEGER PRIMARY KEY REFERENCES segments(id),
            doc_id INTEGER NOT NULL REFERENCES documents(id),
            source TEXT NOT NULL,
            lang TEXT,
            english TEXT,
            english_from TEXT NOT NULL,
            entities TEXT NOT NULL,
            facts TEXT NOT NULL,
            run_id INTEGER REFERENCES runs(id)
        );
        CREATE TABLE clusters (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            size INTEGER NOT NULL,
            sources INTEGER NOT NULL,
            languages TEXT NOT NULL,
            score REAL NOT NULL
        );
        CREATE TABLE cluster_members (
            cluster_id INTEGER NOT NULL REFERENCES clusters(id),
            segment_id INTEGER NOT NULL REFERENCES segments(id),
            is_repeat INTEGER NOT NULL DEFAULT 0,
            repeat_of INTEGER REFERENCES segments(id),
            PRIMARY KEY (cluster_id, segment_id)
        );
        CREATE TABLE alignments (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            a_segment_id INTEGER NOT NULL REFERENCES segments(id),
            b_segment_id INTEGER NOT NULL REFERENCES segments(id),
            score REAL NOT NULL,
            cosine REAL NOT NULL,
            margin REAL NOT NULL,
            contributions TEXT NOT NULL,
            method TEXT NOT NULL,
            threshold REAL NOT NULL,
            accepted INTEGER NOT NULL,
            cluster_id INTEGER REFERENCES clusters(id),
            created_at TEXT NOT NULL
        );
        CREATE INDEX idx_alignments_a ON alignments(a_segment_id);
        CREATE INDEX idx_alignments_b ON alignments(b_segment_id);
        CREATE INDEX idx_cluster_members_segment ON cluster_members(segment_id);
        """
    )
