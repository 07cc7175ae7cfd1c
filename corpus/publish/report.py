"""The story report: everything an analyst reads about a story, gathered from the database.

`gather` collects records (timeline, claims with each outlet's version and what differs between
versions, naming per outlet, links to review, corrections); report_html.py turns them into one
self-contained HTML file. Nothing here prints or writes files.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from newsalign.corpus.align.differences import (
    UNSURE_CLAIM,
    Difference,
    Mark,
    Mention,
    compare,
    linker,
    marks,
)
from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store import claims as claims_store
from newsalign.corpus.store import doubt, mentions
from newsalign.corpus.store.decisions import list_decisions
from newsalign.corpus.store.records import (
    Decision,
    NameUse,
    Report,
    ReviewLink,
    StoryClaim,
    StoryDetail,
    StorySummary,
)
from newsalign.corpus.store.stories import list_stories, review_links, story_detail


@dataclass(frozen=True)
class Version:
    """One outlet's sentence of a claim, with its facts and names marked."""

    report: Report
    marks: tuple[Mark, ...]

    @property
    def label(self) -> str:
        return f"{self.report.outlet} ({self.report.doc_id})"


@dataclass(frozen=True)
class ClaimView:
    claim: StoryClaim
    versions: tuple[Version, ...]  # in order of publication, undated last
    differences: tuple[Difference, ...]
    score: float  # mean probability of its links
    support: dict[int, float] = field(default_factory=dict)  # member -> average to the others

    @property
    def disagreements(self) -> tuple[Difference, ...]:
        return tuple(d for d in self.differences if d.disagree)

    @property
    def unsure(self) -> bool:
        """Its links are too weak on average to call any difference a disagreement."""
        return self.score < UNSURE_CLAIM


@dataclass(frozen=True)
class StoryView:
    detail: StoryDetail
    claims: tuple[ClaimView, ...]
    naming: tuple[NameUse, ...]
    contested: tuple[str, ...]  # entity keys given two or more names within the story
    review: tuple[ReviewLink, ...]
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class ReportData:
    database: str
    generated: str
    aligned: str | None  # when the alignment shown was made
    method: str | None
    threshold: float | None
    stories: tuple[StoryView, ...]
    others: tuple[StorySummary, ...]  # stories not shown in full (single documents)
    documents: int
    outlets: int


def gather(
    db: sqlite_utils.Database, story_ids: list[int] | None = None, min_sources: int = 2
) -> ReportData:
    """The report of the named stories (default: every story of two or more documents)."""
    summaries = list_stories(db)
    if not summaries:
        raise CorpusError("no stories yet: run `newsalign align` (or `newsalign run`) first")
    known = {s.id for s in summaries}
    for story_id in story_ids or ():
        if story_id not in known:
            raise CorpusError(f"no story {story_id} (see `newsalign stories`)")
    chosen = story_ids or [s.id for s in summaries if s.documents >= 2]
    decisions = list_decisions(db)
    views = tuple(_story(db, story_id, min_sources, decisions) for story_id in chosen)
    run = db.execute(
        "SELECT finished_at, args FROM runs WHERE command = 'align' AND status = 'ok' "
        "ORDER BY id DESC LIMIT 1"
    ).fetchone()
    method = threshold = None
    if run:
        args = json.loads(run[1])
        method, threshold = args.get("method"), args.get("threshold")
    documents, outlets = db.execute(
        "SELECT count(*), count(DISTINCT source) FROM current_documents"
    ).fetchone()
    return ReportData(
        Path(db.conn.execute("PRAGMA database_list").fetchone()[2]).name,
        datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        run[0] if run else None,
        method,
        threshold,
        views,
        tuple(s for s in summaries if s.id not in chosen),
        documents,
        outlets,
    )


def _story(db, story_id: int, min_sources: int, decisions: list[Decision]) -> StoryView:
    detail = story_detail(db, story_id, min_sources)
    segment_ids = [r.segment_id for c in detail.claims for r in c.reports]
    found = mentions.spans(db, segment_ids)
    scores = dict(
        db.execute("SELECT id, score FROM clusters WHERE story_id = ?", [story_id]).fetchall()
    )
    support = doubt.member_support(db, [c.id for c in detail.claims])
    claims = []
    for claim in detail.claims:
        versions = tuple(
            Version(
                r, tuple(marks(r.text, r.lang, [Mention(*m) for m in found.get(r.segment_id, ())]))
            )
            for r in claim.reports
        )
        by_version: dict[str, list[Mark]] = defaultdict(list)
        segments: dict[str, set[int]] = defaultdict(set)
        for v in versions:
            by_version[v.label] += v.marks
            segments[v.label].add(v.report.segment_id)
        score = scores.get(claim.id, 0.0)
        linked = linker(segments, claims_store.link_scores(db, claim.id), score)
        claims.append(
            ClaimView(
                claim,
                versions,
                tuple(compare(by_version, linked)),
                score,
                support.get(claim.id, {}),
            )
        )
    doc_ids = [d.id for d in detail.documents]
    naming = mentions.names_used(db, doc_ids=doc_ids)
    names_of: dict[str, set[str]] = defaultdict(set)
    for use in naming:
        names_of[use.entity].add(use.name)
    in_story = set(segment_ids) | _story_segments(db, story_id)
    related = tuple(
        d for d in decisions if any(s.segment_id in in_story for _, a, b in d.pairs for s in (a, b))
    )
    return StoryView(
        detail,
        tuple(claims),
        tuple(naming),
        tuple(sorted(k for k, v in names_of.items() if len(v) > 1)),
        tuple(review_links(db, story_id)),
        related,
    )


def _story_segments(db, story_id: int) -> set[int]:
    return {
        r[0]
        for r in db.execute(
            "SELECT s.id FROM segments s JOIN story_documents sd ON sd.doc_id = s.doc_id "
            "WHERE sd.story_id = ?",
            [story_id],
        )
    }
