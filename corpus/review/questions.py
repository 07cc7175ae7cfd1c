"""The pair questions of the stored alignment, most useful first, with everything a person needs
to answer them (both sentences, outlets, dates, languages, English, the place names used, the
probability): the question source of `newsalign review`.

The stories as stored are aligned again in memory the way the last `align` ran it (stored
vectors, the person's decisions and the story's recalibration), because the questions need
every scored pair of a story, not only those the database keeps for display; the ranking is
align/asking.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable
from dataclasses import dataclass

import sqlite_utils

from newsalign.corpus.align import asking, engine
from newsalign.corpus.align.candidates import Candidate
from newsalign.corpus.align.embedders import Embedder
from newsalign.corpus.align.job.reading import Prepared, decided, prepare
from newsalign.corpus.align.job.setup import Setup, last_settings
from newsalign.corpus.align.job.vectors import Embedding
from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store import candidates as candidates_db
from newsalign.corpus.store import claims as claims_db
from newsalign.corpus.store import mentions
from newsalign.corpus.store import stories as stories_db
from newsalign.corpus.store.runs import last_run

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


class PairQuestions:
    """The questions about the stored stories (one story's, if `story` is given), for a review
    session: set up once (embedders, the stories' candidates and vectors: answers change
    neither), asked again after every answer. Needs an alignment; an unknown story is
    refused."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        story: int | None = None,
        embedders: dict[str, Embedder] | None = None,
    ) -> None:
        if last_run(db, "align") is None:
            raise CorpusError("nothing aligned yet: run `newsalign align` first")
        if story is not None and not stories_db.exists(db, story):
            raise CorpusError(f"no story {story} (see `newsalign stories`)")
        self.db, self.story = db, story
        self.setup = Setup.resolve(db, last_settings(db), embedders)
        groups = self._groups()
        self.prepared = _prepare_stories(db, self.setup.embedders, groups) if groups else None

    def _groups(self) -> list[list[int]]:
        return list(stories_db.current_documents_by_story(self.db, self.story).values())

    def key(self, question: Question) -> Hashable:
        return (question.a, question.b)

    def open_questions(
        self, skip: Collection[Hashable] = (), limit: int | None = None
    ) -> list[Question]:
        """The questions worth asking now, best first (at most `limit`), but those of `skip`
        (sentence pairs)."""
        groups = self._groups()
        if not groups or self.prepared is None:
            return []
        ranked, named = self._ranked(groups, {frozenset(s) for s in skip})
        return self._questions(ranked[:limit] if limit is not None else ranked, named)

    def _ranked(self, groups: list[list[int]], skipped: set[frozenset[int]]):
        """Every question of the stories, best first (asking.rank), with the members of the
        claim each names."""
        db, prepared, setup = self.db, self.prepared, self.setup
        decisions, _ = decided(db, prepared.candidates)
        # The stories as stored (an incremental align places documents; regrouping here could
        # ask about stories that are not the ones `stories` and the report show).
        result = engine.align_groups(
            prepared.data, groups, setup.claim_model, setup.options, decisions
        )
        segment = {k: c.id for k, c in enumerate(prepared.candidates)}
        settled = asking.closure(decisions.must, decisions.cannot)
        named: dict[tuple[int, int], frozenset[int]] = {}
        story_of = stories_db.story_of_documents(db)
        ranked: list[asking.Ranked] = []
        for s in result.stories:
            if self.story is not None and not any(
                story_of.get(d) == self.story for d in s.documents
            ):
                continue
            clusters = [[m.index for m in c] for c in s.clusters]
            found = asking.rank(
                prepared.data.docs,
                s.edges.i,
                s.edges.j,
                s.edges.p,
                clusters,
                setup.settings.threshold,
                settled,
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
        return ranked, named

    def _questions(
        self, ranked: list[asking.Ranked], named: dict[tuple[int, int], frozenset[int]]
    ) -> list[Question]:
        found = self.prepared.candidates
        stored = claims_db.members_by_claim(self.db)
        story_of = stories_db.story_of_documents(self.db)
        sides = _sides(self.db, found, {x for q in ranked for x in (q.a, q.b)})
        out = []
        for q in ranked:
            a, b = sides[q.a], sides[q.b]
            claim = _stored_id(stored, named.get((q.a, q.b)), b.id if q.kind != "pair" else a.id)
            out.append(
                Question(
                    a.id,
                    b.id,
                    q.kind,
                    claim,
                    q.probability,
                    story_of.get(found[q.a].doc),
                    q.moves,
                    KINDS[q.kind].format(claim=claim),
                    a.text,
                    b.text,
                    (a, b),
                )
            )
        return out


def open_questions(
    db: sqlite_utils.Database, *, limit: int | None = None, story: int | None = None
) -> list[Question]:
    """The questions worth asking now, best first (at most `limit`)."""
    return PairQuestions(db, story).open_questions(limit=limit)


def _prepare_stories(
    db: sqlite_utils.Database, embedders: dict[str, Embedder], groups: list[list[int]]
) -> Prepared:
    """The stored candidates of these stories' documents, with their vectors: one story's, when
    a person reviews one, not the corpus's."""
    docs = sorted(d for g in groups for d in g)
    return prepare(db, embedders, Embedding(), docs, candidates_db.stored(db, docs))


def _sides(db: sqlite_utils.Database, found: list[Candidate], indexes: set[int]) -> dict[int, Side]:
    if not indexes:
        return {}
    ids = {found[k].id: k for k in indexes}
    names: dict[int, list[str]] = defaultdict(list)
    for sid, pairs in mentions.surfaces(db, list(ids)).items():
        names[sid] = [
            surface if surface == name else f"{surface} = {name}" for surface, name in pairs
        ]
    dates = candidates_db.published(db, list(ids))
    out = {}
    for sid, k in ids.items():
        c = found[k]
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
