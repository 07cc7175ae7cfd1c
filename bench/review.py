"""A person reviewing a story, simulated: F1 by the number of answers.

The tool alone chooses each question (corpus/align/review.py); a simulated reviewer answers it
from a gold (same claim if and only if the two sentences share a gold cluster, `must` or `ok`),
and the answer is applied as `newsalign review` applies it: the decision's pairs become
must/cannot constraints and the story's judgement is recalibrated on the answered pairs
(corpus/align/recalibrate.py). P, R and F1 (all languages, de/en) after 0, 10, 25, 50, 100
answers.

Two modes:

- default, withdrawal in process: the judgement is NOT fitted on withdrawal. Every pair's
  starting probability is the out-of-fold one of bench/stories.py (5 article groups; a pair is
  judged by a model fitted on the other groups' articles and the seeds' story), exactly the
  "cross-validated, no bridge" row that bench/stories.py prints; the loop then clusters and
  recalibrates as the engine does.
- `--cli --folder DIR --gold PATH`: any folder, the loop through the command line as a script
  would run it (`newsalign review --json --limit 1`, then `newsalign claims accept|reject A B`)
  on a fresh database with the shipped models, printing also the time from an answer to the
  next question being ready.

    python bench/review.py [--cache DIR] [--answers 100]
    python bench/review.py --cli --folder ../shared/stories/consulate --gold PATH [--answers 50]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
STORIES = SHARED / "stories"
SEED_GOLD = ROOT / "tests" / "fixtures" / "seeds_gold.tsv"
CHECKPOINTS = (0, 10, 25, 50, 100)


def _stories_bench():
    spec = importlib.util.spec_from_file_location("bench_stories", ROOT / "bench" / "stories.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def line(answers: int, ev, extra: str = "") -> str:
    a, d = ev.all, ev.de_en
    return (f"  {answers:>4} answers  all: P {a.precision:.3f} R {a.recall:.3f} F1 {a.f1:.3f} | "
            f"de/en: P {d.precision:.3f} R {d.recall:.3f} F1 {d.f1:.3f}{extra}")  # fmt: skip


def simulate(n, docs, i, j, p0, truth, evaluate, answers, threshold, learn=True):
    """The review loop on fixed starting probabilities; `truth(a, b)` answers a question,
    `evaluate(clusters)` scores. Yields (answers so far, evaluation, kinds asked)."""
    from newsalign.corpus.align import cluster, engine, recalibrate, review
    from newsalign.corpus.align.pairs import _top_per_sentence

    keep = p0 >= engine.FLOOR
    keep[keep] = _top_per_sentence(i[keep], j[keep], p0[keep], 40)
    i, j, p0 = i[keep], j[keep], p0[keep]
    position = {(int(a), int(b)): k for k, (a, b) in enumerate(zip(i, j, strict=True))}
    labels: dict[tuple[int, int], int] = {}
    must: list[tuple[int, int]] = []
    cannot: list[tuple[int, int]] = []
    kinds: dict[str, int] = {}
    asked = 0
    while True:
        known = [(position[k], y) for k, y in labels.items() if k in position]
        platt = recalibrate.fit(
            p0[[k for k, _ in known]],
            np.array([y for _, y in known]),
            prior=recalibrate.PRIOR if learn else float("inf"),
        )
        p = recalibrate.settle(platt.apply(p0), [k for k, _ in known], [y for _, y in known])
        members = cluster.claims(n, docs, i, j, p, threshold, overlap=engine.OVERLAP,
                                 must=must, cannot=cannot)  # fmt: skip
        clusters = [[m.index for m in g] for g in members]
        if asked in CHECKPOINTS:
            yield asked, evaluate(clusters), dict(kinds), platt
        if asked >= answers:
            return
        decided = {frozenset(k) for k in labels} | review.closure(must, cannot)
        ranked = review.rank(docs, i, j, p, clusters, threshold, decided)
        if not ranked:
            yield asked, evaluate(clusters), dict(kinds), platt
            return
        q = ranked[0]
        same = truth(q.a, q.b)
        pmap = {frozenset((int(a), int(b))): float(x) for a, b, x in zip(i, j, p, strict=True)}
        for link, x, y in review.answer_pairs(q.a, q.b, same, clusters, pmap):
            (must if link == "must" else cannot).append((x, y))
        labels[(min(q.a, q.b), max(q.a, q.b))] = int(same)
        kinds[q.kind] = kinds.get(q.kind, 0) + 1
        asked += 1


def in_process(args) -> int:
    from newsalign.corpus.align import engine, training
    from newsalign.corpus.align.bridge import Bridge
    from newsalign.corpus.align.gold import evaluate, memberships, read_gold
    from newsalign.corpus.align.run import Settings, embedders_for

    bench = _stories_bench()
    embedders = embedders_for(Settings())
    bridge = Bridge.load()
    features = training.CLAIM_FEATURES + ((training.BRIDGE_FEATURE,) if bridge else ())
    withdrawal, w_paths = training.load_corpus(
        args.cache / "withdrawal.db", [STORIES / "withdrawal"], embedders
    )
    seeds, s_paths = training.load_corpus(args.cache / "seeds.db", [SHARED / "seeds"], embedders)
    w_gold, s_gold = read_gold(STORIES / "withdrawal" / "gold.tsv"), read_gold(SEED_GOLD)
    w_sent = training.sentences(withdrawal.data, w_paths)
    s_sent = training.sentences(seeds.data, s_paths)
    s_rows = [k for k, s in enumerate(s_sent) if s.file.startswith(("000", "001", "002"))]
    priors = training.priors([(withdrawal.data, range(len(w_sent))), (seeds.data, s_rows)])
    w_pairs = training.label(training.all_pairs(withdrawal.data, range(len(w_sent)), features,
                                                bridge, priors), w_sent, w_gold)  # fmt: skip
    s_pairs = training.label(
        training.all_pairs(seeds.data, s_rows, features, bridge, priors), s_sent, s_gold
    )
    cols = tuple(f for f in features if f != "bridge")  # bench/stories.py's shipped-features row
    p0 = bench.grouped_cv(withdrawal.data, w_pairs, [s_pairs], cols, engine.THRESHOLD)
    member, _ = memberships(w_gold, w_sent)
    by_id = {s.id: s for s in w_sent}

    def truth(a: int, b: int) -> bool:
        return bool(set(member.get(a, {})) & set(member.get(b, {})))

    print(f"withdrawal: {len(w_sent)} claims, {len(w_pairs.y)} pairs; starting probabilities "
          "out of fold (bench/stories.py, 5 article groups, no bridge); simulated reviewer "
          "answers from gold.tsv")  # fmt: skip
    for learn in (True, False):
        print("the tool (answers as decisions, and the story recalibrated on them):" if learn
              else "for comparison, answers as decisions only (no recalibration):")  # fmt: skip
        for asked, ev, kinds, platt in simulate(
            len(w_sent), withdrawal.data.docs, w_pairs.edges.i, w_pairs.edges.j, p0, truth,
            lambda cl: evaluate(w_gold, by_id, cl), args.answers, engine.THRESHOLD, learn,
        ):  # fmt: skip
            print(line(asked, ev, f"  (shift {platt.shift:+.2f}; asked {kinds})"))
    return 0


def through_cli(args) -> int:
    from typer.testing import CliRunner

    from newsalign.corpus.align.gold import Sentence, evaluate, memberships, read_gold
    from newsalign.corpus.cli.app import app

    runner = CliRunner()
    db_path = args.db or Path(tempfile.mkdtemp(prefix="newsalign-review-")) / "corpus.db"

    def run(*argv: str) -> str:
        result = runner.invoke(app, [*argv, "--db", str(db_path)])
        if result.exit_code != 0:
            raise SystemExit(f"newsalign {' '.join(argv)} failed: {result.output}")
        return result.output

    if args.db is None:
        index = args.folder / "index.tsv"
        start = time.perf_counter()
        run("ingest", str(args.folder), *(["--manifest", str(index)] if index.exists() else []))
        run("align")
        print(f"ingested and aligned {args.folder} in {time.perf_counter() - start:.0f} s")
    gold = read_gold(args.gold)
    import sqlite3

    con = sqlite3.connect(db_path)
    rows = con.execute(
        "SELECT s.id, d.path, s.lang, s.text FROM text_segments s JOIN documents d "
        "ON d.id = s.doc_id"
    ).fetchall()
    sentences = {sid: Sentence(sid, Path(path).name, lang or "?", text)
                 for sid, path, lang, text in rows}  # fmt: skip
    member, _ = memberships(gold, sentences.values())

    def score():
        clusters: dict[int, list[int]] = {}
        for cid, sid in con.execute("SELECT cluster_id, segment_id FROM cluster_members"):
            clusters.setdefault(cid, []).append(sid)
        return evaluate(gold, sentences, clusters.values())

    waits, cpu, answered, answered_cpu = [], [], 0.0, 0.0
    for asked in range(args.answers + 1):
        if asked in CHECKPOINTS:
            print(line(asked, score()), flush=True)
        if asked == args.answers:
            break
        start, start_cpu = time.perf_counter(), time.process_time()
        questions = json.loads(run("review", "--json", "--limit", "1"))
        if asked:
            waits.append(answered + time.perf_counter() - start)
            cpu.append(answered_cpu + time.process_time() - start_cpu)
        if not questions:
            print(f"  nothing left worth asking after {asked} answers")
            print(line(asked, score()))
            break
        q = questions[0]
        same = bool(set(member.get(q["a"], {})) & set(member.get(q["b"], {})))
        start, start_cpu = time.perf_counter(), time.process_time()
        run("claims", "accept" if same else "reject", str(q["a"]), str(q["b"]))
        answered, answered_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    if waits:
        print(f"  answer -> next question ready: median {np.median(waits):.2f} s, "
              f"max {max(waits):.2f} s over {len(waits)} answers (target < 2 s); CPU time of "
              f"this process: median {np.median(cpu):.2f} s (the wall time on a busy machine "
              "includes waiting for a core)")  # fmt: skip
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "newsalign-bench"
    )
    parser.add_argument("--answers", type=int, default=100)
    parser.add_argument("--cli", action="store_true", help="run the loop through the CLI")
    parser.add_argument("--folder", type=Path, help="story folder (with --cli)")
    parser.add_argument("--gold", type=Path, help="gold TSV (with --cli)")
    parser.add_argument("--db", type=Path, help="an already aligned database (with --cli)")
    args = parser.parse_args()
    if args.cli:
        if args.gold is None or (args.folder is None and args.db is None):
            parser.error("--cli needs --gold and --folder (or --db)")
        return through_cli(args)
    args.cache.mkdir(parents=True, exist_ok=True)
    return in_process(args)


if __name__ == "__main__":
    sys.exit(main())
