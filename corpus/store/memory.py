"""The translation memory table: import and lookup (the file formats are in
newsalign.translate.memory_formats)."""

from __future__ import annotations

import sqlite_utils

from newsalign.corpus.store.database import now, transaction
from newsalign.translate.memory_formats import Unit, normalize


def conflicts(units: list[Unit]) -> list[tuple[str, list[str]]]:
    """Sources a file gives more than one target (after normalisation), with their targets."""
    targets: dict[tuple[str, str, str], list[str]] = {}
    for u in units:
        key = (u.source_lang, u.target_lang, normalize(u.source))
        seen = targets.setdefault(key, [])
        if u.target not in seen:
            seen.append(u.target)
    return [(key[2], ts) for key, ts in targets.items() if len(ts) > 1]


def import_units(db: sqlite_utils.Database, units: list[Unit], origin: str) -> tuple[int, int]:
    """Store units in one transaction; a source already in memory is replaced (within one file,
    the last target of a source wins: see `conflicts`). Returns (new, replaced)."""
    new = replaced = 0
    with transaction(db):
        for u in units:
            key = [u.source_lang, u.target_lang, normalize(u.source)]
            exists = db.execute(
                "SELECT id FROM tm WHERE source_lang = ? AND target_lang = ? AND source_norm = ?",
                key,
            ).fetchone()
            if exists:
                db.execute(
                    "UPDATE tm SET source = ?, target = ?, origin = ?, imported_at = ? WHERE id = ?",
                    [u.source, u.target, origin, now(), exists[0]],
                )
                replaced += 1
            else:
                db.execute(
                    "INSERT INTO tm (source_lang, target_lang, source, source_norm, target, origin, "
                    "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [u.source_lang, u.target_lang, u.source, key[2], u.target, origin, now()],
                )
                new += 1
    return new, replaced


def lookup(
    db: sqlite_utils.Database, source: str, target: str, text: str
) -> tuple[str, str] | None:
    """The memory's translation of `text` (whitespace-normalised match) and its origin file."""
    row = db.execute(
        "SELECT target, origin FROM tm WHERE source_lang = ? AND target_lang = ? AND source_norm = ?",
        [source, target, normalize(text)],
    ).fetchone()
    return (row[0], row[1]) if row else None


def has_entries(db: sqlite_utils.Database, source: str, target: str) -> bool:
    """Whether the memory holds anything for this pair."""
    return (
        db.execute(
            "SELECT 1 FROM tm WHERE source_lang = ? AND target_lang = ? LIMIT 1", [source, target]
        ).fetchone()
        is not None
    )
