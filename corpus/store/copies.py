"""Copies and rewrites among a story's documents, read from the stored sentences and the
sentence vectors `align` stored (see ingest/copies.py for the rule).

Computed when asked rather than stored at align: the vectors are already in the database (one
per sentence text and model), a story has tens of documents, and an edge computed from the
current texts and outlets follows any correction or re-ingest without a migration or a second
place to keep in step. Documents whose sentences have no vector yet (align not run) are compared
by their words only.
"""

from __future__ import annotations

import re

import numpy as np
import sqlite_utils

from newsalign.corpus.ingest.cites import find_cites
from newsalign.corpus.ingest.copies import Article, Derived, derived_from, outlet_key
from newsalign.corpus.store import vectors as vectors_db
from newsalign.corpus.store.records import DerivedFrom, text_hash

# Words of an outlet's name that say what it is rather than which it is.
_GENERIC = {"the", "information", "agency", "news", "media", "edition", "online", "daily",
            "service", "press"}  # fmt: skip


def brand(outlet: str) -> str:
    """How an article names an outlet: "Turan" for "Turan Information Agency", "OC Media" for
    "OC Media (mirror)"."""
    words = re.split(r"\s*[(,]", outlet)[0].split()
    while words and words[0].lower() == "the":
        words = words[1:]
    core = list(words)
    while len(core) > 1 and core[-1].lower() in _GENERIC:
        core.pop()
    name = " ".join(core)
    return name if len(name) >= 4 else " ".join(words)


def _model(db: sqlite_utils.Database, hashes: list[str]) -> str | None:
    """The embedder with the most vectors for these sentences (None if none has any)."""
    counts: dict[str, int] = {}
    for i in range(0, len(hashes), 500):
        chunk = hashes[i : i + 500]
        for model, n in db.execute(
            f"SELECT model, count(*) FROM sentence_vectors WHERE text_hash IN "
            f"({','.join('?' * len(chunk))}) GROUP BY model", chunk):  # fmt: skip
            counts[model] = counts.get(model, 0) + n
    return max(sorted(counts), key=counts.__getitem__) if counts else None


def derived(
    db: sqlite_utils.Database, doc_ids: list[int], only: int | None = None
) -> dict[int, tuple[DerivedFrom, ...]]:
    """Document id -> the documents among `doc_ids` it is derived from, as records (`only`: of
    that document alone)."""
    return {doc: tuple(DerivedFrom(e.original, e.outlet, e.share) for e in edges)
            for doc, edges in copies_of(db, doc_ids, only).items()}  # fmt: skip


def of_document(db: sqlite_utils.Database, doc_id: int) -> tuple[DerivedFrom, ...]:
    """What one document is derived from, among the documents of its story (none before the
    first align)."""
    ids = [r[0] for r in db.execute(
        "SELECT doc_id FROM story_documents WHERE story_id IN "
        "(SELECT story_id FROM story_documents WHERE doc_id = ?)", [doc_id])]  # fmt: skip
    return derived(db, ids, only=doc_id).get(doc_id, ())


def copies_of(
    db: sqlite_utils.Database, doc_ids: list[int], only: int | None = None
) -> dict[int, list[Derived]]:
    """Document id -> what it is derived from, among `doc_ids` (a story's documents; `only`:
    the edges of that document alone)."""
    if len(doc_ids) < 2:
        return {}
    marks = ",".join("?" * len(doc_ids))
    docs = db.execute(
        f"SELECT id, source, published, text FROM documents WHERE id IN ({marks}) ORDER BY id",
        list(doc_ids)).fetchall()  # fmt: skip
    sentences: dict[int, list[str]] = {d[0]: [] for d in docs}
    for doc_id, text in db.execute(
        f"SELECT doc_id, text FROM segments WHERE doc_id IN ({marks}) AND kind != 'boilerplate' "
        "ORDER BY doc_id, idx", list(doc_ids)):  # fmt: skip
        sentences[doc_id].append(text)
    hashes = sorted({text_hash(t) for texts in sentences.values() for t in texts})
    model = _model(db, hashes)
    stored = vectors_db.load(db, model, hashes) if model else {}
    dim = len(next(iter(stored.values()))) if stored else 0
    outlets = {d[1] for d in docs}
    patterns = {o: re.compile(rf"(?i)\b{re.escape(brand(o))}(?:s|'s|’s)?\b") for o in outlets}
    articles = []
    for doc_id, source, published, text in docs:
        named = {outlet_key(o) for o in outlets if o != source and patterns[o].search(text)}
        named |= {outlet_key(c) for c in find_cites(text.split("\n\n"))}
        vectors = None
        if stored:
            vectors = np.array([stored.get(text_hash(t), np.zeros(dim, np.float32))
                                for t in sentences[doc_id]], dtype=np.float32).reshape(-1, dim)  # fmt: skip
        articles.append(Article(doc_id, source, published, tuple(sentences[doc_id]), vectors,
                                frozenset(named)))  # fmt: skip
    out: dict[int, list[Derived]] = {}
    for edge in derived_from(articles, only):
        out.setdefault(edge.doc, []).append(edge)
    return out
