"""Incremental story assignment (corpus/align/grow.py) on hand-made probabilities."""

from datetime import date

import numpy as np

from newsalign.corpus.align.growing import assign, pair_agreement


def test_documents_join_the_story_their_scored_neighbours_favour() -> None:
    n = 5
    p = np.full((n, n), 0.05)
    for a, b in [(0, 1), (0, 2), (1, 2), (3, 4)]:
        p[a, b] = p[b, a] = 0.9
    p[2, 4] = p[4, 2] = np.nan  # never scored: out of the average
    lead = p.copy()
    dates = [date(2025, 1, d) for d in (1, 2, 3, 2, 3)]
    stories = assign(range(n), dates, np.nan_to_num(lead), p)
    assert sorted(sorted(s) for s in stories) == [[0, 1, 2], [3, 4]]
    # Outside the date window a document cannot join, however similar.
    far = [date(2025, 1, 1), date(2025, 3, 1), date(2025, 1, 3), date(2025, 1, 2), date(2025, 1, 3)]
    stories = assign(range(n), far, np.nan_to_num(lead), p)
    assert [1] in stories


def test_pair_agreement() -> None:
    same = pair_agreement(4, [[0, 1], [2, 3]], [[0, 1], [2, 3]])
    assert same["agreement"] == 1.0 and same["recall"] == 1.0 and same["precision"] == 1.0
    split = pair_agreement(4, [[0, 1, 2, 3]], [[0, 1], [2, 3]])
    assert split["agreement"] == 2 / 6 and split["recall"] == 2 / 6 and split["precision"] == 1.0


def test_a_bridging_document_merges_two_fragments_of_one_story() -> None:
    # 0 and 1 disagree (two stories at first); 2 agrees with both, strongly enough that the
    # average over the merged story's pairs is above the threshold.
    p = np.array([[np.nan, 0.3, 0.95], [0.3, np.nan, 0.95], [0.95, 0.95, np.nan]])
    dates = [date(2025, 1, 1)] * 3
    assert assign([0, 1], dates, np.nan_to_num(p), p) == [[0], [1]]
    assert sorted(assign([0, 1, 2], dates, np.nan_to_num(p), p)[0]) == [0, 1, 2]
