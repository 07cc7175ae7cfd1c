"""Years inferred for dates read without one, and the facts of a set of documents' dates.

A dateline such as "МОСКВА, 27 мая." gives a day without its year; ingest keeps it as
`undated_day`. The year is inferred from the other documents ingested with it (at the end of
`ingest`) and again from the story's documents (at the end of `align`): the year that puts the
day nearest the middle of their dates. Such a date is marked `published_inferred = 'year'`; a
date given by a manifest or a correction is never replaced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import sqlite_utils

from newsalign.corpus.ingest.dates import infer_year


def infer_years(db: sqlite_utils.Database, groups: Iterable[Iterable[int]]) -> int:
    """For each group of document ids, date its documents that have only a year-less day from
    the group's other read (not inferred) dates. Returns how many dates changed; the caller
    holds the transaction."""
    changed = 0
    for group in groups:
        ids = sorted(set(group))
        if not ids:
            continue
        marks = ",".join("?" * len(ids))
        rows = db.execute(
            f"SELECT id, published, published_inferred, undated_day FROM documents "
            f"WHERE id IN ({marks})",
            ids,
        ).fetchall()
        references = [p for _, p, inferred, _ in rows if p and not inferred]
        for doc_id, published, inferred, day in rows:
            if not day or (published and not inferred):
                continue
            value = infer_year(day, references)
            if value and value != published:
                db.execute(
                    "UPDATE documents SET published = ?, published_from = 'dateline', "
                    "published_inferred = 'year' WHERE id = ?",
                    [value, doc_id],
                )
                changed += 1
    return changed


def coverage(db: sqlite_utils.Database, doc_ids: list[int] | None = None) -> dict[str, int]:
    """Current documents by where their date came from ('undated' for none; an inferred year
    is counted as '<source>, year inferred')."""
    where = f"AND id IN ({','.join(map(str, map(int, doc_ids)))})" if doc_ids is not None else ""
    counts: Counter[str] = Counter()
    for source, inferred, published in db.execute(
        f"SELECT published_from, published_inferred, published FROM current_documents "
        f"WHERE 1 {where}"
    ):
        if not published:
            counts["undated"] += 1
        else:
            counts[f"{source or 'unknown'}" + (f", {inferred} inferred" if inferred else "")] += 1
    return dict(counts)


def date_source(published: str | None, source: str | None, inferred: str | None) -> str:
    """Where a document's date came from ("dateline, year inferred"); "" when it has none."""
    if not published:
        return ""
    return (source or "?") + (f", {inferred} inferred" if inferred else "")
