"""The story report: everything an analyst reads about a story, gathered from the database.

`gather` collects records (timeline, claims with each outlet's version and what differs between
versions, naming per outlet, links to review, corrections) from views/ and store/;
report_html.py turns them into one self-contained HTML file. Nothing here prints or writes
files.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from newsalign.corpus.align.differences import UNSURE_CLAIM, Difference, Mark
from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store import claims as claims_store
from newsalign.corpus.store import mentions
from newsalign.corpus.store.database import database_path
from newsalign.corpus.store.decisions import list_decisions
from newsalign.corpus.store.documents import current_counts
from newsalign.corpus.store.records import (
    Decision,
    NameUse,
    Report,
    ReviewLink,
    StoryClaim,
    StoryDetail,
    StorySummary,
)
from newsalign.corpus.store.runs import last_run
from newsalign.corpus.store.stories import list_stories, review_links, segment_ids
from newsalign.corpus.views.claims import compare_versions, sentence_marks
from newsalign.corpus.views.stories import story_detail


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
    run = last_run(db, "align")
    documents, outlets = current_counts(db)
    return ReportData(
        Path(database_path(db)).name,
        datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        run.finished_at if run else None,
        run.args.get("method") if run else None,
        run.args.get("threshold") if run else None,
        views,
        tuple(s for s in summaries if s.id not in chosen),
        documents,
        outlets,
    )


def _story(db, story_id: int, min_sources: int, decisions: list[Decision]) -> StoryView:
    detail = story_detail(db, story_id, min_sources)
    found = sentence_marks(
        db, [(r.segment_id, r.text, r.lang) for c in detail.claims for r in c.reports]
    )
    scores = claims_store.story_scores(db, story_id)
    support = claims_store.member_support(db, [c.id for c in detail.claims])
    claims = []
    for claim in detail.claims:
        versions = tuple(Version(r, found[r.segment_id]) for r in claim.reports)
        by_label: dict[str, list[tuple[int, tuple[Mark, ...]]]] = defaultdict(list)
        for v in versions:
            by_label[v.label].append((v.report.segment_id, v.marks))
        score = scores.get(claim.id, 0.0)
        differences = compare_versions(db, claim.id, score, by_label)
        claims.append(
            ClaimView(claim, versions, tuple(differences), score, support.get(claim.id, {}))
        )
    doc_ids = [d.id for d in detail.documents]
    naming = mentions.names_used(db, doc_ids=doc_ids)
    names_of: dict[str, set[str]] = defaultdict(set)
    for use in naming:
        names_of[use.entity].add(use.name)
    in_story = set(found) | segment_ids(db, story_id)
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
