"""A person reviewing a story, simulated: F1 by the number of answers.

The tool alone chooses each question (corpus/align/asking.py); a simulated reviewer answers it
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
from functools import partial
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


def simulate(story, truth, evaluate, answers):
    """The review loop as `newsalign review` runs it (a review/protocol.py session) over a story
    held in memory (review/in_memory.py, fixed starting probabilities); `truth(a, b)` answers a
    question, `evaluate(clusters)` scores. Yields (answers so far, evaluation, kinds asked, the
    story's recalibration) at each checkpoint and at the end."""
    from newsalign.corpus.review.protocol import Session

    session = Session(story, story)
    while True:
        asked = len(session.marked)
        if asked in CHECKPOINTS:
            yield asked, evaluate(story.clusters), dict(story.kinds), story.state.platt
        if asked >= answers:
            return
        question = session.question
        if question is None:
            yield asked, evaluate(story.clusters), dict(story.kinds), story.state.platt
            return
        session.mark(truth(question.a, question.b))


def in_process(args) -> int:
    from newsalign.corpus.align import engine, training
    from newsalign.corpus.align.bridge import Bridge
    from newsalign.corpus.align.clustering import Scored
    from newsalign.corpus.align.gold import evaluate, memberships, read_gold
    from newsalign.corpus.align.job.corpora import load_corpus
    from newsalign.corpus.align.job.setup import Settings, embedders_for
    from newsalign.corpus.review.in_memory import InMemoryStory

    bench = _stories_bench()
    embedders = embedders_for(Settings())
    bridge = Bridge.load()
    features = training.CLAIM_FEATURES + ((training.BRIDGE_FEATURE,) if bridge else ())
    withdrawal, w_paths = load_corpus(
        args.cache / "withdrawal.db", [STORIES / "withdrawal"], embedders
    )
    seeds, s_paths = load_corpus(args.cache / "seeds.db", [SHARED / "seeds"], embedders)
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
        edges = w_pairs.edges
        story = InMemoryStory(len(w_sent), withdrawal.data.docs, Scored(edges.i, edges.j, p0),
                              engine.THRESHOLD, learn=learn)  # fmt: skip
        evaluated = partial(evaluate, w_gold, by_id)
        for asked, ev, kinds, platt in simulate(story, truth, evaluated, args.answers):
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
