"""Glossary mentions in segments, and the naming-stance view built on them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils

from newsalign.corpus.errors import CorpusError
from newsalign.glossary.match import Matcher, Term


def matcher(db: sqlite_utils.Database) -> Matcher:
    """A matcher over every spelling in the database's glossary."""
    return Matcher(
        Term(text, entity_id, name_id, spelling_id)
        for spelling_id, text, name_id, entity_id in db.execute(
            "SELECT s.id, s.text, s.name_id, n.entity_id FROM spellings s "
            "JOIN names n ON n.id = s.name_id ORDER BY s.id"
        )
    )


def insert_mentions(
    db: sqlite_utils.Database,
    found: Matcher,
    texts: Iterable[tuple[int, str] | tuple[int, str, int | None]],
    glossary_version: int,
) -> int:
    """Store the mentions in (segment id, text[, translation id]) tuples; returns how many.

    Mentions in a translation carry its id; those in the original text have none.
    """
    rows = []
    for segment_id, text, *rest in texts:
        translation_id = rest[0] if rest else None
        for m in found.find(text):
            t = m.term
            rows.append(
                (
                    segment_id,
                    t.entity_id,
                    t.name_id,
                    t.spelling_id,
                    m.surface,
                    m.start,
                    m.end,
                    int(m.inflected),
                    glossary_version,
                    translation_id,
                )
            )
    db.conn.executemany(
        "INSERT INTO mentions (segment_id, entity_id, name_id, spelling_id, surface, start, "
        '"end", inflected, glossary_version, translation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        rows,
    )
    return len(rows)


def refresh_mentions(db: sqlite_utils.Database, glossary_version: int) -> int:
    """Recompute every mention, in titles, bodies and their translations."""
    db.execute("DELETE FROM mentions")
    found = matcher(db)
    segments = db.execute("SELECT id, text FROM segments WHERE kind != 'boilerplate'")
    count = insert_mentions(db, found, segments, glossary_version)
    translations = db.execute("SELECT segment_id, text, id FROM translations")
    return count + insert_mentions(db, found, translations, glossary_version)


def names_used(db: sqlite_utils.Database, entity_key: str | None = None) -> list[dict[str, Any]]:
    """Per entity and outlet: which name the outlet used, how often, in which surface forms."""
    where, params = "", []
    if entity_key:
        where = "AND e.key = ?"
        params.append(entity_key)
    rows = list(
        db.query(
            f"""
            SELECT e.key AS entity, e.label, d.source, n.name, n.usage,
                   n.is_canonical AS canonical, count(*) AS mentions,
                   group_concat(DISTINCT m.surface) AS surfaces,
                   group_concat(DISTINCT d.id) AS documents
            FROM mentions m
            JOIN segments s ON s.id = m.segment_id
            JOIN documents d ON d.id = s.doc_id AND d.is_current = 1
            JOIN names n ON n.id = m.name_id
            JOIN entities e ON e.id = m.entity_id
            WHERE s.kind != 'boilerplate' AND m.translation_id IS NULL {where}
            GROUP BY e.id, d.source, n.id
            ORDER BY e.key, d.source, mentions DESC, n.name
            """,
            params,
        )
    )
    if entity_key and not rows:
        exists = db.execute("SELECT 1 FROM entities WHERE key = ?", [entity_key]).fetchone()
        if not exists:
            raise CorpusError(f"no entity {entity_key!r} in the glossary")
    return rows
