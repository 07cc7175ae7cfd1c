"""Migration 0015: alignment per story.

`story_inputs`: what each stored story's alignment was computed from, as one hash (its
documents and their content, their translations, the decisions naming their sentences, and the
run's settings, weights and glossary); a story whose hash is unchanged is not aligned again.
`document_leads`: each aligned document's lead (the mean vector of its title and first claims,
not centred) by embedder, so that a new document finds its nearest stories without loading the
corpus. The indexes let one story's rows be found and replaced without reading the others.
No foreign keys: both are bookkeeping, replaced with the stories and never in the way of
deleting a story or a document.

Never edited once landed: change the schema with a new migration."""

from __future__ import annotations

import sqlite_utils

NAME = "0015_story_inputs"
SCRIPT = """CREATE TABLE story_inputs (story_id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL);
CREATE TABLE document_leads (doc_id INTEGER NOT NULL,
  model TEXT NOT NULL, lead BLOB NOT NULL, PRIMARY KEY (doc_id, model));
CREATE INDEX idx_claims_doc ON claims(doc_id);
CREATE INDEX idx_clusters_story ON clusters(story_id);
CREATE INDEX idx_alignments_cluster ON alignments(cluster_id)"""


def apply(db: sqlite_utils.Database) -> None:
    """One statement at a time, inside the transaction migrate() holds."""
    for statement in SCRIPT.split(";"):
        if statement.strip():
            db.execute(statement)
