"""Migration 0013: titles are aligned as claims too; a reader sees which member is a headline.

Never edited once landed: change the schema with a new migration."""

from __future__ import annotations

import sqlite_utils

NAME = "0013_headline_claims"
HEADLINE = "ALTER TABLE claims ADD COLUMN headline INTEGER NOT NULL DEFAULT 0"


def apply(db: sqlite_utils.Database) -> None:
    db.execute(HEADLINE)
