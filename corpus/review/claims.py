"""Review by claim on the stored corpus (issue 28): the screens to show, a screen answered,
a screen undone, and how far a review has come. What `newsalign review` and `serve --review`
call; the algorithm is align/claimreview.py (design: docs/review-design.md).

A story's review state is rebuilt from the database each time: its candidates and stored
vectors, scored and clustered as `align` does (job/reviewed.py), and the live answers
(store/answers.py). An answer is checked against the claim's current screen before anything is
written; then, in one transaction, one row per judged sentence is recorded as the person's
answer and the story is aligned again (an incremental `align`: the answers are in the story's
fingerprint, so only that story, and any other whose inputs changed, is aligned again).

Progress, "screen 3 of ~40": `answered` counts the screens answered and not undone (of the
story, or of the corpus); the total is fixed when a story's first counted screen was answered
(the screens answered before it plus the story's screens then worth at least one pair: stored
with the screen) and, for a story not reviewed yet, is the screens now worth at least one pair.
So the estimate does not move from one screen to the next while a person reviews a story; it
is never below the screens answered."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import sqlite_utils

from newsalign.corpus.align import claimreview, engine
from newsalign.corpus.align.candidates import Candidate
from newsalign.corpus.align.claimreview import Review, ReviewError
from newsalign.corpus.align.embedders import Embedder
from newsalign.corpus.align.job import reviewed
from newsalign.corpus.align.job.reading import decided, prepare
from newsalign.corpus.align.job.run import realign_with
from newsalign.corpus.align.job.setup import Setup, last_settings
from newsalign.corpus.align.job.vectors import Embedding
from newsalign.corpus.align.pairs import ScoringMemo
from newsalign.corpus.align.screens import Screen
from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store import answers as answers_db
from newsalign.corpus.store import candidates as candidates_db
from newsalign.corpus.store import decisions, numbering
from newsalign.corpus.store import stories as stories_db
from newsalign.corpus.store.database import transaction
from newsalign.corpus.store.runs import last_run

__all__ = [
    "Answered",
    "ClaimScreen",
    "ReviewError",
    "ScreenSentence",
    "Undone",
    "answer",
    "answered",
    "progress",
    "screens",
    "undo",
]


@dataclass(frozen=True)
class ScreenSentence:
    """A sentence shown on a screen: its outlet, language, publication date, text and English
    (None when the text is English or untranslated)."""

    id: int
    outlet: str
    lang: str | None
    published: str | None
    text: str
    english: str | None

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "outlet": self.outlet,
            "lang": self.lang,
            "published": self.published,
            "text": self.text,
            "english": self.english,
        }


@dataclass(frozen=True)
class ClaimScreen:
    """One claim to review: `claim` the stored claim's id (as `claims list` shows), `label` the
    sentence that states it, `members` to keep or remove, `candidates` to add (segment ids),
    `sentences` the label, the members a person confirmed (`confirmed`, context only) and every
    sentence to judge. `chances`: the judgement's probability of a yes for each judged
    sentence; `gain`: the pairs the screen is expected to fix."""

    claim: int
    story: int
    label: int
    members: tuple[int, ...]
    candidates: tuple[int, ...]
    sentences: tuple[ScreenSentence, ...]
    confirmed: tuple[int, ...] = ()
    chances: tuple[tuple[int, float], ...] = ()
    gain: float = 0.0
    kind: str = "claim"

    @property
    def judged(self) -> tuple[int, ...]:
        """The sentences to judge, members first."""
        return self.members + self.candidates

    def sentence(self, sid: int) -> ScreenSentence:
        return next(s for s in self.sentences if s.id == sid)

    def as_json(self) -> dict:
        """Issue 28's object (kind, claim, story, label, members, candidates, sentences), then
        `confirmed`, `chances` and `gain`."""
        return {
            "kind": self.kind,
            "claim": self.claim,
            "story": self.story,
            "label": self.label,
            "members": list(self.members),
            "candidates": list(self.candidates),
            "sentences": [s.as_json() for s in self.sentences],
            "confirmed": list(self.confirmed),
            "chances": {str(sid): q for sid, q in self.chances},
            "gain": self.gain,
        }


@dataclass(frozen=True)
class Answered:
    """A screen answered: its id (for undo), its story, the claim's id after re-alignment
    (None if the answers left no claim of two articles), and the sentences said yes and no."""

    screen: int
    story: int
    claim: int | None
    yes: int
    no: int
    label: int


@dataclass(frozen=True)
class Undone:
    """A screen withdrawn: its id, story, and the claim its label names now (None: none)."""

    screen: int
    story: int | None
    claim: int | None
    label: int | None


@dataclass(frozen=True)
class _State:
    story: int
    review: Review
    found: tuple[Candidate, ...]
    claim_ids: dict[int, int]  # label sentence -> stored claim id


def setup_for(
    db: sqlite_utils.Database,
    embedders: dict[str, Embedder] | None = None,
    setup: Setup | None = None,
) -> Setup:
    """What a review computes with: the last align's settings (refused before any align), the
    models loaded once, and a scorer that remembers the stories it scored (pairs.ScoringMemo:
    an answer is checked and then written on the same scores). A session resolves it once and
    passes `setup=` to every call; `setup` given is returned as it is."""
    if last_run(db, "align") is None:
        raise CorpusError("nothing aligned yet: run `newsalign align` first")
    if setup is not None:
        return setup
    return Setup.resolve(db, last_settings(db), embedders, scorer=ScoringMemo())


def _state(db: sqlite_utils.Database, setup: Setup, story: int) -> _State | None:
    """A stored story's review state (None: fewer than two current documents)."""
    docs = stories_db.current_documents_by_story(db, story).get(story, [])
    if len(docs) < 2:
        return None
    if answers_db.unlabelled(db, story):
        raise ReviewError(
            f"story {story} was aligned before claims had labels: run `newsalign align --full` once"
        )
    prepared = prepare(db, setup.embedders, Embedding(), docs, candidates_db.stored(db, docs))
    keys = numbering.document_keys(db)
    wanted = {keys[d] for d in docs if d in keys}
    found = prepared.candidates
    decisions_, _ = decided(db, found, wanted)
    result = engine.align_groups(
        prepared.data, [docs], setup.claim_model, setup.options, decisions_
    ).stories[0]
    rstory = reviewed.review_story(found, prepared.data, result, setup.settings.threshold, story)
    answers = reviewed.answers_for(db, found, wanted)
    review = claimreview.derive(rstory, answers, answers_db.label_ages(db))
    return _State(story, review, tuple(found), answers_db.labels(db, story))


def _stories(db: sqlite_utils.Database, story: int | None) -> list[int]:
    if story is not None:
        if not stories_db.exists(db, story):
            raise ReviewError(f"no story {story} (see `newsalign stories`)")
        return [story]
    return sorted(stories_db.current_documents_by_story(db))


def _sentences(db: sqlite_utils.Database, state: _State, ids: Sequence[int]):
    by_id = {c.id: c for c in state.found}
    dates = candidates_db.published(db, list(ids)) if ids else {}
    out = []
    for sid in ids:
        c = by_id[sid]
        english = c.english if c.english and c.english != c.text else None
        out.append(ScreenSentence(sid, c.source, c.lang, dates.get(sid), c.text, english))
    return tuple(out)


def _screen(db: sqlite_utils.Database, state: _State, s: Screen) -> ClaimScreen | None:
    claim = state.claim_ids.get(s.label)
    if claim is None:
        return None  # the stored alignment does not hold this claim (align again)
    shown = tuple(dict.fromkeys((s.label, *s.confirmed, *s.judged)))
    return ClaimScreen(
        claim,
        state.story,
        s.label,
        s.members,
        s.candidates,
        _sentences(db, state, shown),
        s.confirmed,
        s.chances,
        s.gain,
    )


def screens(
    db: sqlite_utils.Database,
    *,
    story: int | None = None,
    limit: int | None = None,
    skip: Collection[int] = (),
    embedders: dict[str, Embedder] | None = None,
    setup: Setup | None = None,
) -> list[ClaimScreen]:
    """The next screens, the most expected gain first, chosen by the tool alone (of one story,
    or of every story); `skip`: claims (stored ids) left out, e.g. skipped in this session."""
    setup = setup_for(db, embedders, setup)
    found: list[tuple[Screen, _State]] = []
    for sid in _stories(db, story):
        state = _state(db, setup, sid)
        if state is None:
            continue
        labels = {label for label, cid in state.claim_ids.items() if cid in set(skip)}
        found += [(s, state) for s in state.review.next_screens(skip=labels)]
    found.sort(key=lambda x: (-x[0].gain, x[1].story, x[0].claim))
    out: list[ClaimScreen] = []
    for s, state in found:
        if limit is not None and len(out) >= limit:
            break
        shown = _screen(db, state, s)
        if shown is not None:
            out.append(shown)
    return out


def answer(
    db: sqlite_utils.Database,
    claim: int,
    yes: Sequence[int],
    no: Sequence[int],
    *,
    embedders: dict[str, Embedder] | None = None,
    setup: Setup | None = None,
) -> Answered:
    """Answer claim `claim`'s current screen: `yes` the sentences that assert it (keep or add),
    `no` those that do not (remove, or not a candidate). Refused with nothing written when the
    claim or a sentence is not on the claim's screen (ReviewError)."""
    setup = setup_for(db, embedders, setup)
    where = answers_db.claim_of(db, claim)
    if where is None:
        raise ReviewError(f"no claim {claim} (see `newsalign claims list`)")
    story, label = where
    if label is None:
        raise ReviewError(
            f"claim {claim} was aligned before claims had labels: run `newsalign align --full` once"
        )
    state = _state(db, setup, story)
    if state is None:
        raise ReviewError(f"claim {claim}'s story has fewer than two articles now")
    try:  # checked against the claim's current screen: nothing is written when refused
        claimreview.answer(state.review, label, yes, no)
    except ReviewError as exc:  # the pure review names a claim by its label
        raise ReviewError(str(exc).replace(f"claim {label}", f"claim {claim}")) from None
    estimate = _estimate_before(db, state)
    named = decisions.identities(db, [label, *yes, *no])
    judged = [(named[s], True) for s in yes] + [(named[s], False) for s in no]
    with transaction(db):
        screen = answers_db.record(db, claim, story, named[label], judged, estimate)
        realign_with(db, setup)
    after = _claim_named(db, label)
    return Answered(screen, story, after, len(yes), len(no), label)


def undo(
    db: sqlite_utils.Database,
    screen: int | None = None,
    *,
    embedders: dict[str, Embedder] | None = None,
    setup: Setup | None = None,
) -> Undone:
    """Withdraw the last answered screen (or screen `screen`) as a whole, and align again."""
    setup = setup_for(db, embedders, setup)
    live = answers_db.screens(db, undone=False)
    if not live:
        raise ReviewError("nothing to undo")
    target = live[-1] if screen is None else next((s for s in live if s.id == screen), None)
    if target is None:
        raise ReviewError(f"no screen {screen} to undo (see `newsalign review answers`)")
    with transaction(db):
        answers_db.undo(db, target.id)
        realign_with(db, setup)
    label = decisions.current_sentences(db).get(target.label)
    label_id = label[0] if label else None
    claim = _claim_named(db, label_id) if label_id is not None else None
    return Undone(target.id, target.story, claim, label_id)


def progress(
    db: sqlite_utils.Database,
    story: int | None = None,
    *,
    embedders: dict[str, Embedder] | None = None,
    setup: Setup | None = None,
) -> tuple[int, int]:
    """(screens answered, estimated total): see the module docstring for how it is fixed."""
    live = [s for s in answers_db.screens(db, undone=False) if story is None or s.story == story]
    fixed: dict[int, int] = {}
    for s in live:
        if s.story is not None and s.story not in fixed and s.estimate is not None:
            fixed[s.story] = s.estimate
    total = sum(fixed.values())
    rest = [sid for sid in _stories(db, story) if sid not in fixed]
    if rest:
        setup = setup_for(db, embedders, setup)
        for sid in rest:
            state = _state(db, setup, sid)
            if state is not None:
                total += _worth(state)
    return len(live), max(total, len(live))


def answered(db: sqlite_utils.Database) -> list[answers_db.ScreenRow]:
    """Every screen a person answered, oldest first, undone ones included."""
    return answers_db.screens(db)


def _worth(state: _State) -> int:
    """The story's screens now worth at least one pair (all of them, in a story so small that
    none is)."""
    found = state.review.next_screens()
    return sum(1 for s in found if s.gain >= 1.0) or len(found)


def _estimate_before(db: sqlite_utils.Database, state: _State) -> int:
    """The story's total as shown before this answer (kept from its first counted screen)."""
    live = [s for s in answers_db.screens(db, undone=False) if s.story == state.story]
    for s in live:
        if s.estimate is not None:
            return s.estimate
    return len(live) + _worth(state)


def _claim_named(db: sqlite_utils.Database, label: int) -> int | None:
    return answers_db.claim_labelled(db, label)
