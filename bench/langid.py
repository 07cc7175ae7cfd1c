"""Language-identification accuracy on ../shared/eval/langid/ (1,000 lines per language and kind).

Prints, for sentences and word pairs:
- unrestricted, every language of the folder (12: af az da de en fr hy ka nl ru tr uk), per
  language and the mean, for the detector as shipped and for langdetect alone (the baseline, as
  the product was first built);
- restricted to {de, en}, German and English lines.
Targets: unrestricted sentences >= 98 % mean and >= 95 % for each language; restricted
sentences >= 99.95 % and word pairs >= 95.0 % (what langdetect alone measured before the
completion); time per line against langdetect alone, measured in the same run.

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
RESTRICTED_TARGETS = {"sentences": 0.9995, "word-pairs": 0.95}
MEAN_TARGET, EACH_TARGET = 0.98, 0.95


def accuracy(detector: LanguageDetector, kind: str, langs: list[str]):
    """(accuracy per language, milliseconds per line)."""
    per_lang, lines_seen, seconds = {}, 0, 0.0
    for lang in langs:
        lines = (EVAL / kind / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
        detector.detect("warm up")  # loading models is not part of the per-line time
        start = time.perf_counter()
        ok = 0
        for line in lines:
            found = detector.detect(line)
            ok += found is not None and found.lang == lang
        seconds += time.perf_counter() - start
        per_lang[lang] = ok / len(lines)
        lines_seen += len(lines)
    return per_lang, seconds / lines_seen * 1000


def main() -> int:
    if not EVAL.is_dir():
        print(f"missing evaluation data: {EVAL}", file=sys.stderr)
        return 2
    failed = False
    every = sorted(p.stem for p in (EVAL / "sentences").glob("*.txt"))
    print(f"unrestricted, {len(every)} languages, 1,000 lines each")
    for kind in ("sentences", "word-pairs"):
        rows = {}
        for label, detector in (
            ("langdetect alone", LanguageDetector(None, complete=False)),
            ("newsalign", LanguageDetector(None)),
        ):
            rows[label] = accuracy(detector, kind, every)
        base_ms = rows["langdetect alone"][1]
        for label, (per_lang, ms) in rows.items():
            mean = sum(per_lang.values()) / len(per_lang)
            worst = min(per_lang, key=per_lang.__getitem__)
            line = (
                f"  {kind:<10} {label:<16} mean {mean:.2%}, lowest {worst} "
                f"{per_lang[worst]:.1%}, {ms:.2f} ms/line ({ms / base_ms:.2f}x langdetect)"
            )
            if label == "newsalign" and kind == "sentences":
                ok = mean >= MEAN_TARGET and per_lang[worst] >= EACH_TARGET
                failed |= not ok
                line += (
                    f"  target mean >= {MEAN_TARGET:.0%} and each >= {EACH_TARGET:.0%}: "
                    f"{'PASS' if ok else 'FAIL'}"
                )
            print(line)
            print("    " + "  ".join(f"{lang} {acc:.1%}" for lang, acc in per_lang.items()))
    print("restricted to {de, en}")
    for kind in ("sentences", "word-pairs"):
        for label, detector in (
            ("langdetect alone", LanguageDetector(["de", "en"], complete=False)),
            ("newsalign", LanguageDetector(["de", "en"])),
        ):
            per_lang, ms = accuracy(detector, kind, ["de", "en"])
            acc = sum(per_lang.values()) / 2
            line = (
                f"  {kind:<10} {label:<16} {acc:.2%} (de {per_lang['de']:.1%}, "
                f"en {per_lang['en']:.1%}), {ms:.2f} ms/line"
            )
            if label == "newsalign":
                ok = acc >= RESTRICTED_TARGETS[kind]
                failed |= not ok
                line += f"  target >= {RESTRICTED_TARGETS[kind]:.2%}: {'PASS' if ok else 'FAIL'}"
            print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
