"""What a story is called: the headline its English articles share, else its most widely
reported claim, else its earliest title."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from newsalign.corpus.align.candidates import Candidate
from newsalign.corpus.align.engine import StoryResult
from newsalign.glossary.textnorm import WORD, fold


class Described(Protocol):
    """A document as a label reads it (store.records.DocumentInfo is one)."""

    id: int
    lang: str | None
    published: str | None
    titles: list[str]


def story_label(
    members: Sequence[Described], story: StoryResult, candidates: Sequence[Candidate]
) -> str:
    """What a story is about: the English headline that shares most words with the story's
    other English headlines (the event they all name); without one, its most widely reported
    claim in English where a member has it, a statement before a quotation; without a shared
    claim, the earliest title."""
    headline = central_headline(members)
    if headline:
        return headline
    if story.clusters:
        top = max(
            story.clusters, key=lambda c: (len({candidates[m.index].source for m in c}), len(c))
        )
        texts = [candidates[m.index] for m in top if m.repeat_of is None]
        texts.sort(key=lambda c: (c.english is None, _quoted(c.english or c.text)))
        chosen = texts[0]
        return chosen.english or chosen.text
    lead = min(members, key=lambda d: (d.published or "9999", d.id))
    if lead.titles:
        return lead.titles[0]
    return candidates[story.claims[0]].text if story.claims else ""


def _quoted(text: str) -> bool:
    return text[:1] in "\"'‘’“”„«»"


def central_headline(members: Sequence[Described]) -> str | None:
    """The English title (3-25 words, not a quotation) with the most content words in common
    with the other English titles of the story; None if there are fewer than two."""
    titles = [
        (d.published or "9999", d.id, t)
        for d in members
        if d.lang == "en"
        for t in d.titles[:1]
        if 3 <= len(t.split()) <= 25 and not _quoted(t)
    ]
    if len(titles) < 2:
        return None
    words = [{w for w in (fold(x) for x in WORD.findall(t)) if len(w) >= 4} for *_, t in titles]
    shared = [sum(len(w & o) for j, o in enumerate(words) if j != i) for i, w in enumerate(words)]
    best = max(range(len(titles)), key=lambda i: (shared[i], [-ord(c) for c in titles[i][0]]))
    return titles[best][2] if shared[best] else None
