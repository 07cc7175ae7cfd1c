"""The glossary in the database: load, save with stable ids, versions, the shipped default, and
spellings of the corpus that look like a glossary name (for a person to add).

Every change runs in one transaction with its version bump and the mentions refresh, so the
glossary, its version and the mentions it produced always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import resources

import sqlite_utils

from newsalign.corpus.store.database import now, transaction
from newsalign.corpus.store.mentions import matcher, refresh_mentions
from newsalign.glossary.edit import merge
from newsalign.glossary.io import loads
from newsalign.glossary.match import words
from newsalign.glossary.model import Entity, Name, Spelling
from newsalign.glossary.suggest import Suggestion, corpus_words, suggest


def version(db: sqlite_utils.Database) -> int:
    """The current glossary version (0 before anything was ever loaded)."""
    row = db.execute("SELECT max(version) FROM glossary_versions").fetchone()
    return row[0] or 0


def entity_count(db: sqlite_utils.Database) -> int:
    """How many entities the glossary has."""
    return db.execute("SELECT count(*) FROM entities").fetchone()[0]


def spellings(db: sqlite_utils.Database) -> list[tuple[int, str, str, str, str]]:
    """Every spelling as (name id, name, spelling, language, script), by name then spelling."""
    return db.execute(
        "SELECT n.id, n.name, s.text, s.lang, s.script FROM names n "
        "JOIN spellings s ON s.name_id = n.id ORDER BY n.id, s.id"
    ).fetchall()


def canonical_names(db: sqlite_utils.Database) -> dict[int, int]:
    """Entity id to the id of its canonical name."""
    return dict(db.execute("SELECT entity_id, id FROM names WHERE is_canonical = 1").fetchall())


def load(db: sqlite_utils.Database) -> list[Entity]:
    """The whole glossary as records."""
    spellings: dict[int, list[Spelling]] = {}
    for name_id, text, lang, script in db.execute(
        "SELECT name_id, text, lang, script FROM spellings ORDER BY id"
    ):
        spellings.setdefault(name_id, []).append(Spelling(text, lang, script))
    names: dict[int, list[Name]] = {}
    for nid, eid, name, usage, canonical, vf, vt in db.execute(
        "SELECT id, entity_id, name, usage, is_canonical, valid_from, valid_to FROM names ORDER BY id"
    ):
        names.setdefault(eid, []).append(
            Name(name, usage, bool(canonical), vf, vt, tuple(spellings.get(nid, ())))
        )
    return [
        Entity(key, etype, label, gid, wid, notes, tuple(names.get(eid, ())))
        for eid, key, etype, label, gid, wid, notes in db.execute(
            "SELECT id, key, type, label, geonames_id, wikidata_id, notes FROM entities ORDER BY key"
        )
    ]


def _save(db: sqlite_utils.Database, entities: Sequence[Entity]) -> None:
    """Make the tables hold exactly `entities`, keeping the ids of what did not change."""
    entity_ids = _sync(
        db,
        "entities",
        ("key",),
        ("type", "label", "geonames_id", "wikidata_id", "notes"),
        {(e.key,): (e.type, e.label, e.geonames_id, e.wikidata_id, e.notes) for e in entities},
    )
    for e in entities:
        name_ids = _sync(
            db,
            "names",
            ("name",),
            ("usage", "is_canonical", "valid_from", "valid_to"),
            {(n.name,): (n.usage, int(n.canonical), n.valid_from, n.valid_to) for n in e.names},
            parent=("entity_id", entity_ids[e.key,]),
        )
        for n in e.names:
            _sync(
                db,
                "spellings",
                ("text", "lang"),
                ("script", "form"),
                {(s.text, s.lang): (s.script, " ".join(words(s.text))) for s in n.spellings},
                parent=("name_id", name_ids[n.name,]),
            )


def _sync(
    db: sqlite_utils.Database,
    table: str,
    keys: tuple[str, ...],
    fields: tuple[str, ...],
    rows: dict[tuple, tuple],
    parent: tuple[str, int] | None = None,
) -> dict[tuple, int]:
    """Make `table` (the rows under `parent`, a column and id) hold exactly `rows`, key values to
    field values: delete the missing, update the kept in place, insert the new. Returns the ids."""
    where, args = (f"WHERE {parent[0]} = ?", [parent[1]]) if parent else ("", [])
    existing = {
        tuple(row[1:]): row[0]
        for row in db.execute(f"SELECT id, {', '.join(keys)} FROM {table} {where}", args)
    }
    for key, row_id in existing.items():
        if key not in rows:
            db.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])
    columns = ([parent[0]] if parent else []) + [*keys, *fields]
    insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    update = f"UPDATE {table} SET {', '.join(f'{f} = ?' for f in fields)} WHERE id = ?"
    ids = {}
    for key, values in rows.items():
        if key in existing:
            ids[key] = existing[key]
            db.execute(update, [*values, ids[key]])
        else:
            ids[key] = db.execute(insert, [*args, *key, *values]).lastrowid
    return ids


def change(
    db: sqlite_utils.Database,
    edit: Callable[[list[Entity]], list[Entity]],
    description: str,
) -> int:
    """Apply `edit` to the glossary in one transaction: save, bump the version, refresh
    mentions. Returns the new version. An edit that raises changes nothing."""
    with transaction(db):
        entities = edit(load(db))
        _save(db, entities)
        new_version = version(db) + 1
        db.execute(
            "INSERT INTO glossary_versions (version, changed_at, change) VALUES (?, ?, ?)",
            [new_version, now(), description],
        )
        refresh_mentions(db, new_version)
    return new_version


def default_entities() -> list[Entity]:
    """The glossary shipped with newsalign (glossary/data/default.tsv)."""
    text = (
        resources.files("newsalign.glossary")
        .joinpath("data/default.tsv")
        .read_text(encoding="utf-8")
    )
    return loads(text, "tsv")


def ensure_default(db: sqlite_utils.Database) -> bool:
    """Load the shipped glossary into a database that never had one; True if it did."""
    if version(db):
        return False
    defaults = default_entities()
    change(db, lambda current: merge(current, defaults), "load the default glossary")
    return True


def suggestions(db: sqlite_utils.Database, limit: int = 50) -> list[Suggestion]:
    """Spellings in the current documents' titles and bodies that look like a glossary name
    but are not in the glossary (see glossary/suggest.py), most frequent first."""
    texts = db.execute(
        "SELECT s.text, coalesce(s.lang, d.lang, '') FROM segments s "
        "JOIN current_documents d ON d.id = s.doc_id WHERE s.kind != 'boilerplate'"
    )
    return suggest(corpus_words(texts, matcher(db)), load(db), limit)


def place_spellings(db: sqlite_utils.Database) -> list[tuple]:
    """(spelling id, text, name id, entity id, language) of every spelling of a place, region
    or country, by spelling id."""
    return db.execute(
        "SELECT s.id, s.text, s.name_id, n.entity_id, s.lang FROM spellings s "
        "JOIN names n ON n.id = s.name_id JOIN entities e ON e.id = n.entity_id "
        "WHERE e.type IN ('place', 'region', 'country') ORDER BY s.id"
    ).fetchall()
