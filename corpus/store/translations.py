"""Translations in the database: which segments need one, storing them with provenance and
mentions, and the ones that miss an expected glossary name."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import sqlite_utils

from newsalign.corpus.store.mentions import insert_mentions
from newsalign.corpus.store.records import TermMiss, decode_json
from newsalign.glossary.match import Matcher


def languages(db: sqlite_utils.Database, target: str, only: str | None = None) -> list[str]:
    """Source languages of current title and body segments, other than `target`."""
    rows = db.execute(
        "SELECT DISTINCT lang FROM text_segments WHERE lang IS NOT NULL AND lang != ? ORDER BY 1",
        [target],
    )
    return [r[0] for r in rows if only in (None, r[0])]


def segments_in(db: sqlite_utils.Database, lang: str) -> list[tuple[int, str]]:
    """(id, text) of the current title and body segments in `lang`, in id order."""
    return db.execute(
        "SELECT id, text FROM text_segments WHERE lang = ? ORDER BY id", [lang]
    ).fetchall()


def stored_keys(db: sqlite_utils.Database, target: str, lang: str) -> dict[int, set[str]]:
    """Per segment in `lang`: the cache keys of its stored translations into `target`."""
    keys: dict[int, set[str]] = defaultdict(set)
    for segment_id, key in db.execute(
        "SELECT t.segment_id, t.input_hash FROM translations t "
        "JOIN text_segments s ON s.id = t.segment_id "
        "WHERE t.target_lang = ? AND s.lang = ? AND t.input_hash IS NOT NULL",
        [target, lang],
    ):
        keys[segment_id].add(key)
    return keys


def insert(
    db: sqlite_utils.Database, rows: list[dict[str, Any]], found: Matcher, glossary_version: int
) -> None:
    """Store translations and the glossary mentions in them; the caller holds the transaction."""
    for row in rows:
        cursor = db.execute(
            "INSERT INTO translations (segment_id, target_lang, text, search_text, backend, model, "
            "path, glossary_version, names_mode, settings, terms, terms_missing, protection, run_id, "
            "created_at, input_hash) VALUES (:segment_id, :target_lang, :text, :search_text, "
            ":backend, :model, :path, :glossary_version, :names_mode, :settings, :terms, "
            ":terms_missing, :protection, :run_id, :created_at, :input_hash)",
            row,
        )
        insert_mentions(
            db, found, [(row["segment_id"], row["text"], cursor.lastrowid)], glossary_version
        )


def term_misses(db: sqlite_utils.Database, target: str = "en") -> list[TermMiss]:
    """Translations whose output lacks an expected glossary term, newest first."""
    rows = db.query(
        """
        SELECT t.id AS translation, t.segment_id AS segment, s.source, s.text AS original,
               t.text AS translation_text, t.terms, t.model
        FROM translations t JOIN text_segments s ON s.id = t.segment_id
        WHERE t.terms_missing > 0 AND t.target_lang = ? ORDER BY t.id DESC
        """,
        [target],
    )
    out = []
    for row in rows:
        terms = decode_json(row.pop("terms"), [])
        missing = tuple(t["expected"] for t in terms if not t["found"])
        out.append(TermMiss(**row, missing=missing))
    return out


def encode(value: Any) -> str:
    """A JSON column's text."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
