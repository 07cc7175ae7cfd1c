"""The glossary in the database: load, save with stable ids, versions, the shipped default.

Every change runs in one transaction with its version bump and the mentions refresh, so the
glossary, its version and the mentions it produced always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import resources

import sqlite_utils

from corpus.mentions import refresh_mentions
from corpus.store import now
from glossary.io import loads
from glossary.match import words
from glossary.model import Entity, Name, Spelling


def version(db: sqlite_utils.Database) -> int:
    """The current glossary version (0 before anything was ever loaded)."""
    row = db.execute("SELECT max(version) FROM glossary_versions").fetchone()
    return row[0] or 0


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
    entity_ids = {key: eid for eid, key in db.execute("SELECT id, key FROM entities")}
    wanted = {e.key for e in entities}
    for key, eid in entity_ids.items():
        if key not in wanted:
            db.execute("DELETE FROM entities WHERE id = ?", [eid])
    for e in entities:
        fields = [e.type, e.label, e.geonames_id, e.wikidata_id, e.notes]
        if e.key in entity_ids:
            eid = entity_ids[e.key]
            db.execute(
                "UPDATE entities SET type = ?, label = ?, geonames_id = ?, wikidata_id = ?, "
                "notes = ? WHERE id = ?", [*fields, eid],
            )  # fmt: skip
        else:
            eid = db.execute(
                "INSERT INTO entities (key, type, label, geonames_id, wikidata_id, notes) "
                "VALUES (?, ?, ?, ?, ?, ?)", [e.key, *fields],
            ).lastrowid  # fmt: skip
        name_ids = {
            name: nid
            for nid, name in db.execute("SELECT id, name FROM names WHERE entity_id = ?", [eid])
        }
        for name, nid in name_ids.items():
            if name not in {n.name for n in e.names}:
                db.execute("DELETE FROM names WHERE id = ?", [nid])
        for n in e.names:
            fields = [n.usage, int(n.canonical), n.valid_from, n.valid_to]
            if n.name in name_ids:
                nid = name_ids[n.name]
                db.execute(
                    "UPDATE names SET usage = ?, is_canonical = ?, valid_from = ?, valid_to = ? "
                    "WHERE id = ?", [*fields, nid],
                )  # fmt: skip
            else:
                nid = db.execute(
                    "INSERT INTO names (entity_id, name, usage, is_canonical, valid_from, valid_to)"
                    " VALUES (?, ?, ?, ?, ?, ?)", [eid, n.name, *fields],
                ).lastrowid  # fmt: skip
            existing = {
                (text, lang): (sid, script)
                for sid, text, lang, script in db.execute(
                    "SELECT id, text, lang, script FROM spellings WHERE name_id = ?", [nid]
                )
            }
            keep = {(s.text, s.lang) for s in n.spellings}
            for key, (sid, _) in existing.items():
                if key not in keep:
                    db.execute("DELETE FROM spellings WHERE id = ?", [sid])
            for s in n.spellings:
                if (s.text, s.lang) in existing:
                    if existing[s.text, s.lang][1] != s.script:
                        db.execute(
                            "UPDATE spellings SET script = ? WHERE id = ?",
                            [s.script, existing[s.text, s.lang][0]],
                        )
                else:
                    db.execute(
                        "INSERT INTO spellings (name_id, text, lang, script, form) VALUES (?, ?, ?, ?, ?)",
                        [nid, s.text, s.lang, s.script, " ".join(words(s.text))],
                    )


def change(
    db: sqlite_utils.Database,
    edit: Callable[[list[Entity]], list[Entity]],
    description: str,
) -> int:
    """Apply `edit` to the glossary in one transaction: save, bump the version, refresh
    mentions. Returns the new version. An edit that raises changes nothing."""
    with db.atomic():
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
    text = resources.files("glossary").joinpath("data/default.tsv").read_text(encoding="utf-8")
    return loads(text, "tsv")


def ensure_default(db: sqlite_utils.Database) -> bool:
    """Load the shipped glossary into a database that never had one; True if it did."""
    if version(db):
        return False
    from glossary.edit import merge

    defaults = default_entities()
    change(db, lambda current: merge(current, defaults), "load the default glossary")
    return True
