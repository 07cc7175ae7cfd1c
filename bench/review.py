"""A person reviewing a story by claim screens, simulated: P, R, F1 and claim purity by the
number of screens answered.

The tool alone chooses each screen and the sentences on it (corpus/align/screens.py, by
expected pairs fixed, candidates ranked by the membership judgement that learns from every
answer); a simulated reader answers from a gold, as issue 28 specifies: the reader takes a
claim to mean the gold cluster of its label (where the label is in several, the one most of the
shown members share; a label in no cluster means nothing another article says), says yes to each
shown sentence in that cluster (`must` or `ok`) and no to the rest. Answers are applied as the
review applies them (corpus/align/claimreview.py). Printed after 0, 5, 10, 15 and 20 screens,
with the sentences judged so far; then the impure claims and the recall per gold claim.

Modes:

- default, withdrawal in process: the judgement is NOT fitted on withdrawal. Every pair's
  starting probability is the out-of-fold one of bench/stories.py (5 article groups; a pair is
  judged by a model fitted on the other groups' articles and the seeds' story, no bridge),
  exactly the "cross-validated, no bridge" row that bench/stories.py prints. `--splits N` runs
  N article-group splits (the first is bench/stories.py's) and prints each split's figures and
  their mean: one split's curve moves by a few points with the groups.
- `--pair-refit`: the measurement behind learner.py's choice of a sentence-to-claim judgement:
  the pair model's weights refitted (dedupe-style, shipped weights as the prior) on the pairs
  the screens' answers imply, scored on the pairs nobody judged (AUC and log-loss against the
  gold), after 5, 10 and 20 screens; and a refit on every gold pair of the story (in sample),
  the most any such refit could give.
- `--timing [--folder DIR]`: the time from an answer to the next screen ready (claimreview.
  answer + next_screens), on a folder of the consulate story's size aligned as one story with
  the shipped model; the answers come from a stand-in reader (yes where the chance is at least
  one half) since that folder has no gold here. Also the time to score the story's pairs, which
  a new process must do before it can derive the screens.
- `--cli [--folder DIR --gold PATH]`: the same loop through the command line as a script would
  run it (`newsalign review --json --limit 1`, then `newsalign review answer --claim C --yes
  ID... --no ID...`, issue 28 item 5), on a fresh database with the shipped models (default:
  withdrawal and its gold). The shipped judgement has seen withdrawal (it was fitted on it), so
  its withdrawal curve is in sample; on a folder whose gold the model never saw, it is not.
  Also the median time from an answer to the next screen ready, through the command line;
  without `--gold`, only that, with a stand-in reader (yes where the chance is at least 0.5).

    python bench/review.py [--cache DIR] [--screens 20] [--splits 1] [--show 8]
                           [--set screens.MIN_CHANCE=0.25 ...] [--threshold 0.75]  (sensitivity)
    python bench/review.py --pair-refit
    python bench/review.py --timing [--folder ../shared/stories/consulate [--folder ...]]
    python bench/review.py --cli --folder ../shared/stories/consulate --gold PATH
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
STORIES = SHARED / "stories"
SEED_GOLD = ROOT / "tests" / "fixtures" / "seeds_gold.tsv"
CHECKPOINTS = (0, 5, 10, 15, 20)
TARGET_F1, TARGET_P, TARGET_PURITY, TARGET_SENTENCES = 0.80, 0.90, 0.90, 240


def _stories_bench():
    spec = importlib.util.spec_from_file_location("bench_stories", ROOT / "bench" / "stories.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reader(member: dict[int, dict[str, str]]):
    """The simulated reader of issue 28: (screen) -> (yes, no) sentence ids."""

    def answer(screen) -> tuple[list[int], list[int]]:
        meaning = set(member.get(screen.label, {}))
        if not meaning:
            return [], list(screen.judged)
        shown_members = (screen.label, *screen.confirmed, *screen.members)

        def shared(c: str) -> tuple[int, int, str]:
            return (
                sum(c in member.get(x, {}) for x in shown_members),
                sum(c in member.get(x, {}) for x in screen.judged),
                c,
            )

        cluster = max(sorted(meaning), key=shared)
        yes = [x for x in screen.judged if cluster in member.get(x, {})]
        return yes, [x for x in screen.judged if x not in yes]

    return answer


def simulate(story, answer, screens: int, checkpoints=CHECKPOINTS, ages=None):
    """The review loop: yields (screens answered, sentences judged, review state, the screen
    just answered or None) at the checkpoints and after every screen."""
    from newsalign.corpus.align import claimreview

    review = claimreview.derive(story, ages=ages)
    judged = 0
    yield 0, 0, review, None
    for done in range(1, screens + 1):
        shown = review.next_screens(limit=1)
        if not shown:
            return
        screen = shown[0]
        yes, no = answer(screen)
        review = claimreview.answer(review, screen.claim, yes, no)
        judged += len(screen.judged)
        yield done, judged, review, (screen, yes, no)


def line(screens: int, judged: int, ev, pure, pure_de_en) -> str:
    a, d = ev.all, ev.de_en
    return (
        f"  {screens:>3} screens {judged:>4} sentences  all: P {a.precision:.3f} "
        f"R {a.recall:.3f} F1 {a.f1:.3f} purity {pure.share:.3f} ({pure.pure}/{pure.claims}) | "
        f"de/en: P {d.precision:.3f} R {d.recall:.3f} F1 {d.f1:.3f} purity {pure_de_en.share:.3f}"
    )


def load_withdrawal(args):
    """Everything the in-process modes read: sentences, gold, labelled pairs and the seeds'."""
    from newsalign.corpus.align import training
    from newsalign.corpus.align.bridge import Bridge
    from newsalign.corpus.align.gold import memberships, read_gold
    from newsalign.corpus.align.job.corpora import load_corpus
    from newsalign.corpus.align.job.setup import Settings, embedders_for

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
    w_pairs = training.label(
        training.all_pairs(withdrawal.data, range(len(w_sent)), features, bridge, priors),
        w_sent,
        w_gold,
    )
    s_pairs = training.label(
        training.all_pairs(seeds.data, s_rows, features, bridge, priors), s_sent, s_gold
    )
    member, _ = memberships(w_gold, w_sent)
    cols = tuple(f for f in features if f != "bridge")  # bench/stories.py's shipped-features row
    return dict(
        withdrawal=withdrawal,
        sentences=w_sent,
        gold=w_gold,
        pairs=w_pairs,
        seeds=s_pairs,
        member=member,
        cols=cols,
    )


def review_story(w: dict, p0: np.ndarray, threshold: float = 0.5):
    """The withdrawal story as review reads it, with out-of-fold probabilities `p0` and the
    clustering's `threshold` (engine.THRESHOLD unless a sensitivity run says otherwise)."""
    from newsalign.corpus.align.claimset import ReviewStory

    edges = w["pairs"].edges
    cols = [edges.features.index(f) for f in w["cols"]]
    q = np.clip(p0, 1e-12, 1 - 1e-12)
    n = len(w["sentences"])
    return ReviewStory(
        tuple(range(n)),
        np.asarray(w["withdrawal"].data.docs),
        np.array([c.headline for c in w["withdrawal"].candidates]),
        edges.i,
        edges.j,
        edges.X[:, cols],
        np.log(q / (1 - q)),
        w["cols"],
        threshold,
    )


def in_process(args) -> int:
    from newsalign.corpus.align import engine
    from newsalign.corpus.align.gold import evaluate, purity

    bench = _stories_bench()
    w = load_withdrawal(args)
    by_id = {s.id: s for s in w["sentences"]}
    answer = reader(w["member"])
    print(
        f"withdrawal: {len(w['sentences'])} sentences, {len(w['pairs'].y)} pairs; starting "
        "probabilities out of fold (bench/stories.py, 5 article groups, no bridge); the "
        "simulated reader answers from gold.tsv; screens chosen by the tool alone"
    )
    finals, curves = [], []
    for split in range(args.splits):
        p0 = bench.grouped_cv(
            w["withdrawal"].data, w["pairs"], [w["seeds"]], w["cols"], engine.THRESHOLD, seed=split
        )
        story = review_story(w, p0, args.threshold or engine.THRESHOLD)
        detail = split == 0
        print(f"\narticle-group split {split}" + (" (bench/stories.py's)" if detail else ""))
        rows = {}
        for done, judged, review, step in simulate(story, answer, args.screens):
            if detail and step is not None:
                screen, yes, no = step
                text = w["sentences"][screen.label].text
                print(
                    f"    screen {done:>2}: claim {screen.claim:>3} ({len(screen.confirmed)} "
                    f"confirmed) {len(screen.members)} members + {len(screen.candidates)} "
                    f"candidates, expected gain {screen.gain:5.1f} pairs -> {len(yes)} yes, "
                    f"{len(no)} no | {text[:60]}"
                )
            if done in CHECKPOINTS or done == args.screens:
                clusters = [c.members for c in review.claims]
                ev = evaluate(w["gold"], by_id, clusters)
                pure = purity(w["gold"], by_id, clusters)
                rows[done] = (judged, ev, pure)
                print(
                    line(done, judged, ev, pure, purity(w["gold"], by_id, clusters, ("de", "en")))
                )
        final = rows[max(rows)]
        finals.append((max(rows), *final))
        curves.append(rows)
        if detail:
            judged, ev, pure = final
            ok = (
                ev.all.f1 >= TARGET_F1
                and ev.all.precision >= TARGET_P
                and pure.share >= TARGET_PURITY
                and judged <= TARGET_SENTENCES
            )
            print(
                f"  target after <= 20 screens and <= {TARGET_SENTENCES} sentences: F1 >= "
                f"{TARGET_F1}, P >= {TARGET_P}, purity >= {TARGET_PURITY}: "
                f"{'PASS' if ok else 'FAIL'}"
            )
            bench.show_impure(pure, w["gold"], by_id, args.show)
            show_recall(ev, w["member"], w["sentences"], args.show)
    if args.splits > 1:
        print(f"\nmean over {args.splits} splits:")
        for done in sorted(set.intersection(*(set(c) for c in curves))):
            at = [c[done] for c in curves]
            print(
                f"  {done:>3} screens {np.mean([j for j, _, _ in at]):6.1f} sentences  P "
                f"{np.mean([e.all.precision for _, e, _ in at]):.3f} R "
                f"{np.mean([e.all.recall for _, e, _ in at]):.3f} F1 "
                f"{np.mean([e.all.f1 for _, e, _ in at]):.3f} purity "
                f"{np.mean([u.share for _, _, u in at]):.3f} | de/en F1 "
                f"{np.mean([e.de_en.f1 for _, e, _ in at]):.3f}"
            )
        f1 = [ev.all.f1 for _, _, ev, _ in finals]
        p = [ev.all.precision for _, _, ev, _ in finals]
        pur = [pure.share for _, _, _, pure in finals]
        print(
            f"\nafter {finals[0][0]} screens over {args.splits} splits: F1 mean "
            f"{np.mean(f1):.3f} ({min(f1):.3f}-{max(f1):.3f}), P {np.mean(p):.3f} "
            f"({min(p):.3f}-{max(p):.3f}), purity {np.mean(pur):.3f} "
            f"({min(pur):.3f}-{max(pur):.3f})"
        )
    return 0


def show_recall(ev, member, sentences, limit: int) -> None:
    """Must pairs found per gold claim, the claims with most must pairs first."""
    if not limit:
        return
    musts: dict[str, list[int]] = defaultdict(list)
    for x, clusters in member.items():
        for c, strength in clusters.items():
            if strength == "must":
                musts[c].append(x)
    missed = set(ev.missed)
    totals, lost = Counter(), Counter()
    for c, xs in musts.items():
        for a, b in itertools.combinations(sorted(xs), 2):
            if sentences[a].file != sentences[b].file:
                totals[c] += 1
                lost[c] += (a, b) in missed
    print(
        "    must pairs found per gold claim: "
        + ", ".join(f"{c} {t - lost[c]}/{t}" for c, t in totals.most_common(limit * 2))
    )


def pair_refit(args) -> int:
    """learner.py's measurement: the pair weights refitted on the screens' implied pair labels."""
    from newsalign.corpus.align import claimset, engine

    bench = _stories_bench()
    w = load_withdrawal(args)
    p0 = bench.grouped_cv(
        w["withdrawal"].data, w["pairs"], [w["seeds"]], w["cols"], engine.THRESHOLD
    )
    story = review_story(w, p0)
    y = w["pairs"].y.astype(float)
    print(
        "pair model refitted on the screens' answers (offset logistic, shipped weights as the "
        "prior, l2 1.0), scored on the pairs no answer implies a label for:"
    )
    for done, _, review, _ in simulate(story, reader(w["member"]), 20):
        if done not in (5, 10, 20):
            continue
        k, labels, weight = implied_pairs(story, review.answers, claimset)
        delta = offset_fit(story.X[k], story.prior[k], labels, weight)
        refit = _sigmoid(story.prior + np.column_stack([story.X, np.ones(len(y))]) @ delta)
        rest = np.ones(len(y), dtype=bool)
        rest[k] = False
        print(
            f"  {done:>2} screens ({len(k)} pairs labelled): AUC {auc(story.p[rest], y[rest]):.3f}"
            f" -> {auc(refit[rest], y[rest]):.3f}, log-loss {logloss(story.p[rest], y[rest]):.4f}"
            f" -> {logloss(refit[rest], y[rest]):.4f}"
        )
    delta = offset_fit(story.X, story.prior, y, np.ones(len(y)))
    refit = _sigmoid(story.prior + np.column_stack([story.X, np.ones(len(y))]) @ delta)
    print(
        f"  every gold pair of the story (in sample, the most a refit can give): AUC "
        f"{auc(story.p, y):.4f} -> {auc(refit, y):.4f}, log-loss {logloss(story.p, y):.4f} "
        f"-> {logloss(refit, y):.4f}"
    )
    return 0


def implied_pairs(story, answers, claimset):
    """The pair labels a screen's answers imply: two confirmed members of one claim are the
    same claim (1); a sentence said no and a confirmed member are not (0, unless they share
    another claim); each judged sentence's pairs weigh 1 together."""
    where = {(int(a), int(b)): k for k, (a, b) in enumerate(zip(story.i, story.j, strict=True))}
    label: dict[int, int] = {}
    weight: dict[int, float] = defaultdict(float)
    for _, (yes, no) in sorted(claimset.verdicts(answers).items()):
        core = sorted(story.index[s] for s in yes)
        for x, same in [(x, 1) for x in core] + [(story.index[s], 0) for s in sorted(no)]:
            mates = [where[(min(x, c), max(x, c))] for c in core if (min(x, c), max(x, c)) in where]
            for k in mates:
                label[k] = max(label.get(k, 0), same)
                weight[k] += (0.5 if same else 1.0) / len(mates)
    keys = sorted(label)
    return (
        np.array(keys, dtype=int),
        np.array([label[k] for k in keys], dtype=float),
        np.array([weight[k] for k in keys]),
    )


def offset_fit(X, prior, y, weight, l2: float = 1.0) -> np.ndarray:
    """MAP weights and bias added to the log-odds `prior` (Newton, penalty l2 on all)."""
    Xb = np.column_stack([X, np.ones(len(X))])
    w = np.zeros(Xb.shape[1])
    for _ in range(50):
        q = _sigmoid(prior + Xb @ w)
        gradient = Xb.T @ (weight * (q - y)) + l2 * w
        hessian = (Xb * (weight * q * (1 - q))[:, None]).T @ Xb + l2 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return w


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def auc(score: np.ndarray, y: np.ndarray) -> float:
    order = np.argsort(score, kind="stable")
    ranks = np.empty(len(score))
    ranks[order] = np.arange(1, len(score) + 1)
    pos = y == 1
    return float((ranks[pos].sum() - pos.sum() * (pos.sum() + 1) / 2) / (pos.sum() * (~pos).sum()))


def logloss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def timing(args) -> int:
    """An answer applied and the next screen ready, on a folder aligned as one story."""
    from newsalign.corpus.align import claimreview, engine, training
    from newsalign.corpus.align.claimset import ReviewStory
    from newsalign.corpus.align.job.corpora import load_corpus
    from newsalign.corpus.align.job.setup import Settings, embedders_for
    from newsalign.corpus.align.model import shipped

    folders = args.folder or [STORIES / "consulate"]
    name = "+".join(f.name for f in folders)
    embedders = embedders_for(Settings())
    corpus, _ = load_corpus(args.cache / f"{name}.db", folders, embedders)
    model = shipped("claims")
    rows = range(len(corpus.candidates))
    start = time.perf_counter()
    edges = training.all_pairs(corpus.data, rows, model.features, None, model.priors)
    scoring = time.perf_counter() - start
    prior = model.logits(edges.X)
    n = len(corpus.candidates)
    start = time.perf_counter()
    story = ReviewStory(
        tuple(range(n)),
        np.asarray(corpus.data.docs),
        np.array([c.headline for c in corpus.candidates]),
        edges.i,
        edges.j,
        edges.X,
        prior,
        model.features,
        engine.THRESHOLD,
    )
    review = claimreview.derive(story)
    first = time.perf_counter() - start
    steps = []
    for _ in range(args.screens):
        shown = review.next_screens(limit=1)
        if not shown:
            break
        screen = shown[0]
        chance = dict(screen.chances)
        yes = [x for x in screen.judged if chance[x] >= 0.5]
        start = time.perf_counter()
        review = claimreview.answer(
            review, screen.claim, yes, [x for x in screen.judged if x not in yes]
        )
        review.next_screens(limit=1)
        steps.append(time.perf_counter() - start)
    load = os.getloadavg()[0]
    print(
        f"{name}: {len(set(corpus.data.docs.tolist()))} articles, {n} sentences, "
        f"{len(edges)} pairs as one story; load average {load:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"  scoring the story's pairs (a new process does this first): {scoring:.2f} s; "
        f"the story's proposals and first screens (no answers): {first:.2f} s"
    )
    print(
        f"  answer applied + next screen ready: median {statistics.median(steps):.2f} s, max "
        f"{max(steps):.2f} s over {len(steps)} screens (target <= 2 s median); median / "
        f"scoring = {statistics.median(steps) / scoring:.2f}"
    )
    return 0


class Shown:
    """A screen as the reader reads it, from `review --json`."""

    def __init__(self, data: dict) -> None:
        self.label, self.members = data["label"], tuple(data["members"])
        self.confirmed = tuple(data.get("confirmed", ()))
        self.judged = self.members + tuple(data["candidates"])
        self.chances = data.get("chances", {})


def stand_in(screen: Shown) -> tuple[list[int], list[int]]:
    """A reader for timing only (no gold): yes where the judgement's chance is at least 0.5."""
    yes = [x for x in screen.judged if screen.chances.get(str(x), 0) >= 0.5]
    return yes, [x for x in screen.judged if x not in yes]


def through_cli(args) -> int:
    """The loop through `newsalign review --json` and `newsalign review answer` (issue 28,
    item 5), for when the command line serves screens."""
    import sqlite3

    from typer.testing import CliRunner

    from newsalign.corpus.align.gold import Sentence, evaluate, memberships, purity, read_gold
    from newsalign.corpus.cli.app import app

    runner = CliRunner()
    db_path = args.db or Path(tempfile.mkdtemp(prefix="newsalign-review-")) / "corpus.db"

    def run(*argv: str) -> str:
        result = runner.invoke(app, [*argv, "--db", str(db_path)])
        if result.exit_code != 0:
            raise SystemExit(f"newsalign {' '.join(argv)} failed: {result.output}")
        return result.output

    if args.db is None:
        folder = args.folder[0]
        index = folder / "index.tsv"
        run("ingest", str(folder), *(["--manifest", str(index)] if index.exists() else []))
        run("align")
    con = sqlite3.connect(db_path)
    rows = con.execute(
        "SELECT s.id, d.path, s.lang, s.text FROM text_segments s "
        "JOIN documents d ON d.id = s.doc_id"
    ).fetchall()
    sentences = {
        sid: Sentence(sid, Path(path).name, lang or "?", text) for sid, path, lang, text in rows
    }
    gold = read_gold(args.gold) if args.gold is not None else None
    answer = reader(memberships(gold, sentences.values())[0]) if gold else stand_in

    def score(done: int, judged: int) -> None:
        if gold is None:
            return
        clusters: dict[int, list[int]] = defaultdict(list)
        for cid, sid in con.execute("SELECT cluster_id, segment_id FROM cluster_members"):
            clusters[cid].append(sid)
        ev = evaluate(gold, sentences, clusters.values())
        print(
            line(
                done,
                judged,
                ev,
                purity(gold, sentences, clusters.values()),
                purity(gold, sentences, clusters.values(), ("de", "en")),
            ),
            flush=True,
        )

    judged, waits, answered, first = 0, [], 0.0, 0.0
    score(0, 0)
    for done in range(1, args.screens + 1):
        start = time.perf_counter()
        screens = json.loads(run("review", "--json", "--limit", "1"))
        if done > 1:
            waits.append(answered + time.perf_counter() - start)
        else:
            first = time.perf_counter() - start
        if not screens:
            print(f"  no screen left after {done - 1} screens")
            break
        data = screens[0]
        yes, no = answer(Shown(data))
        start = time.perf_counter()
        run(
            "review",
            "answer",
            "--claim",
            str(data["claim"]),
            *[x for s in yes for x in ("--yes", str(s))],
            *[x for s in no for x in ("--no", str(s))],
        )
        answered = time.perf_counter() - start
        judged += len(yes) + len(no)
        if done in CHECKPOINTS:
            score(done, judged)
    if waits:
        stories = con.execute("SELECT count(*) FROM stories").fetchone()[0]
        print(
            f"  answer -> next screen ready: median {statistics.median(waits):.2f} s, max "
            f"{max(waits):.2f} s over {len(waits)} screens (target <= 2 s); the first screens "
            f"(before any answer, the baseline): {first:.2f} s, ratio "
            f"{statistics.median(waits) / first:.2f}; {len(sentences)} sentences, {stories} "
            f"{'story' if stories == 1 else 'stories'}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
    return 0


def override(assignment: str) -> None:
    """`module.NAME=value` for a numeric constant of the review modules (a sensitivity run)."""
    from newsalign.corpus.align import claimreview, learner, screens

    modules = {"learner": learner, "screens": screens, "claimreview": claimreview}
    target, _, value = assignment.partition("=")
    module, _, name = target.partition(".")
    if module not in modules or not hasattr(modules[module], name) or not value:
        raise SystemExit(f"--set {assignment}: expected learner|screens|claimreview.NAME=VALUE")
    kind = type(getattr(modules[module], name))
    setattr(modules[module], name, kind(float(value)))
    print(f"{module}.{name} = {getattr(modules[module], name)} (sensitivity run)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "newsalign-bench"
    )
    parser.add_argument("--screens", type=int, default=20)
    parser.add_argument("--splits", type=int, default=1, help="article-group splits to run")
    parser.add_argument("--show", type=int, default=8, help="impure claims and gold claims to list")
    parser.add_argument("--pair-refit", action="store_true", help="measure a pair-weight refit")
    parser.add_argument("--timing", action="store_true", help="time an answer -> next screen")
    parser.add_argument("--cli", action="store_true", help="run the loop through the CLI")
    parser.add_argument(
        "--folder",
        type=Path,
        action="append",
        help="story folder (with --timing, repeatable: one story; with --cli)",
    )
    parser.add_argument("--gold", type=Path, help="gold TSV (with --cli)")
    parser.add_argument("--db", type=Path, help="an already aligned database (with --cli)")
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="the proposals' clustering threshold (sensitivity; engine's: 0.5)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="MODULE.NAME=VALUE",
        help="change a constant of learner, screens or claimreview (sensitivity)",
    )
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    for assignment in args.set:
        override(assignment)
    if args.cli:
        if args.folder is None and args.db is None and args.gold is None:
            args.folder, args.gold = [STORIES / "withdrawal"], STORIES / "withdrawal" / "gold.tsv"
        if args.folder is None and args.db is None:
            parser.error("--cli needs --folder (or --db) with --gold; alone: withdrawal")
        return through_cli(args)
    if args.timing:
        return timing(args)
    if args.pair_refit:
        return pair_refit(args)
    return in_process(args)


if __name__ == "__main__":
    sys.exit(main())
