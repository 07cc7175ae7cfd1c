"""`newsalign review` and corrections that behave: which questions are asked, what an answer
decides, the per-story recalibration, stable claim and decision ids, `claims detach`, and the
doubt shown in the report.

The command-line tests use the three-outlet story of test_analyst.py aligned with a high
threshold (0.9), so that its links (p 0.73-0.94 with the real engines) sit near the threshold
and are worth asking about.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import sqlite_utils

from newsalign.corpus import store
from newsalign.corpus.align import asking, recalibrate
from newsalign.corpus.store import migrations
from tests.helpers import fetch
from tests.test_analyst import sentence, write_story

# --- Choosing questions (pure) ----------------------------------------------------------------


def edges(pairs: dict[tuple[int, int], float]):
    i = np.array([a for a, _ in pairs])
    j = np.array([b for _, b in pairs])
    return i, j, np.array(list(pairs.values()))


def test_questions_are_ranked_by_doubt_times_the_pairs_an_answer_decides() -> None:
    docs = np.arange(8)  # one sentence per article
    # Claims {0,1,2} and {3,4}; sentence 5 leans toward the first claim; 6-7 an unclaimed pair.
    i, j, p = edges(
        {
            (0, 1): 0.9,
            (0, 2): 0.9,
            (1, 2): 0.9,
            (3, 4): 0.9,
            (0, 3): 0.45,
            (1, 4): 0.4,
            (2, 3): 0.45,  # cross pairs: average 0.22
            (5, 0): 0.6,
            (5, 1): 0.5,
            (5, 2): 0.3,  # average 0.47
            (6, 7): 0.49,
        }
    )
    clusters = [[0, 1, 2], [3, 4]]
    ranked = asking.rank(docs, i, j, p, clusters, 0.5)
    kinds = {q.kind: q for q in ranked}
    assert set(kinds) == {"member", "pair"}
    member = ranked[0]
    # b: the member whose pair with 5 (0.5) is closest to the question's probability (0.47)
    assert (member.kind, member.a, member.b, member.claim, member.moves) == ("member", 5, 1, 0, 3)
    assert member.probability == pytest.approx((0.6 + 0.5 + 0.3) / 3, abs=1e-4)
    # A sentence already in a claim is asked about a further claim too (3 also in {0, 1, 2}?),
    # and "are these two claims one?" is not asked.
    also = {(q.a, q.claim): q for q in ranked if q.kind == "member"}
    assert also[(3, 0)].probability == pytest.approx(0.9 / 3, abs=1e-4)
    assert also[(3, 0)].moves == 3
    assert (kinds["pair"].a, kinds["pair"].b, kinds["pair"].moves) == (6, 7, 1)
    # The member question is as doubtful as the pair but decides three pairs, so it comes first.
    assert ranked[0] == member and ranked.index(kinds["pair"]) > 0
    assert [q.value for q in ranked] == sorted((q.value for q in ranked), reverse=True)


def test_answered_pairs_and_far_probabilities_are_not_asked() -> None:
    docs = np.arange(4)
    i, j, p = edges({(0, 1): 0.95, (2, 3): 0.48, (1, 2): 0.02})
    ranked = asking.rank(docs, i, j, p, [[0, 1]], 0.5)
    assert [(q.a, q.b) for q in ranked] == [(2, 3)]  # a link inside a claim and p 0.02 are not
    assert asking.rank(docs, i, j, p, [[0, 1]], 0.5, decided={frozenset((2, 3))}) == []
    # A decision about any pair of a sentence and a claim closes that member question.
    i, j, p = edges({(0, 1): 0.9, (2, 0): 0.5, (2, 1): 0.45})
    assert asking.rank(docs, i, j, p, [[0, 1]], 0.5)[0].kind == "member"
    assert asking.rank(docs, i, j, p, [[0, 1]], 0.5, decided={frozenset((2, 1))}) == []


def test_a_no_inside_a_claim_takes_out_only_the_less_attached_sentence() -> None:
    claim = [1, 2, 3, 4]
    p = {
        frozenset(k): v
        for k, v in {
            (1, 3): 0.9,
            (1, 4): 0.9,
            (2, 3): 0.5,
            (2, 4): 0.4,
            (1, 2): 0.6,
            (3, 4): 0.9,
        }.items()
    }
    pairs = asking.answer_pairs(1, 2, False, [claim], p)
    assert pairs[0] == ("cannot", 1, 2)  # the pair the person named comes first
    assert set(pairs[1:]) == {("cannot", 2, 3), ("cannot", 2, 4)}
    assert asking.answer_pairs(2, 1, False, [claim], p)[1:] == pairs[1:]
    assert asking.answer_pairs(1, 2, True, [claim], p) == [("must", 1, 2)]
    assert asking.answer_pairs(1, 9, False, [claim], p) == [("cannot", 1, 9)]


def test_decisions_settle_pairs_by_transitivity() -> None:
    settled = asking.closure([(1, 2), (2, 3)], [(3, 7)])
    assert frozenset((1, 3)) in settled  # one chain of musts: one claim
    assert {frozenset((x, 7)) for x in (1, 2, 3)} <= settled  # a cannot across the groups
    assert frozenset((1, 8)) not in settled and frozenset((7, 8)) not in settled


def test_a_yes_decides_every_pair_its_question_was_about() -> None:
    # A sentence in no claim joins every member of the other's claim, the named pair first.
    assert asking.answer_pairs(9, 2, True, [[1, 2, 3]], {}) == [
        ("must", 9, 2),
        ("must", 9, 1),
        ("must", 9, 3),
    ]
    # A sentence in a claim also joins the other's claim (and keeps its own): its pairs with
    # every member of that claim, not every cross pair of the two claims.
    joined = asking.answer_pairs(1, 5, True, [[1, 2], [5, 6]], {})
    assert joined == [("must", 1, 5), ("must", 1, 6)]
    # However many claims it is in already: it keeps them all and joins this one.
    assert asking.answer_pairs(1, 5, True, [[1, 2], [1, 3], [5, 6]], {})[1:] == [("must", 1, 6)]
    # The other sentence in two claims: which one is meant is unknown, only the pair is decided.
    assert asking.answer_pairs(1, 5, True, [[1, 2], [5, 6], [5, 7]], {}) == [("must", 1, 5)]


# --- Learning from answers --------------------------------------------------------------------


def test_answers_shift_the_story_and_a_few_cannot_swing_it() -> None:
    assert recalibrate.fit(np.array([]), np.array([])).shift == 0.0
    yes = recalibrate.fit(np.array([0.45, 0.4, 0.42]), np.array([1, 1, 1]))
    no = recalibrate.fit(np.array([0.55, 0.6]), np.array([0, 0]))
    assert yes.shift > 0 > no.shift
    assert yes.apply(np.array([0.45]))[0] > 0.5  # the story's other pairs at 0.45 now join
    one = recalibrate.fit(np.array([0.3]), np.array([1]))
    many = recalibrate.fit(np.full(40, 0.3), np.ones(40))
    assert 0 < one.shift < 0.35 < many.shift  # the prior holds against one answer
    assert recalibrate.fit(np.array([0.3]), np.array([1]), prior=float("inf")).shift == 0.0
    # A no is a 0 in every average; a yes keeps its probability (membership honours it).
    settled = recalibrate.settle(np.array([0.4, 0.7, 0.2]), [0, 1], [1, 0])
    assert settled.tolist() == [0.4, 0.0, 0.2]


def test_the_engine_hook_drops_detached_sentences_and_applies_the_answers() -> None:
    from newsalign.corpus.align.pairs import Edges

    local = Edges(
        np.array([0, 0, 1]),
        np.array([1, 2, 2]),
        np.zeros((3, 1)),
        np.array([0.45, 0.45, 0.45]),
        ("x",),
    )
    rows = np.array([10, 11, 12])
    adjusted = recalibrate.story_adjust({(10, 11): 1})(rows, local)
    assert adjusted.p.tolist() == [adjusted.p[0]] * 3 and adjusted.p[0] > 0.45  # all shifted
    adjusted = recalibrate.story_adjust({(10, 11): 0})(rows, local)
    assert adjusted.p[0] == 0.0 and 0 < adjusted.p[1] < 0.45 and adjusted.p[2] == adjusted.p[1]
    dropped = recalibrate.story_adjust({}, frozenset({12}))(rows, local)
    assert dropped.i.tolist() == [0] and dropped.j.tolist() == [1]
    assert recalibrate.story_adjust({(40, 41): 1})(rows, local) is local


# --- The command line -------------------------------------------------------------------------


@pytest.fixture
def doubtful(corpus_copy):
    """The analyst story aligned at threshold 0.9: its links are near the threshold."""

    def steps(folder):
        manifest = write_story(folder / "story")
        return [["ingest", "--manifest", str(manifest)], ["align", "--threshold", "0.9"]]

    return corpus_copy("doubtful", steps)


def test_review_before_align_says_what_to_do(cli, tmp_path) -> None:
    assert cli("ingest", "--manifest", str(write_story(tmp_path / "story"))).exit_code == 0
    result = cli("review", "--json")
    assert result.exit_code == 1 and "run `newsalign align`" in result.output


@pytest.mark.slow
def test_accepting_a_sentence_with_a_claims_member_joins_it_to_the_whole_claim(doubtful, cli):
    import sqlite3

    db = doubtful
    claim, size = fetch(
        db, "SELECT cluster_id, count(*) FROM cluster_members GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
    )[0]
    inside = [
        x
        for (x,) in fetch(
            db, "SELECT segment_id FROM cluster_members WHERE cluster_id = ? ORDER BY 1", (claim,)
        )
    ]
    assert size >= 3
    # Its first member, as if the alignment had left it out: a yes to it and one member
    # decides it with every member, and the decision says so.
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM cluster_members WHERE segment_id = ?", (inside[0],))
    result = cli("claims", "accept", str(inside[0]), str(inside[1]), "--no-align", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["pairs"] == size - 1


@pytest.mark.slow
def test_ids_stay_stable_through_reject_undo_and_detach(cli, db_path, tmp_path) -> None:
    db = db_path
    assert cli("ingest", "--manifest", str(write_story(tmp_path / "story"))).exit_code == 0
    assert cli("align").exit_code == 0
    alpha = sentence(db, "Alpha Wire", "Russia plans")
    beta = sentence(db, "Beta News", "Russia plans")
    gamma = sentence(db, "Gamma Daily", "Russia plans")
    (claim,) = fetch(db, "SELECT cluster_id FROM cluster_members WHERE segment_id = ?", [alpha])
    claim = claim[0]
    members = fetch(db, "SELECT segment_id FROM cluster_members WHERE cluster_id = ?", [claim])
    assert {alpha, beta, gamma} <= {m[0] for m in members}

    # A no to two members takes out one of them; the claim keeps its id and its other members.
    result = cli("claims", "reject", str(alpha), str(gamma), "--json")
    assert result.exit_code == 0, result.output
    decision = json.loads(result.output)["decision"]
    now = {
        m[0]
        for m in fetch(db, "SELECT segment_id FROM cluster_members WHERE cluster_id = ?", [claim])
    }
    assert beta in now and len({alpha, gamma} & now) == 1

    # Undone: the same members, the same id; the next decision takes a new id.
    assert cli("claims", "undo", str(decision)).exit_code == 0
    assert fetch(db, "SELECT segment_id FROM cluster_members WHERE cluster_id = ?", [claim]) == (
        members
    )
    result = cli("claims", "detach", str(gamma), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["decision"] == decision + 1
    assert fetch(db, "SELECT cluster_id FROM cluster_members WHERE segment_id = ?", [gamma]) == []
    assert "in no claim" in cli("claims", "decisions").output
    # Every later align honours it.
    assert cli("align").exit_code == 0
    assert fetch(db, "SELECT cluster_id FROM cluster_members WHERE segment_id = ?", [gamma]) == []
    assert fetch(db, "SELECT count(*) FROM cluster_members WHERE cluster_id = ?", [claim]) == [(2,)]
    assert cli("claims", "detach", "99999").exit_code == 1


@pytest.mark.slow
def test_the_report_shows_each_members_probability_and_flags_weak_ones(doubtful, cli, tmp_path):
    out = tmp_path / "r.html"
    assert cli("report", "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "newsalign review --story" in page
    assert "below the threshold (0.9), or the rest of a claim disagrees" in page
    shown = [float(x) for x in re.findall(r'sentences of this claim">p (0\.\d\d)', page)]
    assert shown and all(0 < x <= 1 for x in shown)
    assert ("weak</span>" in page) == any(x < 0.9 for x in shown)


def test_migration_12_keeps_decisions_and_allows_detach(db_path) -> None:
    db = sqlite_utils.Database(db_path)
    for name, func in migrations.MIGRATIONS:
        if name.startswith("0012"):
            break
        with db.atomic():
            db.execute(
                f"CREATE TABLE IF NOT EXISTS {migrations.MIGRATIONS_TABLE} "
                "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            func(db)
            db.execute(f"INSERT INTO {migrations.MIGRATIONS_TABLE} VALUES (?, 'then')", [name])
    db.execute("INSERT INTO decisions (id, action, note, created_at) VALUES (3, 'merge', 'n', 't')")
    db.execute("INSERT INTO decision_pairs VALUES (3, 'must', 'a', 'h1', 'b', 'h2')")
    db.conn.commit()
    db.close()
    migrated = store.open_db(db_path)
    assert migrated.execute("SELECT * FROM decisions").fetchall() == [(3, "merge", "n", "t")]
    assert migrated.execute("SELECT * FROM decision_pairs").fetchall() == [
        (3, "must", "a", "h1", "b", "h2")
    ]
    migrated.execute("INSERT INTO decisions VALUES (4, 'detach', '', 't')")
    migrated.execute("INSERT INTO decision_pairs VALUES (4, 'detach', 'a', 'h1', 'a', 'h1')")
    migrated.execute("DELETE FROM decisions WHERE id = 3")
    assert migrated.execute("SELECT count(*) FROM decision_pairs").fetchone() == (1,)


def test_a_claim_an_undo_rebuilds_gets_its_old_id_back(db_path) -> None:
    from newsalign.corpus.store import numbering

    db = store.open_db(db_path, create=True)
    a = frozenset({("d1", "x"), ("d2", "y"), ("d3", "z"), ("d4", "w")})
    halves = [frozenset({("d1", "x"), ("d2", "y")}), frozenset({("d3", "z"), ("d4", "w")})]
    assert numbering.keep_ids(db, "clusters", {}, [a]) == [1]
    # A correction splits claim 1 in halves: neither holds more than half of it.
    assert numbering.keep_ids(db, "clusters", {1: a}, halves) == [2, 3]
    # Undone: the same members come back as claim 1, not as a new claim 4.
    assert numbering.keep_ids(db, "clusters", {2: halves[0], 3: halves[1]}, [a]) == [1]
    assert numbering.keep_ids(db, "clusters", {1: a}, [frozenset({("d9", "q")})]) == [4]
