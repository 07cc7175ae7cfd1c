"""Who cites whom: the outlets each document names as its source, matched to the corpus's
outlets (ТАСС is TASS). Read from the stored text each time it is asked, so an outlet renamed by
a correction is matched at once; see ingest/cites.py for the patterns. A name the glossary knows
as a place ("MOSCOW reported") is never a source."""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from newsalign.corpus.ingest.cites import find_cites, resolve
from newsalign.corpus.store import documents
from newsalign.corpus.store.glossary import place_spellings
from newsalign.corpus.store.records import DerivedFrom
from newsalign.glossary.match import Matcher, Term


def place_test(db: sqlite_utils.Database) -> Callable[[str], bool]:
    """Whether a whole name is a place, region or country of the glossary (any case form)."""
    places = Matcher(
        Term(text, entity_id, name_id, spelling_id, lang)
        for spelling_id, text, name_id, entity_id, lang in place_spellings(db)
    )

    def is_place(name: str) -> bool:
        found = places.find(name, cased=False)
        return len(found) == 1 and found[0].start == 0 and found[0].end == len(name)

    return is_place


def cites_of(db: sqlite_utils.Database, doc_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Document id -> the outlets it cites (as the corpus names them where it has them)."""
    if not doc_ids:
        return {}
    known = documents.current_outlets(db)
    is_place = place_test(db)
    return {
        doc_id: tuple(resolve(find_cites(text.split("\n\n"), is_place), known, source))
        for doc_id, source, text in documents.texts(db, doc_ids)
    }


def citing(outlet: str, cites: tuple[str, ...], derived: tuple[DerivedFrom, ...] = ()) -> str:
    """An outlet with the outlets it names as its sources and those it copies: "EADaily, citing
    TASS", "ExBulletin, derived from OC Media, 90 %"."""
    parts = [outlet]
    copied = {d.outlet for d in derived}
    cites = tuple(c for c in cites if c not in copied)  # "derived from TASS" says it already
    if cites:
        parts.append(f"citing {', '.join(cites)}")
    parts += [f"derived from {d.outlet}, {round(d.share * 100)} %" for d in derived]
    return ", ".join(parts)
