"""Reviewing one story by claim: the state of a review and the three things a person does to it
(answer a screen, undo the last one, ask for the next screens).

The state is the story (its sentences and scored pairs, claimset.ReviewStory) and the answers
given so far; everything else is derived from them in one step (`derive`): the membership
judgement refitted on the answers (learner.py), the claims as the answers fix them
(claimset.realign), and from those the screens (screens.ranked). So an answer re-aligns only its
story, and undo is exact: the state before the answer is kept, and deriving again from the same
answers and label ages gives the same claims.

An answer is checked against the claim's current screen before anything changes: it names a
current claim, and every sentence it judges is on that claim's screen, judged once. Nothing
beyond the sentences judged is recorded as the person's: each is one decision (`Answer`).

Pure: no database, no printing; the command line and the browser store the answers (one
decision per judged sentence) and the label ages, and call `derive` to get the claims back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from newsalign.corpus.align import claimset, learner, screens
from newsalign.corpus.align.claimset import Answer, Claim, ReviewStory
from newsalign.corpus.errors import CorpusError


class ReviewError(CorpusError):
    """An answer that does not fit the claim's current screen; nothing was changed."""


@dataclass(frozen=True, eq=False)
class Review:
    """A story under review: its answers, the membership judgement they taught, its claims,
    the age of every label seen (lower is older), and the state before the last answer."""

    story: ReviewStory
    answers: tuple[Answer, ...]
    judge: learner.Membership
    claims: tuple[Claim, ...]
    ages: Mapping[int, int]
    before: Review | None = None

    def claim(self, label: int) -> Claim:
        """The current claim whose label is sentence `label`."""
        for c in self.claims:
            if c.label == label:
                return c
        raise ReviewError(f"no claim {label} in this story now")

    def next_screens(
        self, limit: int | None = None, skip: Iterable[int] = ()
    ) -> list[screens.Screen]:
        """The screens worth showing now, the most expected gain first (`skip`: claims by
        label, e.g. skipped in this session)."""
        return screens.ranked(self.story, self.claims, self.judge, limit, frozenset(skip))

    def screen(self, label: int) -> screens.Screen:
        """The current screen of claim `label` (what an answer to it is checked against)."""
        return screens.screen_for(
            self.story, self.claim(label), screens.together(self.claims, self.story), self.judge
        )


def derive(
    story: ReviewStory, answers: Iterable[Answer] = (), ages: Mapping[int, int] | None = None
) -> Review:
    """The review state of `story` after `answers` (in the order given). `ages`: the age of
    each past label (sentence id -> lower is older), e.g. from the stored claims."""
    answers = tuple(answers)
    judge = learner.membership(story.evidence, *claimset.judged_evidence(story, answers))
    ages = dict(ages or {})
    claims = claimset.realign(story, answers, ages, judge)
    return Review(story, answers, judge, claims, _aged(ages, claims))


def answer(review: Review, label: int, yes: Iterable[int] = (), no: Iterable[int] = ()) -> Review:
    """The state after a person answered the screen of claim `label`: `yes` the sentences that
    assert it, `no` those that do not (sentences left unjudged are not decided). Refused, with
    nothing changed, when the claim or a sentence is not on the claim's current screen."""
    yes, no = list(yes), list(no)
    if len(set(yes)) != len(yes) or len(set(no)) != len(no) or set(yes) & set(no):
        raise ReviewError("each sentence can be judged once per screen")
    if not yes and not no:
        raise ReviewError("nothing judged")
    shown = set(review.screen(label).judged)
    off = [s for s in yes + no if s not in shown]
    if off:
        raise ReviewError(f"sentence {off[0]} is not on the screen of claim {label}")
    answers = review.answers + (Answer(label, frozenset(yes), frozenset(no)),)
    return dataclasses.replace(derive(review.story, answers, review.ages), before=review)


def undo(review: Review) -> Review:
    """The state before the last answer (exactly); refused when nothing was answered."""
    if not review.answers:
        raise ReviewError("nothing to undo")
    if review.before is not None:
        return review.before
    return derive(review.story, review.answers[:-1], review.ages)


def _aged(ages: Mapping[int, int], claims: Iterable[Claim]) -> dict[int, int]:
    """The ages with every current label added (a new label is younger than all before it)."""
    out = dict(ages)
    for c in claims:
        if c.label not in out:
            out[c.label] = max(out.values(), default=-1) + 1
    return out
