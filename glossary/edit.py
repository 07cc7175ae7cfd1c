"""Edits on a glossary as pure functions: each takes the entities and returns new ones.

Every edit is checked: a spelling that would map to two entities is refused with the conflict
named, never merged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from newsalign.glossary.check import conflicts
from newsalign.glossary.errors import GlossaryError
from newsalign.glossary.io import dumps, loads, sorted_entities
from newsalign.glossary.match import Matcher, Term, words
from newsalign.glossary.model import ENTITY_TYPES, Entity, Name, Spelling
from newsalign.glossary.textnorm import nfc


def find_entity(entities: Sequence[Entity], ref: str) -> Entity:
    """An entity by key, or by any of its names or spellings (case and diacritics ignored)."""
    ref = nfc(ref)
    for entity in entities:
        if entity.key == ref:
            return entity
    form = words(ref)
    found = [
        e
        for e in entities
        if any(words(s.text) == form for n in e.names for s in n.spellings)
        or any(words(n.name) == form for n in e.names)
        or words(e.label) == form
    ]
    if not found:
        found = _inflected(entities, ref)
    if not found:
        raise GlossaryError(f"no entity in the glossary matches {ref!r}")
    if len(found) > 1:
        keys = ", ".join(e.key for e in found)
        raise GlossaryError(f"{ref!r} matches several entities ({keys}); give a key")
    return found[0]


def _inflected(entities: Sequence[Entity], ref: str) -> list[Entity]:
    """The entity a case form names ("Степанакерте", "Xankəndidə", "Bergkarabachs"), when the
    whole of `ref` is one form of one entity's spelling."""
    forms = Matcher(
        Term(s.text, k, 0, 0, s.lang)
        for k, e in enumerate(entities)
        for n in e.names
        for s in n.spellings
    )
    hits = forms.find(ref.strip(), cased=False)
    if len(hits) == 1 and hits[0].start == 0 and hits[0].end == len(ref.strip()):
        return [entities[hits[0].term.entity_id]]
    return []


def _name(entity: Entity, name: str) -> Name:
    for n in entity.names:
        if n.name == name or words(n.name) == words(name):
            return n
    known = ", ".join(n.name for n in entity.names)
    raise GlossaryError(f"{entity.key} has no name {name!r} (names: {known})")


def _replace(entities: Sequence[Entity], new: Entity | None, old_key: str) -> list[Entity]:
    out = [e for e in entities if e.key != old_key]
    if new is not None:
        out.append(new)
    result = sorted_entities(out)
    found = conflicts(result)
    if found:
        raise GlossaryError("conflict: " + "; ".join(str(c) for c in found))
    return result


def _with_names(entity: Entity, names: list[Name]) -> Entity:
    return dataclasses.replace(entity, names=tuple(names))


def add_entity(
    entities: Sequence[Entity],
    key: str,
    label: str,
    *,
    type: str = "place",
    usage: str = "",
    lang: str = "",
    geonames_id: str = "",
    wikidata_id: str = "",
    notes: str = "",
) -> list[Entity]:
    """A new entity whose label is also its first, canonical name and spelling."""
    if any(e.key == key for e in entities):
        raise GlossaryError(f"an entity with key {key!r} exists already")
    if type not in ENTITY_TYPES:
        raise GlossaryError(f"type must be one of {', '.join(ENTITY_TYPES)}")
    entity = Entity(
        key,
        type,
        label,
        geonames_id,
        wikidata_id,
        notes,
        (Name(label, usage, True, spellings=(Spelling(label, lang),)),),
    )
    return _replace(entities, _checked(entity), key)


def add_name(
    entities: Sequence[Entity],
    ref: str,
    name: str,
    *,
    usage: str = "",
    lang: str = "",
    canonical: bool = False,
    valid_from: str = "",
    valid_to: str = "",
) -> list[Entity]:
    """Add a name (with itself as first spelling) to an entity."""
    entity = find_entity(entities, ref)
    if any(n.name == name for n in entity.names):
        raise GlossaryError(f"{entity.key} already has the name {name!r}")
    names = [dataclasses.replace(n, canonical=False) if canonical else n for n in entity.names]
    names.append(Name(name, usage, canonical, valid_from, valid_to, (Spelling(name, lang),)))
    return _replace(entities, _checked(_with_names(entity, names)), entity.key)


def add_spelling(
    entities: Sequence[Entity], ref: str, name: str, text: str, *, lang: str = "", script: str = ""
) -> list[Entity]:
    """Add a spelling to one name of an entity."""
    entity = find_entity(entities, ref)
    target = _name(entity, name)
    spelling = Spelling(text, lang, script)
    if spelling in target.spellings:
        raise GlossaryError(
            f"{text!r} ({lang or 'any language'}) is already a spelling of {name!r}"
        )
    names = [
        dataclasses.replace(n, spellings=(*n.spellings, spelling)) if n is target else n
        for n in entity.names
    ]
    return _replace(entities, _checked(_with_names(entity, names)), entity.key)


def remove(
    entities: Sequence[Entity], ref: str, name: str | None = None, spelling: str | None = None
) -> list[Entity]:
    """Remove an entity, one of its names, or one spelling of a name."""
    entity = find_entity(entities, ref)
    if name is None:
        return _replace(entities, None, entity.key)
    target = _name(entity, name)
    if spelling is None:
        if target.canonical:
            raise GlossaryError(
                f"{target.name!r} is the canonical name of {entity.key}: set another first"
            )
        names = [n for n in entity.names if n is not target]
    else:
        kept = tuple(s for s in target.spellings if s.text != spelling)
        if len(kept) == len(target.spellings):
            raise GlossaryError(f"{spelling!r} is not a spelling of {target.name!r}")
        if not kept:
            raise GlossaryError(f"{spelling!r} is the last spelling of {target.name!r}")
        names = [dataclasses.replace(n, spellings=kept) if n is target else n for n in entity.names]
    return _replace(entities, _with_names(entity, names), entity.key)


def set_canonical(entities: Sequence[Entity], ref: str, name: str) -> list[Entity]:
    """Make `name` the entity's canonical name."""
    entity = find_entity(entities, ref)
    target = _name(entity, name)
    names = [dataclasses.replace(n, canonical=n is target) for n in entity.names]
    return _replace(entities, _with_names(entity, names), entity.key)


def merge(entities: Sequence[Entity], incoming: Sequence[Entity]) -> list[Entity]:
    """Import: incoming entities add to (or update) those with the same key."""
    by_key = {e.key: e for e in entities}
    for new in incoming:
        old = by_key.get(new.key)
        if old is None:
            if new.canonical is None:  # a file may leave it out: the first name listed
                first = dataclasses.replace(new.names[0], canonical=True)
                new = dataclasses.replace(new, names=(first, *new.names[1:]))
            by_key[new.key] = new
            continue
        names = {n.name: n for n in old.names}
        new_canonical = next((n.name for n in new.names if n.canonical), None) or (
            old.canonical.name if old.canonical else new.names[0].name
        )
        for n in new.names:
            if n.name in names:
                prev = names[n.name]
                n = dataclasses.replace(n, spellings=(*prev.spellings, *n.spellings))
            names[n.name] = n
        merged = [
            dataclasses.replace(n, canonical=(n.name == new_canonical)) for n in names.values()
        ]
        by_key[new.key] = dataclasses.replace(new, names=tuple(merged))
    result = sorted_entities(by_key.values())
    found = conflicts(result)
    if found:
        raise GlossaryError("conflict: " + "; ".join(str(c) for c in found))
    return result


def _checked(entity: Entity) -> Entity:
    """The entity after the same field checks an imported file gets."""
    (checked,) = loads(dumps([entity], "json"), "json")
    return checked
