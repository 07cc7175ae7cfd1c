"""Fit the two calibrated judgements and write corpus/align/weights.json.

- `claims` (same claim?): logistic regression over the pair evidence of corpus/align/pairs.py,
  on every cross-article pair of two labelled stories: ../shared/stories/withdrawal/ with its
  gold.tsv, and the seeds' story (seeds 000-002) with tests/fixtures/seeds_gold.tsv.
- `stories` (same story?): logistic regression over the document-pair evidence of
  corpus/align/stories.py, on candidate pairs of the documents of ../shared/stories/withdrawal/
  and ../shared/stories/consulate/, labelled by folder (each folder is one story).

Deterministic on one machine: the same data gives the same weights. `--check` fits and
compares with the shipped file instead of writing it (exit 1 if the data differs or the two
judge the fit's pairs differently; see `check`).

    python bench/fit_models.py [--check] [--cache DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

# bench/ has glossary.py and translate.py, named after the packages they measure; run as a
# script, this folder comes first on sys.path and would shadow those packages.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
WEIGHTS = ROOT / "corpus" / "align" / "weights.json"
# How far a fresh fit's probabilities on its own pairs may stray from the shipped model's (the
# last bits of embedding arithmetic), and the share of its pairs whose decision may flip.
MAX_GAP = 0.02
MAX_FLIPS = 0.001


def main() -> int:
    import numpy as np

    from newsalign.corpus.align import training
    from newsalign.corpus.align.bridge import Bridge
    from newsalign.corpus.align.gold import read_gold
    from newsalign.corpus.align.job.corpora import load_corpus
    from newsalign.corpus.align.job.setup import Settings, embedders_for

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped weights")
    parser.add_argument(
        "--bridge",
        action="store_true",
        help="fit the claims model with the German-English dictionary feature "
        "(measured not to pay on the withdrawal story: see the docs)",
    )
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "newsalign-bench"
    )
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    embedders = embedders_for(Settings())
    bridge = Bridge.load() if args.bridge else None
    if args.bridge and bridge is None:
        print("the Ding dictionary (trans-de-en) is not installed", file=sys.stderr)
        return 1
    features = training.CLAIM_FEATURES + ((training.BRIDGE_FEATURE,) if bridge else ())
    stories_dir = SHARED / "stories"

    withdrawal, w_paths = load_corpus(
        args.cache / "withdrawal.db", [stories_dir / "withdrawal"], embedders
    )
    seeds, s_paths = load_corpus(args.cache / "seeds.db", [SHARED / "seeds"], embedders)
    labelled = [
        (withdrawal.data, w_paths, stories_dir / "withdrawal" / "gold.tsv", None),
        (
            seeds.data,
            s_paths,
            ROOT / "tests" / "fixtures" / "seeds_gold.tsv",
            ("000", "001", "002"),
        ),
    ]
    rows_of = [
        [
            k
            for k, d in enumerate(data.docs)
            if keep is None or Path(paths[int(d)]).name.startswith(keep)
        ]
        for data, paths, _, keep in labelled
    ]
    priors = training.priors(
        [(data, rows) for (data, *_), rows in zip(labelled, rows_of, strict=True)]
    )
    parts = []
    for (data, paths, gold_path, _), rows in zip(labelled, rows_of, strict=True):
        edges = training.all_pairs(data, rows, features, bridge, priors)
        parts.append(training.label(edges, training.sentences(data, paths), read_gold(gold_path)))
    counts = {
        "pairs": int(sum(len(p.y) for p in parts)),
        "same_claim": int(sum(p.y.sum() for p in parts)),
    }
    claims = training.fit_claims(
        parts,
        about={
            "version": "claims-1",
            "fitted_on": "shared/stories/withdrawal (gold.tsv), seeds 000-002 (tests/fixtures/seeds_gold.tsv)",
            "bridge": "Ding trans-de-en" if bridge else "not used",
            **counts,
        },
    )
    claims = dataclasses.replace(claims, priors=priors)

    both, b_paths = load_corpus(
        args.cache / "two-stories.db",
        [stories_dir / "withdrawal", stories_dir / "consulate"],
        embedders,
    )
    docs = list(both.data.documents)
    story_of = {d.id: Path(b_paths[d.id]).parent.name for d in docs}
    _, _, X, y = training.document_pairs(docs, both.data.lead_vectors, story_of)
    story = training.fit_stories(
        X,
        y,
        about={
            "version": "stories-1",
            "fitted_on": "shared/stories/withdrawal and shared/stories/consulate: documents of one "
            "folder are one story",
            "pairs": int(len(y)),
            "same_story": int(y.sum()),
        },
    )
    text = (
        json.dumps(
            {"claims": claims.as_json(), "stories": story.as_json()}, indent=2, ensure_ascii=False
        )
        + "\n"
    )
    for name, model in (("claims", claims), ("stories", story)):
        print(
            f"{name}: "
            + ", ".join(f"{f} {w:+.3f}" for f, w in zip(model.features, model.weights, strict=True))
            + f", bias {model.bias:+.3f}  ({model.about})"
        )
    if args.check:
        return check(
            {"claims": (claims, np.vstack([part.edges.X for part in parts])), "stories": (story, X)}
        )
    WEIGHTS.write_text(text, encoding="utf-8")
    print(f"wrote {WEIGHTS.relative_to(ROOT)}")
    return 0


def check(fresh: dict) -> int:
    """Compare the shipped judgements with a fresh fit (name -> (model, the pairs it was fitted
    on)): the data must be the same (its counts), and the two models must judge those pairs
    alike. Embedding arithmetic differs in the last bits between CPUs and BLAS builds, which
    moves fitted weights by up to about 0.01 with no decision changed; a change in the data
    (cleaning, candidates, gold) changes the counts, and a real change of the fit moves the
    probabilities."""
    import numpy as np

    from newsalign.corpus.align.engine import THRESHOLD
    from newsalign.corpus.align.model import load_file

    if not WEIGHTS.exists():
        print("weights.json DIFFERS from a fresh fit: there is no weights.json")
        return 1
    shipped = dict(zip(("claims", "stories"), load_file(WEIGHTS), strict=True))
    same = True
    for name, (model, X) in fresh.items():
        old = shipped[name]
        counts = {
            k: v for k, v in model.about.items() if k in ("pairs", "same_claim", "same_story")
        }
        old_counts = {k: old.about.get(k) for k in counts}
        p_old, p_new = old.predict(X), model.predict(X)
        gap = float(np.abs(p_old - p_new).max()) if len(X) else 0.0
        flips = int(((p_old >= THRESHOLD) != (p_new >= THRESHOLD)).sum())
        ok = old.features == model.features and counts == old_counts
        ok = ok and gap <= MAX_GAP and flips <= MAX_FLIPS * len(X)
        print(
            f"{name}: data {counts} (shipped {old_counts}); on its {len(X)} pairs the largest "
            f"difference in probability is {gap:.4f}, {flips} decisions at {THRESHOLD} differ: "
            f"{'same' if ok else 'DIFFERENT'}"
        )
        same = same and ok
    print("weights.json matches a fresh fit" if same else "weights.json DIFFERS from a fresh fit")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
