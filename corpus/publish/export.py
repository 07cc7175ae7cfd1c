"""Exports: claims as JSON lines or CSV, aligned pairs as TMX 1.4, the corpus as JSON lines.
Records are written as they come from the store's cursors, so memory stays flat."""

from __future__ import annotations

import csv
import json
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

import sqlite_utils

from newsalign.corpus.store import exports
from newsalign.glossary import safetext
from newsalign.translate.memory_formats import normalize

CLAIM_CSV_COLUMNS = ("claim", "sources", "languages", "claim_score", "outlet", "language",
                     "original", "english", "names", "repeat_of")  # fmt: skip


def export_claims(
    db: sqlite_utils.Database, out: TextIO, fmt: str = "jsonl", min_sources: int = 2
) -> int:
    """Write claims as JSON lines (one cluster per line) or CSV (one member per row; text a
    spreadsheet would run as a formula is quoted)."""
    count = 0
    writer = None
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CLAIM_CSV_COLUMNS)
    for record in exports.claim_records(db, min_sources):
        count += 1
        if writer is None:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            continue
        for m in record["members"]:
            writer.writerow(
                safetext.csv_row(
                    [
                        record["claim"],
                        record["sources"],
                        ",".join(record["languages"]),
                        record["score"],
                        m["outlet"],
                        m["language"],
                        m["original"],
                        m["english"] or "",
                        "; ".join(m["names"]),
                        m["repeat_of"] or "",
                    ]
                )
            )
    return count


def export_tmx(
    db: sqlite_utils.Database, out: TextIO, source: str = "de", target: str = "en"
) -> int:
    """Accepted alignments between a `source` and a `target` sentence, as TMX 1.4."""
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
    out.write(
        f'  <header creationtool="newsalign" creationtoolversion="0.1" segtype="sentence" '
        f'o-tmf="newsalign" adminlang="en" srclang={quoteattr(source)} datatype="plaintext"/>\n'
        "  <body>\n"
    )
    count = 0
    for src, tgt, score in exports.aligned_pairs(db, source, target):
        out.write(f'    <tu>\n      <prop type="x-newsalign-score">{score}</prop>\n')
        for lang, text in ((source, src), (target, tgt)):
            out.write(
                f"      <tuv xml:lang={quoteattr(lang)}><seg>{escape(normalize(text))}</seg></tuv>\n"
            )
        out.write("    </tu>\n")
        count += 1
    out.write("  </body>\n</tmx>\n")
    return count


def export_corpus(db: sqlite_utils.Database, out: TextIO) -> int:
    """Current documents, one per JSON line, with segments, languages, translations, mentions."""
    count = 0
    for record in exports.document_records(db):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
