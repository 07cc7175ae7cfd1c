"""Claim candidates in the database: the title and body sentences an align run may put in
claims, with what alignment reads of them and of their documents, and the candidates an earlier
run stored (table `claims`, one row per candidate sentence of an aligned document)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence

import sqlite_utils

from newsalign.corpus.store.records import DocumentInfo


def candidate_rows(
    db: sqlite_utils.Database, target: str = "en", docs: Sequence[int] | None = None
) -> list[tuple]:
    """Title and body sentences of current documents (of `docs` only, if given): (segment id,
    document id, source, language, text, English text: the original, or the newest translation
    into `target`, kind: title or body), in id order."""
    only = "AND s.doc_id IN (SELECT value FROM json_each(:docs))" if docs is not None else ""
    return db.execute(
        f"""
        SELECT s.id, s.doc_id, s.source, s.lang, s.text,
               CASE WHEN s.lang = :target THEN s.text ELSE (
                   SELECT t.text FROM translations t WHERE t.segment_id = s.id
                   AND t.target_lang = :target ORDER BY t.id DESC LIMIT 1) END,
               s.kind
        FROM text_segments s
        WHERE s.kind IN ('title', 'body') {only}
        ORDER BY s.id
        """,
        {"target": target, "docs": json.dumps(sorted(docs or ()))},
    ).fetchall()


def documents_of(db: sqlite_utils.Database, doc_ids: list[int]) -> list[DocumentInfo]:
    """The current documents among `doc_ids`, in id order, with their title segments."""
    wanted = json.dumps(sorted(set(doc_ids)))
    titles: dict[int, list[str]] = defaultdict(list)
    for doc_id, text in db.execute(
        "SELECT doc_id, text FROM text_segments WHERE kind = 'title' "
        "AND doc_id IN (SELECT value FROM json_each(?)) ORDER BY doc_id, idx",
        [wanted],
    ):
        titles[doc_id].append(text)
    return [
        DocumentInfo(doc_id, source, lang, published, titles.get(doc_id, []))
        for doc_id, source, lang, published in db.execute(
            "SELECT id, source, lang, published FROM current_documents "
            "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            [wanted],
        )
    ]


def segment_entities(
    db: sqlite_utils.Database, docs: Sequence[int] | None = None
) -> dict[int, set[int]]:
    """The glossary entities each segment names in its original text (of `docs` only)."""
    only = (
        "AND segment_id IN (SELECT id FROM segments WHERE doc_id IN "
        "(SELECT value FROM json_each(?)))"
        if docs is not None
        else ""
    )
    entities: dict[int, set[int]] = defaultdict(set)
    for segment_id, entity_id in db.execute(
        f"SELECT segment_id, entity_id FROM mentions WHERE translation_id IS NULL {only}",
        [json.dumps(sorted(docs))] if docs is not None else [],
    ):
        entities[segment_id].add(entity_id)
    return entities


def stored(db: sqlite_utils.Database, docs: Sequence[int]) -> list[int]:
    """The segment ids of the candidates an earlier align run stored for `docs`."""
    return [
        sid
        for (sid,) in db.execute(
            "SELECT segment_id FROM claims WHERE doc_id IN (SELECT value FROM json_each(?))",
            [json.dumps(sorted(docs))],
        )
    ]


def current_document_ids(db: sqlite_utils.Database) -> list[int]:
    """Every current document, in id order."""
    return [d for (d,) in db.execute("SELECT id FROM current_documents ORDER BY id")]


def grouping_rows(db: sqlite_utils.Database) -> int:
    """At most how many sentence vectors story grouping reads of the current documents: every
    body sentence, and each title twice (a candidate, and the document's title)."""
    (upper,) = db.execute(
        "SELECT coalesce(sum(CASE kind WHEN 'title' THEN 2 ELSE 1 END), 0) FROM text_segments "
        "WHERE kind IN ('title', 'body') AND doc_id IN (SELECT id FROM current_documents)"
    ).fetchone()
    return upper


def published(db: sqlite_utils.Database, segment_ids: Sequence[int]) -> dict[int, str | None]:
    """The publication date of each segment's document."""
    marks = ",".join("?" * len(segment_ids))
    return dict(
        db.execute(
            f"SELECT s.id, d.published FROM segments s JOIN documents d ON d.id = s.doc_id "
            f"WHERE s.id IN ({marks})",
            list(segment_ids),
        ).fetchall()
    )
