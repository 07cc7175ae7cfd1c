"""Stories that grow: incremental assignment (corpus/align/growing.py) against the batch grouping
(corpus/align/grouping.py, what `align --full` does) on the two stories of ../shared/stories/ and the
seeds, ingested together, documents fed in date order (undated last). Both use the shipped
story model; the incremental run uses the corpus's centring and name rarity as the batch does.

Prints, for each folder and for all documents, the agreement on document pairs (same story in
both, or apart in both), and recall/precision of the incremental same-story pairs against the
batch's. Target (issue 21): agreement >= 95 % on both stories.

    python bench/grow.py [--cache DIR] [--window 7] [--neighbours 20]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

# bench/ has glossary.py and translate.py, named after the packages they measure; run as a
# script, this folder comes first on sys.path and would shadow those packages.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FOLDERS = [SHARED / "stories" / "withdrawal", SHARED / "stories" / "consulate", SHARED / "seeds"]


def main() -> int:
    from newsalign.corpus.align import grouping as batch
    from newsalign.corpus.align import growing as grow
    from newsalign.corpus.align.job.corpora import load_corpus
    from newsalign.corpus.align.job.setup import Settings, embedders_for
    from newsalign.corpus.align.model import shipped

    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "newsalign-bench"
    )
    parser.add_argument("--window", type=int, default=grow.WINDOW_DAYS)
    parser.add_argument("--neighbours", type=int, default=grow.NEIGHBOURS)
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    prepared, paths = load_corpus(args.cache / "mixed.db", FOLDERS, embedders_for(Settings()))
    docs, vectors, model = prepared.data.documents, prepared.data.lead_vectors, shipped("stories")
    n = len(docs)
    start = time.perf_counter()
    grouped = batch.group(docs, vectors, model)
    batch_seconds = time.perf_counter() - start

    a, b, X = batch.pair_features(docs, vectors)
    p = np.full((n, n), np.nan)
    lead = np.full((n, n), -1.0)
    p[a, b] = p[b, a] = model.predict(X) if len(X) else []
    lead[a, b] = lead[b, a] = X[:, 0]
    dates = [batch.parse_date(d.published) for d in docs]
    order = sorted(range(n), key=lambda k: (dates[k] is None, dates[k] or 0, docs[k].id))
    start = time.perf_counter()
    grown = grow.assign(order, dates, lead, p, window=args.window, k=args.neighbours)
    grow_seconds = time.perf_counter() - start
    print(
        f"{n} documents; batch grouping {len(grouped)} stories ({batch_seconds:.2f} s), "
        f"incremental {len(grown)} stories ({grow_seconds * 1000:.0f} ms for all assignments; "
        f"window {args.window} days, {args.neighbours} neighbours)"
    )
    folder_of = [Path(paths[d.id]).parent.name for d in docs]
    ok = True
    for name in ["withdrawal", "consulate", "seeds", None]:
        keep = [k for k in range(n) if name is None or folder_of[k] == name]
        index = {k: r for r, k in enumerate(keep)}

        def restrict(groups, index=index):
            return [[index[k] for k in g if k in index] for g in groups]

        m = grow.pair_agreement(len(keep), restrict(grouped), restrict(grown))
        target = name in ("withdrawal", "consulate")
        ok &= not target or m["agreement"] >= 0.95
        verdict = (
            f"  target >= 95%: {'PASS' if m['agreement'] >= 0.95 else 'FAIL'}" if target else ""
        )
        print(
            f"{name or 'all':<11} {len(keep):3} documents, {m['pairs']:5} pairs: agreement "
            f"{m['agreement']:.1%}, same-story recall {m['recall']:.1%}, precision "
            f"{m['precision']:.1%}{verdict}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
