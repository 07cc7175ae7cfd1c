"""The database schema as one ordered list of migrations, one module each.

A migration that has landed is never edited: change the schema by appending a new module to
MIGRATIONS. Each runs in its own transaction together with the row that records it, so a
failed migration leaves the database as it was. (0010 and 0011 were never released.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

from newsalign.corpus.store.migrations import (
    m0001_foundation,
    m0002_glossary,
    m0003_translation,
    m0004_alignment,
    m0005_views_and_cache_keys,
    m0006_stories,
    m0007_run_processes,
    m0008_metadata_and_decisions,
    m0009_encoding_confidence,
    m0012_review,
    m0013_headline_claims,
    m0014_dates_and_corrections,
    m0015_story_inputs,
    m0016_claim_review,
)

MIGRATIONS_TABLE = "_newsalign_migrations"
MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    (module.NAME, module.apply)
    for module in (
        m0001_foundation,
        m0002_glossary,
        m0003_translation,
        m0004_alignment,
        m0005_views_and_cache_keys,
        m0006_stories,
        m0007_run_processes,
        m0008_metadata_and_decisions,
        m0009_encoding_confidence,
        m0012_review,
        m0013_headline_claims,
        m0014_dates_and_corrections,
        m0015_story_inputs,
        m0016_claim_review,
    )
]


def applied(db: sqlite_utils.Database) -> list[str]:
    """Names of the migrations already applied, in order."""
    if MIGRATIONS_TABLE not in db.table_names():
        return []
    return [row[0] for row in db.execute(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY rowid")]


def pending(db: sqlite_utils.Database) -> list[str]:
    """Names of the migrations not yet applied."""
    done = set(applied(db))
    return [name for name, _ in MIGRATIONS if name not in done]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply every pending migration, each in its own transaction; return their names.

    Each takes the write lock first (BEGIN IMMEDIATE) and checks again that it is still
    pending, so two processes opening a new database at once do not both apply it."""
    ran = []
    for name, func in MIGRATIONS:
        if name in set(applied(db)):
            continue
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            if name not in set(applied(db)):
                db.execute(
                    f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} "
                    "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
                func(db)
                db.execute(
                    f"INSERT INTO {MIGRATIONS_TABLE} (name, applied_at) VALUES (?, ?)",
                    [name, datetime.now(UTC).isoformat(timespec="seconds")],
                )
                ran.append(name)
            db.conn.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
    return ran
