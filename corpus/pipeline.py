"""`newsalign run`: the main job, end to end, as one library call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from newsalign.corpus.ingest.run import IngestReport, ingest


@dataclass(frozen=True)
class RunSummary:
    """What a run did and what the corpus now holds."""

    ingest: IngestReport
    documents: list[dict[str, Any]]
    notes: list[str]
    shared: list[dict[str, Any]]


def run_pipeline(
    db: sqlite_utils.Database,
    paths: list[str],
    *,
    source: str | None = None,
    langs: list[str] | None = None,
) -> RunSummary:
    """Ingest `paths`, translate where a model or the memory covers the language, and
    summarise every current document of the corpus."""
    from newsalign.corpus.align.claims import list_claims, run_alignment
    from newsalign.corpus.align.embed import load_embedder
    from newsalign.corpus.errors import CorpusError
    from newsalign.corpus.mt.run import Options, translate_corpus

    report = ingest(db, paths, source=source, langs=langs)
    translated = translate_corpus(db, Options())
    shared: list[dict[str, Any]] = []
    try:
        aligned = run_alignment(db, load_embedder())
        shared = list_claims(db, min_sources=2)
    except CorpusError as exc:
        aligned = None
        alignment_note = f"Not aligned: {exc}."
    documents = list(
        db.query(
            """
            SELECT d.id, d.source, d.lang, d.title,
                   sum(s.kind != 'boilerplate') AS segments,
                   sum(s.kind = 'boilerplate') AS boilerplate
            FROM documents d JOIN segments s ON s.doc_id = d.id
            WHERE d.is_current = 1
            GROUP BY d.id ORDER BY d.id
            """
        )
    )
    langs_seen = sorted({d["lang"] for d in documents if d["lang"]})
    notes = [
        f"{len(documents)} documents in {len(langs_seen)} language(s): {', '.join(langs_seen)}."
    ]
    if translated.translated:
        notes.append(
            f"Translated {translated.translated} segments into English "
            f"({translated.from_memory} from memory, {translated.from_model} by model)."
        )
    notes += [f"Not translated ({lang}): {why}." for lang, why in translated.missing_models.items()]
    if aligned is None:
        notes.append(alignment_note)
    else:
        notes.append(
            f"Aligned {aligned.claims} claims: {aligned.shared} claims shared by two or more "
            f"sources (threshold {aligned.threshold:g})."
        )
    return RunSummary(report, documents, notes, shared)
