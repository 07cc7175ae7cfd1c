"""Who cites whom: the outlets each document names as its source, matched to the corpus's
outlets (ТАСС is TASS). Read from the stored text each time it is asked, so an outlet renamed by
a correction is matched at once; see ingest/cites.py for the patterns."""

from __future__ import annotations

import sqlite_utils

from newsalign.corpus.ingest.cites import find_cites, resolve
from newsalign.corpus.store import documents


def cites_of(db: sqlite_utils.Database, doc_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Document id -> the outlets it cites (as the corpus names them where it has them)."""
    if not doc_ids:
        return {}
    known = documents.current_outlets(db)
    return {
        doc_id: tuple(resolve(find_cites(text.split("\n\n")), known, source))
        for doc_id, source, text in documents.texts(db, doc_ids)
    }


def citing(outlet: str, cites: tuple[str, ...]) -> str:
    """An outlet with the outlets it names as its sources: "EADaily, citing TASS"."""
    return f"{outlet}, citing {', '.join(cites)}" if cites else outlet
