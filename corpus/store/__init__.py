"""The corpus database: opening it, its schema (migrations/), typed records (records.py), and
every query on it: no SQL runs anywhere else (tests/test_layers.py). What a reader is told
(who cites whom, who reported first, a claim's versions) is computed in views/ from what these
functions return; store imports nothing of align or views, and of ingest only the manifest's
date check (metadata.py validates `documents set` as a manifest's date is validated).

`open_db`, `open_readonly` and `RunLog` are the entry points; the modules hold the SQL for one
concept each (documents, search, glossary, mentions, translations, claim candidates, claims,
stories, decisions, runs, the Datasette view's canned queries).
"""

from newsalign.corpus.store.database import (
    DEFAULT_DB,
    ENV_DB,
    RunLog,
    now,
    open_db,
    open_readonly,
    refuse_overwrite,
    resolve_db_path,
)

__all__ = [
    "DEFAULT_DB",
    "ENV_DB",
    "RunLog",
    "now",
    "open_db",
    "open_readonly",
    "refuse_overwrite",
    "resolve_db_path",
]
