"""Years inferred for dates read without one. A dateline such as "МОСКВА, 27 мая." gives a day
without its year; ingest keeps it as `undated_day`. The year is inferred from the other
documents ingested with it (at the end of `ingest`) and again from the story's documents (at
the end of `align`): the year that puts the day nearest the middle of their dates
(dates.infer_year). Such a date is marked `published_inferred = 'year'`; a date given by a
manifest or a correction is never replaced."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from newsalign.corpus.ingest.dates import infer_year
from newsalign.corpus.store import dating


def infer_years(db: sqlite_utils.Database, groups: Iterable[Iterable[int]]) -> int:
    """For each group of document ids, date its documents that have only a year-less day from
    the group's other read (not inferred) dates. Returns how many dates changed; the caller
    holds the transaction."""
    changed = 0
    for group in groups:
        ids = sorted(set(group))
        if not ids:
            continue
        rows = dating.dates_of(db, ids)
        references = [p for _, p, inferred, _ in rows if p and not inferred]
        for doc_id, published, inferred, day in rows:
            if not day or (published and not inferred):
                continue
            # "--05-27" from a dateline, "--05-27/body" from the lead's "today, 27 May".
            day, _, source = day.partition("/")
            value = infer_year(day, references)
            if value and value != published:
                dating.set_inferred_year(db, doc_id, value, source or "dateline")
                changed += 1
    return changed
