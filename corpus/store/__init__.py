"""The corpus database: opening it, its schema, typed records, and every query on it.

`open_db`, `open_readonly` and `RunLog` are the entry points; the modules hold the SQL for one
concept each (documents, search, glossary, mentions, translations, claims, memory).
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
