"""Find glossary spellings in text in one pass, whatever the size of the glossary.

Spellings are folded (case, diacritics) and split into words, then stored in a trie keyed by
word. Text is split the same way; at each word the trie is walked as far as it goes and the
longest match wins. Cost per segment depends on the text, not on the number of spellings.

Inflected forms (Карабахе, Xankəndidə, Bergkarabachs) are edges of the same trie, generated
from each spelling's language by glossary.endings; they match only whole words. A spelling
written with a capital does not match a word written without one: Spanish "armenia"
(Armenian) is an adjective, not the country.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from newsalign.glossary import endings
from newsalign.glossary.model import script_of
from newsalign.glossary.textnorm import WORD, fold


@dataclass(frozen=True)
class Term:
    """One spelling to look for, and the entity, name and spelling ids it stands for."""

    text: str
    entity_id: int
    name_id: int
    spelling_id: int = 0
    lang: str = ""  # its language: which case endings it takes (none for English)


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
    inflected: dict[str, _Node] = field(default_factory=dict)  # case forms of children's words
    terms: list[Term] = field(default_factory=list)


def words(text: str) -> list[str]:
    """Folded words of `text`: "Nagorno-Karabakh" and "nagorno karabakh" give the same list."""
    return [fold(m.group()) for m in WORD.finditer(text)]


# Folded words a matcher keeps (a few MB); past that it starts again, so memory stays bounded
# on a corpus of any size.
FOLDED_WORDS = 100_000


class Matcher:
    """A compiled set of spellings; `find` returns non-overlapping longest matches."""

    def __init__(self, terms: Iterable[Term] = ()) -> None:
        self._root = _Node()
        # Words recur from sentence to sentence: each is folded once per matcher (its owner's
        # job: an ingest run, a translation run), not at each of its occurrences.
        self._folded: dict[str, str] = {}
        for term in terms:
            self.add(term)

    def add(self, term: Term) -> None:
        """Add one term; several terms may share a form (that is how conflicts show)."""
        key = words(term.text)
        if not key:
            return
        langs = endings.languages(term.lang, script_of(term.text))
        node = self._root
        for word in key:
            child = node.children.setdefault(word, _Node())
            for lang in langs:
                for form in endings.forms(word, lang):
                    node.inflected.setdefault(form, child)
            node = child
        if term not in node.terms:
            node.terms.append(term)

    def find(self, text: str, *, cased: bool = True) -> list[Match]:
        """Every match in `text`, left to right, longest first where matches overlap
        (`cased=False`: a lowercase word matches a capitalised name too, as in a query)."""
        tokens = list(WORD.finditer(text))
        folded = [self._fold(t.group()) for t in tokens]
        root = self._root
        # Most words start no spelling: only those that do are walked from.
        starts = [i for i, w in enumerate(folded) if w in root.children or w in root.inflected]
        found: list[Match] = []
        after = 0  # the first word not inside a match already found
        for i in starts:
            if i < after:
                continue
            best: tuple[int, Term, bool] | None = None
            node = root
            inflected = False
            for j in range(i, len(tokens)):
                child = node.children.get(folded[j])
                if child is None:
                    child = node.inflected.get(folded[j])
                    inflected = True
                if child is None:
                    break
                node = child
                term = _pick(node.terms, inflected)
                if term is not None:
                    best = (j, term, inflected)
            if best is None or (cased and not _cased_alike(tokens[i].group(), best[1].text)):
                continue
            last, term, inflected = best
            start, end = tokens[i].start(), tokens[last].end()
            found.append(Match(start, end, text[start:end], term, inflected))
            after = last + 1
        return found

    def _fold(self, word: str) -> str:
        folded = self._folded.get(word)
        if folded is None:
            if len(self._folded) >= FOLDED_WORDS:
                self._folded.clear()
            folded = self._folded[word] = fold(word)
        return folded

    def lookup(self, text: str) -> list[Term]:
        """Every term whose form is exactly `text` (after folding); empty if none."""
        node = self._root
        for word in words(text):
            node = node.children.get(word)
            if node is None:
                return []
        return list(node.terms)


def _pick(terms: list[Term], inflected: bool) -> Term | None:
    """The term a match stands for: the first, or for an inflected form the first whose
    language declines (an English "Stepanakert" beside a Russian "Степанакерт")."""
    if not inflected:
        return terms[0] if terms else None
    return next((t for t in terms if endings.languages(t.lang, script_of(t.text))), None)


def _cased_alike(word: str, spelling: str) -> bool:
    """False when the spelling starts with a capital and the word in the text does not."""
    return not (spelling[:1].isupper() and word[:1].islower())
