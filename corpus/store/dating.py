"""Documents' dates in the database: what each holds (read, inferred, a day without its
year), a year inferred for one (ingest/years.py decides which), and where the corpus's dates
came from."""

from __future__ import annotations

from collections import Counter

import sqlite_utils


def dates_of(db: sqlite_utils.Database, doc_ids: list[int]) -> list[tuple]:
    """(id, published, published_inferred, undated_day) of each of `doc_ids`."""
    marks = ",".join("?" * len(doc_ids))
    return db.execute(
        f"SELECT id, published, published_inferred, undated_day FROM documents "
        f"WHERE id IN ({marks})",
        doc_ids,
    ).fetchall()


def set_inferred_year(db: sqlite_utils.Database, doc_id: int, value: str) -> None:
    """Date a document whose dateline gave a day without its year; the caller holds the
    transaction."""
    db.execute(
        "UPDATE documents SET published = ?, published_from = 'dateline', "
        "published_inferred = 'year' WHERE id = ?",
        [value, doc_id],
    )


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
