"""Stories in the database: documents grouped by the event they report."""

from __future__ import annotations

from collections import defaultdict

import sqlite_utils

from newsalign.corpus.errors import CorpusError
from newsalign.corpus.ingest.dates import precision
from newsalign.corpus.store.citations import cites_of
from newsalign.corpus.store.claims import summary_sentence
from newsalign.corpus.store.first import first_reporters
from newsalign.corpus.store.records import (
    Report,
    ReviewLink,
    StoryClaim,
    StoryDetail,
    StoryDocument,
    StorySummary,
    from_row,
)

UNDATED = "9999"  # sorts undated reports last
# A month-only or year-only date sorts after the days it may stand for ("2024-04" after
# "2024-04-17"): when in April it appeared is not known.
_BY_DATE = (
    "CASE length(d.published) WHEN 7 THEN d.published || '-99' WHEN 4 THEN "
    "d.published || '-99-99' ELSE coalesce(d.published, ?) END"
)


def list_stories(db: sqlite_utils.Database) -> list[StorySummary]:
    """Every story of the last align run, largest first, with its outlets and shared claims."""
    outlets: dict[int, set[str]] = defaultdict(set)
    for story_id, source in db.execute(
        "SELECT sd.story_id, d.source FROM story_documents sd JOIN documents d ON d.id = sd.doc_id"
    ):
        outlets[story_id].add(source)
    shared = dict(
        db.execute(
            "SELECT story_id, count(*) FROM clusters WHERE sources >= 2 GROUP BY story_id"
        ).fetchall()
    )
    rows = db.query("SELECT * FROM stories ORDER BY documents DESC, id")
    return [
        from_row(
            StorySummary,
            r,
            claims=shared.get(r["id"], 0),
            outlets=tuple(sorted(outlets.get(r["id"], ()))),
        )
        for r in rows
    ]


def story_detail(db: sqlite_utils.Database, story_id: int, min_sources: int = 2) -> StoryDetail:
    """A story's timeline, its claims shared by `min_sources` outlets or more (each with its
    first report), and their coverage by outlet."""
    summary = next((s for s in list_stories(db) if s.id == story_id), None)
    if summary is None:
        raise CorpusError(f"no story {story_id} (see `newsalign stories`)")
    rows = list(
        db.query(
            "SELECT d.id, d.source, d.lang, d.published, d.title, d.url, d.published_from, "
            "d.published_inferred, (SELECT b.text FROM "
            "segments b WHERE b.doc_id = d.id AND b.kind = 'body' ORDER BY b.idx LIMIT 1) AS lead "
            "FROM documents d "
            "JOIN story_documents sd ON sd.doc_id = d.id WHERE sd.story_id = ? "
            f"ORDER BY {_BY_DATE}, d.source, d.id",
            [story_id, UNDATED],
        )
    )
    cites = cites_of(db, [r["id"] for r in rows])
    documents = tuple(
        from_row(
            StoryDocument, r, cites=cites.get(r["id"], ()), precision=precision(r["published"])
        )
        for r in rows
    )
    reports: dict[int, list[Report]] = defaultdict(list)
    for row in db.query(
        f"""
        SELECT m.cluster_id, d.source AS outlet, d.id AS doc_id, s.id AS segment_id,
               d.published, s.lang, s.text, coalesce(c.english, (SELECT t.text FROM translations t
               WHERE t.segment_id = s.id AND t.target_lang = 'en' ORDER BY t.id DESC LIMIT 1))
               AS english
        FROM cluster_members m JOIN clusters k ON k.id = m.cluster_id
        JOIN segments s ON s.id = m.segment_id JOIN documents d ON d.id = s.doc_id
        LEFT JOIN claims c ON c.segment_id = s.id
        WHERE k.story_id = ? AND k.sources >= ? AND m.is_repeat = 0
        ORDER BY {_BY_DATE}, d.source, s.id
        """,
        [story_id, min_sources, UNDATED],
    ):
        cluster_id = row.pop("cluster_id")
        reports[cluster_id].append(from_row(Report, row, cites=cites.get(row["doc_id"], ())))
    claims = []
    for cluster_id, items in reports.items():
        first = first_reporters(items)
        lead = summary_sentence((r.segment_id, r.english, r.text) for r in items)
        claims.append(
            StoryClaim(
                cluster_id,
                lead,
                len({r.outlet for r in items}),
                tuple(items),
                first.outlets,
                first.published,
                first.cited_by,
            )
        )
    claims.sort(key=lambda c: (-c.sources, c.first_published or UNDATED, c.id))
    outlets = tuple(dict.fromkeys(d.source for d in documents))
    undated = sum(d.published is None for d in documents)
    return StoryDetail(summary, documents, tuple(claims), outlets, undated)


def review_links(db: sqlite_utils.Database, story_id: int, limit: int = 30) -> list[ReviewLink]:
    """Pairs of the story's sentences scored below the threshold but kept for a person to
    judge, most probable first."""
    rows = db.query(
        """
        SELECT l.a_segment_id, l.b_segment_id, l.score AS probability,
               da.source AS a_source, db.source AS b_source, sa.text AS a_text, sb.text AS b_text
        FROM alignments l
        JOIN segments sa ON sa.id = l.a_segment_id JOIN segments sb ON sb.id = l.b_segment_id
        JOIN documents da ON da.id = sa.doc_id JOIN documents db ON db.id = sb.doc_id
        JOIN story_documents sd ON sd.doc_id = da.id
        WHERE l.accepted = 0 AND sd.story_id = ?
        ORDER BY l.score DESC, l.a_segment_id, l.b_segment_id LIMIT ?
        """,
        [story_id, limit],
    )
    return [from_row(ReviewLink, r) for r in rows]
