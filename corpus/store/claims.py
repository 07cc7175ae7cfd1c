"""Claims in the database: the rows an align run writes, and reading claims back as records.

The tables keep the names they were created with; in the code's words:

- `clusters`: claims, the groups of sentences a person reads ("claim 12"), each in a story;
- `cluster_members`: a claim's sentences (a repeat restates a member of its own article);
- `claims`: claim candidates, one row per sentence an align run considered (the store module
  candidates.py reads them); its `facts` column is written empty: a sentence's facts are read
  from its text when shown (views/claims.py), not stored;
- `alignments`: scored links between candidates, inside a claim or kept for review.

An align run replaces these rows for the stories it aligns in one transaction
(align/job/writing.py); the run that made them is recorded on every row.
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
    AlignmentCounts,
    AlignmentRows,
    ClaimDetail,
    ClaimMember,
    ClaimSummary,
    Link,
    NameUsed,
    WrittenBy,
    from_row,
)


def insert_rows(
    db: sqlite_utils.Database,
    run: WrittenBy,
    rows: AlignmentRows,
    story_ids: Sequence[int],
    cluster_ids: Sequence[int],
) -> None:
    """Write an align run's rows with the ids chosen for them (numbering.keep_ids). The caller
    holds the transaction and has deleted the rows these replace (delete_rows)."""
    run_id, method, threshold = run.run_id, run.method, run.threshold
    claims, stories, clusters, links = rows.candidates, rows.stories, rows.clusters, rows.links
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
            "INSERT INTO clusters (id, run_id, size, sources, languages, score, story_id, "
            "label_segment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                cluster_id,
                run_id,
                len(c.members),
                c.sources,
                c.languages,
                c.score,
                story_ids[c.story],
                c.label,
            ],
        )
        if c.label is not None:  # its age: the first claim it labelled
            db.execute(
                "INSERT OR IGNORE INTO claim_label_ages (segment_id, age) VALUES (?, ?)",
                [c.label, cluster_id],
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


def delete_rows(db: sqlite_utils.Database, stories: list[int] | None) -> None:
    """Delete what an align run replaces: every stored alignment row (None), or the rows of
    `stories` with their documents' candidates. The caller holds the transaction."""
    if stories is None:
        for table in (
            "alignments",
            "cluster_members",
            "clusters",
            "claims",
            "story_documents",
            "stories",
            "story_inputs",
        ):
            db.execute(f"DELETE FROM {table}")
        return
    gone = [json.dumps(sorted(stories))]
    docs = "SELECT doc_id FROM story_documents WHERE story_id IN (SELECT value FROM json_each(?))"
    for sql in (
        f"DELETE FROM alignments WHERE a_segment_id IN (SELECT segment_id FROM claims "
        f"WHERE doc_id IN ({docs}))",
        "DELETE FROM cluster_members WHERE cluster_id IN (SELECT id FROM clusters "
        "WHERE story_id IN (SELECT value FROM json_each(?)))",
        "DELETE FROM clusters WHERE story_id IN (SELECT value FROM json_each(?))",
        f"DELETE FROM claims WHERE doc_id IN ({docs})",
        "DELETE FROM story_documents WHERE story_id IN (SELECT value FROM json_each(?))",
        "DELETE FROM stories WHERE id IN (SELECT value FROM json_each(?))",
        "DELETE FROM story_inputs WHERE story_id IN (SELECT value FROM json_each(?))",
    ):
        db.execute(sql, gone)


def counts(db: sqlite_utils.Database) -> AlignmentCounts:
    """What the stored alignment holds."""

    def count(sql: str) -> int:
        return db.execute(sql).fetchone()[0]

    return AlignmentCounts(
        count("SELECT count(*) FROM claims"),
        count("SELECT count(*) FROM stories"),
        count("SELECT count(*) FROM alignments"),
        count("SELECT count(*) FROM alignments WHERE cluster_id IS NOT NULL"),
        count("SELECT count(*) FROM clusters"),
        count("SELECT count(*) FROM clusters WHERE sources >= 2"),
    )


def memberships(db: sqlite_utils.Database) -> dict[int, list[int]]:
    """Every sentence in a claim, with the claims it is in (a sentence may assert several),
    in claim id order."""
    where: dict[int, list[int]] = {}
    for s, c in db.execute(
        "SELECT segment_id, cluster_id FROM cluster_members ORDER BY cluster_id"
    ):
        where.setdefault(s, []).append(c)
    return where


def members_by_claim(db: sqlite_utils.Database) -> dict[int, set[int]]:
    """Every claim with its sentences (repeats included)."""
    out: dict[int, set[int]] = {}
    for cid, sid in db.execute("SELECT cluster_id, segment_id FROM cluster_members"):
        out.setdefault(cid, set()).add(sid)
    return out


def claim_holding(db: sqlite_utils.Database, a: int, b: int) -> int | None:
    """A claim both sentences are in (None: none is)."""
    row = db.execute(
        "SELECT x.cluster_id FROM cluster_members x JOIN cluster_members y "
        "ON y.cluster_id = x.cluster_id WHERE x.segment_id = ? AND y.segment_id = ?",
        [a, b],
    ).fetchone()
    return row[0] if row else None


def claims_with(db: sqlite_utils.Database, a: int, b: int) -> dict[int, list[int]]:
    """The claims either sentence is in, with all their sentences."""
    out: dict[int, list[int]] = {}
    for cid, sid in db.execute(
        "SELECT m.cluster_id, m.segment_id FROM cluster_members m WHERE m.cluster_id IN "
        "(SELECT cluster_id FROM cluster_members WHERE segment_id IN (?, ?))",
        [a, b],
    ):
        out.setdefault(cid, []).append(sid)
    return out


def story_scores(db: sqlite_utils.Database, story_id: int) -> dict[int, float]:
    """The mean link probability of each claim of a story."""
    return dict(
        db.execute("SELECT id, score FROM clusters WHERE story_id = ?", [story_id]).fetchall()
    )


# How firmly a sentence sits in its claim: the sum of the probabilities of its links inside the
# claim (links join sentences of different articles; pairs scored below the review floor were
# not kept and count as 0), and how many of the claim's sentences come from other articles.
# One definition for `member_support` (the report) and the Datasette view (canned.py).
SUPPORT_SUM = (
    "(SELECT coalesce(sum(l.score), 0) FROM alignments l WHERE l.cluster_id = {claim} "
    "AND {sentence} IN (l.a_segment_id, l.b_segment_id))"
)
SUPPORT_OTHERS = (
    "(SELECT count(*) FROM cluster_members o JOIN segments so ON so.id = o.segment_id "
    "WHERE o.cluster_id = {claim} AND so.doc_id != {document})"
)


def member_support(db: sqlite_utils.Database, claim_ids: list[int]) -> dict[int, dict[int, float]]:
    """{claim id: {sentence id: average probability to the claim's sentences of other
    articles}}, for the sentences that have some (SUPPORT_SUM / SUPPORT_OTHERS)."""
    out: dict[int, dict[int, float]] = {c: {} for c in claim_ids}
    total = SUPPORT_SUM.format(claim="m.cluster_id", sentence="m.segment_id")
    others = SUPPORT_OTHERS.format(claim="m.cluster_id", document="s.doc_id")
    for claim, sentence, summed, count in db.execute(
        f"SELECT m.cluster_id, m.segment_id, {total}, {others} FROM cluster_members m "
        "JOIN segments s ON s.id = m.segment_id "
        "WHERE m.cluster_id IN (SELECT value FROM json_each(?))",
        [json.dumps(claim_ids)],
    ):
        if count:
            out[claim][sentence] = round(summed / count, 4)
    return out


def summary_sentence(members: Iterable[tuple[int, str | None, str]]) -> str:
    """The sentence that stands for a claim everywhere it is listed (`claims list`, stories,
    the report), from its members' (segment id, English, original): a sentence written in
    English first, then an English translation, then an original; the first segment of those."""
    ranked = sorted(members, key=lambda m: (m[1] is None, m[1] is not None and m[1] != m[2], m[0]))
    if not ranked:
        return ""
    _, english, original = ranked[0]
    return english or original


def labelled_sentence(label: int | None, members: list[tuple[int, str | None, str]]) -> str:
    """The text a claim is named by: its label's (English where there is one), else, for a
    claim aligned before claims had labels, `summary_sentence` of its members."""
    for sid, english, original in members:
        if sid == label:
            return english or original
    return summary_sentence(members)


def claim_labels(db: sqlite_utils.Database, claim_ids: list[int]) -> dict[int, int | None]:
    """Each claim's label sentence (None: aligned before claims had labels)."""
    return dict(
        db.execute(
            "SELECT id, label_segment_id FROM clusters WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(claim_ids)],
        ).fetchall()
    )


def list_claims(db: sqlite_utils.Database, min_sources: int = 2) -> list[ClaimSummary]:
    """Clusters shared by at least `min_sources` outlets, most widely reported first."""
    clusters = list(
        db.query(
            "SELECT id, size, sources, languages, score, label_segment_id FROM clusters "
            "WHERE sources >= ? "
            "ORDER BY sources DESC, size DESC, score DESC, id",
            [min_sources],
        )
    )
    out = []
    for cluster in clusters:
        members = _members(db, cluster["id"])
        claim = labelled_sentence(
            cluster["label_segment_id"], [(m.segment_id, m.english, m.original) for m in members]
        )
        out.append(
            from_row(
                ClaimSummary,
                cluster,
                outlets=tuple(sorted({m.source for m in members})),
                claim=claim,
                label=cluster["label_segment_id"],
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
        label=cluster.get("label_segment_id"),
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
