"""A person's corrections, applied at once: record the decision, then re-align the way the last
`align` did (same embedders, threshold and weights), so the claims reflect it immediately.

The decision itself is stored by sentence identity (store/decisions.py) and applied by every
later run; here is only the convenience of seeing its effect straight away.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from newsalign.corpus.align import asking
from newsalign.corpus.align.embedders import Embedder
from newsalign.corpus.align.job.reading import load_candidates
from newsalign.corpus.align.job.run import AlignReport, run_alignment
from newsalign.corpus.align.job.setup import last_settings
from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store import candidates as candidates_db
from newsalign.corpus.store import claims as claims_db
from newsalign.corpus.store import decisions
from newsalign.corpus.store.database import transaction
from newsalign.corpus.store.runs import ever_ran

ACTIONS = ("reject", "accept", "split", "merge", "detach")


@dataclass(frozen=True)
class Correction:
    """A recorded decision, and the align run that applied it (None: not re-aligned)."""

    decision: int
    action: str
    pairs: int
    aligned: AlignReport | None
    # (sentence, every claim it is in now; empty: in none): a sentence may assert several claims
    placed: tuple[tuple[int, tuple[int, ...]], ...]


def correct(
    db: sqlite_utils.Database,
    action: str,
    ids: list[int],
    *,
    claim: int | None = None,
    note: str = "",
    realign: bool = True,
    embedders: dict[str, Embedder] | None = None,
) -> Correction:
    """Record a decision and re-align. `ids`: two sentences (reject, accept), the sentences that
    leave `claim` (split), the claims to merge, or the sentence to detach. `embedders`: loaded
    ones to reuse (a review session answers many questions)."""
    # What a decision implies is read from the claims as stored: read and recorded in one
    # transaction, so an align committing in between cannot make it a mix of two states.
    with transaction(db):
        pairs = _pairs(db, action, ids, claim)
        decision = decisions.record(db, action, pairs, note)
    sentences = sorted({x for _, a, b in pairs for x in (a, b)})
    aligned = _realign(db, embedders) if realign else None
    where = claims_db.memberships(db)
    placed = tuple((s, tuple(where.get(s, ()))) for s in sentences)
    return Correction(decision, action, len(pairs), aligned, placed)


def _pairs(
    db: sqlite_utils.Database, action: str, ids: list[int], claim: int | None
) -> list[tuple[str, int, int]]:
    if action in ("accept", "reject", "detach"):
        _check_named(db, ids)
    if action == "accept":
        return _accept_pairs(db, *ids)
    if action == "reject":
        return _reject_pairs(db, *ids)
    if action == "detach":
        return decisions.detach_pairs(db, ids[0])
    if action == "split":
        return decisions.split_pairs(db, claim, ids)
    if action == "merge":
        return decisions.merge_pairs(db, ids)
    raise ValueError(action)


def _check_named(db: sqlite_utils.Database, ids: list[int]) -> None:
    """Refuse, in one line, a sentence no alignment can place: one of an old version of its
    article (the decision would name the current version's sentence, or none), or one that is
    not a claim candidate (a heading, a link, a byline, too short: `align` leaves it out)."""
    found = decisions.named(db, ids)
    for sid in ids:
        sentence = found[sid]
        if not sentence.current:
            where = (
                f"the current version has it as sentence {sentence.current_id}"
                if sentence.current_id is not None
                else "the current version does not have it"
            )
            raise CorpusError(
                f"sentence {sid} is from an old version of its article (document "
                f"{sentence.doc_id}): {where}"
            )
    docs = sorted({s.doc_id for s in found.values()})
    claimed = candidates_db.stored(db, docs)
    known = {c.id for c in load_candidates(db, docs, claimed)}
    for sid in ids:
        if sid not in known:
            raise CorpusError(
                f"sentence {sid} cannot be in a claim: `align` leaves it out (a "
                "heading, a link, a byline or too short a sentence)"
            )


def withdraw(
    db: sqlite_utils.Database,
    decision: int,
    *,
    realign: bool = True,
    embedders: dict[str, Embedder] | None = None,
) -> AlignReport | None:
    """Remove a decision and re-align without it."""
    decisions.remove(db, decision)
    return _realign(db, embedders) if realign else None


def _reject_pairs(db: sqlite_utils.Database, a: int, b: int) -> list[tuple[str, int, int]]:
    """Two sentences are not one claim. When they are in one claim now, only the one less
    attached to the rest leaves it (asking.answer_pairs): the claim keeps its other members
    and its id rather than falling apart around the two."""
    pairs = decisions.link_pairs(db, "cannot", a, b)
    home = claims_db.claim_holding(db, a, b)
    if home is None:
        return pairs
    members = decisions.members(db, home)
    p = {frozenset(pair): q for pair, q in claims_db.link_scores(db, home).items()}
    return asking.answer_pairs(a, b, False, [members], p)


def _accept_pairs(db: sqlite_utils.Database, a: int, b: int) -> list[tuple[str, int, int]]:
    """Two sentences are one claim, and so is what that implies for the claims they are in now
    (asking.answer_pairs): the first sentence joins the second's claim and keeps any claim it is
    in (a sentence asserts several claims); a second sentence in no claim joins the first's.
    The named pair comes first (it is the one the story's judgement learns from)."""
    pairs = decisions.link_pairs(db, "must", a, b)
    claims = claims_db.claims_with(db, a, b)
    return asking.answer_pairs(a, b, True, list(claims.values()), {}) if claims else pairs


def _realign(
    db: sqlite_utils.Database, embedders: dict[str, Embedder] | None = None
) -> AlignReport | None:
    if not ever_ran(db, "align"):
        return None  # never aligned: the person runs `align` when ready
    return run_alignment(db, last_settings(db), embedders=embedders)
