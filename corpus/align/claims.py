"""Claims in the database: choose candidates, gather features, align, store, and read back.

An align run replaces the previous alignments and clusters in one transaction; the run that
made them is recorded on every row.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from newsalign.corpus.align.embed import Embedder, ensure_embeddings, load_vectors
from newsalign.corpus.align.features import extract
from newsalign.corpus.align.scoring import Claim, Params, Result, align
from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store.database import RunLog, now

# A claim has substance: enough words and letters, and is not a byline or photo credit.
MIN_WORDS = 6
MIN_LETTERS = 30
_NOT_A_CLAIM = re.compile(r"^(by|von|photo|foto|source|quelle|read more|lesen sie)\b", re.I)


@dataclass(frozen=True)
class AlignReport:
    """What an align run did."""

    claims: int
    embedded: int
    pairs: int
    accepted: int
    clusters: int
    shared: int  # clusters with two or more sources
    method: str
    threshold: float
    run_id: int | None
    seconds: float


def is_claim(text: str) -> bool:
    """Substantial enough to be aligned."""
    words = len(text.split())
    letters = sum(ch.isalpha() for ch in text)
    return words >= MIN_WORDS and letters >= MIN_LETTERS and not _NOT_A_CLAIM.match(text)


def load_claims(db: sqlite_utils.Database, target: str = "en") -> list[Claim]:
    """Candidate claims: substantial body sentences of current documents, with their English
    (original or newest translation), glossary entities and facts."""
    rows = db.execute(
        """
        SELECT s.id, s.doc_id, d.source, s.lang, s.text,
               CASE WHEN s.lang = :target THEN s.text ELSE (
                   SELECT t.text FROM translations t WHERE t.segment_id = s.id
                   AND t.target_lang = :target ORDER BY t.id DESC LIMIT 1) END
        FROM segments s JOIN documents d ON d.id = s.doc_id
        WHERE d.is_current = 1 AND s.kind = 'body'
        ORDER BY s.id
        """,
        {"target": target},
    ).fetchall()
    entities: dict[int, set[int]] = defaultdict(set)
    for segment_id, entity_id in db.execute(
        "SELECT segment_id, entity_id FROM mentions WHERE translation_id IS NULL"
    ):
        entities[segment_id].add(entity_id)
    return [
        Claim(
            sid,
            doc,
            source,
            lang,
            text,
            english,
            frozenset(entities.get(sid, ())),
            extract(text, lang),
        )  # fmt: skip
        for sid, doc, source, lang, text, english in rows
        if is_claim(text)
    ]


def run_alignment(
    db: sqlite_utils.Database,
    embedder: Embedder | None,
    params: Params | None = None,
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> AlignReport:
    """Embed what is missing, align every claim across sources, store the result."""
    params = params or Params()
    start = time.perf_counter()
    claims = load_claims(db)
    if len({c.source for c in claims}) < 2:
        raise CorpusError("alignment needs claims from at least two sources")
    embedded, vectors = 0, None
    if embedder is not None and params.use_embeddings:
        ids = [c.id for c in claims]
        embedded = ensure_embeddings(db, embedder, ids, on_progress)
        vectors = load_vectors(db, embedder.name, ids)
    result = align(claims, vectors, params)
    run = RunLog(db, "align", {"threshold": params.threshold, "method": result.method,
                               "embedder": embedder.name if embedder else None})  # fmt: skip
    with db.atomic():
        run_id = run.ensure()
        _store(db, claims, result, params, run_id)
    accepted = sum(p.accepted for p in result.pairs)
    shared = sum(len({claims[m.index].source for m in c}) >= 2 for c in result.clusters)
    run.counts.update(claims=len(claims), accepted=accepted, clusters=len(result.clusters))
    run.finish()
    return AlignReport(len(claims), embedded, len(result.pairs), accepted, len(result.clusters),
                       shared, result.method, params.threshold, run_id, time.perf_counter() - start)  # fmt: skip


def _store(db, claims: list[Claim], result: Result, params: Params, run_id: int) -> None:
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


def list_claims(db: sqlite_utils.Database, min_sources: int = 2) -> list[dict[str, Any]]:
    """Clusters shared by at least `min_sources` outlets, most widely reported first."""
    clusters = list(db.query(
        "SELECT id, size, sources, languages, score FROM clusters WHERE sources >= ? "
        "ORDER BY sources DESC, size DESC, score DESC, id", [min_sources]))  # fmt: skip
    for cluster in clusters:
        members = _members(db, cluster["id"])
        cluster["outlets"] = sorted({m["source"] for m in members})
        first = next((m for m in members if m["english"]), members[0])
        cluster["claim"] = first["english"] or first["original"]
    return clusters


def _members(db, cluster_id: int) -> list[dict[str, Any]]:
    return list(db.query(
        """
        SELECT m.segment_id, m.is_repeat, m.repeat_of, c.source, c.lang, s.text AS original,
               c.english, c.english_from, c.facts, d.title, d.id AS doc_id
        FROM cluster_members m JOIN claims c ON c.segment_id = m.segment_id
        JOIN segments s ON s.id = m.segment_id JOIN documents d ON d.id = s.doc_id
        WHERE m.cluster_id = ? ORDER BY c.source, m.segment_id
        """, [cluster_id]))  # fmt: skip


def show_claim(db: sqlite_utils.Database, cluster_id: int) -> dict[str, Any]:
    """One cluster, side by side: outlet, language, original, English, names used, scores."""
    cluster = next(iter(db.query("SELECT * FROM clusters WHERE id = ?", [cluster_id])), None)
    if cluster is None:
        raise CorpusError(f"no claim {cluster_id} (see `newsalign claims list`)")
    members = _members(db, cluster_id)
    names = defaultdict(list)
    for segment_id, name, usage, surface in db.execute(
        f"""SELECT m.segment_id, n.name, n.usage, m.surface FROM mentions m
            JOIN names n ON n.id = m.name_id WHERE m.translation_id IS NULL
            AND m.segment_id IN ({",".join(str(m["segment_id"]) for m in members)})
            ORDER BY m.start"""
    ):
        names[segment_id].append({"name": name, "usage": usage, "surface": surface})
    for m in members:
        m["facts"] = json.loads(m["facts"])
        m["names"] = names.get(m["segment_id"], [])
    cluster["members"] = members
    cluster["alignments"] = list(db.query(
        "SELECT a_segment_id, b_segment_id, score, cosine, margin, contributions, method "
        "FROM alignments WHERE cluster_id = ? ORDER BY score DESC", [cluster_id]))  # fmt: skip
    for a in cluster["alignments"]:
        a["contributions"] = json.loads(a["contributions"])
    return cluster


def diff_claim(db: sqlite_utils.Database, cluster_id: int) -> dict[str, Any]:
    """What differs between the versions of a claim: numbers, dates, names, speakers.

    Each article's version is all its sentences in the cluster (a repeat may carry the number
    the first sentence left out).
    """
    cluster = show_claim(db, cluster_id)
    versions: dict[str, dict[str, set]] = {}
    for m in cluster["members"]:
        label = f"{m['source']} (document {m['doc_id']})"
        v = versions.setdefault(label, defaultdict(set))
        v["numbers"].update(_fmt(x) for x in m["facts"]["numbers"])
        v["dates"].update(m["facts"]["dates"])
        v["relative"].update(m["facts"]["relative"])
        v["names"].update(f"{n['name']} ({n['surface']})" for n in m["names"])
        v["speakers"].update(m["facts"]["speakers"])
    fields: dict[str, dict[str, list]] = {}
    for field in ("numbers", "dates", "relative", "names", "speakers"):
        values = {label: sorted(v[field]) for label, v in versions.items()}
        sets = [set(x) for x in values.values()]
        if any(sets) and any(x != sets[0] for x in sets):
            fields[field] = values
    return {"id": cluster_id, "versions": len(versions), "differences": fields}


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
