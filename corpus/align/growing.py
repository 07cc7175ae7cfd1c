"""Stories that grow: documents arriving one at a time join an existing story or open a new one,
instead of regrouping the whole corpus (grouping.py does that, for `align --full`).

A new document's candidates are the documents already placed whose publication date lies within
`window` days of its own (all of them when either date is unknown), and of those the `k`
nearest by lead cosine (numpy exact search: a matrix product over the window, which at tens of
thousands of documents a window is milliseconds). Each candidate's story is scored as
average-link grouping would score it: the mean calibrated probability (the `stories` model)
over the story's members that were scored with the new document. The best story at or above the
threshold takes it; otherwise it opens a story of its own. Then, as average-link grouping would,
the story it is in merges with any other of its candidates' stories whose members agree with
its members on average (a bridging article joins two early fragments of one event).

`assign` is the assignment on a whole corpus fed in order, as bench/grow.py measures it; `extend`
is the same step on stories already stored, which `align` uses (placing.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

WINDOW_DAYS = 7  # the Europe Media Monitor links daily clusters within a 7-day window
NEIGHBOURS = 20


@dataclass(frozen=True)
class Rule:
    """A new document's candidates are the documents within `window` days of it (all, when a
    date is missing), of which the `k` nearest leads; a story takes it at `threshold`."""

    window: int = WINDOW_DAYS
    k: int = NEIGHBOURS
    threshold: float = 0.5


def assign(
    order: Sequence[int],
    dates: Sequence[date | None],
    lead: np.ndarray,
    probability: np.ndarray,
    *,
    window: int = WINDOW_DAYS,
    k: int = NEIGHBOURS,
    threshold: float = 0.5,
) -> list[list[int]]:
    """Stories (lists of document indexes) built by feeding documents in `order`. `lead` is the
    (n, n) lead cosine, `probability` the (n, n) story-model probability (NaN: not scored)."""
    position = {x: r for r, x in enumerate(order)}

    def nearest(x: int) -> list[int]:
        near = [y for y in order[: position[x]] if _within(dates[x], dates[y], window)]
        return sorted(near, key=lambda y: -lead[x, y])[:k] if near else []

    grown = extend(order, nearest, lambda a, b: probability[np.ix_(a, b)], threshold=threshold)
    return [s for s in grown if s]


def extend(
    order: Sequence[int],
    nearest: Callable[[int], list[int]],
    probability: Callable[[list[int], list[int]], np.ndarray],
    *,
    existing: Sequence[Sequence[int]] = (),
    threshold: float = 0.5,
) -> list[list[int]]:
    """The assignment itself: `existing` stories (documents already placed) grow by the
    documents of `order`, fed one at a time. `nearest(x)` gives x's candidates among the
    documents placed before it (the date window and the k nearest leads are the caller's);
    `probability(a, b)` the story-model probabilities of a block of documents (NaN: not
    scored). Returns every story, the existing ones first in their order (possibly emptied by a
    merge: then [])."""
    stories: list[list[int]] = [list(s) for s in existing]
    story_of: dict[int, int] = {m: s for s, members in enumerate(stories) for m in members}
    for x in order:
        near = nearest(x)
        best, best_p = None, threshold
        for s in {story_of[y] for y in near}:
            row = probability([x], stories[s])[0]
            scores = row[~np.isnan(row)]
            if scores.size and (mean := float(np.mean(scores))) >= best_p:
                best, best_p = s, mean
        if best is None:
            best = len(stories)
            stories.append([])
        stories[best].append(x)
        story_of[x] = best
        for other in sorted({story_of[y] for y in near} - {best}):
            if _linkage(stories[best], stories[other], probability) >= threshold:
                for m in stories[other]:
                    story_of[m] = best
                stories[best] += stories[other]
                stories[other] = []
    return stories


def _linkage(a: list[int], b: list[int], probability) -> float:
    """Average-link score of two stories: the mean probability over their scored pairs."""
    block = probability(a, b)
    scored = block[~np.isnan(block)]
    return float(scored.mean()) if scored.size else 0.0


def _within(a: date | None, b: date | None, window: int) -> bool:
    return a is None or b is None or abs((a - b).days) <= window


def pair_agreement(n: int, first: list[list[int]], second: list[list[int]]) -> dict[str, float]:
    """How two groupings of n documents agree on document pairs: the share of pairs both put
    together or both apart, and the recall and precision of `second`'s same-story pairs
    against `first`'s."""
    a, b = np.full(n, -1), np.full(n, -1)
    for k, g in enumerate(first):
        a[g] = k
    for k, g in enumerate(second):
        b[g] = k
    i, j = np.triu_indices(n, 1)
    same_a, same_b = a[i] == a[j], b[i] == b[j]
    both = int((same_a & same_b).sum())
    return {
        "pairs": len(i),
        "agreement": float((same_a == same_b).mean()) if len(i) else 1.0,
        "recall": both / max(int(same_a.sum()), 1),
        "precision": both / max(int(same_b.sum()), 1),
    }
