"""Documents' dates in the database: what each holds (read, inferred, a day without its
year), a year inferred for one (ingest/years.py decides which), and where the corpus's dates
came from."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import sqlite_utils


def dates_of(db: sqlite_utils.Database, doc_ids: list[int]) -> list[tuple]:
    """(id, published, published_inferred, undated_day) of each of `doc_ids`."""
    rows = []
    for chunk in _chunks(doc_ids):
        rows += db.execute(
            f"SELECT id, published, published_inferred, undated_day FROM documents "
            f"WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        ).fetchall()
    return rows


def _chunks(ids: Sequence[int], size: int = 10_000) -> list[Sequence[int]]:
    """Ids in runs short enough for one statement's variables (SQLite's limit is 32,766)."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def set_inferred_year(db: sqlite_utils.Database, doc_id: int, value: str, source: str) -> None:
    """Date a document whose dateline (or lead) gave a day without its year; the caller holds
    the transaction."""
    db.execute(
        "UPDATE documents SET published = ?, published_from = ?, "
        "published_inferred = 'year' WHERE id = ?",
        [value, source, doc_id],
    )


def any_year_missing(db: sqlite_utils.Database, doc_ids: Sequence[int]) -> bool:
    """Whether any of these documents has a day read without its year."""
    return any(
        db.execute(
            f"SELECT 1 FROM documents WHERE undated_day IS NOT NULL AND id IN "
            f"({','.join('?' * len(chunk))}) LIMIT 1",
            chunk,
        ).fetchone()
        for chunk in _chunks(doc_ids)
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
