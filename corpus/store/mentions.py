"""Glossary mentions in segments, and the naming-stance view built on them."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store.records import NameUse, from_row
from newsalign.glossary.match import Matcher, Term


def matcher(db: sqlite_utils.Database) -> Matcher:
    """A matcher over every spelling in the database's glossary."""
    return Matcher(
        Term(text, entity_id, name_id, spelling_id, lang)
        for spelling_id, text, name_id, entity_id, lang in db.execute(
            "SELECT s.id, s.text, s.name_id, n.entity_id, s.lang FROM spellings s "
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


def count(db: sqlite_utils.Database) -> int:
    """How many mentions the corpus has (in original text and translations)."""
    return db.execute("SELECT count(*) FROM mentions").fetchone()[0]


def refresh_mentions(db: sqlite_utils.Database, glossary_version: int) -> int:
    """Recompute every mention, in titles, bodies and their translations."""
    db.execute("DELETE FROM mentions")
    found = matcher(db)
    segments = db.execute("SELECT id, text FROM segments WHERE kind != 'boilerplate'")
    count = insert_mentions(db, found, segments, glossary_version)
    translations = db.execute("SELECT segment_id, text, id FROM translations")
    return count + insert_mentions(db, found, translations, glossary_version)


def names_used(
    db: sqlite_utils.Database, entity_key: str | None = None, doc_ids: list[int] | None = None
) -> list[NameUse]:
    """Per entity and outlet: which name the outlet used, how often, in which surface forms
    (of one entity, and of some documents, if given)."""
    conditions, params = [], []
    if entity_key:
        conditions.append("m.entity_key = ?")
        params.append(entity_key)
    if doc_ids is not None:
        conditions.append(f"m.doc_id IN ({','.join('?' * len(doc_ids)) or 'NULL'})")
        params += doc_ids
    where = "WHERE " + " AND ".join(conditions) if conditions else ""
    rows = db.query(
        f"""
        SELECT m.entity_key AS entity, m.entity_label AS label, m.source, m.name, m.usage,
               m.is_canonical AS canonical, count(*) AS mentions,
               group_concat(DISTINCT m.surface) AS surfaces,
               group_concat(DISTINCT m.doc_id) AS documents
        FROM original_mentions m {where}
        GROUP BY m.entity_id, m.source, m.name_id
        ORDER BY m.entity_key, m.source, mentions DESC, m.name
        """,
        params,
    )
    found = [from_row(NameUse, r) for r in rows]
    if entity_key and not found:
        exists = db.execute("SELECT 1 FROM entities WHERE key = ?", [entity_key]).fetchone()
        if not exists:
            raise CorpusError(f"no entity {entity_key!r} in the glossary")
    return found


def spans(
    db: sqlite_utils.Database, segment_ids: list[int]
) -> dict[int, list[tuple[int, int, str, str, str, str]]]:
    """Glossary mentions in the original text of segments: (start, end, place, name used,
    usage label, entity type) each, in reading order."""
    out: dict[int, list[tuple[int, int, str, str, str, str]]] = {}
    for k in range(0, len(segment_ids), 500):
        chunk = segment_ids[k : k + 500]
        for sid, start, end, place, name, usage, kind in db.execute(
            f'SELECT m.segment_id, m.start, m."end", m.entity_label, m.name, m.usage, e.type '
            f"FROM original_mentions m JOIN entities e ON e.id = m.entity_id "
            f"WHERE m.segment_id IN ({','.join('?' * len(chunk))}) "
            f"ORDER BY m.segment_id, m.start",
            chunk,
        ):
            out.setdefault(sid, []).append((start, end, place, name, usage or "", kind))
    return out


def surfaces(
    db: sqlite_utils.Database, segment_ids: Iterable[int]
) -> dict[int, list[tuple[str, str]]]:
    """(as written, glossary name) of each glossary name in the original text of the segments,
    in reading order."""
    ids = list(segment_ids)
    out: dict[int, list[tuple[str, str]]] = {}
    for sid, surface, name in db.execute(
        f"SELECT m.segment_id, m.surface, n.name FROM mentions m JOIN names n ON n.id = m.name_id "
        f"WHERE m.translation_id IS NULL AND m.segment_id IN ({','.join('?' * len(ids))}) "
        f"ORDER BY m.start",
        ids,
    ):
        out.setdefault(sid, []).append((surface, name))
    return out
