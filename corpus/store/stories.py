"""Stories in the database: documents grouped by the event they report."""

from __future__ import annotations

from collections import defaultdict

import sqlite_utils

from newsalign.corpus.store.records import StorySummary, from_row


def list_stories(db: sqlite_utils.Database) -> list[StorySummary]:
    """Every story of the last align run, largest first, with its outlets and shared claims."""
    outlets: dict[int, set[str]] = defaultdict(set)
    for story_id, source in db.execute(
        "SELECT sd.story_id, d.source FROM story_documents sd JOIN documents d ON d.id = sd.doc_id"
    ):
        outlets[story_id].add(source)
    shared = dict(db.execute(
        "SELECT story_id, count(*) FROM clusters WHERE sources >= 2 GROUP BY story_id"
    ).fetchall())  # fmt: skip
    rows = db.query("SELECT * FROM stories ORDER BY documents DESC, id")
    return [from_row(StorySummary, r, claims=shared.get(r["id"], 0),
                     outlets=tuple(sorted(outlets.get(r["id"], ())))) for r in rows]  # fmt: skip
