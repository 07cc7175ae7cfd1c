"""Cleaning, sentence splitting and fact extraction in linear time on hostile lines.

A scrape can hold one enormous line: a hash repeated ("1a1a...1a_z"), a cookie banner glued
together ("cookie.cookie..."), a paragraph with no line breaks, runs of dots, quotes, digits,
abbreviations or e-mail-like text. Each case is built at 10 KB, 100 KB and 1 MB and run through
the text cleaner, the Markdown cleaner, the sentence splitter and the sentence facts (numbers,
dates, speakers); the time per byte at 1 MB over that at 10 KB must stay within 2x (PASS),
where a quadratic rule would give about 100x. Time is this process's CPU time, and each size
is run over about the same volume (30 copies of 10 KB, 3 of 100 KB, one of 1 MB): on a shared
machine, wall-clock time of one short run says more about the neighbours than the code.

    python bench/adversarial.py                  # every step and case, 10 KB to 1 MB (long)
    python bench/adversarial.py --quick          # 10 KB to 100 KB
    python bench/adversarial.py "split sentences"   # one step (or several, by name)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path; drop it before importing.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from newsalign.corpus.align.facts import fact_spans  # noqa: E402
from newsalign.corpus.ingest.clean import clean_text
from newsalign.corpus.ingest.markup import clean_markdown  # noqa: E402
from newsalign.corpus.ingest.segment import split_sentences  # noqa: E402

STORIES = Path(__file__).resolve().parents[1].parent / "shared" / "stories"


def _prose() -> str:
    files = sorted(STORIES.glob("*/*-en*.txt"))[:6]
    return " ".join(" ".join(f.read_text(encoding="utf-8").split()) for f in files)


def _repeat(unit: str, tail: str = "") -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[: n - len(tail)] + tail


def cases() -> dict[str, Callable[[int], str]]:
    prose = _prose()
    lines = [line for f in sorted(STORIES.glob("*/*.txt")) for line in f.read_text().splitlines()]
    article = "\n".join(lines)
    return {
        "prose, one line": _repeat(prose + " "),
        "prose, as written": _repeat(article + "\n"),
        "hex 1a1a..._z": _repeat("1a", "_z"),
        "cookie.cookie.": _repeat("cookie."),
        "Xx. Xx. ": _repeat("Xx. "),
        "dots ....": _repeat("."),
        'quotes """"': _repeat('"'),
        "quoted „a.“ b. ": _repeat("„a.“ b. "),
        "digits 1111": _repeat("1"),
        "ordinals 1. 2. ": _repeat("1. "),
        "dates 5. May 5. ": _repeat("5. May 5. "),
        "abbreviations Dr. ": _repeat("Dr. "),
        "z. B. z. B. ": _repeat("z. B. "),
        "e-mail a.b@c": _repeat("a.b@c"),
        "e-mail aaaa@": lambda n: "a" * (n - 1) + "@",
        "capitals AaAa": _repeat("Aa"),
        "by xxxx": lambda n: "by " + "x" * (n - 3),
        "breadcrumb a > b ": _repeat("a > b "),
        "markdown ![": _repeat("!["),
        "markdown [a](": _repeat("[a]("),
        "foreign-agent label": _repeat("распространен"),
    }


STEPS: dict[str, Callable[[str], object]] = {
    "clean text": clean_text,
    "clean markdown": clean_markdown,
    "split sentences": split_sentences,
    "sentence facts": lambda text: fact_spans(text, "en"),
}


def per_byte(step: Callable[[str], object], text: str) -> float:
    copies = max(1, 300_000 // len(text))
    start = time.process_time()
    for _ in range(copies):
        step(text)
    return (time.process_time() - start) / (copies * len(text.encode("utf-8")))


def main() -> int:
    sizes = [10_000, 100_000] if "--quick" in sys.argv else [10_000, 100_000, 1_000_000]
    failed = 0
    header = "".join(f"{f'{s // 1000} KB':>11}" for s in sizes)
    print(f"{'step':16} {'case':22}{header}  (µs per byte)  ratio")
    chosen = [a for a in sys.argv[1:] if not a.startswith("--")] or list(STEPS)
    for step_name, step in ((name, STEPS[name]) for name in chosen):
        for case_name, make in cases().items():
            times = [per_byte(step, make(size)) for size in sizes]
            ratio = times[-1] / times[0]
            verdict = "PASS" if ratio <= 2 else "FAIL"
            failed += verdict == "FAIL"
            cells = "".join(f"{t * 1e6:11.3f}" for t in times)
            print(f"{step_name:16} {case_name:22}{cells}  {ratio:13.2f}  {verdict}", flush=True)
    print("all flat" if not failed else f"{failed} case(s) not flat")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
