"""Claim purity, as bench/stories.py reports it beside the pair scores (gold.purity)."""

from __future__ import annotations

import pytest

from newsalign.corpus.align.gold import GoldRow, Sentence, purity

GOLD = [GoldRow("C1", "must", "a.txt", "troops left"), GoldRow("C1", "ok", "b.txt", "Truppen"),
        GoldRow("C2", "must", "c.txt", "accord"), GoldRow("C1", "must", "c.txt", "soldiers"),
        GoldRow("C2", "must", "d.txt", "Abkommen")]  # fmt: skip
SENTENCES = {
    0: Sentence(0, "a.txt", "en", "The troops left today."),
    1: Sentence(1, "b.txt", "de", "Die Truppen zogen ab."),
    2: Sentence(2, "c.txt", "es", "The soldiers went, after the accord."),
    3: Sentence(3, "d.txt", "de", "Das Abkommen wurde unterzeichnet."),
    4: Sentence(4, "a.txt", "en", "Nothing anyone else reports."),
    5: Sentence(5, "a.txt", "en", "The troops left the monastery too."),
}


def test_a_claim_is_pure_when_one_gold_cluster_holds_every_member() -> None:
    # {0,1,2}: all C1 (2 is in C1 and C2) -> pure; {2,3}: both C2 -> pure;
    # {0,3}: no shared cluster -> impure; {1,4}: 4 is in no cluster -> impure;
    # {0,5}: one article only -> not counted.
    result = purity(GOLD, SENTENCES, [[0, 1, 2], [2, 3], [3, 0], [1, 4], [0, 5]])
    assert (result.pure, result.claims) == (2, 4)
    assert result.share == pytest.approx(0.5)
    assert result.impure == ((0, 3), (1, 4))


def test_purity_of_german_and_english_members_only() -> None:
    # Restricted to de/en: {0,1,2} -> {0,1} (pure); {2,3} -> {3} (one article, not counted).
    result = purity(GOLD, SENTENCES, [[0, 1, 2], [2, 3], [3, 0]], langs=("de", "en"))
    assert (result.pure, result.claims, result.impure) == (1, 2, ((0, 3),))
    assert purity(GOLD, SENTENCES, []).share == 0.0
