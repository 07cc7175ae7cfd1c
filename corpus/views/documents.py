"""A document as a reader is shown it: as stored, with whom it cites, what it copies, how
precise its date is, and where its date came from."""

from __future__ import annotations

import dataclasses

import sqlite_utils

from newsalign.corpus.ingest.dates import precision
from newsalign.corpus.store import documents
from newsalign.corpus.store.records import DocumentDetail
from newsalign.corpus.views.citations import cites_of
from newsalign.corpus.views.copies import of_document


def show(db: sqlite_utils.Database, ref: str) -> DocumentDetail:
    """A document by id or path, with its paragraphs and segments (boilerplate included),
    the outlets it cites and its date's precision."""
    detail = documents.show(db, ref)
    doc = detail.document
    return dataclasses.replace(
        detail,
        cites=cites_of(db, [doc.id]).get(doc.id, ()),
        derived_from=of_document(db, doc.id),
        precision=precision(doc.published),
    )


def date_source(published: str | None, source: str | None, inferred: str | None) -> str:
    """Where a document's date came from ("dateline, year inferred"); "" when it has none."""
    if not published:
        return ""
    return (source or "?") + (f", {inferred} inferred" if inferred else "")
