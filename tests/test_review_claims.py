"""Review by claim on a stored corpus (issue 28): `newsalign review --json`, `review answer`,
`review undo`, the interactive screens, and `align` honouring the answers. The analyst story
aligned once a session with the real engines; each test takes a copy."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.helpers import dump, fetch
from tests.test_analyst import write_story

pytestmark = pytest.mark.slow

KEYS = ["kind", "claim", "story", "label", "members", "candidates", "sentences"]
CLAIMS = (
    "SELECT c.id, c.label_segment_id, group_concat(m.segment_id) FROM clusters c "
    "JOIN cluster_members m ON m.cluster_id = c.id GROUP BY c.id ORDER BY c.id"
)


@pytest.fixture
def analyst(corpus_copy):
    def steps(folder):
        return [["ingest", "--manifest", str(write_story(folder / "story"))], ["align"]]

    return corpus_copy("analyst-claims", steps)


def screens(cli, *args: str) -> list[dict]:
    result = cli("review", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def members(db, claim: int) -> set[int]:
    rows = fetch(db, "SELECT segment_id FROM cluster_members WHERE cluster_id = ?", [claim])
    return {x for (x,) in rows}


def test_screens_json_has_issue_28s_shape(analyst, cli) -> None:
    found = screens(cli)
    assert found, "the analyst story has claims to review"
    first = found[0]
    assert list(first)[: len(KEYS)] == KEYS and first["kind"] == "claim"
    ids = [s["id"] for s in first["sentences"]]
    assert first["label"] in ids and set(first["members"] + first["candidates"]) <= set(ids)
    assert len(first["members"] + first["candidates"]) <= 12
    assert all(
        list(s) == ["id", "outlet", "lang", "published", "text", "english"]
        for s in first["sentences"]
    )
    # The claim is the stored one, named by its label.
    label = fetch(analyst, "SELECT label_segment_id FROM clusters WHERE id = ?", [first["claim"]])
    assert label == [(first["label"],)]
    assert len(screens(cli, "--limit", "1")) == 1
    assert screens(cli, "--story", str(first["story"])) == [
        s for s in found if s["story"] == first["story"]
    ]
    bad = cli("review", "--json", "--story", "999")
    assert bad.exit_code == 1 and "no story 999" in bad.output


def test_an_answer_is_applied_and_honoured_by_align_and_align_full(analyst, cli) -> None:
    screen = next(s for s in screens(cli) if s["members"])
    claim, out = screen["claim"], screen["members"][0]
    keep = screen["members"][1:]
    assert out in members(analyst, claim)
    args = ["--claim", str(claim), "--no", str(out)] + (["--yes", *map(str, keep)] if keep else [])
    result = cli("review", "answer", *args)
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) == 1 and "recorded" in result.output
    rows = fetch(analyst, "SELECT asserts FROM review_answers ORDER BY asserts")
    assert rows == [(0,)] + [(1,)] * len(keep)  # one row per judged sentence, nothing derived
    now = fetch(analyst, "SELECT id FROM clusters WHERE label_segment_id = ?", [screen["label"]])
    holding = {
        c
        for (c,) in fetch(
            analyst, "SELECT cluster_id FROM cluster_members WHERE segment_id = ?", [out]
        )
    }
    assert not now or now[0][0] not in holding
    after = fetch(analyst, CLAIMS)
    for step in (["align"], ["align", "--full"]):
        assert cli(*step).exit_code == 0
        assert fetch(analyst, CLAIMS) == after, step


def test_undo_restores_the_claims_exactly(analyst, cli) -> None:
    before = fetch(analyst, CLAIMS)
    screen = next(s for s in screens(cli) if s["members"])
    result = cli(
        "review", "answer", "--claim", str(screen["claim"]), "--no", *map(str, screen["members"])
    )
    assert result.exit_code == 0, result.output
    assert fetch(analyst, CLAIMS) != before
    listed = cli("review", "answers")
    assert listed.exit_code == 0 and "[live]" in listed.output
    assert cli("review", "undo").exit_code == 0
    assert fetch(analyst, CLAIMS) == before
    assert "undone" in cli("review", "answers").output
    again = cli("review", "undo")
    assert again.exit_code == 1 and "nothing to undo" in again.output


def test_a_refused_answer_leaves_the_database_byte_identical(analyst, cli) -> None:
    screen = screens(cli)[0]
    claim = str(screen["claim"])
    on = set(screen["members"] + screen["candidates"])
    off = next(
        x
        for (x,) in fetch(analyst, "SELECT segment_id FROM claims ORDER BY 1")
        if x not in on and x != screen["label"]
    )
    before = dump(analyst)
    for args, message in [
        (["--claim", claim, "--yes", str(off)], f"sentence {off} is not on the screen of claim"),
        (["--claim", "9999", "--yes", str(off)], "no claim 9999"),
        (["--claim", claim], "nothing judged"),
        (["--claim", claim, "--yes", "x1"], "not a sentence id"),
    ]:
        result = cli("review", "answer", *args)
        assert result.exit_code in (1, 2) and "Traceback" not in result.output, args
        assert message in result.output, (args, result.output)
        assert dump(analyst) == before, args


def test_interactive_toggles_confirm_and_undo(analyst, cli) -> None:
    story = str(next(s for s in screens(cli) if s["members"])["story"])
    screen = screens(cli, "--story", story)[0]
    assert screen["members"]
    # "1" toggles the first member off (members start ticked, candidates not); Enter confirms.
    result = cli("review", "--story", story, input="1\n\nq\n")
    assert result.exit_code == 0, result.output
    assert "Screen 1 of ~" in result.output and "[x] (member)" in result.output
    assert "[ ] (member)" in result.output  # toggled off, shown before confirming
    said = fetch(analyst, "SELECT asserts, count(*) FROM review_answers GROUP BY 1 ORDER BY 1")
    yes, no = len(screen["members"]) - 1, 1 + len(screen["candidates"])
    assert said == [(v, n) for v, n in ((0, no), (1, yes)) if n]
    undone = cli("review", "--story", story, input="u\nq\n")
    assert undone.exit_code == 0 and "withdrawn" in undone.output
    assert fetch(analyst, "SELECT count(*) FROM review_screens WHERE undone_at IS NULL") == [(0,)]
    stopped = cli("review", input="")  # end of input: one line, exit 130
    assert stopped.exit_code == 130 and "interrupted" in stopped.output, stopped.output


def test_a_moved_or_locked_answer_is_said_and_the_session_goes_on(analyst, cli, monkeypatch):
    """Issue 26 item 4: another process removes a sentence of the screen shown, or holds the
    write lock past the wait: the person is told, nothing is recorded, the session goes on."""
    from newsalign.corpus.review import claims

    real = claims.screens
    calls = []

    def and_then_another_process(db, **kwargs):
        shown = real(db, **kwargs)
        calls.append(shown)
        if len(calls) == 1 and shown:  # the article of a sentence shown is withdrawn meanwhile
            doc = fetch(analyst, "SELECT doc_id FROM segments WHERE id = ?", [shown[0].judged[0]])
            with sqlite3.connect(analyst) as conn:
                conn.execute("UPDATE documents SET is_current = 0 WHERE id = ?", [doc[0][0]])
        return shown

    monkeypatch.setattr(claims, "screens", and_then_another_process)
    result = cli("review", input="\nq\n")
    assert result.exit_code == 0, result.output
    assert "not recorded:" in result.output and len(calls) >= 2  # told, and shown the next
    assert fetch(analyst, "SELECT count(*) FROM review_screens") == [(0,)]

    monkeypatch.setattr(claims, "screens", real)
    monkeypatch.setenv("NEWSALIGN_LOCK_WAIT", "0.2")
    other = sqlite3.connect(analyst, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        locked = cli("review", input="\nq\n")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert locked.exit_code == 0, locked.output
    assert "not recorded:" in locked.output and "locked" in locked.output
    assert fetch(analyst, "SELECT count(*) FROM review_screens") == [(0,)]


def test_answers_survive_a_new_version_of_an_article(cli, db_path, tmp_path) -> None:
    """Answers name sentences by document key and text hash: a changed article (a new version,
    new sentence ids) keeps them, and the next align still honours them."""
    manifest = write_story(tmp_path / "story")
    assert cli("ingest", "--manifest", str(manifest)).exit_code == 0
    assert cli("align").exit_code == 0
    screen = next(s for s in screens(cli) if s["members"])
    out = screen["members"][0]
    args = ["--claim", str(screen["claim"]), "--no", str(out)]
    if screen["members"][1:]:
        args += ["--yes", *map(str, screen["members"][1:])]
    assert cli("review", "answer", *args).exit_code == 0
    ((path, text),) = fetch(
        db_path,
        "SELECT d.path, s.text FROM segments s JOIN documents d ON d.id = s.doc_id WHERE s.id = ?",
        [out],
    )
    with open(path, "a", encoding="utf-8") as f:  # the article changes: a new version
        f.write("\n\nThe embassy declined to give a date for the opening.\n")
    assert cli("ingest", "--manifest", str(manifest)).exit_code == 0
    assert cli("align").exit_code == 0
    now = [
        x
        for (x,) in fetch(
            db_path,
            "SELECT s.id FROM segments s JOIN current_documents d "
            "ON d.id = s.doc_id WHERE s.text = ?",
            [text],
        )
    ]
    assert now and now[0] != out  # the same sentence under a new id
    label = fetch(db_path, "SELECT id FROM clusters WHERE label_segment_id = ?", [screen["label"]])
    holding = {
        c
        for (c,) in fetch(
            db_path, "SELECT cluster_id FROM cluster_members WHERE segment_id = ?", [now[0]]
        )
    }
    assert label and label[0][0] not in holding
    assert "[live]" in cli("review", "answers").output
