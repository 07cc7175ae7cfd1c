"""Glossary names in translation: before MT, each mention becomes the target-language spelling
of the same name ("Chankendi" becomes "Khankendi"; with `canonical`, the entity's canonical name);
after MT, the output is checked for the names it should carry."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from newsalign.corpus.store.glossary import canonical_names, spellings
from newsalign.corpus.store.mentions import matcher
from newsalign.glossary.match import Matcher
from newsalign.glossary.textnorm import fold

NAME_MODES = ("source", "canonical")


class Names:
    """Glossary-aware preparation: English spellings in, expected terms out."""

    def __init__(self, db: sqlite_utils.Database, target: str, mode: str) -> None:
        self.matcher: Matcher = matcher(db)
        spell: dict[int, str] = {}
        fallback: dict[int, str] = {}
        for name_id, name, text, lang, script in spellings(db):
            if lang == target:
                spell.setdefault(name_id, text)
            elif not lang and script == "Latn":
                fallback.setdefault(name_id, text)
            fallback.setdefault(name_id, name)
        self.english = {nid: spell.get(nid, fallback[nid]) for nid in fallback}
        self.canonical = canonical_names(db)
        self.mode = mode

    def prepare(self, text: str) -> tuple[str, list[dict[str, Any]]]:
        """`text` with each glossary mention in the target spelling, and the expected terms."""
        terms = []
        out = text
        for m in reversed(self.matcher.find(text)):
            name_id = m.term.name_id
            if self.mode == "canonical":
                name_id = self.canonical.get(m.term.entity_id, name_id)
            english = self.english.get(name_id, m.surface)
            out = out[: m.start] + english + out[m.end :]
            terms.append({"surface": m.surface, "expected": english})
        return out, list(reversed(terms))


def check_terms(terms: list[dict[str, Any]], output: str) -> tuple[list[dict[str, Any]], int]:
    """The expected terms marked found or not in `output`, and how many are missing."""
    folded = fold(output)
    checked = [{**t, "found": fold(t["expected"]) in folded} for t in terms]
    return checked, sum(not t["found"] for t in checked)
