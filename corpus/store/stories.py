"""Stories in the database: documents grouped by the event they report."""

from __future__ import annotations

from collections import defaultdict

import sqlite_utils

from newsalign.corpus.store.records import (
    ReviewLink,
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
    undated = dict(
        db.execute(
            "SELECT sd.story_id, count(*) FROM story_documents sd "
            "JOIN documents d ON d.id = sd.doc_id WHERE d.published IS NULL GROUP BY sd.story_id"
        ).fetchall()
    )
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
            undated=undated.get(r["id"], 0),
        )
        for r in rows
    ]


def timeline(db: sqlite_utils.Database, story_id: int) -> list[dict]:
    """The story's documents by date (a month-only date after the days it may mean, undated
    last), with their first body sentence (`lead`)."""
    return list(
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


def reports(db: sqlite_utils.Database, story_id: int, min_sources: int = 2) -> list[dict]:
    """Every report of the story's claims shared by `min_sources` outlets or more (a claim's
    member that is not a repeat), by date as `timeline` orders documents: its claim, outlet,
    document, sentence, date, language, text and English."""
    return list(
        db.query(
            f"""
            SELECT m.cluster_id, d.source AS outlet, d.id AS doc_id, s.id AS segment_id,
                   d.published, s.lang, s.text, coalesce(c.english, (SELECT t.text
                   FROM translations t WHERE t.segment_id = s.id AND t.target_lang = 'en'
                   ORDER BY t.id DESC LIMIT 1)) AS english
            FROM cluster_members m JOIN clusters k ON k.id = m.cluster_id
            JOIN segments s ON s.id = m.segment_id JOIN documents d ON d.id = s.doc_id
            LEFT JOIN claims c ON c.segment_id = s.id
            WHERE k.story_id = ? AND k.sources >= ? AND m.is_repeat = 0
            ORDER BY {_BY_DATE}, d.source, s.id
            """,
            [story_id, min_sources, UNDATED],
        )
    )


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


def exists(db: sqlite_utils.Database, story_id: int) -> bool:
    return db.execute("SELECT 1 FROM stories WHERE id = ?", [story_id]).fetchone() is not None


def documents_by_story(db: sqlite_utils.Database) -> dict[int, list[int]]:
    """Every stored story with its documents (current or not), each in id order."""
    out: dict[int, list[int]] = {}
    for doc, sid in db.execute("SELECT doc_id, story_id FROM story_documents ORDER BY doc_id"):
        out.setdefault(sid, []).append(doc)
    return out


def current_documents_by_story(
    db: sqlite_utils.Database, story: int | None = None
) -> dict[int, list[int]]:
    """The stored stories' current documents (of story `story` only, if given), by story id."""
    out: dict[int, list[int]] = defaultdict(list)
    for sid, doc in db.execute(
        "SELECT sd.story_id, sd.doc_id FROM story_documents sd JOIN current_documents d "
        "ON d.id = sd.doc_id WHERE :story IS NULL OR sd.story_id = :story "
        "ORDER BY sd.story_id, sd.doc_id",
        {"story": story},
    ):
        out[sid].append(doc)
    return dict(out)


def story_of_documents(db: sqlite_utils.Database) -> dict[int, int]:
    """The story of each document in one."""
    return dict(db.execute("SELECT doc_id, story_id FROM story_documents").fetchall())


def placed_documents(db: sqlite_utils.Database) -> list[tuple[int, int, str | None, str]]:
    """The current documents in stories: (document, story, published, language or '?'), in
    document id order."""
    return db.execute(
        "SELECT sd.doc_id, sd.story_id, d.published, coalesce(d.lang, '?') FROM story_documents "
        "sd JOIN current_documents d ON d.id = sd.doc_id ORDER BY sd.doc_id"
    ).fetchall()


def segment_ids(db: sqlite_utils.Database, story_id: int) -> set[int]:
    """Every segment of the story's documents."""
    return {
        r[0]
        for r in db.execute(
            "SELECT s.id FROM segments s JOIN story_documents sd ON sd.doc_id = s.doc_id "
            "WHERE sd.story_id = ?",
            [story_id],
        )
    }
