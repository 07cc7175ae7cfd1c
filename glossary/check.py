"""Consistency checks: a spelling must never stand for two entities."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from newsalign.glossary.match import words
from newsalign.glossary.model import Entity


@dataclass(frozen=True)
class Conflict:
    """One written form (after folding) claimed by more than one entity."""

    form: str
    claims: tuple[tuple[str, str, str], ...]  # (entity key, name, spelling as written)

    def __str__(self) -> str:
        who = "; ".join(f"{spelling!r} as {name!r} of {key}" for key, name, spelling in self.claims)
        return f"spelling {self.form!r} maps to {len({c[0] for c in self.claims})} entities: {who}"


def conflicts(entities: Iterable[Entity]) -> list[Conflict]:
    """Spellings that would map to two entities: reported, never silently merged."""
    claims: dict[str, set[tuple[str, str, str]]] = {}
    for entity in entities:
        for name in entity.names:
            for spelling in name.spellings:
                form = " ".join(words(spelling.text))
                if form:
                    claims.setdefault(form, set()).add((entity.key, name.name, spelling.text))
    return [
        Conflict(form, tuple(sorted(found)))
        for form, found in sorted(claims.items())
        if len({key for key, _, _ in found}) > 1
    ]


def warnings(entities: Iterable[Entity]) -> list[str]:
    """Things worth a look that are not errors: one spelling under two names of one entity,
    a spelling with no letters."""
    found = []
    for entity in entities:
        seen: dict[str, str] = {}
        for name in entity.names:
            for spelling in name.spellings:
                form = " ".join(words(spelling.text))
                if not form:
                    found.append(f"{entity.key}: spelling {spelling.text!r} has no letters")
                elif seen.get(form, name.name) != name.name:
                    found.append(
                        f"{entity.key}: {spelling.text!r} is a spelling of both "
                        f"{seen[form]!r} and {name.name!r}; mentions will count it as {seen[form]!r}"
                    )
                seen.setdefault(form, name.name)
    return found
