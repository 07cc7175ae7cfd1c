"""Ingest throughput against langdetect alone, and peak memory.

Builds 1,000 synthetic articles (~20 sentences each, half German, half English, from the shared
WMT21 and langid lines, with menu and cookie lines around them), ingests them with
`newsalign ingest` in a child process, then times plain langdetect on the same stored segments in
this process. langdetect is the floor: target total ingest time <= 1.5x langdetect alone, peak
RSS <= 500 MB.

    python bench/ingest.py [--docs 1000]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# bench/ has glossary.py and translate.py, named after the packages they measure; run as a
# script, this folder comes first on sys.path and would shadow those packages.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
JUNK = ["Home", "• Politics", "• Economy", "Sign in", "Search",
        "We use cookies to improve your experience. Accept all cookies.",
        "You Might Also Like", "Another story about the region", "© 2025 Example News"]  # fmt: skip


def lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def build(directory: Path, docs: int) -> None:
    rng = random.Random(0)
    wmt = SHARED / "wmt21-newstest-de-en"
    german = lines(wmt / "newstest2021.de-en.src.de") + lines(SHARED / "langid/sentences/de.txt")
    english = lines(wmt / "newstest2021.en-de.src.en") + lines(SHARED / "langid/sentences/en.txt")
    for n in range(docs):
        pool = german if n % 2 else english
        paragraphs = [
            " ".join(rng.choice(pool).rstrip(".") + "." for _ in range(5)) for _ in range(4)
        ]
        title = " ".join(rng.choice(pool).split()[:8]).rstrip(".,:;")
        text = "\n".join(JUNK[:5]) + f"\n\n{title}\n\n" + "\n\n".join(paragraphs)
        text += "\n\n" + "\n".join(JUNK[5:]) + "\n"
        (directory / f"article-{n:04d}.txt").write_text(text, encoding="utf-8")


def langdetect_alone(texts: list[str]) -> float:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    detect_langs("warm up the profiles")  # loading profiles is not part of the floor
    start = time.perf_counter()
    for text in texts:
        with contextlib.suppress(LangDetectException):
            detect_langs(text)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        articles = Path(tmp) / "articles"
        articles.mkdir()
        build(articles, args.docs)
        db = Path(tmp) / "bench.db"
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "newsalign.corpus.cli", "ingest", str(articles), "--db", str(db)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        ingest_seconds = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        conn = sqlite3.connect(db)
        texts = [
            r[0] for r in conn.execute("SELECT text FROM segments WHERE kind != 'boilerplate'")
        ]
        (documents,) = conn.execute("SELECT count(*) FROM documents").fetchone()
        conn.close()
    floor = langdetect_alone(texts)
    ratio = ingest_seconds / floor
    print(f"documents ingested:     {documents} ({len(texts)} title and body segments)")
    print(
        f"newsalign ingest:       {ingest_seconds:.1f} s, {documents / ingest_seconds:.1f} docs/s"
    )
    print(f"langdetect alone:       {floor:.1f} s, {documents / floor:.1f} docs/s (same segments)")
    print(
        f"ratio ingest/langdetect {ratio:.2f}x  target <= 1.50x: {'PASS' if ratio <= 1.5 else 'FAIL'}"
    )
    print(
        f"peak RSS of ingest:     {peak_mb:.0f} MB  target <= 500 MB: {'PASS' if peak_mb <= 500 else 'FAIL'}"
    )
    return 0 if ratio <= 1.5 and peak_mb <= 500 else 1


if __name__ == "__main__":
    sys.exit(main())
