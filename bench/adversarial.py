"""Cleaning, sentence splitting and fact extraction in linear time on hostile lines and pages.

A scrape can hold one enormous line: a hash repeated ("1a1a...1a_z"), a cookie banner glued
together ("cookie.cookie..."), a paragraph with no line breaks, runs of dots, quotes, digits,
abbreviations or e-mail-like text. Each case is built at 10 KB, 100 KB and 1 MB and run through
the text cleaner, the Markdown cleaner, the sentence splitter, the sentence facts (numbers,
dates, speakers) and the citations (who an article names as its source); the time per byte at 1 MB over that at 10 KB must stay within 2x (PASS),
where a quadratic rule would give about 100x. Time is this process's CPU time, and each size
is run over about the same volume (30 copies of 10 KB, 3 of 100 KB, one of 1 MB): on a shared
machine, wall-clock time of one short run says more about the neighbours than the code.

The HTML cleaner ("clean html": the page unnested and split, trafilatura's extractor, the lines
it dropped kept) gets pages instead: links, <span>s or <b>s by the thousand in one paragraph,
a paragraph of prose full of links, unclosed <p>s, menus between paragraphs, nesting thousands
deep, tags hidden in quoted attributes. Each case runs once before it is timed, since the
extractor compiles patterns on its first page of a kind.

    python bench/adversarial.py                  # every step and case, 10 KB to 1 MB (long)
    python bench/adversarial.py --quick          # 10 KB to 100 KB
    python bench/adversarial.py "split sentences"   # one step (or several, by name)
    python bench/adversarial.py "clean html"        # the HTML pages
    python bench/adversarial.py "clean html" --case "<b>"   # the cases whose name holds "<b>"
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path; drop it before importing.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from newsalign.corpus.align.facts import fact_spans  # noqa: E402
from newsalign.corpus.ingest.cites import find_cites  # noqa: E402
from newsalign.corpus.ingest.clean import clean_text
from newsalign.corpus.ingest.markup import clean_html, clean_markdown  # noqa: E402
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
        # Issue 26.11: every "according to X" scanned the whole text again (quadratic).
        "according to X.": _repeat("The line reopened, according to Wirefeed.\n\n"),
        # Issue 26, fourth round: each capital after a hyphen or apostrophe, and each word of a
        # run of capitals, read the rest of the run again in the citation patterns.
        "hyphens Aa-Aa-": _repeat("Aa-"),
        "apostrophes Aa'Aa'": _repeat("Aa'"),
        "capitals MOSCOW ": _repeat("MOSCOW "),
    }


def _page(body: Callable[[int], str], article: bool = True) -> Callable[[int], str]:
    head = "<!DOCTYPE html><html><head><title>Rail line reopens</title></head><body>"
    head += "<article><h1>Rail line reopens</h1>" if article else ""
    tail = ("</article>" if article else "") + "</body></html>"
    return lambda n: head + body(max(n - len(head) - len(tail), 1)) + tail


def _units(unit: Callable[[int], str]) -> Callable[[int], str]:
    """Units numbered 0, 1, 2... until `n` characters, so no two links or lines are alike."""

    def make(n: int) -> str:
        out, size, k = [], 0, 0
        while size < n:
            out.append(unit(k))
            size += len(out[-1])
            k += 1
        return "".join(out)

    return make


def html_cases() -> dict[str, Callable[[int], str]]:
    words = _prose().split()

    def word(k: int) -> str:
        return words[k % len(words)]

    def sentence(k: int) -> str:
        return " ".join(word(k * 13 + j) for j in range(14)) + "."

    def linked(k: int) -> str:
        return f'<a href="https://example.org/{k}">{word(k)}</a> ' if k % 4 == 0 else f"{word(k)} "

    return {
        "links in one <p>": _page(
            lambda n: (
                "<p>"
                + _units(lambda k: f'<a href="https://example.org/{k}">{word(k)}</a> ')(n)
                + "</p>"
            )
        ),
        "prose full of links": _page(lambda n: "<p>" + _units(linked)(n) + "</p>"),
        "<span>s in one <p>": _page(
            lambda n: "<p>" + _units(lambda k: f"<span>{word(k)}</span> ")(n) + "</p>"
        ),
        "<b>s in one <p>": _page(
            lambda n: "<p>" + _units(lambda k: f"<b>{word(k)}</b> ")(n) + "</p>"
        ),
        "unclosed <p>s": _page(_units(lambda k: f"<p>{sentence(k)} ")),
        "unclosed short <p>s": _page(_units(lambda k: f"<p>{word(k)} {word(k + 1)} {k}. ")),
        "menus and paragraphs": _page(
            _units(
                lambda k: (
                    f"<p>{sentence(k)} {k}.</p>\n"
                    if k % 2
                    else f'<ul><li><a href="/{k}">Menu {k}</a></li></ul>\n'
                )
            )
        ),
        "paragraphs, no article": _page(_units(lambda k: f"<p>{sentence(k)}</p>\n"), article=False),
        "<div> nested deep": _page(
            lambda n: "<div>" * (n // 11) + f"<p>{sentence(1)}</p>" + "</div>" * (n // 11)
        ),
        "quoted <div> nested": _page(
            lambda n: (
                '<div title="<div>">' * (n // 25) + f"<p>{sentence(1)}</p>" + "</div>" * (n // 25)
            )
        ),
    }


STEPS: dict[str, Callable[[str], object]] = {
    "clean text": clean_text,
    "clean markdown": clean_markdown,
    "split sentences": split_sentences,
    "sentence facts": lambda text: fact_spans(text, "en"),
    "read citations": lambda text: find_cites(text.split("\n\n")),
    "clean html": clean_html,
}
# Steps that read pages rather than lines, and run once on each page before it is timed.
PAGES = {"clean html"}


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
    wanted = [sys.argv[k + 1] for k, a in enumerate(sys.argv[:-1]) if a == "--case"]
    named = [
        a
        for k, a in enumerate(sys.argv[1:], 1)
        if not a.startswith("--") and sys.argv[k - 1] != "--case"
    ]
    chosen = named or list(STEPS)
    for step_name, step in ((name, STEPS[name]) for name in chosen):
        for case_name, make in (html_cases() if step_name in PAGES else cases()).items():
            if wanted and not any(w in case_name for w in wanted):
                continue
            if step_name in PAGES:
                step(make(sizes[0]))  # the extractor's first page of a kind compiles patterns
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
