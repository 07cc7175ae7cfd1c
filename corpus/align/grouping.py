"""Stories before claims: documents that report the same event, across outlets and languages.

For each document, its lead (title and first sentences) as the mean of its sentence vectors,
centred per language over the corpus. Candidate pairs are each document's nearest leads; a
calibrated judgement (`stories` in weights.json) scores each candidate on:

- `lead`: the cosine of the two leads;
- `best_sentence`: the closest pair of sentences across the two (they share a statement);
- `top_sentences`: the mean of the three closest sentences of the smaller document;
- `names`: rare names both use, matched across scripts (Karasin = Карасин), and glossary
  entities (Khankendi = Stepanakert), weighted by how few documents use them: the cosine of
  the two documents' weighted name sets, so that a long article does not share more names with
  everything merely by being long (a summed weight put a 50-sentence article on another event
  into the withdrawal story);
- `date_gap` and `dated`: months between publication dates, when both have one;
- `same_lang`: both in one language (every similarity runs higher there).

Documents then group by average-link at probability 0.5 over the pairs scored (all pairs up
to 300 documents), so a story is documents that agree as a whole, not a chain. Claims align
within a story only.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from newsalign.corpus.align.clustering import Scored, average_link_keyed
from newsalign.corpus.align.model import LogisticModel
from newsalign.corpus.align.pairs import centred
from newsalign.glossary.translit import name_key

LEAD_SENTENCES = 4
ALL_PAIRS_UP_TO = 300  # documents; above this, only each document's nearest leads are scored
CANDIDATES = 50
FEATURES = ("lead", "best_sentence", "top_sentences", "names", "date_gap", "dated", "same_lang")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Doc:
    """A document as story grouping sees it: its sentences' rows (title first, in order) in
    the vector matrix, language, publication date, sentences and glossary entities."""

    id: int
    rows: tuple[int, ...]
    lang: str
    published: str | None
    sentences: tuple[str, ...]
    entities: frozenset[int] = frozenset()


def _names(doc: Doc, lowercase: set[str]) -> set[str]:
    """Names a document uses: capitalised words not opening a sentence whose lowercase form
    the corpus never uses ("However" is not a name, "Karasin" is), keyed across scripts, and
    its glossary entities (Khankendi and Stepanakert are one)."""
    found = {f"entity:{e}" for e in doc.entities}
    for sentence in doc.sentences:
        for word in _WORD.findall(sentence)[1:]:
            if (
                len(word) >= 4
                and word[:1].isupper()
                and not word.isdigit()
                and word.lower() not in lowercase
            ):
                found.add(name_key(word, 5))
    return found


def parse_date(value: str | None) -> date | None:
    """The day of an ISO date (None: undated, or a month or year only)."""
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Context:
    """What pair features read of a set of documents: their centred sentence vectors and
    leads, the names each uses with their rarity in the set, and their dates."""

    vecs: np.ndarray
    leads: np.ndarray
    names: list[set[str]]
    idf: dict[str, float]
    mass: list[float]
    dates: list[date | None]


def context(docs: Sequence[Doc], vectors: np.ndarray, *, consume: bool = False) -> Context:
    """Vectors centred per language over `docs`, leads, and name rarity among `docs`.
    `consume`: centre `vectors` (float32) in place (a full align's corpus-wide matrix)."""
    n = len(docs)
    row_lang = np.full(len(vectors), "?", dtype=object)
    for d in docs:
        row_lang[list(d.rows)] = d.lang
    vecs = centred(vectors, list(row_lang), copy=not consume)
    leads = np.stack([vecs[list(d.rows[: LEAD_SENTENCES + 1])].mean(axis=0) for d in docs])
    leads /= np.maximum(np.linalg.norm(leads, axis=1, keepdims=True), 1e-9)
    lowercase = {w for d in docs for s in d.sentences for w in _WORD.findall(s) if w.islower()}
    names = [_names(d, lowercase) for d in docs]
    df = Counter(x for c in names for x in c)
    # Rarity in nats, not scaled to the corpus's rarest: in five documents no name can be
    # judged rare, in five hundred it can, and the evidence says so.
    idf = {x: math.log((1 + n) / (1 + v)) for x, v in df.items()}
    mass = [math.sqrt(sum(idf[x] ** 2 for x in c)) for c in names]
    return Context(vecs, leads, names, idf, mass, [parse_date(d.published) for d in docs])


def features(docs: Sequence[Doc], ctx: Context, pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    """The feature rows of document pairs (indexes into `docs`)."""
    vecs, leads, names, idf, mass, dates = (
        ctx.vecs,
        ctx.leads,
        ctx.names,
        ctx.idf,
        ctx.mass,
        ctx.dates,
    )
    X = np.zeros((len(pairs), len(FEATURES)))
    for r, (a, b) in enumerate(pairs):
        sims = vecs[list(docs[a].rows)] @ vecs[list(docs[b].rows)].T
        best_rows = np.sort(sims.max(axis=1 if sims.shape[0] <= sims.shape[1] else 0))[::-1]
        shared = sum(idf[x] ** 2 for x in names[a] & names[b]) / max(mass[a] * mass[b], 1e-9)
        both_dated = dates[a] is not None and dates[b] is not None
        gap = abs((dates[a] - dates[b]).days) / 30.0 if both_dated else 0.0
        X[r] = (
            float(leads[a] @ leads[b]),
            float(sims.max()),
            float(best_rows[:3].mean()),
            shared,
            min(gap, 12.0),
            float(both_dated),
            float(docs[a].lang == docs[b].lang),
        )
    return X


def pair_features(
    docs: Sequence[Doc], vectors: np.ndarray, *, consume: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate document pairs (a < b, indexes into `docs`) and their feature rows."""
    n = len(docs)
    if n < 2:
        return np.zeros(0, int), np.zeros(0, int), np.zeros((0, len(FEATURES)))
    ctx = context(docs, vectors, consume=consume)
    leads = ctx.leads
    k = n - 1 if n <= ALL_PAIRS_UP_TO else CANDIDATES
    # Each pair once, as a < b, in (a, b) order: as one int64 key each (a set of tuples
    # took about 160 bytes a pair, a gigabyte at 100,000 documents).
    keys = []
    for start in range(0, n, 128):  # argpartition's indexes are 8 bytes a document a row
        sims = leads[start : start + 128] @ leads.T
        sims[np.arange(len(sims)), np.arange(start, start + len(sims))] = -np.inf
        near = np.argpartition(-sims, k - 1, axis=1)[:, :k].astype(np.int64)
        rows = np.arange(start, start + len(sims), dtype=np.int64)[:, None]
        keys.append((np.minimum(rows, near) * n + np.maximum(rows, near)).ravel())
    pairs = np.unique(np.concatenate(keys))
    a, b = pairs // n, pairs % n
    X = np.zeros((len(pairs), len(FEATURES)))
    for start in range(0, len(pairs), 65536):  # Python pairs a block at a time
        block = slice(start, start + 65536)
        X[block] = features(docs, ctx, list(zip(a[block].tolist(), b[block].tolist(), strict=True)))
    return a, b, X


def group(
    docs: Sequence[Doc],
    vectors: np.ndarray,
    model: LogisticModel,
    threshold: float = 0.5,
    *,
    consume: bool = False,
) -> list[list[int]]:
    """Stories as lists of indexes into `docs`; every document is in exactly one story.
    `consume`: `vectors` (float32) may be overwritten (context)."""
    a, b, X = pair_features(docs, vectors, consume=consume)
    p = model.predict(X) if len(X) else np.zeros(0)
    del X
    # Only pairs at the threshold propose merges, so a group never leaves its component of
    # such pairs: pairs across two components are never read, and leaving them out changes no
    # average (and saves most of the memory at 100,000 documents).
    # Each component is grouped alone, so memory follows the largest, not the corpus.
    component = _components(len(docs), a[p >= threshold], b[p >= threshold])
    inside = np.flatnonzero(component[a] == component[b])
    inside = inside[np.argsort(component[a[inside]], kind="stable")]  # pair order kept within
    keyed: list[tuple[int, list[int]]] = []
    labels = component[a[inside]]
    for part in np.split(inside, np.flatnonzero(np.diff(labels)) + 1) if len(inside) else []:
        nodes = np.unique(np.concatenate([a[part], b[part]]))
        local_a, local_b = np.searchsorted(nodes, a[part]), np.searchsorted(nodes, b[part])
        # Pairs left unscored were never candidates (cost, not evidence): out of the average.
        found = average_link_keyed(
            len(nodes),
            np.arange(len(nodes)),
            Scored(local_a, local_b, p[part]),
            threshold,
            unscored_count=False,
        )
        keyed += [(int(nodes[key]), nodes[members].tolist()) for key, members in found]
    groups = [sorted(members) for _, members in sorted(keyed)]
    grouped = {x for g in groups for x in g}
    return groups + [[x] for x in range(len(docs)) if x not in grouped]


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A component label for each of `n` nodes joined by the edges (a, b)."""
    parent = np.arange(n)

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        rx, ry = root(x), root(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)
    return np.array([root(x) for x in range(n)])
