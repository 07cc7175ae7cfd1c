"""What an alignment was computed from, as one hash: the current documents, the translations,
a person's decisions, the glossary version, the settings and the model weights. Each align run
stores it with its arguments; a run whose inputs hash the same as the last successful run's
has nothing to do (`align --full` re-aligns anyway). Per story, the same for its documents
only (`story_prints`): an incremental run aligns again the stories whose print changed.

Documents and translations are only ever added (a changed article is a new version, the old
one stops being current), so their ids and content hashes, or for translations their count
and highest id, are enough to see any change (store/story_inputs.py reads them)."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import sqlite_utils

from newsalign.corpus.store import answers as answers_db
from newsalign.corpus.store import story_inputs
from newsalign.corpus.store.records import LastRun
from newsalign.corpus.store.runs import last_run


def of(db: sqlite_utils.Database, settings: dict[str, Any], embedders: list[str]) -> str:
    """The fingerprint of the corpus's alignment inputs under `settings` and `embedders`."""
    digest = hashlib.sha256()
    for row in story_inputs.corpus_inputs(db):
        digest.update(repr(row).encode("utf-8") + b"\n")
    for row in answers_db.rows(db):  # none: the hash is what it was before claim review
        digest.update(repr(("answer", *row)).encode("utf-8") + b"\n")
    digest.update(json.dumps([settings, embedders], sort_keys=True, default=str).encode())
    digest.update(_weights(settings))
    return digest.hexdigest()


def previous(db: sqlite_utils.Database, fingerprint: str) -> LastRun | None:
    """The last successful align run, if its inputs had this fingerprint."""
    run = last_run(db, "align")
    if run is None or run.args.get("fingerprint") != fingerprint:
        return None
    return run


def settings_of(db: sqlite_utils.Database, settings: dict[str, Any], embedders: list[str]) -> str:
    """What every story's alignment depends on alike: the settings, the embedders, the model
    weights and the glossary version. When it changes, every story is aligned again."""
    digest = hashlib.sha256()
    digest.update(repr(story_inputs.glossary_version(db)).encode())
    digest.update(json.dumps([settings, embedders], sort_keys=True, default=str).encode())
    digest.update(_weights(settings))
    return digest.hexdigest()


def _weights(settings: dict[str, Any]) -> bytes:
    weights = settings.get("weights")
    if weights and Path(weights).is_file():
        return Path(weights).read_bytes()
    return resources.files("newsalign.corpus.align").joinpath("weights.json").read_bytes()


def story_prints(
    db: sqlite_utils.Database, common: str, stories: dict[int, list[int]]
) -> dict[int, str]:
    """What each story's alignment is computed from, as one hash per story (keys as given):
    `common` (settings_of), its documents with their content hashes, their translations (count
    and newest id per document) and the decisions naming sentences of its documents."""
    wanted = sorted({d for docs in stories.values() for d in docs})
    documents = story_inputs.document_hashes(db, wanted)
    translated = story_inputs.translation_marks(db, wanted)
    by_key: dict[str, list[tuple]] = {}
    for row in story_inputs.decision_rows(db):
        for key in {row[3], row[5]}:
            by_key.setdefault(key, []).append(row)
    # A screen's answers are its label's story's (the label names the claim).
    answered: dict[str, list[tuple]] = {}
    for row in answers_db.rows(db):
        answered.setdefault(row[1], []).append(row)
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
        said = sorted(row for key in keys for row in answered.get(key, ()))
        if said:  # none: the print is what it was before claim review
            digest.update(repr(("answers", said)).encode())
        out[story] = digest.hexdigest()
    return out
