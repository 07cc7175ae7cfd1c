"""The review session as a pure loop (corpus/review/protocol.py): the current question, an answer
marked, a question skipped, the last answer undone, over any question source and answer
applier; and one story reviewed in memory (corpus/review/in_memory.py), as bench/review.py
drives it."""

from __future__ import annotations

import numpy as np
import pytest

from newsalign.corpus.align.clustering import Scored
from newsalign.corpus.review.in_memory import InMemoryStory
from newsalign.corpus.review.protocol import Session


class Screens:
    """A source of screens (a claim and the sentences that may join it) whose answers are one
    yes or no per sentence: what the next issue's claim screens will be."""

    def __init__(self) -> None:
        self.joined: dict[str, set[int]] = {"A": set(), "B": set()}
        self.offered = {"A": [1, 2], "B": [3]}
        self.undone: list[int] = []

    def open_questions(self, skip=()):
        return [
            (claim, tuple(s for s in sentences if s not in self.joined[claim]))
            for claim, sentences in self.offered.items()
            if claim not in skip and set(sentences) - self.joined[claim]
        ]

    def key(self, question):
        return question[0]

    def apply(self, question, answer: dict[int, bool]):
        claim, _ = question
        added = {s for s, yes in answer.items() if yes}
        self.joined[claim] |= added
        self.offered[claim] = [s for s in self.offered[claim] if s not in answer or answer[s]]
        return (claim, frozenset(added), frozenset(answer))

    def undo(self, token) -> None:
        claim, added, _ = token
        self.joined[claim] -= added
        self.undone.append(len(added))


def test_a_session_marks_skips_and_undoes_a_screen_as_a_whole() -> None:
    screens = Screens()
    session = Session(screens, screens)
    assert session.question == ("A", (1, 2)) and session.asked == 0
    done = session.mark({1: True, 2: False})
    assert screens.joined["A"] == {1} and session.question == ("B", (3,))
    session.skip()
    assert session.question is None and session.asked == 2  # one answer, one skip
    assert session.undo() == done and screens.joined["A"] == set() and screens.undone == [1]
    assert session.question == ("A", (1,))  # asked again: 2 was answered no
    assert session.undo() is None
    with pytest.raises(IndexError):  # nothing left to answer
        Session(_Empty(), _Empty()).mark(True)


class _Empty:
    def open_questions(self, skip=()):
        return []

    def key(self, question):
        return question


def _story() -> InMemoryStory:
    # Six sentences of six articles: {0, 1, 2} one claim, 3 barely with it; 4 and 5 at 0.5.
    pairs = {(0, 1): 0.9, (0, 2): 0.9, (1, 2): 0.9, (3, 0): 0.6, (3, 1): 0.55, (3, 2): 0.4}
    pairs[(4, 5)] = 0.5
    i = np.array([a for a, _ in pairs])
    j = np.array([b for _, b in pairs])
    return InMemoryStory(6, np.arange(6), Scored(i, j, np.array(list(pairs.values()))), 0.5)


def test_a_story_in_memory_asks_applies_and_undoes_an_answer() -> None:
    story = _story()
    session = Session(story, story)
    before = [sorted(c) for c in story.clusters]
    assert before == [[0, 1, 2, 3], [4, 5]]  # 3 agrees with the claim on average, barely
    first = session.question
    assert (first.kind, first.a, first.claim) == ("weak", 3, 0)  # "is 3 part of the claim?"
    session.mark(False)
    assert [sorted(c) for c in story.clusters] == [[0, 1, 2], [4, 5]] and story.cannot
    assert session.question is None or session.question != first  # an answered pair is closed
    session.undo()
    assert [sorted(c) for c in story.clusters] == before
    assert not story.labels and not story.must and not story.cannot
    assert session.question == first
