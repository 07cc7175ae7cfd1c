"""Migrations after 0009 (review decisions, headline claims), kept apart so that
migrations.py stays readable; migrations.MIGRATIONS lists them in order."""

from __future__ import annotations

import sqlite_utils


def m0012_review(db: sqlite_utils.Database) -> None:
    """Decisions may detach a sentence from every claim (action and link 'detach', the
    sentence named as both a and b); claim ids a run dissolved are remembered with their
    members, so an undo that rebuilds the same claim gives it its old id back."""
    statements = [
        """CREATE TABLE decisions_new (
            id INTEGER PRIMARY KEY,
            action TEXT NOT NULL
                CHECK (action IN ('reject', 'accept', 'split', 'merge', 'detach')),
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE decision_pairs_new (
            decision_id INTEGER NOT NULL REFERENCES decisions_new(id) ON DELETE CASCADE,
            link TEXT NOT NULL CHECK (link IN ('must', 'cannot', 'detach')),
            a_doc_key TEXT NOT NULL,
            a_hash TEXT NOT NULL,
            b_doc_key TEXT NOT NULL,
            b_hash TEXT NOT NULL
        )""",
        "INSERT INTO decisions_new SELECT id, action, note, created_at FROM decisions",
        "INSERT INTO decision_pairs_new SELECT decision_id, link, a_doc_key, a_hash, b_doc_key, "
        "b_hash FROM decision_pairs ORDER BY rowid",
        # The child first: dropping the parent while it has rows would cascade into it.
        "DROP TABLE decision_pairs",
        "DROP TABLE decisions",
        "ALTER TABLE decisions_new RENAME TO decisions",
        "ALTER TABLE decision_pairs_new RENAME TO decision_pairs",
        "CREATE INDEX idx_decision_pairs ON decision_pairs(decision_id)",
        # A claim id no current claim holds, with the member keys (JSON) it last had.
        """CREATE TABLE retired_ids (
            name TEXT NOT NULL,
            id INTEGER NOT NULL,
            members TEXT NOT NULL,
            PRIMARY KEY (name, id)
        )""",
    ]
    for statement in statements:
        db.execute(statement)


def m0013_headline_claims(db: sqlite_utils.Database) -> None:
    # Titles are aligned as claims too; a reader sees which member is a headline.
    db.execute("ALTER TABLE claims ADD COLUMN headline INTEGER NOT NULL DEFAULT 0")
