"""Exports: claims as JSON lines or CSV, aligned pairs as TMX 1.4, the corpus as JSON lines.
Records are written as they come from the store's cursors, so memory stays flat. JSON keeps text
exact (what a terminal would act on escaped as \\uXXXX); CSV cells are cleaned as everything
people read is (no escape sequences, bidi overrides marked, no formulas)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

import sqlite_utils

from newsalign.corpus.store import exports
from newsalign.glossary import safetext
from newsalign.translate.memory_formats import normalize

Progress = Callable[[int, int], None]
CLAIM_CSV_COLUMNS = ("claim", "sources", "languages", "claim_score", "outlet", "language",
                     "original", "english", "names", "repeat_of")  # fmt: skip


def export_claims(
    db: sqlite_utils.Database,
    out: TextIO,
    fmt: str = "jsonl",
    min_sources: int = 2,
    on_progress: Progress | None = None,
) -> int:
    """Write claims as JSON lines (one cluster per line) or CSV (one member per row; text a
    spreadsheet would run as a formula is quoted). `on_progress(done, total)` follows the
    claims."""
    total = exports.count_claims(db, min_sources) if on_progress else 0
    count = 0
    writer = None
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CLAIM_CSV_COLUMNS)
    for record in exports.claim_records(db, min_sources):
        count += 1
        if on_progress:
            on_progress(count, total)
        if writer is None:
            out.write(safetext.json_escaped(json.dumps(record, ensure_ascii=False)) + "\n")
            continue
        for m in record["members"]:
            writer.writerow(
                safetext.shown_row(
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


# Bidi embeddings, overrides and isolates as XML character references: the same text to any XML
# reader, nothing a terminal reorders when the file is printed.
_BIDI_REFERENCES = {ord(c): f"&#x{ord(c):X};" for c in safetext.BIDI_CONTROLS}


def _xml_text(text: str) -> str:
    return escape(normalize(text)).translate(_BIDI_REFERENCES)


def export_tmx(
    db: sqlite_utils.Database,
    out: TextIO,
    source: str = "de",
    target: str = "en",
    on_progress: Progress | None = None,
) -> int:
    """Accepted alignments between a `source` and a `target` sentence, as TMX 1.4.
    `on_progress(done, total)` follows the pairs."""
    total = exports.count_aligned_pairs(db, source, target) if on_progress else 0
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
            out.write(f"      <tuv xml:lang={quoteattr(lang)}><seg>{_xml_text(text)}</seg></tuv>\n")
        out.write("    </tu>\n")
        count += 1
        if on_progress:
            on_progress(count, total)
    out.write("  </body>\n</tmx>\n")
    return count


def export_corpus(
    db: sqlite_utils.Database, out: TextIO, on_progress: Progress | None = None
) -> int:
    """Current documents, one per JSON line, with segments, languages, translations, mentions.
    `on_progress(done, total)` follows the documents."""
    total = exports.count_documents(db) if on_progress else 0
    count = 0
    for record in exports.document_records(db):
        out.write(safetext.json_escaped(json.dumps(record, ensure_ascii=False)) + "\n")
        count += 1
        if on_progress:
            on_progress(count, total)
    return count
