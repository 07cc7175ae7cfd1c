"""Consistency checks: a spelling must never stand for two entities."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from newsalign.glossary.match import words
from newsalign.glossary.model import Entity, script_of

# Characters that change a spelling without showing: it then matches nothing in articles.
_INVISIBLE = {
    "\u200b": "zero-width space", "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner", "\u2060": "word joiner",
    "\ufeff": "zero-width no-break space", "\u00ad": "soft hyphen",
}  # fmt: skip
# Scripts whose letters look alike: a Cyrillic "а" in a Latin word is a look-alike, not a name.
_LOOKALIKE_SCRIPTS = {"Latn", "Cyrl", "Grek"}


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


def suspicious(text: str) -> str | None:
    """Why a spelling may not be what it looks like: an invisible character, or a word mixing
    Latin, Cyrillic and Greek letters (homoglyphs)."""
    for ch, what in _INVISIBLE.items():
        if ch in text:
            return f"holds an invisible {what} (U+{ord(ch):04X})"
    for word in text.split():
        scripts = sorted({script_of(ch) for ch in word if ch.isalpha()} & _LOOKALIKE_SCRIPTS)
        if len(scripts) > 1:
            return f"mixes {' and '.join(scripts)} letters in {word!r} (a look-alike?)"
    return None


def new_lookalikes(before: Iterable[Entity], after: Iterable[Entity]) -> list[str]:
    """Warnings for the spellings an edit added that are suspicious (see `suspicious`)."""
    known = {(e.key, s.text) for e in before for n in e.names for s in n.spellings}
    found = []
    for entity in after:
        for name in entity.names:
            for spelling in name.spellings:
                problem = suspicious(spelling.text)
                if problem and (entity.key, spelling.text) not in known:
                    found.append(f"{entity.key}: spelling {spelling.text!r} {problem}")
    return found


def warnings(entities: Iterable[Entity]) -> list[str]:
    """Things worth a look that are not errors: one spelling under two names of one entity,
    a spelling with no letters, an invisible character or mixed-script look-alike."""
    found = []
    for entity in entities:
        seen: dict[str, str] = {}
        for name in entity.names:
            for spelling in name.spellings:
                problem = suspicious(spelling.text)
                if problem:
                    found.append(f"{entity.key}: spelling {spelling.text!r} {problem}")
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
