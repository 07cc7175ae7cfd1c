"""Migration 0012: decisions may detach a sentence from every claim (action and link 'detach',
the sentence named as both a and b); claim ids a run dissolved are kept with their members
(JSON), so an undo that rebuilds a claim gives it its old id back. The child table is dropped
first: dropping the parent while it has rows would cascade into it.

Never edited once landed: change the schema with a new migration."""

from __future__ import annotations

import sqlite_utils

NAME = "0012_review"
SCRIPT = """CREATE TABLE decisions_new (id INTEGER PRIMARY KEY, action TEXT NOT NULL CHECK (action IN
  ('reject', 'accept', 'split', 'merge', 'detach')), note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL);
CREATE TABLE decision_pairs_new (decision_id INTEGER NOT NULL REFERENCES decisions_new(id)
  ON DELETE CASCADE, link TEXT NOT NULL CHECK (link IN ('must', 'cannot', 'detach')),
  a_doc_key TEXT NOT NULL, a_hash TEXT NOT NULL, b_doc_key TEXT NOT NULL, b_hash TEXT NOT NULL);
INSERT INTO decisions_new SELECT id, action, note, created_at FROM decisions;
INSERT INTO decision_pairs_new SELECT decision_id, link, a_doc_key, a_hash, b_doc_key, b_hash
  FROM decision_pairs ORDER BY rowid;
DROP TABLE decision_pairs; DROP TABLE decisions;
ALTER TABLE decisions_new RENAME TO decisions;
ALTER TABLE decision_pairs_new RENAME TO decision_pairs;
CREATE INDEX idx_decision_pairs ON decision_pairs(decision_id);
CREATE TABLE retired_ids (name TEXT NOT NULL, id INTEGER NOT NULL, members TEXT NOT NULL,
  PRIMARY KEY (name, id))"""


def apply(db: sqlite_utils.Database) -> None:
    """One statement at a time, inside the transaction migrate() holds."""
    for statement in SCRIPT.split(";"):
        if statement.strip():
            db.execute(statement)
