"""Claims in the database: the rows an align run writes, and reading claims back as records.

An align run replaces the previous claims, alignments and clusters in one transaction; the run
that made them is recorded on every row.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from typing import TYPE_CHECKING

import sqlite_utils

from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store.database import now
from newsalign.corpus.store.records import (
    ClaimDetail,
    ClaimMember,
    ClaimSummary,
    Link,
    NameUsed,
    from_row,
)

if TYPE_CHECKING:
    from newsalign.corpus.align.scoring import Claim, Params, Result


def candidate_rows(db: sqlite_utils.Database, target: str = "en") -> list[tuple]:
    """Body sentences of current documents: (segment id, document id, source, language, text,
    English text: the original, or the newest translation into `target`), in id order."""
    return db.execute(
        """
        SELECT s.id, s.doc_id, s.source, s.lang, s.text,
               CASE WHEN s.lang = :target THEN s.text ELSE (
                   SELECT t.text FROM translations t WHERE t.segment_id = s.id
                   AND t.target_lang = :target ORDER BY t.id DESC LIMIT 1) END
        FROM text_segments s
        WHERE s.kind = 'body'
        ORDER BY s.id
        """,
        {"target": target},
    ).fetchall()


def segment_entities(db: sqlite_utils.Database) -> dict[int, set[int]]:
    """The glossary entities each segment names in its original text."""
    entities: dict[int, set[int]] = defaultdict(set)
    for segment_id, entity_id in db.execute(
        "SELECT segment_id, entity_id FROM mentions WHERE translation_id IS NULL"
    ):
        entities[segment_id].add(entity_id)
    return entities


def store_result(
    db: sqlite_utils.Database, claims: list[Claim], result: Result, params: Params, run_id: int
) -> None:
    """Replace the stored alignment with `result`; the caller holds the transaction."""
    for table in ("alignments", "cluster_members", "clusters", "claims"):
        db.execute(f"DELETE FROM {table}")
    db.conn.executemany(
        "INSERT INTO claims (segment_id, doc_id, source, lang, english, english_from, entities, "
        "facts, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(c.id, c.doc, c.source, c.lang, c.english,
          "original" if c.english == c.text else ("translation" if c.english else "none"),
          json.dumps(sorted(c.entities)), json.dumps(c.facts.as_dict()), run_id) for c in claims],
    )  # fmt: skip
    position = {m.index: c for c, members in enumerate(result.clusters) for m in members}
    scores: dict[int, list[float]] = defaultdict(list)
    for p in result.pairs:
        if p.accepted:  # both ends of an accepted pair are in one cluster
            scores[position[p.a]].append(p.score)
    cluster_of: dict[int, int] = {}
    for c, members in enumerate(result.clusters):
        indexes = [m.index for m in members]
        cluster_id = db.execute(
            "INSERT INTO clusters (run_id, size, sources, languages, score) VALUES (?, ?, ?, ?, ?)",
            [run_id, len(members), len({claims[i].source for i in indexes}),
             ",".join(sorted({claims[i].lang or "?" for i in indexes})),
             round(sum(scores[c]) / len(scores[c]), 4) if scores[c] else 0.0],
        ).lastrowid  # fmt: skip
        for m in members:
            cluster_of[m.index] = cluster_id
            db.execute(
                "INSERT INTO cluster_members (cluster_id, segment_id, is_repeat, repeat_of) "
                "VALUES (?, ?, ?, ?)",
                [cluster_id, claims[m.index].id, int(m.repeat_of is not None),
                 claims[m.repeat_of].id if m.repeat_of is not None else None],
            )  # fmt: skip
    created = now()
    db.conn.executemany(
        "INSERT INTO alignments (run_id, a_segment_id, b_segment_id, score, cosine, margin, "
        "contributions, method, threshold, accepted, cluster_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(run_id, claims[p.a].id, claims[p.b].id, round(p.score, 4), round(p.cosine, 4),
          round(p.margin, 4), json.dumps(p.contributions), result.method, params.threshold,
          int(p.accepted), cluster_of.get(p.a) if p.accepted else None, created)
         for p in result.pairs],
    )  # fmt: skip


def list_claims(db: sqlite_utils.Database, min_sources: int = 2) -> list[ClaimSummary]:
    """Clusters shared by at least `min_sources` outlets, most widely reported first."""
    clusters = list(db.query(
        "SELECT id, size, sources, languages, score FROM clusters WHERE sources >= ? "
        "ORDER BY sources DESC, size DESC, score DESC, id", [min_sources]))  # fmt: skip
    out = []
    for cluster in clusters:
        members = _members(db, cluster["id"])
        first = next((m for m in members if m.english), members[0])
        out.append(from_row(ClaimSummary, cluster, outlets=tuple(sorted({m.source for m in members})),
                            claim=first.english or first.original))  # fmt: skip
    return out


def _members(db, cluster_id: int) -> list[ClaimMember]:
    return [from_row(ClaimMember, row) for row in db.query(
        """
        SELECT m.segment_id, m.is_repeat, m.repeat_of, c.source, c.lang, s.text AS original,
               c.english, c.english_from, c.facts, d.title, d.id AS doc_id
        FROM cluster_members m JOIN claims c ON c.segment_id = m.segment_id
        JOIN segments s ON s.id = m.segment_id JOIN documents d ON d.id = s.doc_id
        WHERE m.cluster_id = ? ORDER BY c.source, m.segment_id
        """, [cluster_id])]  # fmt: skip


def show_claim(db: sqlite_utils.Database, cluster_id: int) -> ClaimDetail:
    """One cluster, side by side: outlet, language, original, English, names used, scores."""
    cluster = next(iter(db.query("SELECT * FROM clusters WHERE id = ?", [cluster_id])), None)
    if cluster is None:
        raise CorpusError(f"no claim {cluster_id} (see `newsalign claims list`)")
    members = _members(db, cluster_id)
    names: dict[int, list[NameUsed]] = defaultdict(list)
    for segment_id, name, usage, surface in db.execute(
        f"""SELECT m.segment_id, n.name, n.usage, m.surface FROM mentions m
            JOIN names n ON n.id = m.name_id WHERE m.translation_id IS NULL
            AND m.segment_id IN ({",".join(str(m.segment_id) for m in members)})
            ORDER BY m.start"""
    ):
        names[segment_id].append(NameUsed(name, usage, surface))
    links = db.query(
        "SELECT a_segment_id, b_segment_id, score, cosine, margin, contributions, method "
        "FROM alignments WHERE cluster_id = ? ORDER BY score DESC", [cluster_id])  # fmt: skip
    return from_row(
        ClaimDetail, cluster,
        members=tuple(dataclasses.replace(m, names=tuple(names.get(m.segment_id, ())))
                      for m in members),
        alignments=tuple(from_row(Link, row) for row in links),
    )  # fmt: skip
