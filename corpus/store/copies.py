"""What the copy finder (views/copies.py) reads of a story's documents: their texts and
sentences, and which embedder has vectors for those sentences."""

from __future__ import annotations

import sqlite_utils


def story_mates(db: sqlite_utils.Database, doc_id: int) -> list[int]:
    """The documents of the story (or stories) `doc_id` is in, itself included; none before
    the first align."""
    return [
        r[0]
        for r in db.execute(
            "SELECT doc_id FROM story_documents WHERE story_id IN "
            "(SELECT story_id FROM story_documents WHERE doc_id = ?)",
            [doc_id],
        )
    ]


def articles(db: sqlite_utils.Database, doc_ids: list[int]) -> list[tuple]:
    """(id, outlet, published, cleaned text) of each of `doc_ids`, by id."""
    marks = ",".join("?" * len(doc_ids))
    return db.execute(
        f"SELECT id, source, published, text FROM documents WHERE id IN ({marks}) ORDER BY id",
        list(doc_ids),
    ).fetchall()


def sentences(db: sqlite_utils.Database, doc_ids: list[int]) -> dict[int, list[str]]:
    """Document id -> its title and body sentences in order (boilerplate left out)."""
    out: dict[int, list[str]] = {d: [] for d in doc_ids}
    marks = ",".join("?" * len(doc_ids))
    for doc_id, text in db.execute(
        f"SELECT doc_id, text FROM segments WHERE doc_id IN ({marks}) AND kind != 'boilerplate' "
        "ORDER BY doc_id, idx",
        list(doc_ids),
    ):
        out[doc_id].append(text)
    return out


def vector_model(db: sqlite_utils.Database, hashes: list[str]) -> str | None:
    """The embedder with the most vectors for these sentence hashes (None if none has any)."""
    counts: dict[str, int] = {}
    for i in range(0, len(hashes), 500):
        chunk = hashes[i : i + 500]
        for model, n in db.execute(
            f"SELECT model, count(*) FROM sentence_vectors WHERE text_hash IN "
            f"({','.join('?' * len(chunk))}) GROUP BY model",
            chunk,
        ):
            counts[model] = counts.get(model, 0) + n
    return max(sorted(counts), key=counts.__getitem__) if counts else None
