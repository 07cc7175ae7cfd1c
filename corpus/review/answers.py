"""Answers applied to the database: a pair question answered yes or no becomes `claims accept`
or `claims reject` (a decision recorded, the story re-aligned at once), and is undone by
withdrawing that decision. The answer applier of `newsalign review`."""

from __future__ import annotations

from collections.abc import Hashable

import sqlite_utils

from newsalign.corpus.align.embedders import Embedder
from newsalign.corpus.align.job.corrections import correct, withdraw
from newsalign.corpus.review.questions import Question


class Decisions:
    """Each answer a decision (its id is the undo token), re-aligned with `embedders` (loaded
    once for the session)."""

    def __init__(self, db: sqlite_utils.Database, embedders: dict[str, Embedder]) -> None:
        self.db, self.embedders = db, embedders

    def apply(self, question: Question, answer: bool) -> Hashable:
        """`answer`: the two sentences report the same claim."""
        action = "accept" if answer else "reject"
        done = correct(
            self.db, action, [question.a, question.b], note="review", embedders=self.embedders
        )
        return done.decision

    def undo(self, token: Hashable) -> None:
        withdraw(self.db, int(token), embedders=self.embedders)
