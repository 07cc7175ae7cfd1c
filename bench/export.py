"""Exports stream: peak memory stays flat from 10,000 to 100,000 segments.

Builds corpora of 10k and 100k body segments (documents of 20 sentences, each with a translation
and a mention; every second sentence aligned into a two-source claim), then runs
`newsalign export corpus`, `export claims` and `export tmx` in a child process each, printing
the child's peak RSS (VmHWM).

    python bench/export.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import sys
sys.argv = ["newsalign", *{args!r}]
from newsalign.corpus.cli.app import app
try:
    app()
except SystemExit:
    pass
# VmHWM belongs to this process image; ru_maxrss would carry over the parent's peak across exec.
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(int(hwm.split()[1]) // 1024, file=sys.stderr)
"""


def build(path: Path, segments: int) -> None:
    sys.path.insert(0, str(ROOT))
    from newsalign.corpus.store.database import now, open_db
    from newsalign.corpus.store.glossary import ensure_default
    from newsalign.glossary.textnorm import fold

    db = open_db(path, create=True)
    ensure_default(db)
    entity, name, spelling = db.execute(
        "SELECT n.entity_id, n.id, s.id FROM names n JOIN spellings s ON s.name_id = n.id LIMIT 1"
    ).fetchone()
    docs = segments // 20
    stamp = now()
    with db.atomic():
        for d in range(1, docs + 1):
            source, lang = ("Outlet A", "de") if d % 2 else ("Outlet B", "en")
            db.execute(
                "INSERT INTO documents (id, doc_key, version, source, lang, format, encoding, sha256, "
                "raw_chars, clean_chars, boilerplate_chars, text, ingested_at) "
                "VALUES (?, ?, 1, ?, ?, 'text', 'utf-8', ?, 0, 0, 0, '', ?)",
                [d, f"k{d}", source, lang, f"s{d}", stamp],
            )
        rows = []
        for i in range(segments):
            text = f"Sentence {i} about the railway to Khankendi, reported on Monday by the outlet."
            rows.append(
                (
                    i // 20 + 1,
                    i % 20,
                    "body",
                    text,
                    fold(text),
                    "de" if (i // 20) % 2 == 0 else "en",
                )
            )
        db.conn.executemany(
            "INSERT INTO segments (doc_id, idx, kind, text, search_text, lang) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
        ids = [r[0] for r in db.execute("SELECT id FROM segments ORDER BY id")]
        db.conn.executemany(
            "INSERT INTO translations (segment_id, target_lang, text, search_text, backend, model, path, "
            "glossary_version, names_mode, settings, terms, protection, created_at) "
            "VALUES (?, 'en', ?, '', 'tm', 'tm:bench', 'de>en', 1, 'source', '{}', '[]', '{}', ?)",
            [(sid, f"Translation {sid}", stamp) for sid in ids],
        )
        db.conn.executemany(
            "INSERT INTO mentions (segment_id, entity_id, name_id, spelling_id, surface, start, [end], "
            "glossary_version) VALUES (?, ?, ?, ?, 'Khankendi', 34, 43, 1)",
            [(sid, entity, name, spelling) for sid in ids],
        )
        db.conn.executemany(
            "INSERT INTO claims (segment_id, doc_id, source, lang, english, english_from, entities, facts) "
            "VALUES (?, ?, ?, ?, ?, 'translation', '[]', '{}')",
            [
                (sid, r[0], "Outlet A" if r[5] == "de" else "Outlet B", r[5], r[3])
                for sid, r in zip(ids, rows, strict=True)
            ],
        )
        for k in range(0, len(ids) - 20, 40):
            for j in range(0, 20, 2):
                a, b = ids[k + j], ids[k + 20 + j]
                cid = db.execute(
                    "INSERT INTO clusters (size, sources, languages, score) VALUES (2, 2, 'de,en', 1.2)"
                ).lastrowid
                db.conn.executemany(
                    "INSERT INTO cluster_members (cluster_id, segment_id) VALUES (?, ?)",
                    [(cid, a), (cid, b)],
                )
                db.execute(
                    "INSERT INTO alignments (a_segment_id, b_segment_id, score, cosine, margin, contributions, "
                    "method, threshold, accepted, cluster_id, created_at) VALUES (?, ?, 1.2, 0.9, 1.1, '{}', "
                    "'bench', 1.08, 1, ?, ?)",
                    [a, b, cid, stamp],
                )
    db.close()


def main() -> int:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in (10_000, 100_000):
            db = Path(tmp) / f"corpus-{size}.db"
            start = time.perf_counter()
            build(db, size)
            print(f"built {size} segments in {time.perf_counter() - start:.0f} s")
            for what in (["export", "corpus"], ["export", "claims"], ["export", "tmx"]):
                out = Path(tmp) / f"{size}-{what[1]}.out"
                start = time.perf_counter()
                child = subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        CHILD.format(args=[*what, "--db", str(db), "-o", str(out)]),
                    ],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                peak = int(child.stderr.strip().splitlines()[-1])
                results[size, what[1]] = peak
                print(
                    f"  {' '.join(what):<15} {size:>7} segments: {time.perf_counter() - start:5.1f} s, "
                    f"{out.stat().st_size / 1e6:6.1f} MB written, peak RSS {peak} MB"
                )
    worst = max(results[100_000, w] / results[10_000, w] for w in ("corpus", "claims", "tmx"))
    flat = worst <= 1.5
    print(
        f"peak RSS 100k / 10k, worst export: {worst:.2f}x  target: flat (<= 1.5x): {'PASS' if flat else 'FAIL'}"
    )
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
