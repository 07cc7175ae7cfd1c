"""Claims: which sentences and headlines are aligned, what each carries (English text, glossary entities,
numbers, dates, speakers), and what differs between the stored versions of a claim."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import sqlite_utils

from newsalign.corpus.align.differences import (
    UNSURE_CLAIM,
    Mark,
    Mention,
    compare,
    linker,
    marks,
    shown,
)
from newsalign.corpus.align.features import Facts, extract
from newsalign.corpus.ingest.segment import SENTENCE_FINAL
from newsalign.corpus.store import claims as claims_db
from newsalign.corpus.store import mentions
from newsalign.corpus.store.records import ClaimDiff

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
class Claim:
    """A sentence that may be aligned, with everything scoring and display use."""

    id: int  # segment id
    doc: int
    source: str
    lang: str | None
    text: str
    english: str | None  # the original if English, else the newest translation, else None
    entities: frozenset[int] = frozenset()
    facts: Facts = field(default_factory=Facts)
    headline: bool = False  # the article's title

    @property
    def translated(self) -> bool:
        return self.english is not None and self.lang != "en"


def is_claim(text: str, last_in_document: bool = True, headline: bool = False) -> bool:
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


def load_claims(
    db: sqlite_utils.Database,
    target: str = "en",
    docs: Sequence[int] | None = None,
    *,
    facts: Mapping[int, Facts] | None = None,
    with_facts: bool = True,
    claimed: Collection[int] = (),
) -> list[Claim]:
    """Candidate claims: substantial body sentences of current documents (of `docs` only, if
    given), with their English (original or newest translation), glossary entities and facts.
    `facts` are known facts by segment id (stored by an earlier run: extracting them is the
    slow part); `with_facts=False` leaves them empty (story assignment reads none).
    `claimed`: the stored claims of some documents (segment ids); those documents' claims are
    these, not chosen again (the choice depends on the text alone)."""
    entities = claims_db.segment_entities(db, docs)
    rows = claims_db.candidate_rows(db, target, docs)
    known = facts or {}
    chosen = set(claimed) | set(known)
    settled = {doc for sid, doc, *_ in rows if sid in chosen}
    last = {}
    for sid, doc, *_, kind in rows:
        if kind == "body":
            last[doc] = sid
    return [
        Claim(
            sid,
            doc,
            source,
            lang,
            text,
            english,
            frozenset(entities.get(sid, ())),
            (known[sid] if sid in known else extract(text, lang)) if with_facts else Facts(),
            kind == "title",
        )
        for sid, doc, source, lang, text, english, kind in rows
        if (
            sid in chosen
            if doc in settled
            else is_claim(text, last.get(doc) == sid, kind == "title")
        )
    ]


def stored_claims(db: sqlite_utils.Database, docs: Sequence[int]) -> list[int]:
    """The segment ids of the claims an earlier align run stored for `docs`."""
    return [
        sid
        for (sid,) in db.execute(
            "SELECT segment_id FROM claims WHERE doc_id IN (SELECT value FROM json_each(?))",
            [json.dumps(sorted(docs))],
        )
    ]


def stored_facts(db: sqlite_utils.Database, docs: Sequence[int]) -> dict[int, Facts]:
    """The facts an earlier align run stored for the claims of `docs` (they depend on the
    sentence alone)."""
    return {sid: parse_facts(raw) for _, sid, raw in stored_facts_raw(db, docs)}


def stored_facts_raw(db: sqlite_utils.Database, docs: Sequence[int]) -> list[tuple[int, int, str]]:
    """(document id, segment id, facts as stored) of the stored claims of `docs`."""
    return db.execute(
        "SELECT doc_id, segment_id, facts FROM claims "
        "WHERE doc_id IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(docs))],
    ).fetchall()


def parse_facts(raw: str) -> Facts:
    return Facts(**{k: tuple(v) for k, v in json.loads(raw).items()})


def diff_claim(db: sqlite_utils.Database, cluster_id: int) -> ClaimDiff:
    """What differs between the versions of a claim, and where versions disagree: the same
    comparison as the report's (differences.compare), read from the original sentences.

    Each article's version is all its sentences in the cluster (a repeat may carry the number
    the first sentence left out).
    """
    cluster = claims_db.show_claim(db, cluster_id)
    found = mentions.spans(db, [m.segment_id for m in cluster.members])
    by_version: dict[str, list[Mark]] = defaultdict(list)
    segments: dict[str, set[int]] = defaultdict(set)
    names: dict[str, set[str]] = defaultdict(set)
    for m in cluster.members:
        label = f"{m.source} (document {m.doc_id})"
        spans = [Mention(*x) for x in found.get(m.segment_id, ())]
        by_version[label] += marks(m.original, m.lang, spans)
        segments[label].add(m.segment_id)
        names[label].update(f"{n.name} ({n.surface})" for n in m.names)
    linked = linker(segments, claims_db.link_scores(db, cluster_id), cluster.score)
    fields: dict[str, dict[str, list]] = {}
    conflicts = []
    for d in compare(by_version, linked):
        if d.kind in ("places", "naming"):
            continue
        fields[d.kind] = {v: [shown(d.kind, x) for x in d.values[v]] for v in by_version}
        if d.disagree:
            conflicts.append(d.kind)
    sets = [names[v] for v in by_version]
    if any(sets) and any(x != sets[0] for x in sets):
        fields["names"] = {v: sorted(names[v]) for v in by_version}
    return ClaimDiff(
        cluster_id, len(by_version), fields, tuple(conflicts), cluster.score < UNSURE_CLAIM
    )
