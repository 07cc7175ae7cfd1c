"""Rows for the exports, streamed from SQLite cursors so memory stays flat on large corpora."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlite_utils


def count_claims(db: sqlite_utils.Database, min_sources: int) -> int:
    """How many claims `claim_records` gives (for progress)."""
    return db.conn.execute(
        "SELECT count(*) FROM clusters WHERE sources >= ?", [min_sources]
    ).fetchone()[0]


def count_documents(db: sqlite_utils.Database) -> int:
    """How many documents `document_records` gives (for progress)."""
    return db.conn.execute("SELECT count(*) FROM current_documents").fetchone()[0]


def claim_records(db: sqlite_utils.Database, min_sources: int) -> Iterator[dict[str, Any]]:
    """One record per cluster with its members, cluster by cluster."""
    clusters = db.conn.execute(
        "SELECT id, sources, languages, score FROM clusters WHERE sources >= ? ORDER BY id",
        [min_sources],
    )
    for cluster_id, sources, languages, score in clusters:
        members = []
        for row in db.conn.execute(
            """
            SELECT m.segment_id, c.source, c.lang, s.text, c.english, m.repeat_of,
                   (SELECT group_concat(DISTINCT n.name || ' (' || mm.surface || ')')
                    FROM mentions mm JOIN names n ON n.id = mm.name_id
                    WHERE mm.segment_id = m.segment_id AND mm.translation_id IS NULL)
            FROM cluster_members m JOIN claims c ON c.segment_id = m.segment_id
            JOIN segments s ON s.id = m.segment_id
            WHERE m.cluster_id = ? ORDER BY c.source, m.segment_id
            """,
            [cluster_id],
        ):
            segment_id, outlet, lang, original, english, repeat_of, names = row
            members.append(
                {
                    "segment": segment_id,
                    "outlet": outlet,
                    "language": lang,
                    "original": original,
                    "english": english,
                    "names": names.split(",") if names else [],
                    "repeat_of": repeat_of,
                }
            )
        yield {
            "claim": cluster_id,
            "sources": sources,
            "languages": languages.split(","),
            "score": score,
            "members": members,
        }


def aligned_pairs(
    db: sqlite_utils.Database, source: str, target: str
) -> Iterator[tuple[str, str, float]]:
    """Links inside claims between a `source` and a `target` sentence: (source text, target
    text, probability), each source sentence once, with its most probable partner."""
    rows = db.conn.execute(
        """
        SELECT CASE WHEN sa.lang = :s THEN sa.id ELSE sb.id END AS src_id,
               CASE WHEN sa.lang = :s THEN sa.text ELSE sb.text END AS src,
               CASE WHEN sa.lang = :s THEN sb.text ELSE sa.text END AS tgt, l.score
        FROM alignments l
        JOIN segments sa ON sa.id = l.a_segment_id JOIN segments sb ON sb.id = l.b_segment_id
        WHERE l.accepted = 1 AND ((sa.lang = :s AND sb.lang = :t) OR (sa.lang = :t AND sb.lang = :s))
        ORDER BY src_id, l.score DESC, l.id
        """,
        {"s": source, "t": target},
    )
    last = None
    for src_id, src, tgt, score in rows:
        if src_id != last:
            yield src, tgt, score
        last = src_id


def count_aligned_pairs(db: sqlite_utils.Database, source: str, target: str) -> int:
    """How many pairs `aligned_pairs` gives (for progress): its source sentences."""
    return db.conn.execute(
        """
        SELECT count(DISTINCT CASE WHEN sa.lang = :s THEN sa.id ELSE sb.id END)
        FROM alignments l
        JOIN segments sa ON sa.id = l.a_segment_id JOIN segments sb ON sb.id = l.b_segment_id
        WHERE l.accepted = 1 AND ((sa.lang = :s AND sb.lang = :t) OR (sa.lang = :t AND sb.lang = :s))
        """,
        {"s": source, "t": target},
    ).fetchone()[0]


def document_records(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    """Current documents, one record each, with segments, languages, translations, mentions."""
    documents = db.conn.execute(
        "SELECT id, source, title, published, lang, lang_prob, path, sha256, version, ingested_at "
        "FROM current_documents ORDER BY id"
    )
    for doc_id, source, title, published, lang, prob, path, sha, version, ingested in documents:
        translations: dict[int, list[dict[str, Any]]] = {}
        for sid, target, text, model, backend in db.conn.execute(
            "SELECT t.segment_id, t.target_lang, t.text, t.model, t.backend FROM translations t "
            "JOIN segments s ON s.id = t.segment_id WHERE s.doc_id = ? ORDER BY t.id",
            [doc_id],
        ):
            translations.setdefault(sid, []).append(
                {"to": target, "text": text, "model": model, "backend": backend}
            )
        mentions: dict[int, list[dict[str, Any]]] = {}
        for sid, key, name, surface, start, end in db.conn.execute(
            'SELECT m.segment_id, e.key, n.name, m.surface, m.start, m."end" FROM mentions m '
            "JOIN entities e ON e.id = m.entity_id JOIN names n ON n.id = m.name_id "
            "WHERE m.segment_id IN (SELECT id FROM segments WHERE doc_id = ?) "
            "AND m.translation_id IS NULL ORDER BY m.segment_id, m.start",
            [doc_id],
        ):
            mentions.setdefault(sid, []).append(
                {"entity": key, "name": name, "surface": surface, "start": start, "end": end}
            )
        segments = [
            {
                "id": sid,
                "kind": kind,
                "text": text,
                "lang": slang,
                "lang_prob": sprob,
                "start": start,
                "end": end,
                "reason": reason,
                "translations": translations.get(sid, []),
                "mentions": mentions.get(sid, []),
            }
            for sid, kind, text, slang, sprob, start, end, reason in db.conn.execute(
                'SELECT id, kind, text, lang, lang_prob, start, "end", reason FROM segments '
                "WHERE doc_id = ? ORDER BY idx",
                [doc_id],
            )
        ]
        yield {
            "id": doc_id,
            "source": source,
            "title": title,
            "published": published,
            "lang": lang,
            "lang_prob": prob,
            "path": path,
            "sha256": sha,
            "version": version,
            "ingested_at": ingested,
            "segments": segments,
        }
