"""Ingest throughput on real pages, locally and on a local Dask cluster, and one 1 MB article.

- 450 pages: the two stories of ../shared/stories (45 scraped pages) ten times over, each copy
  made distinct by a first line, written to a temporary folder and ingested into a fresh
  corpus by `newsalign ingest` in a child process (start-up, model loading and every commit
  included), then again with `--cluster local:2` (the cluster's start included). Target: at
  least 100 pages/s both ways.
- The baseline, measured in the same run: langdetect alone (seeded, as ingest called it before
  py3langid went first) on every title and body sentence of 25 letters or more of the stored
  pages, the work the old ingest did for each page. Printed as a ratio, which machine load
  affects less than the pages/s.
- A 1 MB article on one line (German and English news sentences of the shared WMT21 and langid
  lines in turn, none repeated): target at most 10 s.

    python bench/ingest.py [--copies 10] [--skip-cluster]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# bench/ has glossary.py and translate.py, named after the packages they measure; run as a
# script, this folder comes first on sys.path and would shadow those packages.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
STORIES = ("withdrawal", "consulate")
PAGES_TARGET, LONG_TARGET = 100.0, 10.0


def write_pages(folder: Path, copies: int) -> int:
    """The stories' pages `copies` times, each copy's pages opened by a line naming the copy
    (so that no two pages have the same bytes). Returns how many pages were written."""
    count = 0
    for copy in range(copies):
        for story in STORIES:
            target = folder / f"copy{copy:02d}" / story
            target.mkdir(parents=True)
            for page in sorted((SHARED / "stories" / story).glob("*.txt")):
                text = page.read_text(encoding="utf-8")
                (target / page.name).write_text(f"Saved copy {copy + 1}\n{text}", encoding="utf-8")
                count += 1
    return count


def write_long_article(path: Path, size: int = 1_000_000) -> int:
    """One line of `size` bytes: German and English sentences in turn, none repeated."""
    eval_dir = SHARED / "eval"
    wmt = eval_dir / "wmt21-newstest-de-en"

    def lines(*names: Path) -> list[str]:
        return [
            line.strip()
            for p in names
            for line in p.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]

    german = lines(
        wmt / "newstest2021.de-en.src.de",
        wmt / "newstest2021.en-de.ref.A.de",
        eval_dir / "langid" / "sentences" / "de.txt",
    )
    english = lines(
        wmt / "newstest2021.en-de.src.en",
        wmt / "newstest2021.de-en.ref.A.en",
        wmt / "newstest2021.de-en.ref.B.en",
        wmt / "newstest2021.de-en.hyp.Facebook-AI.en",
        eval_dir / "langid" / "sentences" / "en.txt",
    )
    seen: set[str] = set()
    parts: list[str] = []
    used = 0
    for k in range(max(len(german), len(english))):
        for pool in (german, english):
            if k < len(pool) and pool[k] not in seen and used < size:
                seen.add(pool[k])
                sentence = pool[k].rstrip(".") + "."
                parts.append(sentence)
                used += len(sentence.encode("utf-8")) + 1
    data = " ".join(parts).encode("utf-8")[:size].decode("utf-8", "ignore")
    path.write_text(data + "\n", encoding="utf-8")
    return len(data.encode("utf-8"))


def timed_ingest(*args: str) -> tuple[float, float, float]:
    """(seconds, CPU seconds and peak RSS in MB of the command's own process) of `newsalign
    ingest ARGS`. The CPU seconds (user and system) vary less with the machine's load than the
    seconds do; a cluster's workers are not counted in them."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "newsalign.corpus.cli", "ingest", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    err = child.stderr.read().decode() if child.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"newsalign ingest {' '.join(args)} failed: {err.strip()}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def langdetect_alone(texts: list[str]) -> float:
    """Seconds for seeded langdetect on each text, profiles loaded beforehand."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    detect_langs("warm up the profiles")
    start = time.perf_counter()
    for text in texts:
        with contextlib.suppress(LangDetectException):
            detect_langs(text)
    return time.perf_counter() - start


def judged_sentences(db: Path, copy: str) -> list[str]:
    """Title and body segments of 25 letters or more of one copy's pages: what the old ingest
    ran langdetect on."""
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT s.text FROM segments s JOIN documents d ON d.id = s.doc_id "
        "WHERE s.kind != 'boilerplate' AND d.path LIKE ?",
        [f"%/{copy}/%"],
    ).fetchall()
    conn.close()
    return [t for (t,) in rows if sum(ch.isalpha() for ch in t) >= 25]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--skip-cluster", action="store_true")
    args = parser.parse_args()
    print(
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        f"({os.cpu_count()} cores)"
    )
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        pages = write_pages(folder, args.copies)
        runs = [("local", [])] + (
            [] if args.skip_cluster else [("--cluster local:2", ["--cluster", "local:2"])]
        )
        seconds = {}
        for label, extra in runs:
            db = Path(tmp) / f"{label.replace(' ', '_')}.db"
            seconds[label], cpu, peak = timed_ingest(str(folder), "--db", str(db), *extra)
            rate = pages / seconds[label]
            ok = rate >= PAGES_TARGET
            failed |= not ok
            print(
                f"{pages} pages, {label:<17} {seconds[label]:6.2f} s  {rate:6.1f} pages/s  "
                f"(CPU {cpu:.2f} s)  peak RSS {peak:.0f} MB  target >= {PAGES_TARGET:.0f} "
                f"pages/s: {'PASS' if ok else 'FAIL'}"
            )
        texts = judged_sentences(Path(tmp) / "local.db", "copy00")
        per_copy = langdetect_alone(texts)
        baseline = per_copy * args.copies
        print(
            f"baseline: langdetect alone on the {len(texts)} sentences of one copy "
            f"{per_copy:.2f} s, x{args.copies} = {baseline:.2f} s "
            f"({pages / baseline:.1f} pages/s)"
        )
        for label, value in seconds.items():
            print(f"  ingest {label} / langdetect alone: {value / baseline:.2f}x")
        long_path = Path(tmp) / "one-line.txt"
        size = write_long_article(long_path)
        long_seconds, cpu, peak = timed_ingest(str(long_path), "--db", str(Path(tmp) / "long.db"))
        ok = long_seconds <= LONG_TARGET
        failed |= not ok
        print(
            f"one article of {size:,} bytes on one line: {long_seconds:.2f} s (CPU "
            f"{cpu:.2f} s), peak RSS {peak:.0f} MB  target <= {LONG_TARGET:.0f} s: "
            f"{'PASS' if ok else 'FAIL'}"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
