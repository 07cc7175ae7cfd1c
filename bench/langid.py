"""Language-identification accuracy on ../shared/eval/langid/ for de and en.

Prints accuracy per file for candidates restricted to {de, en} and unrestricted.
Targets (restricted): sentences >= 99.5 %, word pairs >= 95 %.

    python bench/langid.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

# bench/ has glossary.py and translate.py, named after the packages they measure; run as a
# script, this folder comes first on sys.path and would shadow those packages.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from newsalign.translate.langid import LanguageDetector

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "langid"
TARGETS = {"sentences": 0.995, "word-pairs": 0.95}


def accuracy(detector: LanguageDetector, kind: str) -> tuple[float, dict[str, float], float]:
    per_lang, total, correct, seconds = {}, 0, 0, 0.0
    for lang in ("de", "en"):
        lines = (EVAL / kind / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
        start = time.perf_counter()
        ok = 0
        for line in lines:
            found = detector.detect(line)
            ok += found is not None and found.lang == lang
        seconds += time.perf_counter() - start
        per_lang[lang] = ok / len(lines)
        total += len(lines)
        correct += ok
    return correct / total, per_lang, seconds / total * 1000


def main() -> int:
    if not EVAL.is_dir():
        print(f"missing evaluation data: {EVAL}", file=sys.stderr)
        return 2
    failed = False
    for label, candidates in (("restricted {de,en}", ["de", "en"]), ("unrestricted", None)):
        detector = LanguageDetector(candidates)
        for kind in ("sentences", "word-pairs"):
            acc, per_lang, ms = accuracy(detector, kind)
            line = (
                f"{label:<19} {kind:<10} accuracy {acc:.2%} "
                f"(de {per_lang['de']:.1%}, en {per_lang['en']:.1%}), {ms:.2f} ms/line"
            )
            if candidates:
                ok = acc >= TARGETS[kind]
                failed |= not ok
                line += f"  target >= {TARGETS[kind]:.1%}: {'PASS' if ok else 'FAIL'}"
            print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
