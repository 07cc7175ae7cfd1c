"""Migration 0016: review by claim (issue 28).

`review_screens`: one row per screen a person answered (its claim as stored then, its story,
its label sentence by document key and text hash, the "of ~N" estimate shown, when, and when
it was undone: an undone screen's answers no longer count). `review_answers`: one row per
sentence judged on a screen, the person's yes (it asserts the claim) or no, each sentence and
the label named by document key and text hash, so the answers survive re-ingest and `align
--full` like the decisions do. `clusters.label_segment_id`: the sentence that states the claim
(its label, stable while the claim lives). `claim_label_ages`: every sentence that ever
labelled a claim, with the id of the first claim it labelled (its age: a claim keeps the oldest
label it holds, so an undone answer gives the claims their old labels back).

Never edited once landed: change the schema with a new migration."""

from __future__ import annotations

import sqlite_utils

NAME = "0016_claim_review"
SCRIPT = """CREATE TABLE review_screens (id INTEGER PRIMARY KEY,
  claim_id INTEGER, story_id INTEGER,
  label_doc_key TEXT NOT NULL, label_hash TEXT NOT NULL,
  estimate INTEGER, created_at TEXT NOT NULL, undone_at TEXT);
CREATE TABLE review_answers (screen_id INTEGER NOT NULL REFERENCES review_screens(id),
  label_doc_key TEXT NOT NULL, label_hash TEXT NOT NULL,
  doc_key TEXT NOT NULL, hash TEXT NOT NULL,
  asserts INTEGER NOT NULL CHECK (asserts IN (0, 1)),
  answered_at TEXT NOT NULL,
  PRIMARY KEY (screen_id, doc_key, hash));
CREATE INDEX idx_review_answers_label ON review_answers(label_doc_key);
CREATE TABLE claim_label_ages (segment_id INTEGER PRIMARY KEY, age INTEGER NOT NULL);
ALTER TABLE clusters ADD COLUMN label_segment_id INTEGER"""


def apply(db: sqlite_utils.Database) -> None:
    """One statement at a time, inside the transaction migrate() holds."""
    for statement in SCRIPT.split(";"):
        if statement.strip():
            db.execute(statement)
