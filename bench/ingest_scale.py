"""Ingest of a large folder in bounded memory: time and peak RSS at several sizes.

Writes generated articles (default up to 100,000) into a temporary folder, in subfolders of
1,000, and ingests the first N of them with `newsalign ingest` into a fresh corpus in a child
process, for each size N, printing the time, articles per second and the child's peak RSS.
Memory is flat when the peak at the largest size is within 1.2x the peak at the smallest
(the target; inputs are streamed, results printed as they come and not kept).

Each article is one language's (German and English most, then the other ten of the shared
langid lines), a title, four paragraphs of five sentences from the shared WMT21 and langid
lines, each sentence made distinct by the article's number (so that no detection is saved by
the detector's memory of texts it has seen), wrapped in menu, cookie and related-link lines;
one in ten opens with a dateline whose year is left to be inferred.

    python bench/ingest_scale.py [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# bench/ has glossary.py and translate.py, named after the packages they measure; run as a
# script, this folder comes first on sys.path and would shadow those packages.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
PER_FOLDER = 1000
FLAT = 1.2
JUNK_TOP = ["Home", "• Politics", "• Economy", "Sign in", "Search"]
JUNK_END = ["We use cookies to improve your experience. Accept all cookies.",
            "You Might Also Like", "Another story about the region", "© 2025 Example News"]  # fmt: skip
DATELINES = ["BAKU, 27 May –", "BERLIN, 3. Juni (dpa) -", "МОСКВА, 27 мая. /ТАСС/."]


def _lines(path: Path) -> list[str]:
    return [s.strip() for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]


def pools() -> list[list[str]]:
    """Sentences by language: German and English from WMT21 and langid, the others from
    langid; German and English weigh three times as much as each other language."""
    wmt = EVAL / "wmt21-newstest-de-en"
    langid = EVAL / "langid" / "sentences"
    german = _lines(wmt / "newstest2021.de-en.src.de") + _lines(langid / "de.txt")
    english = _lines(wmt / "newstest2021.en-de.src.en") + _lines(langid / "en.txt")
    others = [_lines(p) for p in sorted(langid.glob("*.txt")) if p.stem not in ("de", "en")]
    return [german] * 3 + [english] * 3 + others


def write_articles(folder: Path, count: int) -> None:
    rng = random.Random(0)
    languages = pools()
    for n in range(count):
        pool = languages[n % len(languages)]
        paragraphs = []
        for p in range(4):
            sentences = []
            for s in range(5):
                line = rng.choice(pool).rstrip(".")
                sentences.append(f"{line} ({n}.{p}.{s}).")
            paragraphs.append(" ".join(sentences))
        if n % 10 == 0:
            paragraphs[0] = f"{DATELINES[n % 3]} {paragraphs[0]}"
        title = " ".join(rng.choice(pool).split()[:8]).rstrip(".,:;") + f" {n}"
        text = "\n".join(JUNK_TOP) + f"\n\n{title}\n\n" + "\n\n".join(paragraphs)
        text += "\n\n" + "\n".join(JUNK_END) + "\n"
        sub = folder / f"part{n // PER_FOLDER:03d}"
        if n % PER_FOLDER == 0:
            sub.mkdir(parents=True)
        (sub / f"article-{n:06d}.txt").write_text(text, encoding="utf-8")


def timed_ingest(paths: list[Path], db: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of `newsalign ingest PATHS --db DB` in a child process."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "newsalign.corpus.cli", "ingest", *map(str, paths), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        err = child.stderr.read().decode() if child.stderr else ""
        raise SystemExit(f"ingest failed: {err.strip()}")
    return seconds, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="comma-separated numbers of articles, multiples of 1,000",
    )
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if any(s % PER_FOLDER for s in sizes):
        parser.error(f"sizes must be multiples of {PER_FOLDER}")
    print(
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        f"({os.cpu_count()} cores)"
    )
    peaks = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        start = time.perf_counter()
        write_articles(folder, sizes[-1])
        print(f"wrote {sizes[-1]:,} articles in {time.perf_counter() - start:.0f} s")
        for size in sizes:
            db = Path(tmp) / f"corpus-{size}.db"
            parts = [folder / f"part{k:03d}" for k in range(size // PER_FOLDER)]
            seconds, peak = timed_ingest(parts, db)
            peaks.append(peak)
            megabytes = db.stat().st_size / 2**20
            print(
                f"{size:>7,} articles: {seconds:7.1f} s, {size / seconds:6.1f} articles/s, "
                f"peak RSS {peak:5.0f} MB (corpus {megabytes:,.0f} MB)"
            )
            db.unlink()
            for side in ("-wal", "-shm"):
                Path(f"{db}{side}").unlink(missing_ok=True)
    ratio = peaks[-1] / peaks[0]
    ok = ratio <= FLAT
    print(
        f"peak RSS at {sizes[-1]:,} / at {sizes[0]:,}: {ratio:.2f}x  target <= {FLAT}x: "
        f"{'PASS' if ok else 'FAIL'}"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
