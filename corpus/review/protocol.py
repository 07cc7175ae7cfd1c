"""A review session as a pure loop, in the manner of dedupe's labeller (`uncertain_pairs`,
`mark`, and the console's "previous"): ask the most useful open question, mark the person's
answer, skip a question, undo the last answer. Nothing here reads the database or the terminal.

A session is built from two small protocols, so that what a question is and what an answer
does can change without the loop changing:

- a `QuestionSource` gives the open questions, most useful first, leaving out those skipped
  (`key` says which are the same question from one call to the next). Questions may be pairs
  of sentences (questions.py) or a screen: one claim with its members and the sentences that
  may join it;
- an `AnswerApplier` applies an answer to a question and returns a token that `undo` takes
  back. An answer may be "same" / "not the same" for a pair, or one yes/no per sentence of a
  screen; a screen is undone as a whole, as the token stands for all it decided.

After every answer and undo the questions are asked for again: an answer may settle, or open,
others.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

Q = TypeVar("Q")  # a question
A = TypeVar("A")  # an answer
Q_contra = TypeVar("Q_contra", contravariant=True)
A_contra = TypeVar("A_contra", contravariant=True)


class QuestionSource(Protocol[Q]):
    def open_questions(self, skip: Collection[Hashable] = ()) -> Sequence[Q]:
        """The questions worth asking now, most useful first, but those whose key is in
        `skip`."""
        ...

    def key(self, question: Q) -> Hashable:
        """What identifies a question from one call of `open_questions` to the next."""
        ...


class AnswerApplier(Protocol[Q_contra, A_contra]):
    def apply(self, question: Q_contra, answer: A_contra) -> Hashable:
        """Apply `answer` to `question`; returns what `undo` takes to take it back."""
        ...

    def undo(self, token: Hashable) -> None: ...


@dataclass(frozen=True)
class Marked(Generic[Q, A]):
    """An answer given in a session: the question, the answer, and its undo token."""

    question: Q
    answer: A
    token: Hashable


class Session(Generic[Q, A]):
    """One person's review: the current question (`question`), answers (`mark`), skips
    (`skip`) and undos (`undo`); `marked` holds this session's answers, oldest first."""

    def __init__(self, source: QuestionSource[Q], applier: AnswerApplier[Q, A]) -> None:
        self.source = source
        self.applier = applier
        self.marked: list[Marked[Q, A]] = []
        self.skipped: set[Hashable] = set()
        self._open: list[Q] | None = None

    @property
    def open(self) -> list[Q]:
        """The open questions, best first (asked of the source when something changed)."""
        if self._open is None:
            self._open = list(self.source.open_questions(self.skipped))
        return self._open

    @property
    def question(self) -> Q | None:
        """The question to ask now; None when nothing is left worth asking."""
        return self.open[0] if self.open else None

    @property
    def asked(self) -> int:
        """Questions answered or skipped so far."""
        return len(self.marked) + len(self.skipped)

    def mark(self, answer: A) -> Marked[Q, A]:
        """Answer the current question."""
        question = self._current()
        done = Marked(question, answer, self.applier.apply(question, answer))
        self.marked.append(done)
        self._open = None
        return done

    def skip(self) -> None:
        """Leave the current question for this session."""
        self.skipped.add(self.source.key(self._current()))
        self._open = None

    def undo(self) -> Marked[Q, A] | None:
        """Take back this session's last answer (None: there is none)."""
        if not self.marked:
            return None
        last = self.marked.pop()
        self.applier.undo(last.token)
        self._open = None
        return last

    def _current(self) -> Q:
        question = self.question
        if question is None:
            raise IndexError("no open question")
        return question
