"""Claims in the database: the rows an align run writes, and reading claims back as records.

An align run replaces the claims, alignments and clusters of the stories it aligns in one
transaction (align/chunks.py); the run that made them is recorded on every row.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence

import sqlite_utils

from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store.database import now
from newsalign.corpus.store.records import (
    ClaimDetail,
    ClaimMember,
    ClaimRow,
    ClaimSummary,
    ClusterRow,
    DocumentInfo,
    Link,
    LinkRow,
    NameUsed,
    StoryRow,
    from_row,
)


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


def insert_rows(
    db: sqlite_utils.Database,
    run_id: int,
    method: str,
    threshold: float,
    claims: list[ClaimRow],
    stories: list[StoryRow],
    clusters: list[ClusterRow],
    links: list[LinkRow],
    story_ids: Sequence[int],
    cluster_ids: Sequence[int],
) -> None:
    """Write an align run's rows with the ids chosen for them (numbering.keep_ids): `clusters`
    name their story by its index in `stories`, `links` their claim by its index in `clusters`.
    The caller holds the transaction and has deleted the rows these replace (align/chunks.py)."""
    db.conn.executemany(
        "INSERT INTO claims (segment_id, doc_id, source, lang, english, english_from, entities, "
        "facts, run_id, headline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                c.segment_id,
                c.doc_id,
                c.source,
                c.lang,
                c.english,
                c.english_from,
                json.dumps(list(c.entities)),
                json.dumps(c.facts),
                run_id,
                int(c.headline),
            )
            for c in claims
        ],
    )
    for story_id, s in zip(story_ids, stories, strict=True):
        db.execute(
            "INSERT INTO stories (id, run_id, label, documents, sources, languages, "
            "first_published, last_published) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                story_id,
                run_id,
                s.label,
                len(s.documents),
                s.sources,
                s.languages,
                s.first_published,
                s.last_published,
            ],
        )
        db.conn.executemany(
            "INSERT INTO story_documents (doc_id, story_id) VALUES (?, ?)",
            [(d, story_id) for d in s.documents],
        )
    for cluster_id, c in zip(cluster_ids, clusters, strict=True):
        db.execute(
            "INSERT INTO clusters (id, run_id, size, sources, languages, score, story_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                cluster_id,
                run_id,
                len(c.members),
                c.sources,
                c.languages,
                c.score,
                story_ids[c.story],
            ],
        )
        db.conn.executemany(
            "INSERT INTO cluster_members (cluster_id, segment_id, is_repeat, repeat_of) "
            "VALUES (?, ?, ?, ?)",
            [(cluster_id, sid, int(rep is not None), rep) for sid, rep in c.members],
        )
    created = now()
    db.conn.executemany(
        "INSERT INTO alignments (run_id, a_segment_id, b_segment_id, score, cosine, margin, "
        "contributions, method, threshold, accepted, cluster_id, created_at, evidence) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                run_id,
                link.a,
                link.b,
                round(link.probability, 4),
                round(link.cosine, 4),
                round(link.gap, 4),
                json.dumps(link.contributions),
                method,
                threshold,
                int(link.cluster is not None),
                cluster_ids[link.cluster] if link.cluster is not None else None,
                created,
                json.dumps(link.evidence),
            )
            for link in links
        ],
    )


def summary_sentence(members: Iterable[tuple[int, str | None, str]]) -> str:
    """The sentence that stands for a claim everywhere it is listed (`claims list`, stories,
    the report), from its members' (segment id, English, original): a sentence written in
    English first, then an English translation, then an original; the first segment of those."""
    ranked = sorted(members, key=lambda m: (m[1] is None, m[1] is not None and m[1] != m[2], m[0]))
    if not ranked:
        return ""
    _, english, original = ranked[0]
    return english or original


def list_claims(db: sqlite_utils.Database, min_sources: int = 2) -> list[ClaimSummary]:
    """Clusters shared by at least `min_sources` outlets, most widely reported first."""
    clusters = list(
        db.query(
            "SELECT id, size, sources, languages, score FROM clusters WHERE sources >= ? "
            "ORDER BY sources DESC, size DESC, score DESC, id",
            [min_sources],
        )
    )
    out = []
    for cluster in clusters:
        members = _members(db, cluster["id"])
        claim = summary_sentence((m.segment_id, m.english, m.original) for m in members)
        out.append(
            from_row(
                ClaimSummary,
                cluster,
                outlets=tuple(sorted({m.source for m in members})),
                claim=claim,
            )
        )
    return out


def _members(db, cluster_id: int) -> list[ClaimMember]:
    return [
        from_row(ClaimMember, row)
        for row in db.query(
            """
        SELECT m.segment_id, m.is_repeat, m.repeat_of, c.source, c.lang, s.text AS original,
               coalesce(c.english, t.text) AS english,
               CASE WHEN c.english IS NULL AND t.text IS NOT NULL
                    THEN 'translation (made after the last align)' ELSE c.english_from END
                    AS english_from, c.facts, d.title, d.id AS doc_id, c.headline
        FROM cluster_members m JOIN claims c ON c.segment_id = m.segment_id
        JOIN segments s ON s.id = m.segment_id JOIN documents d ON d.id = s.doc_id
        LEFT JOIN (SELECT segment_id, text, max(id) FROM translations WHERE target_lang = 'en'
                   GROUP BY segment_id) t ON t.segment_id = m.segment_id
        WHERE m.cluster_id = ? ORDER BY c.source, m.segment_id
        """,
            [cluster_id],
        )
    ]


def link_scores(db: sqlite_utils.Database, cluster_id: int) -> dict[tuple[int, int], float]:
    """The probability of each linked sentence pair of a claim, keyed (smaller, larger id)."""
    return {
        (min(a, b), max(a, b)): score
        for a, b, score in db.execute(
            "SELECT a_segment_id, b_segment_id, score FROM alignments WHERE cluster_id = ?",
            [cluster_id],
        )
    }


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
        "SELECT a_segment_id, b_segment_id, score, cosine, margin, contributions, method, evidence "
        "FROM alignments WHERE cluster_id = ? ORDER BY score DESC",
        [cluster_id],
    )
    also: dict[int, list[int]] = defaultdict(list)
    for segment_id, other in db.execute(
        f"""SELECT segment_id, cluster_id FROM cluster_members WHERE cluster_id != ?
            AND segment_id IN ({",".join(str(m.segment_id) for m in members)})
            ORDER BY cluster_id""",
        [cluster_id],
    ):
        also[segment_id].append(other)
    return from_row(
        ClaimDetail,
        cluster,
        members=tuple(
            dataclasses.replace(
                m,
                names=tuple(names.get(m.segment_id, ())),
                also_in=tuple(also.get(m.segment_id, ())),
            )
            for m in members
        ),
        alignments=tuple(from_row(Link, row) for row in links),
    )
