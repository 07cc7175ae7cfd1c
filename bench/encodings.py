"""How often ingest reads text that is not UTF-8 in the right encoding.

Takes real text, encodes it in the legacy encodings its language is written in (Russian and
Ukrainian: cp1251 and KOI8-R; Turkish: cp1254; German, English, Spanish, French, Danish, Dutch,
Afrikaans: cp1252), and checks that `decode_bytes` gives back exactly the original text:
- the story pages of ../shared/stories/ (whole pages, and each paragraph alone): text the
  decoder's rules were not written against;
- random lines of ../shared/eval/langid/sentences/ (1, 3 and 10 lines): the lines the rules were
  refined on while they were written, so an optimistic figure.
Texts that do not fit the encoding, or are pure ASCII, are skipped (nothing to decide).
Baseline, measured in the same run: the former rule (every non-UTF-8 input read as cp1252).

    python bench/encodings.py
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

# bench/ has glossary.py and translate.py, named after the packages they measure; run as a
# script, this folder comes first on sys.path and would shadow those packages.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import contextlib

from newsalign.corpus.errors import InputError
from newsalign.corpus.ingest.decode import decode_bytes

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ENCODINGS = {"ru": ["cp1251", "koi8_r"], "uk": ["cp1251", "koi8_u"], "tr": ["cp1254"]}
WESTERN = ["cp1252"]


def samples():
    """(set, language, text) triples."""
    for folder in sorted((SHARED / "stories").iterdir()):
        index = folder / "index.tsv"
        if not index.exists():
            continue
        rows = [line.split("\t") for line in index.read_text(encoding="utf-8").splitlines()[1:]]
        for row in rows:
            text = (folder / row[0]).read_text(encoding="utf-8")
            yield "story pages", row[3], text
            for paragraph in text.split("\n"):
                if paragraph.strip():
                    yield "story paragraphs", row[3], paragraph
    rng = random.Random(0)
    for path in sorted((SHARED / "eval" / "langid" / "sentences").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for n in (1, 3, 10):
            for _ in range(100):
                yield (
                    "langid lines (rules refined on these)",
                    path.stem,
                    "\n".join(rng.sample(lines, n)),
                )


def main() -> int:
    results: Counter[tuple[str, str, str]] = Counter()
    for kind, lang, text in samples():
        for encoding in ENCODINGS.get(
            lang, WESTERN if lang in ("de", "en", "es", "fr", "da", "nl", "af") else []
        ):
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                continue
            if data.isascii():
                continue
            results[(kind, encoding, "total")] += 1
            try:
                decoded = decode_bytes(data)
                results[(kind, encoding, "right")] += decoded.text == text
            except InputError:
                results[(kind, encoding, "refused")] += 1
            with contextlib.suppress(UnicodeDecodeError):
                results[(kind, encoding, "baseline")] += data.decode("cp1252") == text
    kinds = sorted({k for k, _, _ in results})
    for kind in kinds:
        print(kind)
        for encoding in sorted({e for k, e, _ in results if k == kind}):
            total = results[(kind, encoding, "total")]
            right, refused = (
                results[(kind, encoding, "right")],
                results[(kind, encoding, "refused")],
            )
            base = results[(kind, encoding, "baseline")]
            print(
                f"  {encoding:<7} {right}/{total} read right ({right / total:.1%}), {refused} "
                f"refused; cp1252-only baseline {base / total:.1%}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
