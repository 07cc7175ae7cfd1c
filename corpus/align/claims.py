"""An align run: choose the claims, gather their features, embed, align, store; and what
differs between the versions of a stored claim."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from newsalign.corpus.align.embed import Embedder, ensure_embeddings, load_vectors
from newsalign.corpus.align.features import extract
from newsalign.corpus.align.scoring import Claim, Params, align
from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store import claims as claims_db
from newsalign.corpus.store.database import RunLog
from newsalign.corpus.store.records import ClaimDiff

# A claim has substance: enough words and letters, and is not a byline or photo credit.
MIN_WORDS = 6
MIN_LETTERS = 30
_NOT_A_CLAIM = re.compile(r"^(by|von|photo|foto|source|quelle|read more|lesen sie)\b", re.I)


@dataclass(frozen=True)
class AlignReport:
    """What an align run did."""

    claims: int
    embedded: int
    pairs: int
    accepted: int
    clusters: int
    shared: int  # clusters with two or more sources
    method: str
    threshold: float
    run_id: int | None
    seconds: float


def is_claim(text: str) -> bool:
    """Substantial enough to be aligned."""
    words = len(text.split())
    letters = sum(ch.isalpha() for ch in text)
    return words >= MIN_WORDS and letters >= MIN_LETTERS and not _NOT_A_CLAIM.match(text)


def load_claims(db: sqlite_utils.Database, target: str = "en") -> list[Claim]:
    """Candidate claims: substantial body sentences of current documents, with their English
    (original or newest translation), glossary entities and facts."""
    entities = claims_db.segment_entities(db)
    return [
        Claim(
            sid,
            doc,
            source,
            lang,
            text,
            english,
            frozenset(entities.get(sid, ())),
            extract(text, lang),
        )  # fmt: skip
        for sid, doc, source, lang, text, english in claims_db.candidate_rows(db, target)
        if is_claim(text)
    ]


def run_alignment(
    db: sqlite_utils.Database,
    embedder: Embedder | None,
    params: Params | None = None,
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> AlignReport:
    """Embed what is missing, align every claim across sources, store the result."""
    params = params or Params()
    start = time.perf_counter()
    claims = load_claims(db)
    if len({c.source for c in claims}) < 2:
        raise CorpusError("alignment needs claims from at least two sources")
    embedded, vectors = 0, None
    if embedder is not None and params.use_embeddings:
        texts = [c.text for c in claims]
        embedded = ensure_embeddings(db, embedder, texts, on_progress)
        vectors = load_vectors(db, embedder.name, texts)
    result = align(claims, vectors, params)
    run = RunLog(db, "align", {"threshold": params.threshold, "method": result.method,
                               "embedder": embedder.name if embedder else None})  # fmt: skip
    with db.atomic():
        run_id = run.ensure()
        claims_db.store_result(db, claims, result, params, run_id)
    accepted = sum(p.accepted for p in result.pairs)
    shared = sum(len({claims[m.index].source for m in c}) >= 2 for c in result.clusters)
    run.counts.update(claims=len(claims), accepted=accepted, clusters=len(result.clusters))
    run.finish()
    return AlignReport(len(claims), embedded, len(result.pairs), accepted, len(result.clusters),
                       shared, result.method, params.threshold, run_id, time.perf_counter() - start)  # fmt: skip


def diff_claim(db: sqlite_utils.Database, cluster_id: int) -> ClaimDiff:
    """What differs between the versions of a claim: numbers, dates, names, speakers.

    Each article's version is all its sentences in the cluster (a repeat may carry the number
    the first sentence left out).
    """
    cluster = claims_db.show_claim(db, cluster_id)
    versions: dict[str, dict[str, set]] = {}
    for m in cluster.members:
        label = f"{m.source} (document {m.doc_id})"
        v = versions.setdefault(label, defaultdict(set))
        v["numbers"].update(_fmt(x) for x in m.facts.get("numbers", ()))
        v["dates"].update(m.facts.get("dates", ()))
        v["relative"].update(m.facts.get("relative", ()))
        v["names"].update(f"{n.name} ({n.surface})" for n in m.names)
        v["speakers"].update(m.facts.get("speakers", ()))
    fields: dict[str, dict[str, list]] = {}
    for field in ("numbers", "dates", "relative", "names", "speakers"):
        values = {label: sorted(v[field]) for label, v in versions.items()}
        sets = [set(x) for x in values.values()]
        if any(sets) and any(x != sets[0] for x in sets):
            fields[field] = values
    return ClaimDiff(cluster_id, len(versions), fields)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
