"""Regression checks of the embeddings and the claim engine on parallel text (not the product's
task: that is bench/stories.py, on real multi-outlet news).

- WMT21: the German src.de, with the Facebook-AI system output as its English (what a
  translation-memory import of hyp.Facebook-AI.en gives each sentence), against the
  independent English reference B, shuffled among the 1000 English-original lines of the other
  direction as distractors: two "articles" of one story through the shipped claims model and
  the clustering. Gold: src.de line i = ref.B line i. Target F1 >= 0.97. Also without the
  system English (embeddings of the German itself).
- Tatoeba de-en: for each sentence, is the most probable partner (same claims model, all pairs
  of the two sides) its translation? Target >= 0.97.

    python bench/align_eval.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import numpy as np

# bench/ has glossary.py and translate.py, named after the packages they measure; run as a
# script, this folder comes first on sys.path and would shadow those packages.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def embed_all(embedders, texts):
    return {name: e.embed(texts) for name, e in embedders.items()}


def wmt(embedders) -> int:
    from newsalign.corpus.align import engine
    from newsalign.corpus.align.model import shipped

    d = EVAL / "wmt21-newstest-de-en"
    german = lines(d / "newstest2021.de-en.src.de")
    system = lines(d / "newstest2021.de-en.hyp.Facebook-AI.en")
    reference = lines(d / "newstest2021.de-en.ref.B.en")
    distractors = lines(d / "newstest2021.en-de.src.en")
    english = [(t, i) for i, t in enumerate(reference)] + [(t, None) for t in distractors]
    random.Random(0).shuffle(english)
    texts = german + [t for t, _ in english]
    docs = np.array([1] * len(german) + [2] * len(english))
    langs = tuple(["de"] * len(german) + ["en"] * len(english))
    start = time.perf_counter()
    views = embed_all(embedders, texts)
    first = next(iter(embedders.values()))
    system_vectors = first.embed(system)
    print(
        f"WMT21: {len(german)} German vs {len(reference)} references + {len(distractors)} "
        f"distractors; embedded in {time.perf_counter() - start:.0f} s"
    )
    gold = {(i, len(german) + j) for j, (_, i) in enumerate(english) if i is not None}
    failed = 0
    for label, eng, eng_vectors in (
        (
            "with system English",
            tuple(system + [t for t, _ in english]),
            np.vstack([system_vectors, views[next(iter(views))][len(german) :]]),
        ),
        ("embeddings only", tuple([None] * len(german) + [t for t, _ in english]), None),
    ):
        data = engine.AlignInput(docs, langs, tuple(texts), eng, views, eng_vectors)
        result = engine.align_claims(data, shipped("claims"), None)
        # One line of each side per claim; the lines joined as repeats of the same "article"
        # (these are 1000 unrelated lines, not an article) are not alignments.
        predicted = {
            tuple(sorted(m.index for m in c if m.repeat_of is None)) for c in result.clusters
        }
        tp = len(predicted & gold)
        precision, recall = tp / max(len(predicted), 1), tp / len(gold)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        line = f"  {label:<20} P {precision:.4f}  R {recall:.4f}  F1 {f1:.4f}"
        if label.startswith("with"):
            ok = f1 >= 0.97
            failed += not ok
            line += f"  target F1 >= 0.97: {'PASS' if ok else 'FAIL'}"
        print(line)
    return failed


def tatoeba(embedders) -> int:
    from newsalign.corpus.align import training
    from newsalign.corpus.align.engine import AlignInput
    from newsalign.corpus.align.model import shipped

    d = EVAL / "tatoeba-deu-eng"
    german, english = lines(d / "tatoeba.deu-eng.deu"), lines(d / "tatoeba.deu-eng.eng")
    texts = german + english
    n = len(german)
    data = AlignInput(
        np.array([1] * n + [2] * n),
        tuple(["de"] * n + ["en"] * n),
        tuple(texts),
        tuple([None] * n + english),
        embed_all(embedders, texts),
    )
    model = shipped("claims")
    edges = training.all_pairs(data, range(2 * n), model.features)
    p = model.predict(edges.X)
    P = np.zeros((n, n))
    P[edges.i, edges.j - n] = p
    truth = np.arange(n)
    de_en = float((P.argmax(axis=1) == truth).mean())
    en_de = float((P.argmax(axis=0) == truth).mean())
    mean = (de_en + en_de) / 2
    print(
        f"Tatoeba de-en ({n} pairs): top-1 de→en {de_en:.3f}, en→de {en_de:.3f}, "
        f"mean {mean:.3f}  target >= 0.97: {'PASS' if mean >= 0.97 else 'FAIL'}"
    )
    return int(mean < 0.97)


def main() -> int:
    from newsalign.corpus.align.job.setup import Settings, embedders_for

    embedders = embedders_for(Settings())
    failed = wmt(embedders)
    failed += tatoeba(embedders)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
