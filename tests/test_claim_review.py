"""Review by claim (issue 28), pure: the membership judgement that learns from screens
(learner.py), claims as a person's answers fix them (claimset.py), screens chosen by expected
gain (screens.py), and the review state with its checks and exact undo (claimreview.py).

Stories here are small and made by hand: sentence k of article `docs[k]`, pair probabilities
given, every other cross-article pair at 0.01; sentence ids are 100 + k so that ids and
indexes cannot be mixed up silently."""

from __future__ import annotations

import numpy as np
import pytest

from newsalign.corpus.align import claimreview, claimset, learner, screens
from newsalign.corpus.align.claimreview import ReviewError
from newsalign.corpus.align.claimset import Answer, ReviewStory


def story(docs: list[int], pairs: dict[tuple[int, int], float], headline=()) -> ReviewStory:
    n = len(docs)
    i, j, p = [], [], []
    for a in range(n):
        for b in range(a + 1, n):
            if docs[a] != docs[b]:
                i.append(a)
                j.append(b)
                p.append(pairs.get((a, b), pairs.get((b, a), 0.01)))
    p = np.array(p)
    prior = np.log(p / (1 - p))
    X = np.column_stack([prior, np.zeros(len(p))])  # a cosine-like feature and same_lang
    return ReviewStory(
        tuple(100 + k for k in range(n)),
        np.array(docs),
        np.array([k in headline for k in range(n)]),
        np.array(i),
        np.array(j),
        X,
        prior,
        ("z", "same_lang"),
    )


def ids(*ks: int) -> tuple[int, ...]:
    return tuple(100 + k for k in ks)


# Two claims: {0,1,2} (articles 0-2, 0 the most central) and {3,4,8} (articles 3, 4, 7; 3 the
# label on a tie with 4); 5 (article 5) leans to the first; 6 (article 1 again) less so; 7
# (article 6) agrees with 0 and 1 only.
PAIRS = {(0, 1): 0.9, (0, 2): 0.88, (1, 2): 0.8, (3, 4): 0.9, (5, 0): 0.45, (5, 1): 0.4,
         (5, 2): 0.35, (6, 0): 0.45, (6, 2): 0.4, (3, 5): 0.2, (7, 0): 0.7, (7, 1): 0.7,
         (3, 8): 0.7, (4, 8): 0.7}  # fmt: skip
DOCS = [0, 1, 2, 3, 4, 5, 1, 6, 7]


# --- the judgement that learns (learner.py) -----------------------------------------------------


def test_before_any_answer_a_chance_is_the_mean_probability() -> None:
    names = learner.evidence_names(("z", "same_lang"))
    judge = learner.unlearned(names)
    assert judge.weights == learner.prior(names) and judge.answers == 0
    evidence = np.zeros((3, len(names)))
    evidence[:, 0] = learner.logit(np.array([0.2, 0.5, 0.9]))
    assert judge.predict(evidence) == pytest.approx([0.2, 0.5, 0.9], abs=1e-9)
    assert learner.membership(names, np.zeros((0, len(names))), np.zeros(0)) == judge


def test_the_judgement_refits_on_every_answer_towards_what_the_person_said() -> None:
    names = ("mean", "label")
    rng = np.random.default_rng(0)
    # The mean says nothing here; the label pair decides what the person says.
    label = rng.normal(size=200)
    evidence = np.column_stack([np.zeros(200), label])
    said = (label > 0).astype(float)
    judge = learner.membership(names, evidence, said)
    assert judge.answers == 200 and judge.weights[1] > 1.0
    chance = judge.predict(evidence)
    assert chance[said == 1].mean() > 0.7 > 0.3 > chance[said == 0].mean()
    # The penalty holds it near the prior: a stronger one moves it less.
    firm = learner.membership(names, evidence, said, l2=1000.0)
    assert abs(firm.weights[1]) < abs(judge.weights[1])
    assert firm.weights[0] == pytest.approx(1.0, abs=0.05)
    assert learner.membership(names, evidence, said) == judge  # deterministic


# --- claims from answers (claimset.py) -------------------------------------------------------


def test_without_answers_the_claims_are_the_clusterings_labelled_by_their_most_central() -> None:
    s = story(DOCS, PAIRS)
    claims = claimset.realign(s)
    assert [c.members for c in claims] == [ids(0, 1, 2), ids(3, 4, 8)]
    assert [c.label for c in claims] == [100, 103]  # 0: mean 0.89 with 1 and 2
    assert not any(c.reviewed for c in claims)
    assert claims[0].proposal == set(ids(0, 1, 2))


def test_a_yes_adds_a_no_removes_and_the_judgement_does_not_undo_either() -> None:
    s = story(DOCS, PAIRS)
    # 5 joins the first claim; 2 (a member) is said not to assert it.
    claims = claimset.realign(s, [Answer(100, frozenset(ids(5, 1)), frozenset(ids(2)))])
    first = next(c for c in claims if c.label == 100)
    assert set(first.members) == set(ids(0, 1, 5)) and first.confirmed == set(ids(0, 1, 5))
    assert first.rejected == set(ids(2)) and first.reviewed
    # 2 agrees with 0 and 1 (0.84 on average) but was said no: it is never put back.
    assert 102 not in first.members
    # 3 is in the other claim and may join this one too (a sentence asserts several claims).
    claims = claimset.realign(s, [Answer(100, frozenset(ids(3)))])
    assert {100, 103} <= set(next(c for c in claims if c.label == 100).members)
    assert any(set(c.members) == set(ids(3, 4, 8)) for c in claims)


def test_a_later_answer_about_a_sentence_replaces_the_earlier_one() -> None:
    s = story(DOCS, PAIRS)
    answers = [Answer(100, frozenset(ids(1, 5))), Answer(100, no=frozenset(ids(5)))]
    first = next(c for c in claimset.realign(s, answers) if c.label == 100)
    assert 105 not in first.members and first.rejected == {105}
    assert first.confirmed == set(ids(0, 1))
    assert claimset.verdicts(answers[::-1])[100] == (frozenset(ids(0, 1, 5)), frozenset())


def test_unjudged_proposal_members_stay_once_a_person_confirmed_another_article() -> None:
    s = story(DOCS, PAIRS)
    # Only 1 was judged: 2 stays unconfirmed (proposed with the label); 7, which agrees with
    # the confirmed 0 and 1 (0.7) but was never proposed with them nor said yes to, does not.
    claims = claimset.realign(s, [Answer(100, frozenset(ids(1)))])
    first = next(c for c in claims if c.label == 100)
    assert set(first.members) == set(ids(0, 1, 2)) and first.confirmed == set(ids(0, 1))
    # A screen answered all no leaves the label alone: no claim of one article is shown,
    # and what is left of its proposal ({1, 2}, p 0.8) stays a claim of its own.
    claims = claimset.realign(s, [Answer(100, no=frozenset(ids(1, 5)))])
    assert 100 not in {c.label for c in claims}
    assert any(set(c.members) == set(ids(1, 2)) and not c.reviewed for c in claims)


def test_claims_merge_only_by_answers() -> None:
    s = story(DOCS, PAIRS)
    # Claim {3,4,8} reviewed (4 confirmed, 8 not judged), then its label and confirmed member
    # confirmed in the first claim: it is shown as that one, which takes 8 along unconfirmed
    # (and what is left of its proposal does not come back as a claim of its own).
    answers = [Answer(103, frozenset(ids(4))), Answer(100, frozenset(ids(3, 4)))]
    claims = claimset.realign(s, answers)
    assert [c.label for c in claims] == [100]
    assert set(claims[0].members) == set(ids(0, 1, 2, 3, 4, 8))
    assert claims[0].confirmed == set(ids(0, 3, 4))
    # One of them only: both stay (3 is in two claims).
    claims = claimset.realign(s, [answers[0], Answer(100, frozenset(ids(3)))])
    assert [c.label for c in claims] == [100, 103]


def test_a_proposal_holding_both_sides_of_an_answer_is_split() -> None:
    s = story(DOCS, PAIRS)
    # Claim 7 confirmed with 3 and said not to hold 4: the proposal {3, 4, 8} holds both
    # sides; 3 (its label) stays with 8 (p 0.7), 4 goes apart (alone: not a claim).
    claims = claimset.realign(s, [Answer(107, frozenset(ids(3)), frozenset(ids(4)))])
    assert not any({103, 104} <= set(c.members) for c in claims)
    assert [set(c.members) for c in claims if c.label == 103] == [set(ids(3, 8))]
    assert set(next(c for c in claims if c.label == 107).members) == set(ids(7, 3))


def test_a_proposed_claim_keeps_its_oldest_label_while_it_is_a_member() -> None:
    s = story(DOCS, PAIRS)
    assert claimset.realign(s, ages={102: 0})[0].label == 102
    assert claimset.realign(s, ages={101: 5, 102: 3})[0].label == 102
    assert claimset.realign(s, ages={105: 0})[0].label == 100  # 5 is not a member


def test_the_learned_judgement_prunes_proposed_members_only_when_confident() -> None:
    s = story(DOCS, PAIRS)
    names = s.evidence
    # A judgement that says no below a mean of 0.86: 2 (mean 0.84 with 0 and 1) leaves first,
    # then 1 (0.9 with 0 alone) stays.
    weights = [0.0] * (len(names) + 1)
    weights[names.index("mean")] = 10.0
    weights[-1] = -10.0 * float(learner.logit(np.array([0.86]))[0])
    sure = np.eye(len(weights)) * 1e-6
    strict = learner.Membership(names, tuple(weights), 10, tuple(map(tuple, sure)))
    assert set(claimset.realign(s, prune=strict)[0].members) == set(ids(0, 1))
    assert claimset.realign(s)[0].members == ids(0, 1, 2)
    # The same judgement, unsure of its weights (a few answers): nothing is pruned.
    unsure = learner.Membership(names, tuple(weights), 10, tuple(map(tuple, np.eye(len(weights)))))
    assert claimset.realign(s, prune=unsure)[0].members == ids(0, 1, 2)
    assert not learner.unlearned(names).surely_no(np.zeros((3, len(names)))).any()


def test_one_screen_of_noes_does_not_dissolve_the_storys_claims() -> None:
    s = story(DOCS, PAIRS)
    review = claimreview.derive(s)
    screen = review.screen(100)
    after = claimreview.answer(review, 100, no=screen.judged)
    assert {c.label for c in after.claims} >= {103} and len(after.claims) >= 1
    assert after.claim(103).members == ids(3, 4, 8)


def test_judged_evidence_has_one_row_per_judged_sentence() -> None:
    s = story(DOCS, PAIRS)
    E, y = claimset.judged_evidence(s, [Answer(100, frozenset(ids(1, 5)), frozenset(ids(2)))])
    assert E.shape == (3, len(s.evidence)) and sorted(y.tolist()) == [0.0, 1.0, 1.0]
    # 5's mean with the confirmed members 0 and 1 (its own article left out), as log-odds.
    mean = E[:, s.evidence.index("mean")]
    assert min(abs(mean - learner.logit(np.array([(0.45 + 0.4) / 2]))[0])) < 1e-9


# --- screens (screens.py) --------------------------------------------------------------------


def test_a_screen_shows_the_sentences_of_highest_expected_gain() -> None:
    s = story(DOCS, PAIRS)
    claims = claimset.realign(s)
    first = screens.screen_for(
        s, claims[0], screens.together(claims, s), learner.unlearned(s.evidence)
    )
    # Before any answer a chance is the mean with the claim's members (other articles).
    # Candidates gain chance x new pairs: 7 0.47 x 3, 5 0.4 x 3, 6 (article 1, so pairs with 0
    # and 2 only) 0.425 x 2; members lose (1 - chance) x their pairs: 2 0.16 x 2, 1 0.15 x 2.
    # 3 and 4 (means 0.01 and 0.07) are below MIN_CHANCE.
    assert first.candidates == ids(7, 5, 6) and first.members == ids(2, 1)
    assert dict(first.chances) == pytest.approx(
        {107: 0.47, 105: 0.4, 106: 0.425, 102: 0.84, 101: 0.85}, abs=1e-3
    )
    assert first.gain == pytest.approx(
        0.47 * 3 + 0.4 * 3 + 0.425 * 2 + 0.16 * 2 + 0.15 * 2, abs=1e-3
    )
    assert first.label == first.claim == 100 and first.confirmed == ()
    limited = screens.screen_for(
        s, claims[0], screens.together(claims, s), learner.unlearned(s.evidence), limit=2
    )
    assert limited.judged == ids(7, 5)


def test_pairs_another_claim_holds_are_not_counted_as_gained() -> None:
    s = story(DOCS, PAIRS)
    claims = claimset.realign(s)
    judge = learner.unlearned(s.evidence)
    alone = screens.screen_for(s, claims[0], screens.together(claims, s), judge)
    # Another claim holding 5 with 0, 1 and 2: 5 adds nothing here, so it is not shown; 7
    # (held with 0 only) still adds its pairs with 1 and 2; and taking 1 or 2 out of this
    # claim would take out no pair (the other claim holds them too), so neither is shown.
    more = (*claims, claimset.Claim(105, ids(5, 0, 1, 2)), claimset.Claim(107, ids(7, 0)))
    again = screens.screen_for(s, claims[0], screens.together(more, s), judge)
    assert 105 in alone.candidates and again.judged == ids(7, 6)
    assert again.gain == pytest.approx(0.47 * 2 + 0.425 * 2, abs=1e-3)


def test_screens_are_ranked_by_expected_gain_and_fully_described_as_json() -> None:
    s = story(DOCS, PAIRS)
    claims = claimset.realign(s)
    ranked = screens.ranked(s, claims, learner.unlearned(s.evidence))
    assert [x.gain for x in ranked] == sorted((x.gain for x in ranked), reverse=True)
    data = ranked[0].as_json(
        {100: {"outlet": "A", "lang": "en", "published": None, "text": "t", "english": None}}
    )
    assert set(data) >= {"kind", "claim", "story", "label", "members", "candidates", "sentences"}
    assert data["kind"] == "claim" and data["sentences"][0] == {
        "id": 100,
        "outlet": "A",
        "lang": "en",
        "published": None,
        "text": "t",
        "english": None,
    }
    assert {x["id"] for x in data["sentences"]} >= set(data["members"]) | set(data["candidates"])
    assert (
        screens.ranked(s, claims, learner.unlearned(s.evidence), skip={ranked[0].claim})[0].claim
        != ranked[0].claim
    )


# --- the review state (claimreview.py) --------------------------------------------------------


def test_an_answer_must_fit_the_claims_current_screen_and_changes_nothing_otherwise() -> None:
    review = claimreview.derive(story(DOCS, PAIRS))
    screen = review.screen(100)
    shown = screen.judged[0]
    for bad in [
        dict(label=999, yes=[shown]),
        dict(label=100, yes=[104]),
        dict(label=100, yes=[shown], no=[shown]),
        dict(label=100, yes=[shown, shown]),
        dict(label=100),
    ]:
        with pytest.raises(ReviewError):
            claimreview.answer(review, **bad)
    assert review.answers == () and review.claims == claimreview.derive(review.story).claims
    after = claimreview.answer(review, 100, yes=[shown])
    assert after.answers == (Answer(100, frozenset({shown})),)
    assert after.judge.answers == 1 and after.before is review


def test_undo_gives_back_exactly_the_state_before_the_screen() -> None:
    s = story(DOCS, PAIRS)
    review = claimreview.derive(s)
    screen = review.next_screens(limit=1)[0]
    first = claimreview.answer(review, screen.claim, yes=screen.judged[:3], no=screen.judged[3:])
    second_screen = first.next_screens(limit=1)[0]
    second = claimreview.answer(first, second_screen.claim, no=second_screen.judged)
    assert second.claims != first.claims != review.claims
    assert claimreview.undo(second) is first
    # From the stored answers and label ages alone (a new process): the same claims.
    again = claimreview.undo(claimreview.derive(s, second.answers, second.ages))
    assert again.claims == first.claims
    assert (
        claimreview.undo(claimreview.derive(s, first.answers, first.ages)).claims == review.claims
    )
    with pytest.raises(ReviewError):
        claimreview.undo(review)
