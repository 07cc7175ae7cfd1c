"""What an alignment was computed from, as one hash: the current documents, the translations,
a person's decisions, the glossary version, the settings and the model weights. Each align run
stores it with its arguments; a run whose inputs hash the same as the last successful run's
has nothing to do (`align --full` re-aligns anyway).

Documents and translations are only ever added (a changed article is a new version, the old
one stops being current), so their ids and content hashes, or for translations their count
and highest id, are enough to see any change."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import sqlite_utils

_INPUTS = (
    "SELECT id, sha256 FROM documents WHERE is_current = 1 ORDER BY id",
    "SELECT count(*), max(id) FROM translations",
    "SELECT d.id, d.action, p.link, p.a_doc_key, p.a_hash, p.b_doc_key, p.b_hash "
    "FROM decisions d JOIN decision_pairs p ON p.decision_id = d.id ORDER BY d.id, p.rowid",
    "SELECT max(version) FROM glossary_versions",
)


@dataclass(frozen=True)
class Previous:
    """The last successful align run with the same inputs, and what it stored."""

    run_id: int
    counts: dict[str, Any]


def of(db: sqlite_utils.Database, settings: dict[str, Any], embedders: list[str]) -> str:
    """The fingerprint of the corpus's alignment inputs under `settings` and `embedders`."""
    digest = hashlib.sha256()
    for sql in _INPUTS:
        for row in db.execute(sql):
            digest.update(repr(tuple(row)).encode("utf-8") + b"\n")
    digest.update(json.dumps([settings, embedders], sort_keys=True, default=str).encode())
    weights = settings.get("weights")
    if weights and Path(weights).is_file():
        digest.update(Path(weights).read_bytes())
    else:
        digest.update(
            resources.files("newsalign.corpus.align").joinpath("weights.json").read_bytes()
        )
    return digest.hexdigest()


def previous(db: sqlite_utils.Database, fingerprint: str) -> Previous | None:
    """The last successful align run, if its inputs had this fingerprint."""
    row = db.execute(
        "SELECT id, args, counts FROM runs WHERE command = 'align' AND status = 'ok' "
        "ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None or json.loads(row[1]).get("fingerprint") != fingerprint:
        return None
    return Previous(row[0], json.loads(row[2] or "{}"))


def settings_of(db: sqlite_utils.Database, settings: dict[str, Any], embedders: list[str]) -> str:
    """What every story's alignment depends on alike: the settings, the embedders, the model
    weights and the glossary version. When it changes, every story is aligned again."""
    digest = hashlib.sha256()
    digest.update(repr(db.execute(_INPUTS[3]).fetchone()).encode())
    digest.update(json.dumps([settings, embedders], sort_keys=True, default=str).encode())
    weights = settings.get("weights")
    if weights and Path(weights).is_file():
        digest.update(Path(weights).read_bytes())
    else:
        digest.update(
            resources.files("newsalign.corpus.align").joinpath("weights.json").read_bytes()
        )
    return digest.hexdigest()


def story_prints(
    db: sqlite_utils.Database, common: str, stories: dict[int, list[int]]
) -> dict[int, str]:
    """What each story's alignment is computed from, as one hash per story (keys as given):
    `common` (settings_of), its documents with their content hashes, their translations (count
    and newest id per document) and the decisions naming sentences of its documents."""
    wanted = json.dumps(sorted({d for docs in stories.values() for d in docs}))
    documents = {
        doc_id: (key, sha)
        for doc_id, key, sha in db.execute(
            "SELECT id, doc_key, sha256 FROM documents WHERE id IN (SELECT value FROM json_each(?))",
            [wanted],
        )
    }
    translated = {
        doc_id: (count, newest)
        for doc_id, count, newest in db.execute(
            "SELECT s.doc_id, count(*), max(t.id) FROM translations t "
            "JOIN segments s ON s.id = t.segment_id "
            "WHERE s.doc_id IN (SELECT value FROM json_each(?)) GROUP BY s.doc_id",
            [wanted],
        )
    }
    by_key: dict[str, list[tuple]] = {}
    for row in db.execute(_INPUTS[2]):
        for key in {row[3], row[5]}:
            by_key.setdefault(key, []).append(tuple(row))
    out = {}
    for story, docs in stories.items():
        digest = hashlib.sha256(common.encode())
        keys = set()
        for d in sorted(docs):
            key, sha = documents.get(d, ("", ""))
            keys.add(key)
            digest.update(repr((d, sha, translated.get(d))).encode() + b"\n")
        decided = sorted({row for key in keys for row in by_key.get(key, ())})
        digest.update(repr(decided).encode())
        out[story] = digest.hexdigest()
    return out
