"""Behaviour unchanged: one fixed sequence of commands on the shared stories and seeds, with
everything they store and show written to one canonical dump, to compare two versions of the
code byte for byte (a restructuring should change none of it).

Through the command line (in one process, so the sequence is the same whatever the library's
shape): both stories of ../shared/stories with their manifests, `align` (full); the seeds,
`align` (incremental); of the three strongest links kept for review, the first accepted, the
second rejected, the first sentence of the third detached and that undone; `align --full`.
After each step the alignment rows; at the end every story's `stories show --json`, every shared claim's `claims show --json` and
`claims diff --json`, `claims list`, `claims decisions`, the open review screens, `export
claims` and the HTML report. Timestamps and durations are replaced by placeholders. Real
engines: the vectors are embedded once and kept in `--vectors` (only vectors: every other
row is made by the run).

    python bench/identical.py OUT [--vectors FILE]    # then: cmp OUT-before OUT-after
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sqlite3
import sys
import tempfile
from pathlib import Path

# bench/ has glossary.py and translate.py, named after the packages they measure; run as a
# script, this folder comes first on sys.path and would shadow those packages.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TABLES = {
    "stories": "SELECT id, label, documents, sources, languages, first_published, "
    "last_published FROM stories ORDER BY id",
    "story_documents": "SELECT story_id, doc_id FROM story_documents ORDER BY story_id, doc_id",
    "clusters": "SELECT id, size, sources, languages, score, story_id FROM clusters ORDER BY id",
    "cluster_members": "SELECT cluster_id, segment_id, is_repeat, repeat_of FROM cluster_members "
    "ORDER BY cluster_id, segment_id",
    "alignments": "SELECT a_segment_id, b_segment_id, score, cosine, margin, contributions, "
    "method, threshold, accepted, cluster_id, evidence FROM alignments "
    "ORDER BY a_segment_id, b_segment_id",
    "claims": "SELECT segment_id, doc_id, source, lang, english, english_from, entities, facts, "
    "headline FROM claims ORDER BY segment_id",
    "decisions": "SELECT id, action, note FROM decisions ORDER BY id",
    "decision_pairs": "SELECT decision_id, link, a_doc_key, a_hash, b_doc_key, b_hash "
    "FROM decision_pairs ORDER BY decision_id, rowid",
    "id_marks": "SELECT name, last FROM id_marks ORDER BY name",
    "story_inputs": "SELECT story_id, fingerprint FROM story_inputs ORDER BY story_id",
    "document_leads": "SELECT doc_id, model, hex(lead) FROM document_leads ORDER BY doc_id, model",
    "document_dates": "SELECT id, published, published_from, published_inferred FROM documents "
    "ORDER BY id",
}
REVIEWABLE = (
    "SELECT a_segment_id, b_segment_id FROM alignments WHERE cluster_id IS NULL "
    "ORDER BY score DESC, a_segment_id, b_segment_id LIMIT 3"
)
# ISO timestamps, the report's "2024-06-01 12:00 UTC", durations, and how many vectors were
# embedded (none when --vectors has them).
TIMES = [
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?"), "<time>"),
    (re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC"), "<time>"),
    (re.compile(r'"seconds": [0-9.e-]+'), '"seconds": 0'),
    (re.compile(r'"embedded": \d+'), '"embedded": 0'),  # 0 with --vectors, else all
    (re.compile(r"\(\d+\.\d s\)"), "(0.0 s)"),
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path, help="the dump to write")
    parser.add_argument("--vectors", type=Path, help="a file keeping the sentence vectors")
    args = parser.parse_args()
    from typer.testing import CliRunner

    from newsalign.corpus.cli.app import app

    work = Path(tempfile.mkdtemp(prefix="identical-"))
    db = work / "corpus.db"
    lines: list[str] = []
    runner = CliRunner()

    def run(*argv: str) -> str:
        result = runner.invoke(app, [*argv, "--db", str(db)])
        if result.exit_code != 0:
            raise SystemExit(f"newsalign {' '.join(argv)} failed: {result.output}")
        return result.output

    def show(title: str, text: str) -> None:
        for pattern, placeholder in TIMES:
            text = pattern.sub(placeholder, text)
        lines.append(f"## {title}\n{text.rstrip()}\n")

    def tables(step: str) -> None:
        with sqlite3.connect(db) as conn:
            for name, sql in TABLES.items():
                rows = [json.dumps(list(row), ensure_ascii=False) for row in conn.execute(sql)]
                show(f"{step}: {name} ({len(rows)} rows)", "\n".join(rows))

    run("init")
    _vectors(db, args.vectors, load=True)
    for story in ("withdrawal", "consulate"):
        run("ingest", "--manifest", str(SHARED / "stories" / story / "index.tsv"))
    show("align (full)", run("align", "--json"))
    tables("first align")
    run("ingest", str(SHARED / "seeds"))
    show("align (incremental)", run("align", "--json"))
    tables("incremental align")
    # Three links a person would look at: the strongest kept for review (in no claim together).
    with sqlite3.connect(db) as conn:
        links = conn.execute(REVIEWABLE).fetchall()
    show("reviewable links", json.dumps(links))
    (yes, no, gone) = links[:3]
    show("accept", run("claims", "accept", str(yes[0]), str(yes[1]), "--json"))
    show("reject", run("claims", "reject", str(no[0]), str(no[1]), "--json"))
    detached = json.loads(run("claims", "detach", str(gone[0]), "--json"))
    show("detach", json.dumps(detached, ensure_ascii=False, indent=1))
    show("undo", run("claims", "undo", str(detached["decision"])))
    tables("decisions")
    show("align --full", run("align", "--full", "--json"))
    tables("full align")
    _vectors(db, args.vectors, load=False)
    show("stories", run("stories", "--json"))
    for story in json.loads(run("stories", "--json")):
        show(f"stories show {story['id']}", run("stories", "show", str(story["id"]), "--json"))
    show("claims list", run("claims", "list", "--json"))
    for claim in json.loads(run("claims", "list", "--json")):
        show(f"claims show {claim['id']}", run("claims", "show", str(claim["id"]), "--json"))
        show(f"claims diff {claim['id']}", run("claims", "diff", str(claim["id"]), "--json"))
    show("claims decisions", run("claims", "decisions", "--json"))
    show("review", run("review", "--json"))
    show("export claims", run("export", "claims"))
    show("report", run("report", "-o", "-"))
    text = "\n".join(lines)
    args.out.write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    print(f"{args.out}: {len(lines)} sections, {len(text):,} characters, sha256 {digest}")
    return 0


def _vectors(db: Path, keep: Path | None, *, load: bool) -> None:
    """Copy the sentence vectors from `keep` into the corpus (load) or back (not load)."""
    if keep is None or (load and not keep.exists()):
        return
    with sqlite3.connect(db if load else keep) as target:
        if not load:
            target.execute(
                "CREATE TABLE IF NOT EXISTS sentence_vectors (text_hash TEXT, "
                "model TEXT, dim INTEGER, vector BLOB, created_at TEXT, "
                "PRIMARY KEY (text_hash, model))"
            )
        target.execute("ATTACH DATABASE ? AS other", [str(keep if load else db)])
        target.execute(
            "INSERT OR IGNORE INTO main.sentence_vectors SELECT * FROM other.sentence_vectors"
        )
        target.commit()
        target.execute("DETACH DATABASE other")


if __name__ == "__main__":
    raise SystemExit(main())
