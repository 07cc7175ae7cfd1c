"""A claim as a reader is told it: its members with the facts each sentence states (read from
the text when shown: nothing stores them), its versions (each article's sentences, with their
facts and glossary names marked where written), what differs between them and where versions
disagree (align/differences.py). `claims diff` and the report read the versions the same way;
how firmly each member sits in its claim is store.claims.member_support, one SQL definition the
report and the Datasette view share."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import sqlite_utils

from newsalign.corpus.align.differences import (
    UNSURE_CLAIM,
    Difference,
    Mark,
    Mention,
    compare,
    linker,
    marks,
    shown,
)
from newsalign.corpus.align.facts import extract
from newsalign.corpus.store import claims as claims_db
from newsalign.corpus.store import mentions
from newsalign.corpus.store.records import ClaimDetail, ClaimDiff


def sentence_marks(
    db: sqlite_utils.Database, sentences: Iterable[tuple[int, str, str | None]]
) -> dict[int, tuple[Mark, ...]]:
    """The facts and glossary names of each sentence (segment id, text, language), in reading
    order."""
    sentences = list(sentences)
    found = mentions.spans(db, [sid for sid, _, _ in sentences])
    return {
        sid: tuple(marks(text, lang, [Mention(*m) for m in found.get(sid, ())]))
        for sid, text, lang in sentences
    }


def compare_versions(
    db: sqlite_utils.Database,
    claim_id: int,
    score: float,
    versions: Mapping[str, Sequence[tuple[int, Sequence[Mark]]]],
) -> list[Difference]:
    """What differs between a claim's versions (label -> its sentences as (segment id, marks)):
    only versions the claim's links join surely enough can disagree."""
    by_version = {
        label: [m for _, found in items for m in found] for label, items in versions.items()
    }
    segments = {label: {sid for sid, _ in items} for label, items in versions.items()}
    return compare(by_version, linker(segments, claims_db.link_scores(db, claim_id), score))


def show_claim(db: sqlite_utils.Database, claim_id: int) -> ClaimDetail:
    """A claim side by side (store.claims.show_claim), each member with the facts its sentence
    states (numbers, dates, relative times, speakers, durations), read from its text."""
    claim = claims_db.show_claim(db, claim_id)
    members = tuple(
        dataclasses.replace(m, facts=extract(m.original, m.lang).as_dict()) for m in claim.members
    )
    return dataclasses.replace(claim, members=members)


def diff_claim(db: sqlite_utils.Database, cluster_id: int) -> ClaimDiff:
    """What differs between the versions of a claim, and where versions disagree: the report's
    comparison, read from the original sentences.

    Each article's version is all its sentences in the claim (a repeat may carry the number
    the first sentence left out).
    """
    claim = claims_db.show_claim(db, cluster_id)
    found = sentence_marks(db, [(m.segment_id, m.original, m.lang) for m in claim.members])
    versions: dict[str, list[tuple[int, Sequence[Mark]]]] = defaultdict(list)
    names: dict[str, set[str]] = defaultdict(set)
    for m in claim.members:
        label = f"{m.source} (document {m.doc_id})"
        versions[label].append((m.segment_id, found[m.segment_id]))
        names[label].update(f"{n.name} ({n.surface})" for n in m.names)
    fields: dict[str, dict[str, list]] = {}
    conflicts = []
    for d in compare_versions(db, cluster_id, claim.score, versions):
        if d.kind in ("places", "naming"):
            continue
        fields[d.kind] = {v: [shown(d.kind, x) for x in d.values[v]] for v in versions}
        if d.disagree:
            conflicts.append(d.kind)
    sets = [names[v] for v in versions]
    if any(sets) and any(x != sets[0] for x in sets):
        fields["names"] = {v: sorted(names[v]) for v in versions}
    return ClaimDiff(
        cluster_id, len(versions), fields, tuple(conflicts), claim.score < UNSURE_CLAIM
    )
