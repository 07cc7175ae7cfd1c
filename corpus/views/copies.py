"""Copies and rewrites among a story's documents, found from the stored sentences and the
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

from newsalign.corpus.ingest.copies import Article, Derived, derived_from, outlet_key
from newsalign.corpus.store import copies as copies_db
from newsalign.corpus.store import vectors as vectors_db
from newsalign.corpus.store.records import DerivedFrom, text_hash
from newsalign.corpus.views.citations import cites_of

# Words of an outlet's name that say what it is rather than which it is.
_GENERIC = {
    "the", "information", "agency", "news", "media", "edition", "online", "daily", "service",
    "press",
}  # fmt: skip


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


def derived(
    db: sqlite_utils.Database, doc_ids: list[int], only: int | None = None
) -> dict[int, tuple[DerivedFrom, ...]]:
    """Document id -> the documents among `doc_ids` it is derived from, as records (`only`: of
    that document alone)."""
    return {
        doc: tuple(DerivedFrom(e.original, e.outlet, e.share) for e in edges)
        for doc, edges in copies_of(db, doc_ids, only).items()
    }


def of_document(db: sqlite_utils.Database, doc_id: int) -> tuple[DerivedFrom, ...]:
    """What one document is derived from, among the documents of its story (none before the
    first align)."""
    return derived(db, copies_db.story_mates(db, doc_id), only=doc_id).get(doc_id, ())


def copies_of(
    db: sqlite_utils.Database, doc_ids: list[int], only: int | None = None
) -> dict[int, list[Derived]]:
    """Document id -> what it is derived from, among `doc_ids` (a story's documents; `only`:
    the edges of that document alone)."""
    if len(doc_ids) < 2:
        return {}
    docs = copies_db.articles(db, doc_ids)
    sentences = copies_db.sentences(db, [d[0] for d in docs])
    hashes = sorted({text_hash(t) for texts in sentences.values() for t in texts})
    model = copies_db.vector_model(db, hashes)
    stored = vectors_db.load(db, model, hashes) if model else {}
    dim = len(next(iter(stored.values()))) if stored else 0
    outlets = {d[1] for d in docs}
    patterns = {o: re.compile(rf"(?i)\b{re.escape(brand(o))}(?:s|'s|’s)?\b") for o in outlets}
    # Credits as the citation view resolves them to the corpus's outlets: a credit written in
    # another script or under another name ("ТАСС", "Kavkazskiy Uzel") names the outlet held.
    cites = cites_of(db, [d[0] for d in docs])
    articles = []
    for doc_id, source, published, text in docs:
        named = {outlet_key(o) for o in outlets if o != source and patterns[o].search(text)}
        named |= {outlet_key(c) for c in cites.get(doc_id, ())}
        vectors = None
        if stored:
            zero = np.zeros(dim, np.float32)
            rows = [stored.get(text_hash(t), zero) for t in sentences[doc_id]]
            vectors = np.array(rows, dtype=np.float32).reshape(-1, dim)
        named_set = frozenset(named)
        articles.append(
            Article(doc_id, source, published, tuple(sentences[doc_id]), vectors, named_set)
        )
    out: dict[int, list[Derived]] = {}
    for edge in derived_from(articles, only):
        out.setdefault(edge.doc, []).append(edge)
    return out
