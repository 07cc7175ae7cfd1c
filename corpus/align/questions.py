"""`newsalign review`: the open questions of the current alignment, most useful first, with
everything a person needs to answer them (both sentences, outlets, dates, languages, English,
the place names used, the probability).

The alignment is recomputed in memory the way the last `align` ran it (stored vectors, the
person's decisions and the story's recalibration), because the questions need every scored
pair of a story, not only those the database keeps for display; the ranking is review.rank.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from newsalign.corpus.align import engine, review
from newsalign.corpus.align.bridge import Bridge
from newsalign.corpus.align.claims import stored_facts
from newsalign.corpus.align.embed import Embedder
from newsalign.corpus.align.model import load_file, shipped
from newsalign.corpus.align.run import (
    Prepared,
    decided_pairs,
    embedders_for,
    last_settings,
    learned,
    prepare,
)
from newsalign.corpus.errors import CorpusError

KINDS = {
    "pair": "Do these two sentences report the same claim?",
    "member": "Does this sentence also assert claim {claim}?",
    "weak": "Is this sentence part of claim {claim}? (a no takes it out)",
}


@dataclass(frozen=True)
class Side:
    """One sentence of a question."""

    id: int
    outlet: str
    published: str | None
    lang: str | None
    text: str
    english: str | None
    names: tuple[str, ...]  # "surface = glossary name"


@dataclass(frozen=True)
class Question:
    """An open question: `a` and `b` are sentence ids (answer with `claims accept|reject A B`);
    `claim` the stored claim it names (None for a pair of sentences in no claim)."""

    a: int
    b: int
    kind: str
    claim: int | None
    probability: float
    story: int | None
    moves: int  # sentence pairs the answer decides
    question: str
    a_text: str
    b_text: str
    sentences: tuple[Side, Side]


def open_questions(
    db: sqlite_utils.Database,
    *,
    limit: int | None = None,
    story: int | None = None,
    skip: Collection[tuple[int, int]] = (),
    embedders: dict[str, Embedder] | None = None,
    prepared: Prepared | None = None,
) -> list[Question]:
    """The questions worth asking now, best first (`skip`: sentence pairs to leave out, e.g.
    skipped in this session). Needs an alignment; an unknown story is refused. A review
    session passes its loaded `embedders` and `prepared` claims (answers change neither)."""
    if (
        db.execute("SELECT 1 FROM runs WHERE command = 'align' AND status = 'ok'").fetchone()
        is None
    ):
        raise CorpusError("nothing aligned yet: run `newsalign align` first")
    if (
        story is not None
        and not db.execute("SELECT 1 FROM stories WHERE id = ?", [story]).fetchone()
    ):
        raise CorpusError(f"no story {story} (see `newsalign stories`)")
    settings = last_settings(db)
    embedders = embedders or embedders_for(settings)
    claim_model, story_model = (
        load_file(Path(settings.weights))
        if settings.weights
        else (shipped("claims"), shipped("stories"))
    )
    groups = stored_stories(db, story)
    if not groups:
        return []
    prepared = prepared or prepare_stories(db, embedders, groups)
    bridge = Bridge.load() if settings.bridge and "bridge" in claim_model.features else None
    must, cannot, _ = decided_pairs(db, prepared.claims)
    # The stories as stored (an incremental align places documents; regrouping here could
    # ask about stories that are not the ones `stories` and the report show).
    result = engine.align_groups(
        prepared.data,
        groups,
        claim_model,
        threshold=settings.threshold,
        bridge=bridge,
        must=must,
        cannot=cannot,
        recalibrate=learned(db, prepared.claims),
    )
    claims = prepared.claims
    segment = {k: c.id for k, c in enumerate(claims)}
    skipped = {frozenset(s) for s in skip}
    decided = review.closure(must, cannot)
    stored: dict[int, set[int]] = {}
    for cid, sid in db.execute("SELECT cluster_id, segment_id FROM cluster_members"):
        stored.setdefault(cid, set()).add(sid)
    named: dict[tuple[int, int], frozenset[int]] = {}
    story_of = dict(db.execute("SELECT doc_id, story_id FROM story_documents").fetchall())
    ranked: list[review.Candidate] = []
    for s in result.stories:
        if story is not None and not any(story_of.get(d) == story for d in s.documents):
            continue
        clusters = [[m.index for m in c] for c in s.clusters]
        found = review.rank(
            prepared.data.docs,
            s.edges.i,
            s.edges.j,
            s.edges.p,
            clusters,
            settings.threshold,
            decided,
        )
        ranked += [q for q in found if frozenset((segment[q.a], segment[q.b])) not in skipped]
        named.update(
            {
                (q.a, q.b): frozenset(segment[x] for x in clusters[q.claim])
                for q in found
                if q.claim is not None
            }
        )
    ranked.sort(key=lambda q: -q.value)
    chosen = ranked[:limit] if limit is not None else ranked
    sides = _sides(db, claims, {x for q in chosen for x in (q.a, q.b)})
    out = []
    for q in chosen:
        a, b = sides[q.a], sides[q.b]
        claim = _stored_id(stored, named.get((q.a, q.b)), b.id if q.kind != "pair" else a.id)
        out.append(
            Question(
                a.id,
                b.id,
                q.kind,
                claim,
                q.probability,
                story_of.get(claims[q.a].doc),
                q.moves,
                KINDS[q.kind].format(claim=claim),
                a.text,
                b.text,
                (a, b),
            )
        )
    return out


def stored_stories(db: sqlite_utils.Database, story: int | None = None) -> list[list[int]]:
    """The stored stories' current documents (of story `story` only, if given), by story id."""
    groups: dict[int, list[int]] = defaultdict(list)
    for sid, doc in db.execute(
        "SELECT sd.story_id, sd.doc_id FROM story_documents sd JOIN current_documents d "
        "ON d.id = sd.doc_id WHERE :story IS NULL OR sd.story_id = :story "
        "ORDER BY sd.story_id, sd.doc_id",
        {"story": story},
    ):
        groups[sid].append(doc)
    return list(groups.values())


def prepare_stories(
    db: sqlite_utils.Database, embedders: dict[str, Embedder], groups: list[list[int]]
) -> Prepared:
    """The stored claims of these stories' documents, with their vectors: one story's, when a
    person reviews one, not the corpus's."""
    docs = sorted(d for g in groups for d in g)
    return prepare(db, embedders, docs=docs, facts=stored_facts(db, docs))


def _sides(db: sqlite_utils.Database, claims, indexes: set[int]) -> dict[int, Side]:
    if not indexes:
        return {}
    ids = {claims[k].id: k for k in indexes}
    marks = ",".join("?" * len(ids))
    names: dict[int, list[str]] = defaultdict(list)
    for sid, surface, name in db.execute(
        f"SELECT m.segment_id, m.surface, n.name FROM mentions m JOIN names n ON n.id = m.name_id "
        f"WHERE m.translation_id IS NULL AND m.segment_id IN ({marks}) ORDER BY m.start",
        list(ids),
    ):
        names[sid].append(surface if surface == name else f"{surface} = {name}")
    dates = dict(
        db.execute(
            f"SELECT s.id, d.published FROM segments s JOIN documents d ON d.id = s.doc_id "
            f"WHERE s.id IN ({marks})",
            list(ids),
        ).fetchall()
    )
    out = {}
    for sid, k in ids.items():
        c = claims[k]
        english = c.english if c.english and c.english != c.text else None
        out[k] = Side(
            sid,
            c.source,
            dates.get(sid),
            c.lang,
            c.text,
            english,
            tuple(dict.fromkeys(names.get(sid, ()))),
        )
    return out


def _stored_id(stored: dict[int, set[int]], members: frozenset[int] | None, sentence: int):
    """The id of the stored claim a question names: of the claims holding `sentence` (it may be
    in several), the one sharing the most members with the claim the question was ranked on."""
    holding = [cid for cid, m in stored.items() if sentence in m]
    if not holding:
        return None
    return max(holding, key=lambda cid: (len(stored[cid] & (members or set())), -cid))
