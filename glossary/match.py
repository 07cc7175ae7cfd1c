"""Find glossary spellings in text in one pass, whatever the size of the glossary.

Spellings are folded (case, diacritics) and split into words, then stored in a trie keyed by
word. Text is split the same way; at each word the trie is walked as far as it goes and the
longest match wins. Cost per segment depends on the text, not on the number of spellings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from newsalign.glossary.textnorm import WORD, fold

# German case endings a place name may take: "Bergkarabachs", "Aserbaidschans", "Armeniens".
GERMAN_SUFFIXES = ("s", "es", "ns", "n", "en")


@dataclass(frozen=True)
class Term:
    """One spelling to look for, and the entity, name and spelling ids it stands for."""

    text: str
    entity_id: int
    name_id: int
    spelling_id: int = 0


@dataclass(frozen=True)
class Match:
    """A spelling found in text: what it refers to and the exact surface form."""

    start: int
    end: int
    surface: str
    term: Term
    inflected: bool = False


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)


def words(text: str) -> list[str]:
    """Folded words of `text`: "Nagorno-Karabakh" and "nagorno karabakh" give the same list."""
    return [fold(m.group()) for m in WORD.finditer(text)]


class Matcher:
    """A compiled set of spellings; `find` returns non-overlapping longest matches."""

    def __init__(self, terms: Iterable[Term] = ()) -> None:
        self._root = _Node()
        for term in terms:
            self.add(term)

    def add(self, term: Term) -> None:
        """Add one term; several terms may share a form (that is how conflicts show)."""
        key = words(term.text)
        if not key:
            return
        node = self._root
        for word in key:
            node = node.children.setdefault(word, _Node())
        if term not in node.terms:
            node.terms.append(term)

    def find(self, text: str) -> list[Match]:
        """Every match in `text`, left to right, longest first where matches overlap."""
        tokens = list(WORD.finditer(text))
        folded = [fold(t.group()) for t in tokens]
        found: list[Match] = []
        i = 0
        while i < len(tokens):
            best: tuple[int, _Node, bool] | None = None
            node = self._root
            j = i
            while j < len(tokens):
                child = node.children.get(folded[j])
                if child is None:
                    stem = self._inflected(node, folded[j])
                    if stem is not None:
                        best = (j, stem, True)
                    break
                node = child
                if node.terms:
                    best = (j, node, False)
                j += 1
            if best is None:
                i += 1
                continue
            last, hit, inflected = best
            start, end = tokens[i].start(), tokens[last].end()
            found.append(Match(start, end, text[start:end], hit.terms[0], inflected))
            i = last + 1
        return found

    def lookup(self, text: str) -> list[Term]:
        """Every term whose form is exactly `text` (after folding); empty if none."""
        node = self._root
        for word in words(text):
            node = node.children.get(word)
            if node is None:
                return []
        return list(node.terms)

    @staticmethod
    def _inflected(node: _Node, word: str) -> _Node | None:
        for suffix in GERMAN_SUFFIXES:
            if len(word) > len(suffix) + 2 and word.endswith(suffix):
                child = node.children.get(word[: -len(suffix)])
                if child is not None and child.terms:
                    return child
        return None
