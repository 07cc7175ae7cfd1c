"""What alignment reads from the database: the claim candidates of the current documents (or
of some), their vectors, their documents as story grouping sees them, and a person's
decisions as the engine applies them. `prepare` is shared with the fitting and benchmark
scripts, so they measure exactly this path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sqlite_utils

from newsalign.corpus.align import candidates as choosing
from newsalign.corpus.align import engine, recalibrate
from newsalign.corpus.align.candidates import Candidate
from newsalign.corpus.align.decided import decided_pairs
from newsalign.corpus.align.embedders import Embedder
from newsalign.corpus.align.grouping import LEAD_SENTENCES, Doc
from newsalign.corpus.align.job.vectors import Embedding, embed_candidates, load_vectors
from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store import candidates as candidates_db
from newsalign.corpus.store import decisions, numbering
from newsalign.corpus.store.records import DocumentInfo, text_hash


def load_candidates(
    db: sqlite_utils.Database,
    docs: Sequence[int] | None = None,
    claimed: Sequence[int] = (),
) -> list[Candidate]:
    """The claim candidates of the current documents (of `docs` only, if given), with their
    English (original or newest translation) and glossary entities; `claimed`: stored
    candidates, taken as they are for their documents (candidates.choose)."""
    entities = candidates_db.segment_entities(db, docs)
    rows = candidates_db.candidate_rows(db, "en", docs)
    return choosing.choose(rows, entities, claimed=claimed)


@dataclass(frozen=True)
class Prepared:
    """Claim candidates and everything the engine reads of them."""

    candidates: list[Candidate]
    data: engine.AlignInput
    embedded: int
    names: tuple[str, ...]  # embedder names


def prepare(
    db: sqlite_utils.Database,
    embedders: dict[str, Embedder],
    embedding: Embedding,
    docs: Sequence[int] | None = None,
    claimed: Sequence[int] = (),
) -> Prepared:
    """Candidates and every vector alignment reads, embedding what is not stored yet.
    `embedders` maps view names (e5, use) to embedders; the first also embeds English texts and
    leads. `docs`: only these documents' candidates (the stories being aligned again; then one
    source is enough); `claimed`: stored candidates, taken as they are."""
    found = load_candidates(db, docs, claimed)
    if docs is None and len({c.source for c in found}) < 2:
        raise CorpusError("alignment needs claims from at least two sources")
    first = next(iter(embedders.values()))
    infos = candidates_db.documents_of(db, sorted({c.doc for c in found}))
    texts = [c.text for c in found]
    english = [c.english for c in found]
    translated = [e for c, e in zip(found, english, strict=True) if c.translated and e]
    lead_texts = [t for d in infos for t in d.titles]
    embedded = embed_candidates(db, embedders, found, infos, embedding)
    views = {name: load_vectors(db, e.name, texts) for name, e in embedders.items()}
    english_vectors = None
    if translated:
        english_vectors = load_vectors(
            db, first.name, [e or t for e, t in zip(english, texts, strict=True)]
        )
    lead_vectors = [views[next(iter(views))]]
    if lead_texts:
        lead_vectors.append(load_vectors(db, first.name, lead_texts))
    data = engine.AlignInput(
        docs=np.array([c.doc for c in found]),
        langs=tuple(c.lang or "?" for c in found),
        texts=tuple(texts),
        english=tuple(english),
        views=views,
        english_vectors=english_vectors,
        documents=tuple(lead_documents(found, infos)),
        lead_vectors=np.vstack(lead_vectors),
        embedders={name: e.name for name, e in embedders.items()},
    )
    return Prepared(found, data, embedded, tuple(e.name for e in embedders.values()))


def lead_documents(found: Sequence[Candidate], infos: Sequence[DocumentInfo]) -> list[Doc]:
    """Documents as story grouping sees them. Their rows index a matrix of the candidates'
    vectors followed by the documents' titles in order: each document's titles, then its
    candidates in order (a headline is not counted a second time)."""
    offset = len(found)
    by_doc: dict[int, list[int]] = {}
    for index, candidate in enumerate(found):
        if not candidate.headline:
            by_doc.setdefault(candidate.doc, []).append(index)
    documents = []
    for d in infos:
        rows = tuple(range(offset, offset + len(d.titles))) + tuple(
            by_doc.get(d.id, ())[: LEAD_SENTENCES * 4]
        )
        offset += len(d.titles)
        members = by_doc.get(d.id, ())
        entities = frozenset(e for k in members for e in found[k].entities)
        sentences = tuple(d.titles + [found[k].text for k in members])
        documents.append(Doc(d.id, rows, d.lang or "?", d.published, sentences, entities))
    return documents


def stored_documents(
    db: sqlite_utils.Database, model: str, doc_ids: list[int]
) -> tuple[list[Doc], np.ndarray]:
    """Stored documents as story grouping sees them, with their vectors under `model`."""
    found = load_candidates(db, doc_ids, candidates_db.stored(db, doc_ids))
    infos = candidates_db.documents_of(db, sorted({c.doc for c in found}))
    texts = [c.text for c in found] + [t for d in infos for t in d.titles]
    vectors = load_vectors(db, model, texts) if texts else np.zeros((0, 0), np.float32)
    return lead_documents(found, infos), vectors


def identities(db: sqlite_utils.Database, found: Sequence[Candidate]) -> dict[tuple[str, str], int]:
    """(doc_key, text hash) -> index of each candidate in `found` (its first occurrence): how a
    person's decisions name them."""
    keys = numbering.document_keys(db)
    index: dict[tuple[str, str], int] = {}
    for k, c in enumerate(found):
        index.setdefault((keys[c.doc], text_hash(c.text)), k)
    return index


def decided(
    db: sqlite_utils.Database, found: Sequence[Candidate], within: set[str] | None = None
) -> tuple[engine.Decisions, int]:
    """A person's decisions about `found` as the engine applies them (must and cannot pairs,
    and each story's judgement as their answers taught it), and how many decided pairs are not
    applied (decided.decided_pairs; `within`: only decisions inside these documents, by
    doc_key)."""
    index = identities(db, found)
    must, cannot, unapplied = decided_pairs(decisions.constraints(db), index, within)
    labels, detached = recalibrate.person_labels(
        decisions.answered(db), decisions.detached(db), index
    )
    adjust = recalibrate.story_adjust(labels, detached) if labels or detached else None
    return engine.Decisions(must, cannot, adjust), unapplied
