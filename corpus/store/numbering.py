"""Ids of stories and claims that survive a new align run.

Every run rebuilds stories and claims, but a person cites them by id ("claim 12"), so a story or
claim that is essentially what it was keeps its id: a new group takes the id of an old one when
they share more than half of each other's members (sentences named by document key and text
hash, documents by key, so a re-ingested file's unchanged sentences still count). Unchanged,
grown by a new article, or short of one member: same id. A group that matches no current one but
matches one an earlier run dissolved (an undone correction rebuilds it) gets that id back: ids
dissolved are kept with their members in `retired_ids`. Anything else gets an id above every id
ever given, recorded in `id_marks`, so an id never comes to mean something else.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlite_utils

from newsalign.corpus.store.records import text_hash

Key = tuple[str, ...]


def keep_ids(
    db: sqlite_utils.Database, table: str, old: dict[int, frozenset], new: Sequence[frozenset]
) -> list[int]:
    """Ids for the `new` groups of `table` (stories or clusters), given the `old` groups by id;
    the caller holds the transaction and writes the rows with these ids."""
    taken: dict[int, int] = {}  # new index -> old id
    used: set[int] = set()
    candidates = sorted(
        (
            (-len(members & before), k, old_id)
            for k, members in enumerate(new)
            for old_id, before in old.items()
            if 2 * len(members & before) > max(len(members), len(before))
        )
    )
    for _, k, old_id in candidates:
        if k not in taken and old_id not in used:
            taken[k] = old_id
            used.add(old_id)
    retired = _retired(db, table)
    for _, k, old_id in sorted(
        (-len(members & before), k, old_id)
        for k, members in enumerate(new)
        if k not in taken
        for old_id, before in retired.items()
        if old_id not in old and 2 * len(members & before) > max(len(members), len(before))
    ):
        if k not in taken and old_id not in used:
            taken[k] = old_id
            used.add(old_id)
    _retire(db, table, {i: m for i, m in old.items() if i not in used}, used)
    row = db.execute("SELECT last FROM id_marks WHERE name = ?", [table]).fetchone()
    top = max([row[0] if row else 0, *old.keys(), 0])
    ids = []
    for k in range(len(new)):
        if k in taken:
            ids.append(taken[k])
        else:
            top += 1
            ids.append(top)
    reserve(db, table, top)
    return ids


def reserve(db: sqlite_utils.Database, table: str, top: int) -> None:
    """Record that ids up to `top` of `table` have been given: no later group gets one."""
    db.execute(
        "INSERT INTO id_marks (name, last) VALUES (?, ?) "
        "ON CONFLICT(name) DO UPDATE SET last = max(last, excluded.last)",
        [table, top],
    )


def _retired(db: sqlite_utils.Database, table: str) -> dict[int, frozenset]:
    """Ids no current group holds, with the members they last had."""
    if "retired_ids" not in db.table_names():
        return {}
    return {
        rid: frozenset(tuple(m) if isinstance(m, list) else m for m in json.loads(members))
        for rid, members in db.execute(
            "SELECT id, members FROM retired_ids WHERE name = ?", [table]
        )
    }


def _retire(
    db: sqlite_utils.Database, table: str, gone: dict[int, frozenset], back: set[int]
) -> None:
    """Remember the ids this run dissolves (an undo may rebuild them); forget those it reused."""
    if "retired_ids" not in db.table_names():
        return
    db.conn.executemany(
        "DELETE FROM retired_ids WHERE name = ? AND id = ?", [(table, i) for i in back]
    )
    db.conn.executemany(
        "INSERT OR REPLACE INTO retired_ids (name, id, members) VALUES (?, ?, ?)",
        [
            (table, i, json.dumps(sorted(list(m) if isinstance(m, tuple) else m for m in members)))
            for i, members in gone.items()
        ],
    )


def segment_keys(db: sqlite_utils.Database, segment_ids: Sequence[int]) -> dict[int, Key]:
    """(document key, text hash) of each segment."""
    out: dict[int, Key] = {}
    wanted = sorted(set(segment_ids))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for sid, key, text in db.execute(
            f"SELECT s.id, d.doc_key, s.text FROM segments s JOIN documents d ON d.id = s.doc_id "
            f"WHERE s.id IN ({marks})",
            chunk,
        ):
            out[sid] = (key, text_hash(text))
    return out


def document_keys(db: sqlite_utils.Database) -> dict[int, str]:
    return dict(db.execute("SELECT id, doc_key FROM documents").fetchall())


def old_clusters(
    db: sqlite_utils.Database, stories: Sequence[int] | None = None
) -> dict[int, frozenset]:
    """The stored claims by id, as sets of member keys (of `stories` only, if given)."""
    only = (
        "WHERE cluster_id IN (SELECT id FROM clusters WHERE story_id IN "
        "(SELECT value FROM json_each(?)))"
        if stories is not None
        else ""
    )
    members: dict[int, list[int]] = {}
    for cluster_id, sid in db.execute(
        f"SELECT cluster_id, segment_id FROM cluster_members {only}",
        [json.dumps(sorted(stories))] if stories is not None else [],
    ):
        members.setdefault(cluster_id, []).append(sid)
    keys = segment_keys(db, [s for ids in members.values() for s in ids])
    return {c: frozenset(keys[s] for s in ids if s in keys) for c, ids in members.items()}


def old_stories(
    db: sqlite_utils.Database, stories: Sequence[int] | None = None
) -> dict[int, frozenset]:
    """The stored stories by id, as sets of document keys (of `stories` only, if given)."""
    only = "WHERE sd.story_id IN (SELECT value FROM json_each(?))" if stories is not None else ""
    out: dict[int, set[str]] = {}
    for story_id, key in db.execute(
        "SELECT sd.story_id, d.doc_key FROM story_documents sd JOIN documents d "
        f"ON d.id = sd.doc_id {only}",
        [json.dumps(sorted(stories))] if stories is not None else [],
    ):
        out.setdefault(story_id, set()).add(key)
    return {k: frozenset(v) for k, v in out.items()}
