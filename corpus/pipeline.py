"""`newsalign run`: the main job, end to end, as one library call."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from newsalign.corpus.ingest.run import IngestReport, ingest
from newsalign.corpus.plural import plural
from newsalign.corpus.store import documents
from newsalign.corpus.store.records import ClaimSummary, DocumentSummary


@dataclass(frozen=True)
class RunSummary:
    """What a run did and what the corpus now holds."""

    ingest: IngestReport
    documents: tuple[DocumentSummary, ...]
    notes: tuple[str, ...]
    shared: tuple[ClaimSummary, ...]
    # Alignment could not run because another process held the write lock: the run failed.
    locked: str | None = None


def run_pipeline(
    db: sqlite_utils.Database,
    paths: list[str],
    *,
    source: str | None = None,
    langs: list[str] | None = None,
    max_bytes: int | None = None,
    manifest=None,
    follow_symlinks: bool = False,
) -> RunSummary:
    """Ingest `paths`, translate where a model or the memory covers the language, and
    summarise every current document of the corpus."""
    from newsalign.corpus.align.job.run import run_alignment
    from newsalign.corpus.errors import CorpusError, LockedError
    from newsalign.corpus.mt.run import Options, translate_corpus
    from newsalign.corpus.store.claims import list_claims

    report = ingest(
        db,
        paths,
        source=source,
        langs=langs,
        max_bytes=max_bytes,
        manifest=manifest,
        follow_symlinks=follow_symlinks,
    )
    if report.failed:
        # Bad input stops the run here: what was ingested stays, nothing else changes.
        return RunSummary(
            report,
            tuple(documents.summaries(db)),
            (
                f"Stopped: {plural(report.failed, 'input')} failed; fix or remove them and run "
                "again (translation and alignment were not run).",
            ),
            (),
        )
    translated = translate_corpus(db, Options())
    shared: list[ClaimSummary] = []
    locked = None
    try:
        aligned = run_alignment(db)
        shared = list_claims(db, min_sources=2)
    except LockedError as exc:
        aligned, locked = None, str(exc)
        alignment_note = f"Not aligned: {exc}."
    except CorpusError as exc:
        aligned = None
        alignment_note = f"Not aligned: {exc}."
    docs = documents.summaries(db)
    langs_seen = sorted({d.lang for d in docs if d.lang})
    notes = [
        f"{plural(len(docs), 'document')} in {plural(len(langs_seen), 'language')}: "
        f"{', '.join(langs_seen)}."
    ]
    if translated.translated:
        notes.append(
            f"Translated {plural(translated.translated, 'segment')} into English "
            f"({translated.from_memory} from memory, {translated.from_model} by model)."
        )
    notes += [f"Not translated ({lang}): {why}." for lang, why in translated.missing_models.items()]
    if aligned is None:
        notes.append(alignment_note)
    else:
        notes.append(
            f"Aligned {plural(aligned.claims, 'candidate sentence')} in "
            f"{plural(aligned.stories, 'story')}: {plural(aligned.shared, 'claim')} shared by two "
            "or more outlets."
        )
    return RunSummary(report, tuple(docs), tuple(notes), tuple(shared), locked)
