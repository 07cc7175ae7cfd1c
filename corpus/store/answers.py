"""A person's answers to claim screens (migration 0016): one row per screen answered and one
per sentence judged on it, each sentence and the screen's label named by document key and text
hash (story-independent, like decisions.py), so every later `align` can honour them. Undoing a
screen marks it undone; its answers stop counting and the row stays as the record."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import sqlite_utils

from newsalign.corpus.store.database import now

Identity = tuple[str, str]  # (doc_key, text hash)


@dataclass(frozen=True)
class StoredAnswer:
    """One judged sentence: its screen, the claim's label and the sentence (by identity), and
    whether the person said it asserts the claim."""

    screen: int
    label: Identity
    sentence: Identity
    asserts: bool


@dataclass(frozen=True)
class ScreenRow:
    """One answered screen as stored."""

    id: int
    claim: int | None
    story: int | None
    label: Identity
    estimate: int | None
    created: str
    undone: str | None
    yes: int
    no: int


def record(
    db: sqlite_utils.Database,
    claim: int,
    story: int | None,
    label: Identity,
    judged: Iterable[tuple[Identity, bool]],
    estimate: int | None,
) -> int:
    """Store one answered screen and its judged sentences; returns the screen id. The caller
    holds the transaction."""
    at = now()
    screen = db.execute(
        "INSERT INTO review_screens (claim_id, story_id, label_doc_key, label_hash, estimate, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [claim, story, label[0], label[1], estimate, at],
    ).lastrowid
    db.conn.executemany(
        "INSERT OR REPLACE INTO review_answers (screen_id, label_doc_key, label_hash, doc_key, "
        "hash, asserts, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(screen, label[0], label[1], key, h, int(yes), at) for (key, h), yes in judged],
    )
    return int(screen)


def live(db: sqlite_utils.Database, doc_keys: Collection[str] | None = None) -> list[StoredAnswer]:
    """The answers of screens not undone, oldest screen first (`doc_keys`: only those whose
    label is in these documents)."""
    sql = (
        "SELECT a.screen_id, a.label_doc_key, a.label_hash, a.doc_key, a.hash, a.asserts "
        "FROM review_answers a JOIN review_screens s ON s.id = a.screen_id "
        "WHERE s.undone_at IS NULL"
    )
    params: list = []
    if doc_keys is not None:
        sql += " AND a.label_doc_key IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(sorted(doc_keys)))
    sql += " ORDER BY a.screen_id, a.rowid"
    return [
        StoredAnswer(s, (lk, lh), (k, h), bool(y)) for s, lk, lh, k, h, y in db.execute(sql, params)
    ]


def rows(db: sqlite_utils.Database) -> list[tuple]:
    """Every live answer as a row, in a fixed order: what alignment fingerprints hash."""
    return [(a.screen, *a.label, *a.sentence, int(a.asserts)) for a in live(db)]


def screens(db: sqlite_utils.Database, *, undone: bool = True) -> list[ScreenRow]:
    """Every answered screen, oldest first, with its yes/no counts (`undone`: those undone too)."""
    sql = (
        "SELECT s.id, s.claim_id, s.story_id, s.label_doc_key, s.label_hash, s.estimate, "
        "s.created_at, s.undone_at, "
        "(SELECT count(*) FROM review_answers a WHERE a.screen_id = s.id AND a.asserts = 1), "
        "(SELECT count(*) FROM review_answers a WHERE a.screen_id = s.id AND a.asserts = 0) "
        "FROM review_screens s"
    )
    if not undone:
        sql += " WHERE s.undone_at IS NULL"
    sql += " ORDER BY s.id"
    return [
        ScreenRow(i, c, st, (k, h), e, at, u, y, n)
        for i, c, st, k, h, e, at, u, y, n in db.execute(sql)
    ]


def undo(db: sqlite_utils.Database, screen: int) -> None:
    """Mark a screen undone. The caller holds the transaction and has checked it is live."""
    db.execute("UPDATE review_screens SET undone_at = ? WHERE id = ?", [now(), screen])


def labels(db: sqlite_utils.Database, story: int) -> dict[int, int]:
    """The label sentence of each stored claim of `story` -> the claim's id (its age: a claim
    with a lower id named its label earlier)."""
    return {
        label: cid
        for cid, label in db.execute(
            "SELECT id, label_segment_id FROM clusters WHERE story_id = ? "
            "AND label_segment_id IS NOT NULL ORDER BY id",
            [story],
        )
    }


def claim_of(db: sqlite_utils.Database, claim: int) -> tuple[int, int | None] | None:
    """A stored claim's (story, label sentence), or None when there is no such claim."""
    row = db.execute(
        "SELECT story_id, label_segment_id FROM clusters WHERE id = ?", [claim]
    ).fetchone()
    return None if row is None else (row[0], row[1])


def label_ages(db: sqlite_utils.Database) -> dict[int, int]:
    """Every sentence that ever labelled a claim -> the id of the first claim it labelled (its
    age: lower is older)."""
    return dict(db.execute("SELECT segment_id, age FROM claim_label_ages").fetchall())


def claim_labelled(db: sqlite_utils.Database, label: int) -> int | None:
    """The stored claim whose label is sentence `label` (None: none)."""
    row = db.execute(
        "SELECT id FROM clusters WHERE label_segment_id = ? ORDER BY id LIMIT 1", [label]
    ).fetchone()
    return None if row is None else row[0]


def unlabelled(db: sqlite_utils.Database, story: int) -> int:
    """How many stored claims of `story` have no label (aligned before claims had labels)."""
    return db.execute(
        "SELECT count(*) FROM clusters WHERE story_id = ? AND label_segment_id IS NULL", [story]
    ).fetchone()[0]
