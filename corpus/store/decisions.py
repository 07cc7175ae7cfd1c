"""A person's corrections of the alignment: rejected and added links, split and merged claims.

Each decision is stored as sentence pairs that must or cannot be one claim; a sentence is named
by its document (doc_key, which a new version of the file keeps) and the hash of its text, so
every later `align` can apply the decision to whatever the corpus then holds.
"""

from __future__ import annotations

import json
from collections import defaultdict

import sqlite_utils

from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store.database import now, transaction
from newsalign.corpus.store.records import DecidedSentence, Decision, NamedSentence, text_hash

Identity = tuple[str, str]  # (doc_key, text hash)


def identities(db: sqlite_utils.Database, segment_ids: list[int]) -> dict[int, Identity]:
    """The identity of each of `segment_ids`; unknown ids are refused in one line."""
    found = {}
    for sid in segment_ids:
        row = db.execute(
            "SELECT d.doc_key, s.text, s.kind FROM segments s JOIN documents d ON d.id = s.doc_id "
            "WHERE s.id = ?",
            [sid],
        ).fetchone()
        if row is None or row[2] == "boilerplate":
            raise CorpusError(f"no sentence {sid} (sentence ids are in `newsalign claims show`)")
        found[sid] = (row[0], text_hash(row[1]))
    return found


def named(db: sqlite_utils.Database, segment_ids: list[int]) -> dict[int, NamedSentence]:
    """Each of `segment_ids` with its document and version (see NamedSentence); unknown ids
    are refused in one line."""
    found = {}
    for sid in segment_ids:
        row = db.execute(
            "SELECT s.doc_id, d.is_current, s.kind, (SELECT c.id FROM segments c JOIN documents "
            "n ON n.id = c.doc_id WHERE n.doc_key = d.doc_key AND n.is_current = 1 AND c.text = "
            "s.text AND c.kind = s.kind ORDER BY c.id LIMIT 1) FROM segments s JOIN documents d "
            "ON d.id = s.doc_id WHERE s.id = ?",
            [sid],
        ).fetchone()
        if row is None or row[2] == "boilerplate":
            raise CorpusError(f"no sentence {sid} (sentence ids are in `newsalign claims show`)")
        found[sid] = NamedSentence(sid, row[0], bool(row[1]), row[3])
    return found


def members(db: sqlite_utils.Database, claim_id: int) -> list[int]:
    """The sentences of a stored claim (repeats included)."""
    ids = [
        r[0]
        for r in db.execute(
            "SELECT segment_id FROM cluster_members WHERE cluster_id = ? ORDER BY segment_id",
            [claim_id],
        )
    ]
    if not ids:
        raise CorpusError(f"no claim {claim_id} (see `newsalign claims list`)")
    return ids


def _document(db: sqlite_utils.Database, segment_id: int) -> int:
    row = db.execute("SELECT doc_id FROM segments WHERE id = ?", [segment_id]).fetchone()
    if row is None:
        raise CorpusError(f"no sentence {segment_id} (sentence ids are in `newsalign claims show`)")
    return row[0]


def link_pairs(db: sqlite_utils.Database, link: str, a: int, b: int) -> list[tuple[str, int, int]]:
    """One pair for `claims accept` (must) or `claims reject` (cannot): two sentences of
    different articles (a claim holds one sentence per article; repeats are found for it)."""
    if _document(db, a) == _document(db, b):
        raise CorpusError(
            f"sentences {a} and {b} are from the same article: a claim links "
            "articles (repeats inside one are marked by `align`)"
        )
    return [(link, a, b)]


def detach_pairs(db: sqlite_utils.Database, sentence: int) -> list[tuple[str, int, int]]:
    """`claims detach`: the sentence is in no claim (named as both sides of one pair)."""
    _document(db, sentence)
    return [("detach", sentence, sentence)]


def split_pairs(
    db: sqlite_utils.Database, claim_id: int, leaving: list[int]
) -> list[tuple[str, int, int]]:
    """`claims split`: the named sentences leave the claim (together, as a claim of their own
    if they are several); each of them cannot be one claim with any sentence that stays."""
    current = members(db, claim_id)
    strangers = sorted(set(leaving) - set(current))
    if strangers:
        raise CorpusError(
            f"sentence {strangers[0]} is not in claim {claim_id} "
            f"(its sentences: {', '.join(map(str, current))})"
        )
    staying = [m for m in current if m not in leaving]
    if not staying:
        raise CorpusError("name the sentences that leave the claim, not all of them")
    going = sorted(set(leaving))
    return [("cannot", x, y) for x in going for y in staying] + [
        ("must", going[0], x) for x in going[1:]
    ]


def merge_pairs(db: sqlite_utils.Database, claim_ids: list[int]) -> list[tuple[str, int, int]]:
    """`claims merge`: every sentence of the claims must be one claim with the first sentence
    of the first (later runs then keep the whole group together)."""
    if len(set(claim_ids)) < 2:
        raise CorpusError("name two or more different claims to merge")
    groups = [members(db, c) for c in dict.fromkeys(claim_ids)]
    anchor = groups[0][0]
    return [("must", anchor, x) for g in groups for x in g if x != anchor]


def record(
    db: sqlite_utils.Database,
    action: str,
    pairs: list[tuple[str, int, int]],
    note: str = "",
) -> int:
    """Store a decision: (link, sentence a, sentence b) pairs, link being must, cannot or
    detach; its id is above every decision id ever given (an undo never frees one)."""
    if not pairs:
        raise CorpusError("nothing to decide: no pair of sentences from different places")
    who = identities(db, sorted({x for _, a, b in pairs for x in (a, b)}))
    with transaction(db):
        # Above every id ever given, so an undone decision's id never names another one.
        mark = db.execute("SELECT last FROM id_marks WHERE name = 'decisions'").fetchone()
        top = db.execute("SELECT max(id) FROM decisions").fetchone()[0]
        decision_id = max(mark[0] if mark else 0, top or 0) + 1
        db.execute(
            "INSERT INTO decisions (id, action, note, created_at) VALUES (?, ?, ?, ?)",
            [decision_id, action, note, now()],
        )
        db.execute(
            "INSERT INTO id_marks (name, last) VALUES ('decisions', ?) "
            "ON CONFLICT(name) DO UPDATE SET last = max(last, excluded.last)",
            [decision_id],
        )
        db.conn.executemany(
            "INSERT INTO decision_pairs (decision_id, link, a_doc_key, a_hash, b_doc_key, b_hash) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(decision_id, link, *who[a], *who[b]) for link, a, b in pairs],
        )
    return decision_id


def remove(db: sqlite_utils.Database, decision_id: int) -> None:
    """Withdraw a decision."""
    with transaction(db):
        if not db.execute("DELETE FROM decisions WHERE id = ?", [decision_id]).rowcount:
            raise CorpusError(f"no decision {decision_id} (see `newsalign claims decisions`)")
        db.execute("DELETE FROM decision_pairs WHERE decision_id = ?", [decision_id])


def constraints(db: sqlite_utils.Database) -> list[tuple[str, Identity, Identity]]:
    """Every stored pair: (must|cannot, identity a, identity b)."""
    return [
        (link, (ak, ah), (bk, bh))
        for link, ak, ah, bk, bh in db.execute(
            "SELECT link, a_doc_key, a_hash, b_doc_key, b_hash FROM decision_pairs "
            "JOIN decisions d ON d.id = decision_id ORDER BY decision_id"
        )
    ]


def current_sentences(db: sqlite_utils.Database) -> dict[Identity, tuple[int, str, str]]:
    """Identity -> (segment id, outlet, text) of the title and body sentences in the corpus now."""
    out = {}
    for sid, key, source, text in db.execute(
        "SELECT s.id, d.doc_key, s.source, s.text FROM text_segments s "
        "JOIN documents d ON d.id = s.doc_id ORDER BY s.id"
    ):
        out.setdefault((key, text_hash(text)), (sid, source, text))
    return out


def list_decisions(db: sqlite_utils.Database) -> list[Decision]:
    """Every decision with the sentences it names (or that they are no longer in the corpus)."""
    sentences = current_sentences(db)
    pairs: dict[int, list[tuple[str, DecidedSentence, DecidedSentence]]] = defaultdict(list)
    for decision_id, link, ak, ah, bk, bh in db.execute(
        "SELECT decision_id, link, a_doc_key, a_hash, b_doc_key, b_hash FROM decision_pairs"
    ):
        pairs[decision_id].append((link, _named(sentences, (ak, ah)), _named(sentences, (bk, bh))))
    return [
        Decision(decision_id, action, note, created, tuple(pairs.get(decision_id, ())))
        for decision_id, action, note, created in db.execute(
            "SELECT id, action, note, created_at FROM decisions ORDER BY id"
        )
    ]


def _named(sentences: dict[Identity, tuple[int, str, str]], who: Identity) -> DecidedSentence:
    found = sentences.get(who)
    if found is None:
        return DecidedSentence(None, None, None)
    return DecidedSentence(*found)


def must_pairs(db: sqlite_utils.Database) -> list[tuple[str, str, str, str]]:
    """The identities (a key, a hash, b key, b hash) of every `must` pair decided."""
    return db.execute(
        "SELECT p.a_doc_key, p.a_hash, p.b_doc_key, p.b_hash FROM decision_pairs p "
        "JOIN decisions d ON d.id = p.decision_id WHERE p.link = 'must'"
    ).fetchall()


def answered(db: sqlite_utils.Database) -> list[tuple[str, Identity, Identity]]:
    """The pair each accept or reject named (its first), as (must|cannot, a, b), oldest first:
    the answers a story's judgement learns from (not the pairs a split or merge implies)."""
    return [
        (link, (ak, ah), (bk, bh))
        for link, ak, ah, bk, bh in db.execute(
            "SELECT p.link, p.a_doc_key, p.a_hash, p.b_doc_key, p.b_hash FROM decision_pairs p "
            "JOIN decisions d ON d.id = p.decision_id WHERE d.action IN ('accept', 'reject') "
            "AND p.rowid = (SELECT min(rowid) FROM decision_pairs q WHERE q.decision_id = d.id) "
            "ORDER BY d.id"
        )
    ]


def detached(db: sqlite_utils.Database) -> list[Identity]:
    """The sentences a person detached from every claim."""
    return [
        (key, digest)
        for key, digest in db.execute(
            "SELECT a_doc_key, a_hash FROM decision_pairs WHERE link = 'detach'"
        )
    ]


def current_sentences_of(
    db: sqlite_utils.Database, doc_keys: list[str]
) -> list[tuple[int, str, str]]:
    """(document, doc_key, text) of every segment of the current versions of `doc_keys`."""
    return db.execute(
        "SELECT d.id, d.doc_key, s.text FROM segments s JOIN current_documents d "
        "ON d.id = s.doc_id WHERE d.doc_key IN (SELECT value FROM json_each(?))",
        [json.dumps(doc_keys)],
    ).fetchall()
