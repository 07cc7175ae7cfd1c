"""Claim candidates: the sentences and headlines alignment may put in a claim (a claim is a
group of them, the thing a person reads), and what each carries: English text and glossary
entities. Which sentences are candidates depends on the text alone. (A sentence's facts,
numbers, dates and speakers, are read when they are shown: facts.py, views/.)"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from newsalign.corpus.ingest.segment import SENTENCE_FINAL

# A claim has substance: enough words and letters, and is not a byline or photo credit.
MIN_WORDS = 6
MIN_LETTERS = 30
# Headlines carry the story's claim more often than any sentence, in fewer words and without
# a full stop; a quoted statement ("Yes, that's true") is a claim however short.
MIN_HEADLINE_WORDS = 4
MIN_QUOTE_WORDS = 3
_QUOTED = re.compile(r"[\"“„«‘‚].{6,}?[\"“”«»’]")  # a quoted stretch of two words or more
_NOT_A_CLAIM = re.compile(r"^(by|von|photo|foto|source|quelle|read more|lesen sie)\b", re.I)
# Sentences end in punctuation, possibly inside quotes or brackets. A body line without it that
# is followed by more text is a heading or a link to another article, not a claim; the last
# line of a page may be cut off mid-sentence and stays.
_SENTENCE_END = re.compile("[" + SENTENCE_FINAL + r":;][\"'“”„«»’)\]]*\s*$")


@dataclass(frozen=True)
class Candidate:
    """A sentence that may be aligned, with everything scoring and display use."""

    id: int  # segment id
    doc: int
    source: str
    lang: str | None
    text: str
    english: str | None  # the original if English, else the newest translation, else None
    entities: frozenset[int] = frozenset()
    headline: bool = False  # the article's title

    @property
    def translated(self) -> bool:
        return self.english is not None and self.lang != "en"


def is_candidate(text: str, last_in_document: bool = True, headline: bool = False) -> bool:
    """Substantial enough to be aligned, and a sentence or headline rather than a heading or
    link. Quoted statements need fewer words; headlines fewer still, and no full stop."""
    words = len(text.split())
    letters = sum(ch.isalpha() for ch in text)
    if _NOT_A_CLAIM.match(text):
        return False
    if headline:
        return words >= MIN_HEADLINE_WORDS and letters >= MIN_LETTERS // 2
    quoted = words >= MIN_QUOTE_WORDS and bool(_QUOTED.search(text))
    if (
        words < (MIN_QUOTE_WORDS if quoted else MIN_WORDS)
        or letters < MIN_LETTERS // 2
        or (not quoted and letters < MIN_LETTERS)
    ):
        return False
    return last_in_document or bool(_SENTENCE_END.search(text))


def choose(
    rows: Sequence[tuple],
    entities: Mapping[int, Collection[int]],
    *,
    claimed: Collection[int] = (),
) -> list[Candidate]:
    """The candidates among title and body rows (segment id, document, source, language, text,
    English, kind; in id order, as store.candidates.candidate_rows gives them). `claimed`:
    the stored candidates of some documents (segment ids); those documents' candidates are
    these, not chosen again."""
    chosen = set(claimed)
    settled = {doc for sid, doc, *_ in rows if sid in chosen}
    last = {}
    for sid, doc, *_, kind in rows:
        if kind == "body":
            last[doc] = sid
    return [
        Candidate(
            sid,
            doc,
            source,
            lang,
            text,
            english,
            frozenset(entities.get(sid, ())),
            kind == "title",
        )
        for sid, doc, source, lang, text, english, kind in rows
        if (
            sid in chosen
            if doc in settled
            else is_candidate(text, last.get(doc) == sid, kind == "title")
        )
    ]
