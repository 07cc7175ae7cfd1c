"""`newsalign align`, the job: set up once, plan on what the database holds (every story, or
only those that changed: planning.py), write in one transaction (writing.py), and report what
the stored alignment then holds. When the inputs are those of the last run, nothing is done.

The run is planned on what it reads, then written in one transaction; if another process
committed in between (an align, an ingest, a decision), it is planned again, and after
ATTEMPTS plans it is planned inside the write transaction, where nothing can move."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from newsalign.corpus.align.embedders import Embedder
from newsalign.corpus.align.job import fingerprint, planning
from newsalign.corpus.align.job.setup import Settings, Setup
from newsalign.corpus.align.job.vectors import Embedding, ensure_embeddings
from newsalign.corpus.align.job.writing import align_and_write, embed_missing
from newsalign.corpus.align.model import LogisticModel
from newsalign.corpus.align.pairs import Edges
from newsalign.corpus.store import claims as claims_db
from newsalign.corpus.store.database import Moved, RunLog, data_version, transaction

# Plans made on what was read, outside the write lock, before one is made inside it.
ATTEMPTS = 3


@dataclass(frozen=True)
class AlignReport:
    """What an align run did (`claims`: claim candidates stored; `clusters`: claims)."""

    claims: int
    embedded: int
    stories: int
    pairs: int  # scored pairs kept (probability >= the review floor or inside a claim)
    accepted: int  # links inside claims
    clusters: int
    shared: int  # claims with two or more sources
    method: str
    threshold: float
    bridge: bool  # whether the German-English dictionary was used
    run_id: int | None
    seconds: float
    decisions: int = 0  # a person's must/cannot pairs applied
    decisions_unapplied: int = 0  # pairs naming a sentence no longer a claim, or overruled
    unchanged_since: int | None = None  # nothing changed since this align run: no work done
    realigned: int | None = None  # stories aligned again by an incremental run (None: full)
    kept: int | None = None  # stories an incremental run left as they were


def run_alignment(
    db: sqlite_utils.Database,
    settings: Settings | None = None,
    *,
    embedders: dict[str, Embedder] | None = None,
    models: tuple[LogisticModel, LogisticModel] | None = None,
    embedding: Embedding | None = None,
    full: bool = False,
    on_stage: Callable[[str], None] | None = None,
) -> AlignReport:
    """Embed what is missing, group stories, align claims within them, store the result (module
    docstring). `embedders` and `models`: loaded ones to use instead of the settings' (custom
    models make the next run a full one); `embedding`: how missing vectors are made and
    followed (default: here, silently); `full`: regroup and realign everything even when
    nothing changed; `on_stage` hears what comes next."""
    job = _Job(
        settings or Settings(),
        embedders,
        models,
        embedding or Embedding(ensure_embeddings),
        full,
        on_stage or (lambda _: None),
    )
    return _attempts(db, job)


def realign_with(db: sqlite_utils.Database, setup: Setup) -> AlignReport:
    """An `align` (incremental where it can be) with a setup already resolved: a review
    session's, whose models are loaded and whose scorer remembers the stories it scored."""
    job = _Job(
        setup.settings,
        setup.embedders,
        None,
        Embedding(ensure_embeddings),
        False,
        lambda _: None,
        loaded=setup.embedders,
        scorer=setup.scorer,
    )
    return _attempts(db, job)


def _attempts(db: sqlite_utils.Database, job: _Job) -> AlignReport:
    """Run `job`, planned again when another process moved the corpus (module docstring)."""
    for _ in range(ATTEMPTS):
        try:
            return job.run(db, data_version(db))
        except Moved:
            continue
    with transaction(db):
        return job.run(db, None)


@dataclass
class _Job:
    """One `align` as asked for, run once, or again when another process moved the corpus
    (set up once: the embedders load once)."""

    settings: Settings
    embedders: dict[str, Embedder] | None
    models: tuple[LogisticModel, LogisticModel] | None
    embedding: Embedding
    full: bool
    stage: Callable[[str], None]
    loaded: dict[str, Embedder] | None = None
    scorer: Callable[..., Edges] | None = None

    def run(self, db: sqlite_utils.Database, expect: int | None) -> AlignReport:
        names = sorted(e.name for e in self.embedders.values()) if self.embedders else []
        inputs = fingerprint.of(db, dataclasses.asdict(self.settings), names)
        if not self.full and self.models is None:
            same = unchanged(db, self.settings, names, inputs)
            if same is not None:
                return same
        setup = Setup.resolve(
            db, self.settings, self.loaded or self.embedders, self.models, self.scorer
        )
        self.loaded = setup.embedders
        if not self.full and not setup.custom:
            report = _incremental(db, setup, inputs, self.embedding, self.stage, expect)
            if report is not None:
                return report
        return _full(db, setup, inputs, self.embedding, self.stage, expect)


def _incremental(
    db: sqlite_utils.Database,
    setup: Setup,
    inputs: str,
    embedding: Embedding,
    stage: Callable[[str], None],
    expect: int | None,
) -> AlignReport | None:
    """Align again only the stories that changed; None when this run must be a full one."""
    start = time.perf_counter()
    stage("placing new documents in stories")
    work = planning.incremental(db, setup, embedding)
    if work is None:
        return None
    embedded = embed_missing(db, work, setup, embedding)
    incremental = {"realigned": len(work.groups), "kept": work.kept}
    log = RunLog(db, "align", setup.args(inputs, incremental=incremental))
    done = align_and_write(db, log, work, setup, stage, expect)
    log.counts.update(
        stories_realigned=done.stories, stories_kept=work.kept, claims_realigned=done.candidates
    )
    log.finish()
    report = stored_report(db, setup.settings, done.run_id, setup.method, setup.bridge is not None)
    return dataclasses.replace(
        report,
        embedded=embedded,
        seconds=time.perf_counter() - start,
        decisions=done.decisions,
        decisions_unapplied=done.unapplied,
        unchanged_since=None,
        realigned=done.stories,
        kept=work.kept,
    )


def _full(
    db: sqlite_utils.Database,
    setup: Setup,
    inputs: str,
    embedding: Embedding,
    stage: Callable[[str], None],
    expect: int | None,
) -> AlignReport:
    """Group every document into stories again, align and write every story."""
    start = time.perf_counter()
    work, embedded = planning.full(db, setup, embedding, stage)
    log = RunLog(db, "align", setup.args(inputs))
    done = align_and_write(db, log, work, setup, stage, expect)
    report = stored_report(db, setup.settings, done.run_id, setup.method, setup.bridge is not None)
    log.counts.update(
        claims=report.claims,
        stories=report.stories,
        accepted=report.accepted,
        clusters=report.clusters,
    )
    log.finish()
    return dataclasses.replace(
        report,
        embedded=embedded,
        seconds=time.perf_counter() - start,
        decisions=done.decisions,
        decisions_unapplied=done.unapplied,
    )


def unchanged(
    db: sqlite_utils.Database,
    settings: Settings,
    names: list[str] | None = None,
    inputs: str | None = None,
) -> AlignReport | None:
    """When the alignment inputs (fingerprint.py) are those of the last successful run, the
    report of a run that does nothing: what the stored alignment holds. Else None."""
    start = time.perf_counter()
    inputs = inputs or fingerprint.of(db, dataclasses.asdict(settings), names or [])
    same = fingerprint.previous(db, inputs)
    if same is None:
        return None
    report = stored_report(
        db, settings, same.id, same.args.get("method", ""), bool(same.args.get("bridge"))
    )
    return dataclasses.replace(report, seconds=time.perf_counter() - start, unchanged_since=same.id)


def stored_report(
    db: sqlite_utils.Database, settings: Settings, run_id: int, method: str, bridge: bool
) -> AlignReport:
    """A report of what the stored alignment holds, as of run `run_id` (seconds: 0)."""
    counts = claims_db.counts(db)
    return AlignReport(
        counts.candidates,
        0,
        counts.stories,
        counts.links,
        counts.accepted,
        counts.claims,
        counts.shared,
        method,
        settings.threshold,
        bridge,
        run_id,
        0.0,
    )
