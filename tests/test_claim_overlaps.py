"""A sentence in several claims, headlines and short quoted statements as claims."""

from __future__ import annotations

import json

import numpy as np
import pytest

from newsalign.corpus.align.candidates import is_candidate
from newsalign.corpus.align.clustering import Member, Scored, with_overlaps
from tests.helpers import EXAMPLES, fetch


def _pairs(scores: dict[tuple[int, int], float]):
    keys = sorted(scores)
    return (
        np.array([a for a, _ in keys]),
        np.array([b for _, b in keys]),
        np.array([scores[k] for k in keys]),
    )


def test_a_sentence_joins_every_further_claim_it_matches_on_average() -> None:
    # Articles A B C D. Claim 1: 0(A) 1(B); claim 2: 2(C) 3(B) 5(D). Sentence 0 also states
    # claim 2 (0.8 and 0.7 against its members, 0.6 against 5); sentence 4(A) matches claim 2
    # only through one member and stays out.
    docs = np.array(["A", "B", "C", "B", "A", "D"])
    scores = {
        (0, 1): 0.9,
        (2, 3): 0.9,
        (2, 5): 0.9,
        (3, 5): 0.8,
        (0, 2): 0.8,
        (0, 3): 0.7,
        (0, 5): 0.6,
        (2, 4): 0.9,
    }
    i, j, p = _pairs(scores)
    groups = [[Member(0), Member(1)], [Member(2), Member(3), Member(5)]]
    first, second = with_overlaps(groups, docs, Scored(i, j, p), 0.5)
    assert first == groups[0]
    assert second == groups[1] + [Member(0, also=True)]
    # The same rule as merging: below the threshold on average, no join.
    assert with_overlaps(groups, docs, Scored(i, j, p), 0.75) == groups
    # A person's "cannot" holds.
    assert with_overlaps(groups, docs, Scored(i, j, p), 0.5, cannot=[(0, 5)]) == groups


def test_one_sentence_per_article_and_never_two_claims_that_are_one_set() -> None:
    # Claim 1: 0(A) 1(B); sentences 2 and 3 of article C both match it; only the better joins.
    docs = np.array(["A", "B", "C", "C", "D", "E"])
    scores = {
        (0, 1): 0.9,
        (0, 2): 0.8,
        (1, 2): 0.8,
        (0, 3): 0.6,
        (1, 3): 0.6,
        (4, 5): 0.9,
        (0, 4): 0.9,
        (0, 5): 0.9,
        (1, 4): 0.9,
        (1, 5): 0.9,
    }
    i, j, p = _pairs(scores)
    groups = [[Member(0), Member(1)], [Member(4), Member(5)]]
    first, second = with_overlaps(groups, docs, Scored(i, j, p), 0.5)
    # Claim 1 takes 2 (not 3, the weaker of article C), 4 and 5; claim 2 takes 0 and 1 but
    # not 2, which was never scored against its members (an unscored pair counts as 0).
    assert [m.index for m in first] == [0, 1, 2, 4, 5]
    assert [m.index for m in second] == [4, 5, 0, 1]
    # Two claims that would become the same set: the second stays as it was.
    docs = np.array(["A", "B", "C", "D"])
    scores = {(0, 1): 0.9, (2, 3): 0.9, (0, 2): 0.9, (0, 3): 0.9, (1, 2): 0.9, (1, 3): 0.9}
    i, j, p = _pairs(scores)
    groups = [[Member(0), Member(1)], [Member(2), Member(3)]]
    first, second = with_overlaps(groups, docs, Scored(i, j, p), 0.5)
    assert {m.index for m in first} == {0, 1, 2, 3} and second == groups[1]


def test_headlines_and_short_quoted_statements_are_claims() -> None:
    assert is_candidate("Kreml bestätigt Truppenabzug aus Karabach", False, headline=True)
    assert not is_candidate("Kreml bestätigt Truppenabzug aus Karabach", False)  # no full stop
    assert not is_candidate("Mehr lesen", False, headline=True)
    assert is_candidate('"Yes, it is true," Peskov said.', False)
    assert is_candidate("„Das ist so“, sagte der Kreml-Sprecher.", False)
    assert not is_candidate("Peskov said so today.", False)  # short and not a quotation


@pytest.mark.slow
def test_titles_are_aligned_as_claims_marked_as_headlines(cli, db_path) -> None:
    assert cli("ingest", str(EXAMPLES)).exit_code == 0
    assert cli("align").exit_code == 0
    titles = fetch(db_path, "SELECT id FROM text_segments WHERE kind = 'title' ORDER BY id")
    flagged = fetch(db_path, "SELECT segment_id FROM claims WHERE headline = 1 ORDER BY 1")
    assert len(titles) == 2 and flagged == titles
    body = fetch(db_path, "SELECT count(*) FROM claims WHERE headline = 0")[0][0]
    assert body > 10
    claims = json.loads(cli("claims", "list", "--json").output)
    first, second = claims[0]["id"], claims[1]["id"]
    shown = json.loads(cli("claims", "show", str(first), "--json").output)
    assert all(m["headline"] in (0, 1) and m["also_in"] == [] for m in shown["members"])
    # A sentence in two claims: each claim names the other beside it.
    import sqlite3

    member = shown["members"][0]["segment_id"]
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO cluster_members (cluster_id, segment_id) VALUES (?, ?)", (second, member)
        )
    shown = json.loads(cli("claims", "show", str(first), "--json").output)
    assert [m["also_in"] for m in shown["members"] if m["segment_id"] == member] == [[second]]
    assert f"also in claim {first}" in cli("claims", "show", str(second)).output
    # A correction reports every claim the sentence is in, not one of them.
    done = json.loads(cli("claims", "detach", str(member), "--no-align", "--json").output)
    assert dict((s, c) for s, c in done["placed"])[member] == sorted([first, second])
