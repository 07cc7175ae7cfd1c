"""Review screens: one claim per screen, the sentences worth judging on it, and which claim to
show next, chosen by the tool alone to fix the most pairs per screen.

A screen shows a claim's label (what the claim means to the person), its confirmed members
(context, not judged again), and at most `MAX_SENTENCES` sentences to judge: unconfirmed members
to keep or remove, and candidates from anywhere in the story to add (a sentence already in
another claim may join this one too). Each sentence's *chance* is the probability that the
person says it asserts the claim, from the membership judgement as the story's answers taught
it (learner.py) over its evidence against the claim's confirmed members (all its members while
none is confirmed): candidates are ranked by a judgement that learns from every screen.

Expected gain, in pairs of sentences from different articles (the pairs the scoring counts): a
candidate said yes adds its pairs with the claim's members that no claim holds yet (chance x
those pairs); a member said no takes out its pairs in the claim that no other claim holds
((1 - chance) x those pairs). A screen holds its claim's sentences of highest gain; screens are
ranked by their total gain. Sentences whose chance is below `MIN_CHANCE` are not shown: the
engine keeps no pair below that probability (engine.FLOOR), and a person's time is not spent
on them.

Pure: a story, its claims and the judgement in, frozen screens out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from newsalign.corpus.align.claimset import Claim, ReviewStory
from newsalign.corpus.align.learner import Membership

MAX_SENTENCES = 12  # sentences to judge on one screen (issue 28)
MIN_CHANCE = 0.15  # engine.FLOOR: below it the engine keeps no pair at all


@dataclass(frozen=True)
class Screen:
    """One claim to review. Sentence ids throughout; `members` are to keep or remove,
    `candidates` to add, `confirmed` are shown for context only. `chances`: each judged
    sentence's probability of asserting the claim; `gain`: the expected pairs fixed."""

    claim: int  # the claim's key: its label's sentence id
    label: int
    members: tuple[int, ...]
    candidates: tuple[int, ...]
    confirmed: tuple[int, ...]
    chances: tuple[tuple[int, float], ...]
    gain: float
    story: int | None = None

    @property
    def judged(self) -> tuple[int, ...]:
        """The sentences a person judges on this screen, members first."""
        return self.members + self.candidates

    def as_json(self, sentences: dict[int, dict] | None = None, claim: int | None = None) -> dict:
        """The screen as `newsalign review --json` prints it (issue 28): `sentences` maps a
        sentence id to its display fields (outlet, lang, published, text, english), filled in
        by the caller for the label, the confirmed members and every judged sentence; `claim`:
        the stored claim's id, where the caller keeps one (default: the label's sentence id,
        the claim's key here). `confirmed` is an addition to the issue's shape: members a
        person already confirmed, shown for context and not to be judged again."""
        shown = (self.label, *self.confirmed, *self.judged)
        key = self.claim if claim is None else claim
        return {
            "kind": "claim",
            "claim": key,
            "story": self.story,
            "label": self.label,
            "members": list(self.members),
            "candidates": list(self.candidates),
            "confirmed": list(self.confirmed),
            "sentences": [
                {"id": sid, **(sentences or {}).get(sid, {})} for sid in dict.fromkeys(shown)
            ],
        }


class Held:
    """How many claims hold each pair of sentences (local indexes), and each sentence's
    partners in some claim."""

    def __init__(self, claims: Sequence[Claim], story: ReviewStory) -> None:
        self.count: Counter = Counter()
        self.partners: dict[int, set[int]] = defaultdict(set)
        for c in claims:
            members = sorted(story.index[s] for s in c.members)
            for a, x in enumerate(members):
                for y in members[a + 1 :]:
                    self.count[(x, y)] += 1
                    self.partners[x].add(y)
                    self.partners[y].add(x)

    def __getitem__(self, pair: tuple[int, int]) -> int:
        x, y = pair
        return self.count[(x, y) if x < y else (y, x)]


def together(claims: Sequence[Claim], story: ReviewStory) -> Held:
    """The pairs the current claims hold (see Held)."""
    return Held(claims, story)


def screen_for(
    story: ReviewStory,
    claim: Claim,
    held: Held,
    judge: Membership,
    limit: int | None = None,
) -> Screen:
    """The screen of one claim: its `limit` (default MAX_SENTENCES) sentences of highest
    expected gain (none with a chance below MIN_CHANCE). `held`: `together` of all current
    claims; `judge`: the membership judgement as the answers so far taught it."""
    index, docs = story.index, np.asarray(story.docs)
    members = [index[s] for s in claim.members]
    confirmed = {index[s] for s in claim.confirmed}
    rejected = {index[s] for s in claim.rejected}
    label = index[claim.label]
    core = sorted(confirmed) if confirmed else members
    evidence, usable = story.near.evidence(core, label, [index[s] for s in claim.proposal])
    chance = np.where(usable, judge.predict(evidence), np.nan)
    options: list[tuple[float, float, int, bool]] = []
    for x in members:
        if x in confirmed or x == label or np.isnan(chance[x]):
            continue
        alone = sum(1 for y in members if y != x and docs[y] != docs[x] and held[(x, y)] == 1)
        options.append(((1 - chance[x]) * alone, chance[x], x, True))
    # A candidate's new pairs: the members of other articles it shares no claim with yet.
    doc_ids, counts = np.unique(docs[members], return_counts=True)
    same = dict(zip(doc_ids.tolist(), counts.tolist(), strict=True))
    new = len(members) - np.array([same.get(d, 0) for d in docs.tolist()])
    for y in members:
        for x in held.partners.get(y, ()):
            if docs[x] != docs[y]:
                new[x] -= 1
    inside = set(members) | rejected
    for x in np.flatnonzero(np.nan_to_num(chance, nan=0.0) >= MIN_CHANCE).tolist():
        if x not in inside:
            options.append((chance[x] * new[x], chance[x], x, False))
    options = [o for o in options if o[0] > 0]
    options.sort(key=lambda o: (-o[0], -o[1], story.ids[o[2]]))
    chosen = options[: MAX_SENTENCES if limit is None else limit]
    ids = story.ids
    return Screen(
        claim=claim.label,
        label=claim.label,
        members=tuple(ids[x] for _, _, x, member in chosen if member),
        candidates=tuple(ids[x] for _, _, x, member in chosen if not member),
        confirmed=tuple(ids[x] for x in sorted(confirmed - {label})),
        chances=tuple((ids[x], round(float(q), 4)) for _, q, x, _ in chosen),
        gain=round(float(sum(g for g, *_ in chosen)), 4),
        story=story.story,
    )


def ranked(
    story: ReviewStory,
    claims: Sequence[Claim],
    judge: Membership,
    limit: int | None = None,
    skip: Collection[int] = (),
) -> list[Screen]:
    """Every claim's screen with something to judge, the most expected gain first (`skip`:
    claims, by label, left out, e.g. skipped in this session)."""
    held = together(claims, story)
    out = [screen_for(story, c, held, judge) for c in claims if c.label not in skip]
    out = [s for s in out if s.judged]
    out.sort(key=lambda s: (-s.gain, s.claim))
    return out[:limit] if limit is not None else out
