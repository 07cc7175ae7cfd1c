"""`newsalign translate` end to end against raw CTranslate2, on a base-size random model.

Generates a Transformer-base model with random weights (6+6 layers, d_model 512, FFN 2048,
8 heads, vocabulary ~8000, int8) and a SentencePiece model trained on the shared WMT21 lines,
packaged as an .argosmodel. Random weights choose output lengths arbitrarily, so both sides
decode exactly --length tokens per sentence (min = max decoding length).

Targets: end to end >= 0.85x the raw engine's sentences/s; a re-run with everything cached
<= 2% of the first run's time.

    python bench/translate.py [--sentences 1000] [--length 32]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name shadows the translate
# package; drop it before importing.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "wmt21-newstest-de-en"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--length", type=int, default=32)
    parser.add_argument("--beam-size", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()

    from newsalign.translate.devmodel import build_package

    german = (SHARED / "newstest2021.de-en.src.de").read_text(encoding="utf-8").splitlines()
    english = (SHARED / "newstest2021.de-en.ref.A.en").read_text(encoding="utf-8").splitlines()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        env = {**os.environ, "ARGOS_PACKAGES_DIR": str(tmp_path / "packages")}
        start = time.perf_counter()
        package = build_package(
            tmp_path / "base.argosmodel",
            training_lines=german + english,
            vocab_size=8000,
            layers=6,
            d_model=512,
            heads=8,
            ffn=2048,
        )
        print(f"built a base-size random model in {time.perf_counter() - start:.0f} s")
        cli = [sys.executable, "-m", "newsalign.corpus.cli"]
        db = tmp_path / "bench.db"
        subprocess.run(
            [*cli, "models", "install", str(package)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        article = tmp_path / "wmt.txt"
        article.write_text("\n\n".join(german[: args.sentences]) + "\n", encoding="utf-8")
        subprocess.run(
            [*cli, "ingest", str(article), "--db", str(db), "--langs", "de,en"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        conn = sqlite3.connect(db)
        texts = [
            r[0]
            for r in conn.execute(
                "SELECT text FROM segments WHERE kind != 'boilerplate' AND lang = 'de' ORDER BY id"
            )
        ]
        conn.close()

        settings = [
            "--beam-size",
            str(args.beam_size),
            "--batch-size",
            str(args.batch_size),
            "--min-decoding-length",
            str(args.length),
            "--max-decoding-length",
            str(args.length),
        ]
        start = time.perf_counter()
        subprocess.run(
            [*cli, "translate", "--db", str(db), "--no-protect", *settings],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        first = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run(
            [*cli, "translate", "--db", str(db), "--no-protect", *settings],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        cached = time.perf_counter() - start

        import ctranslate2
        import sentencepiece as spm

        installed = next((tmp_path / "packages").iterdir())
        sp = spm.SentencePieceProcessor(model_file=str(installed / "sentencepiece.model"))
        translator = ctranslate2.Translator(
            str(installed / "model"), device="cpu", compute_type="int8"
        )
        tokens = sp.encode(texts, out_type=str)
        start = time.perf_counter()
        translator.translate_batch(
            tokens,
            beam_size=args.beam_size,
            max_batch_size=args.batch_size,
            min_decoding_length=args.length,
            max_decoding_length=args.length,
        )
        raw = time.perf_counter() - start

    n = len(texts)
    ratio = (n / first) / (n / raw)
    cache_share = cached / first
    print(f"sentences:               {n} German segments, {args.length} output tokens each")
    print(f"raw translate_batch:     {raw:.1f} s, {n / raw:.1f} sentences/s")
    print(
        f"newsalign translate:     {first:.1f} s, {n / first:.1f} sentences/s (end to end, "
        "process start, model load and storage included)"
    )
    print(
        f"ratio end-to-end / raw:  {ratio:.2f}x  target >= 0.85x: {'PASS' if ratio >= 0.85 else 'FAIL'}"
    )
    print(
        f"cached re-run:           {cached:.2f} s = {cache_share:.1%} of the first run  "
        f"target <= 2%: {'PASS' if cache_share <= 0.02 else 'FAIL'}"
    )
    return 0 if ratio >= 0.85 and cache_share <= 0.02 else 1


if __name__ == "__main__":
    sys.exit(main())
