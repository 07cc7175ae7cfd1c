"""Claim alignment on real multi-outlet news, scored against hand-made golds.

Every figure for a story comes from a model not fitted on that story's pairs:

- withdrawal (../shared/stories/withdrawal/, gold.tsv): cross-validated by article groups. The
  25 articles are split into 5 groups; a pair of articles from groups g and h is scored by a
  model fitted on the pairs of the other groups' articles (and on the seeds' story), so no pair
  is judged by a model that saw either article. Also: the same without the German-English
  dictionary bridge, and a model fitted on other data only (seeds' story).
- seeds (../shared/seeds/, tests/fixtures/seeds_gold.tsv): the full pipeline (stories, then
  claims) with models fitted on withdrawal only; every required link listed found or missed.
- consulate (../shared/stories/consulate/, gold kept elsewhere): the shipped models; what it
  finds is printed, story by story.
- story grouping on all three folders together.

Prints precision, recall and F1 for all languages and for German/English pairs, claim purity
(the share of claims with members from two or more articles whose members all lie in one gold
cluster), recall per language pair, the wrong and missed pairs with their texts and
probabilities, and the impure claims with their members' texts.

    python bench/stories.py [--cache DIR] [--show N]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

# bench/ has glossary.py and translate.py, named after the packages they measure; run as a
# script, this folder comes first on sys.path and would shadow those packages.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
STORIES = SHARED / "stories"
SEED_GOLD = ROOT / "tests" / "fixtures" / "seeds_gold.tsv"
GROUPS = 5
TARGET_F1, TARGET_P = 0.75, 0.80
PURE_P, PURE_PURITY, PURE_F1 = 0.85, 0.80, 0.55  # issue 28: pure claims before any answer
OVERLAP_BEFORE = 0.5  # the overlap pass's level before issue 28, printed for comparison


def score_line(label: str, ev, pure=None, pure_de_en=None) -> str:
    """P, R, F1 for all languages and German/English; claim purity beside them when given."""
    a, d = ev.all, ev.de_en
    all_purity = f", purity {pure.share:.3f} ({pure.pure}/{pure.claims})" if pure else ""
    de_en_purity = f", purity {pure_de_en.share:.3f}" if pure_de_en else ""
    return (
        f"  {label:<34} all: P {a.precision:.3f} R {a.recall:.3f} F1 {a.f1:.3f}{all_purity} "
        f"({a.correct}/{a.pairs} pairs right, {a.found}/{a.must_pairs} must pairs) | "
        f"de/en: P {d.precision:.3f} R {d.recall:.3f} F1 {d.f1:.3f}{de_en_purity}"
    )


def scored(label: str, gold, sentences, clusters) -> tuple[str, object, object]:
    """The score line of `clusters` (pairs and purity), its evaluation and its purity."""
    from newsalign.corpus.align.gold import evaluate, purity

    ev = evaluate(gold, sentences, clusters)
    pure = purity(gold, sentences, clusters)
    return score_line(label, ev, pure, purity(gold, sentences, clusters, ("de", "en"))), ev, pure


def show_impure(pure, gold, sentences, limit: int) -> None:
    """The impure claims, each member with its gold clusters, article and text."""
    from newsalign.corpus.align.gold import memberships

    if not pure.impure or not limit:
        return
    member, _ = memberships(gold, sentences.values())
    shown = min(limit, len(pure.impure))
    print(f"    impure claims ({len(pure.impure)} of {pure.claims}; {shown} shown):")
    for claim in pure.impure[:limit]:
        print(f"      claim of {len(claim)}:")
        for x in claim:
            s = sentences[x]
            clusters = ",".join(sorted(member.get(x, {}))) or "-"
            print(f"        {clusters:<15} {s.file[:18]:<18} {s.text[:80]}")


def clusters_from(n, docs, i, j, p, threshold, overlap=None):
    """Clusters as the engine makes them: pairs above the floor, each sentence's most probable;
    `overlap`: the threshold of the overlap pass (None: the engine's, 0: no overlap pass)."""
    from newsalign.corpus.align import clustering, engine
    from newsalign.corpus.align.clustering import Scored
    from newsalign.corpus.align.pairs import top_per_sentence

    keep = p >= engine.FLOOR
    i, j, p = i[keep], j[keep], p[keep]
    top = top_per_sentence(i, j, p, 40)
    i, j, p = i[top], j[top], p[top]

    groups = clustering.average_link(
        n, docs, Scored(i, j, p), threshold, agreeing=clustering.AGREEING
    )
    members = clustering.with_repeats(groups, docs, Scored(i, j, p), threshold)
    overlap = engine.OVERLAP if overlap is None else overlap
    if overlap:
        members = clustering.with_overlaps(members, docs, Scored(i, j, p), overlap)
    return [[m.index for m in g] for g in members]


def grouped_cv(data, labelled, extra, features, threshold, seed=0):
    """Out-of-fold probabilities for every pair of `labelled` (one story)."""
    from newsalign.corpus.align.model import fit

    cols = [labelled.edges.features.index(f) for f in features]
    X = labelled.edges.X[:, cols]
    files = sorted(set(labelled.file_a) | set(labelled.file_b))
    order = np.random.RandomState(seed).permutation(len(files))
    group = {files[k]: r % GROUPS for r, k in enumerate(order)}
    ga = np.array([group[f] for f in labelled.file_a])
    gb = np.array([group[f] for f in labelled.file_b])
    extra_X = np.vstack([e.edges.X[:, cols] for e in extra]) if extra else np.zeros((0, len(cols)))
    extra_y = np.concatenate([e.y for e in extra]) if extra else np.zeros(0)
    p = np.zeros(len(labelled.y))
    for g in range(GROUPS):
        for h in range(g, GROUPS):
            test = ((ga == g) & (gb == h)) | ((ga == h) & (gb == g))
            train = (ga != g) & (ga != h) & (gb != g) & (gb != h)
            model = fit(
                np.vstack([X[train], extra_X]),
                np.concatenate([labelled.y[train], extra_y]),
                tuple(features),
            )
            p[test] = model.predict(X[test])
    return p


def show_pairs(title, pairs, sentences, prob, limit):
    if not pairs or not limit:
        return
    print(f"    {title} ({len(pairs)}; the {min(limit, len(pairs))} most probable shown):")
    ranked = sorted(pairs, key=lambda ab: -prob.get(ab, 0.0))[:limit]
    for a, b in ranked:
        sa, sb = sentences[a], sentences[b]
        print(f"      p {prob.get((a, b), 0.0):.2f}  {sa.file[:18]} | {sa.text[:90]}")
        print(f"              {sb.file[:18]} | {sb.text[:90]}")


def main() -> int:
    from newsalign.corpus.align import clustering, engine, training
    from newsalign.corpus.align.bridge import Bridge
    from newsalign.corpus.align.gold import read_gold
    from newsalign.corpus.align.job.corpora import load_corpus
    from newsalign.corpus.align.job.setup import Settings, embedders_for
    from newsalign.corpus.align.model import fit, shipped

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "newsalign-bench"
    )
    parser.add_argument("--show", type=int, default=8, help="wrong and missed pairs to print")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    embedders = embedders_for(Settings())
    bridge = Bridge.load()
    print(
        f"German-English dictionary bridge: {'Ding (trans-de-en)' if bridge else 'not installed'}"
    )
    features = training.CLAIM_FEATURES + ((training.BRIDGE_FEATURE,) if bridge else ())
    threshold = engine.THRESHOLD

    withdrawal, w_paths = load_corpus(
        args.cache / "withdrawal.db", [STORIES / "withdrawal"], embedders
    )
    seeds, s_paths = load_corpus(args.cache / "seeds.db", [SHARED / "seeds"], embedders)
    w_gold, s_gold = read_gold(STORIES / "withdrawal" / "gold.tsv"), read_gold(SEED_GOLD)
    w_sent = training.sentences(withdrawal.data, w_paths)
    s_sent = training.sentences(seeds.data, s_paths)
    s_rows = [k for k, s in enumerate(s_sent) if s.file.startswith(("000", "001", "002"))]
    # Story statistics lean on priors measured on these stories' cosines (no labels involved).
    priors = training.priors([(withdrawal.data, range(len(w_sent))), (seeds.data, s_rows)])
    w_pairs = training.label(
        training.all_pairs(withdrawal.data, range(len(w_sent)), features, bridge, priors),
        w_sent,
        w_gold,
    )
    s_pairs = training.label(
        training.all_pairs(seeds.data, s_rows, features, bridge, priors), s_sent, s_gold
    )

    # --- withdrawal ---------------------------------------------------------------------------
    n = len(w_sent)
    docs = withdrawal.data.docs
    langs = Counter(s.lang for s in w_sent)
    print(
        f"\nwithdrawal: {len({s.file for s in w_sent})} articles, {n} claims "
        f"({', '.join(f'{k} {v}' for k, v in sorted(langs.items()))}), {len(w_pairs.y)} pairs, "
        f"{int(w_pairs.y.sum())} of them the same claim"
    )
    runs = {}
    variants = (
        ("cross-validated, with bridge", features, [s_pairs]),
        ("cross-validated, no bridge", tuple(f for f in features if f != "bridge"), [s_pairs]),
    )
    by_id = {s.id: s for s in w_sent}
    for label, cols, extra in variants:
        p = grouped_cv(withdrawal.data, w_pairs, extra, cols, threshold)
        cl = clusters_from(n, docs, w_pairs.edges.i, w_pairs.edges.j, p, threshold)
        line, ev, pure = scored(label, w_gold, by_id, cl)
        runs[label] = (ev, p, pure, cl)
        print(line)
    best, p, pure, cl = runs[variants[1][0]]  # the shipped features
    overlapping = clusters_from(
        n, docs, w_pairs.edges.i, w_pairs.edges.j, p, threshold, overlap=OVERLAP_BEFORE
    )
    print(scored("  with the overlap pass (0.5)", w_gold, by_id, overlapping)[0])
    shipped_share = clustering.AGREEING
    for share, name in (
        (None, "merges by the mean alone"),
        (1 / 3, "merges agreed by > 1/3"),
        (2 / 3, "merges agreed by > 2/3"),
    ):
        # clustering.AGREEING's sensitivity (shipped: more than half of the larger group agrees)
        clustering.AGREEING = share
        try:
            alt = clusters_from(n, docs, w_pairs.edges.i, w_pairs.edges.j, p, threshold)
        finally:
            clustering.AGREEING = shipped_share
        print(scored(f"  {name}", w_gold, by_id, alt)[0])
    headlines = {k for k, x in enumerate(withdrawal.candidates) if x.headline}
    print(
        scored(
            "  headline members not scored",
            w_gold,
            by_id,
            [[x for x in c if x not in headlines] for c in cl],
        )[0]
    )
    others = fit(s_pairs.edges.X, s_pairs.y, features)  # the seeds' story only
    seeds_only = clusters_from(
        n, docs, w_pairs.edges.i, w_pairs.edges.j, others.predict(w_pairs.edges.X), threshold
    )
    print(scored("fitted on the seeds' story only", w_gold, by_id, seeds_only)[0])
    ok = best.all.precision >= PURE_P and pure.share >= PURE_PURITY and best.all.f1 >= PURE_F1
    print(
        f"  target before any answer P >= {PURE_P}, purity >= {PURE_PURITY}, F1 >= {PURE_F1}: "
        f"{'PASS' if ok else 'FAIL'}"
    )
    ok = best.all.f1 >= TARGET_F1 and best.all.precision >= TARGET_P
    print(
        f"  target all languages F1 >= {TARGET_F1} with P >= {TARGET_P}: {'PASS' if ok else 'FAIL'}"
    )
    print(
        "  recall per language pair: "
        + ", ".join(f"{k} {f}/{t} ({f / t:.2f})" for k, (f, t) in best.recall_by_pair.items())
    )
    prob = {
        (int(a), int(b)): float(q)
        for a, b, q in zip(w_pairs.edges.i, w_pairs.edges.j, p, strict=True)
    }
    show_pairs("wrong pairs", list(best.wrong), w_sent, prob, args.show)
    show_pairs("missed must pairs", list(best.missed), w_sent, prob, args.show)
    show_impure(pure, w_gold, by_id, args.show)
    if best.unmatched_rows:
        print(
            f"    gold rows no claim contains ({len(best.unmatched_rows)}): "
            + "; ".join(f"{r.file[:12]} {r.substring[:40]!r}" for r in best.unmatched_rows[:6])
        )

    # --- seeds --------------------------------------------------------------------------------
    shipped_features = shipped("claims").features
    cols = [features.index(f) for f in shipped_features]
    claims_model = fit(
        w_pairs.edges.X[:, cols], w_pairs.y, shipped_features, about={"version": "withdrawal-only"}
    )
    claims_model = dataclasses.replace(
        claims_model, priors=training.priors([(withdrawal.data, range(len(w_sent)))])
    )
    result = engine.align_claims(
        seeds.data, claims_model, shipped("stories"), engine.Options(bridge=bridge)
    )
    files = {int(d): Path(s_paths[int(d)]).name[:3] for d in seeds.data.docs}
    groups = [sorted(files.get(d, "?") for d in s.documents) for s in result.stories]
    print(f"\nseeds: stories {groups} (expected [000, 001, 002], [003], [004])")
    for line in story_scores([[Path(s_paths[d]) for d in s.documents] for s in result.stories]):
        print("  " + line)
    clusters = [[m.index for m in c] for c in result.clusters]
    line, ev, _ = scored("fitted on withdrawal only", s_gold, {s.id: s for s in s_sent}, clusters)
    print(line)
    ok = ev.all.found == ev.all.must_pairs and ev.all.precision >= TARGET_P
    print(f"  target every required link with P >= {TARGET_P}: {'PASS' if ok else 'FAIL'}")
    where = {x: k for k, c in enumerate(clusters) for x in c}
    member, _ = __import__("newsalign.corpus.align.gold", fromlist=["memberships"]).memberships(
        s_gold, s_sent
    )
    for cid in sorted({g for m in member.values() for g in m}):
        musts = [x for x, m in member.items() if m.get(cid) == "must"]
        for a in musts:
            for b in musts:
                if a < b and s_sent[a].file != s_sent[b].file:
                    found = where.get(a) is not None and where.get(a) == where.get(b)
                    print(
                        f"    {'found ' if found else 'MISSED'} {cid} {s_sent[a].file[:3]} "
                        f"{s_sent[a].text[:55]!r} ~ {s_sent[b].file[:3]} {s_sent[b].text[:55]!r}"
                    )
    s_prob = {}
    for s in result.stories:
        for a, b, q in zip(s.edges.i, s.edges.j, s.edges.p, strict=True):
            s_prob[(int(a), int(b))] = float(q)
    show_pairs("wrong pairs", list(ev.wrong), s_sent, s_prob, args.show)

    from newsalign.corpus.align import grouping as story_grouping

    alone = story_grouping.group(
        withdrawal.data.documents, withdrawal.data.lead_vectors, shipped("stories")
    )
    print("\nwithdrawal alone, story grouping (shipped story model):")
    for line in story_scores(
        [[Path(w_paths[withdrawal.data.documents[k].id]) for k in g] for g in alone]
    ):
        print("  " + line)

    # --- consulate ----------------------------------------------------------------------------
    consulate, c_paths = load_corpus(
        args.cache / "consulate.db", [STORIES / "consulate"], embedders
    )
    result = engine.align_claims(
        consulate.data, shipped("claims"), shipped("stories"), engine.Options(bridge=bridge)
    )
    c_files = {int(d): Path(c_paths[int(d)]).name for d in consulate.data.docs}
    print(
        f"\nconsulate (shipped models; scored against a gold kept elsewhere): "
        f"{len(result.stories)} stories, {sum(len(c) for c in result.clusters)} sentences in "
        f"{len(result.clusters)} claims"
    )
    for s in result.stories:
        print(
            f"  story of {len(s.documents)} articles: "
            + ", ".join(sorted(c_files.get(d, "?")[:12] for d in s.documents))
        )
    for line in story_scores([[Path(c_paths[d]) for d in s.documents] for s in result.stories]):
        print("  " + line)
    for c in sorted(result.clusters, key=len, reverse=True)[: args.show]:
        print(f"  claim of {len(c)} sentences:")
        for m in c[:6]:
            d = int(consulate.data.docs[m.index])
            print(f"      {c_files[d][:18]:<18} {consulate.data.texts[m.index][:90]}")

    # --- story grouping on a mixed corpus -----------------------------------------------------
    mixed, m_paths = load_corpus(
        args.cache / "mixed.db",
        [STORIES / "withdrawal", STORIES / "consulate", SHARED / "seeds"],
        embedders,
    )

    groups = story_grouping.group(mixed.data.documents, mixed.data.lead_vectors, shipped("stories"))
    print("\nstory grouping of withdrawal + consulate + seeds (each group: articles per folder):")
    for g in sorted(groups, key=len, reverse=True):
        folders = Counter(Path(m_paths[mixed.data.documents[k].id]).parent.name for k in g)
        print(
            "  "
            + ", ".join(f"{k} {v}" for k, v in folders.most_common())
            + (
                "  ["
                + " ".join(Path(m_paths[mixed.data.documents[k].id]).name[:3] for k in g)
                + "]"
                if folders.get("seeds")
                else ""
            )
        )
    names = [Path(m_paths[d.id]) for d in mixed.data.documents]
    print("  (shipped story model, fitted on the withdrawal and consulate folders: in sample)")
    for line in story_scores([[names[k] for k in g] for g in groups]):
        print("  " + line)
    return 0


def story_of(path: Path) -> str:
    """The true story of a file, from shared/stories/README.md: the folder is the story;
    seeds 000-002 belong to consulate; seeds 003 and 004 are each their own."""
    if path.parent.name == "seeds":
        return "consulate" if path.name[:3] in ("000", "001", "002") else f"seed {path.name[:3]}"
    return path.parent.name


def story_scores(groups: list[list[Path]]) -> list[str]:
    """Per true story: the produced group holding most of its articles; purity (the share of
    that group's articles that belong to the story), completeness (the share of the story's
    articles in it), and the articles left out or let in."""
    truth = Counter(story_of(p) for g in groups for p in g)
    lines = []
    for story in sorted(truth, key=lambda s: (-truth[s], s)):
        best = max(groups, key=lambda g: sum(story_of(p) == story for p in g))
        inside = sum(story_of(p) == story for p in best)
        out = [p.name[:14] for g in groups if g is not best for p in g if story_of(p) == story]
        intruders = Counter(story_of(p) for p in best if story_of(p) != story)
        lines.append(
            f"{story:<11} purity {inside / len(best):.2f} ({inside}/{len(best)}), completeness "
            f"{inside / truth[story]:.2f} ({inside}/{truth[story]})"
            + (f"; left out: {', '.join(out)}" if out else "")
            + (
                "; with " + ", ".join(f"{k} ({v})" for k, v in intruders.items())
                if intruders
                else ""
            )
        )
    return lines


if __name__ == "__main__":
    sys.exit(main())
