"""A story as a reader is told it: its timeline (each document with where its date came from,
whom it cites and what it copies), each claim shared by two or more outlets with who reported it first and
who repeated it, and which outlet carried which claim."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import sqlite_utils

from newsalign.corpus.errors import CorpusError
from newsalign.corpus.ingest.dates import precision
from newsalign.corpus.store import stories
from newsalign.corpus.store.claims import claim_labels, labelled_sentence
from newsalign.corpus.store.records import (
    Report,
    StoryClaim,
    StoryDetail,
    StoryDocument,
    from_row,
)
from newsalign.corpus.views.citations import cites_of
from newsalign.corpus.views.copies import derived
from newsalign.corpus.views.first import first_reporters


def story_detail(db: sqlite_utils.Database, story_id: int, min_sources: int = 2) -> StoryDetail:
    """A story's timeline, its claims shared by `min_sources` outlets or more (each with its
    first report), and their coverage by outlet."""
    summary = next((s for s in stories.list_stories(db) if s.id == story_id), None)
    if summary is None:
        raise CorpusError(f"no story {story_id} (see `newsalign stories`)")
    rows = stories.timeline(db, story_id)
    cites = cites_of(db, [r["id"] for r in rows])
    copied = derived(db, [r["id"] for r in rows])
    documents = tuple(
        from_row(
            StoryDocument,
            r,
            cites=cites.get(r["id"], ()),
            precision=precision(r["published"]),
            derived_from=copied.get(r["id"], ()),
        )
        for r in rows
    )
    # A copy reports its original's report: for who was first it cites the original's outlet.
    sources = {
        r["id"]: tuple(
            dict.fromkeys(cites.get(r["id"], ()) + tuple(d.outlet for d in copied.get(r["id"], ())))
        )
        for r in rows
    }
    reports: dict[int, list[Report]] = defaultdict(list)
    for row in stories.reports(db, story_id, min_sources):
        cluster_id = row.pop("cluster_id")
        reports[cluster_id].append(from_row(Report, row, cites=cites.get(row["doc_id"], ())))
    claims = []
    labels = claim_labels(db, list(reports))
    for cluster_id, items in reports.items():
        first = first_reporters([replace(r, cites=sources.get(r.doc_id, ())) for r in items])
        lead = labelled_sentence(
            labels.get(cluster_id), [(r.segment_id, r.english, r.text) for r in items]
        )
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
    claims.sort(key=lambda c: (-c.sources, c.first_published or stories.UNDATED, c.id))
    outlets = tuple(dict.fromkeys(d.source for d in documents))
    undated = sum(d.published is None for d in documents)
    return StoryDetail(summary, documents, tuple(claims), outlets, undated)
