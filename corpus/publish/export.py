"""Exports that stream: records are written as rows come from SQLite, so memory stays flat."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO
from xml.sax.saxutils import escape, quoteattr

import sqlite_utils

from newsalign.translate.memory_formats import normalize

CLAIM_CSV_COLUMNS = ("claim", "sources", "languages", "claim_score", "outlet", "language",
                     "original", "english", "names", "repeat_of")  # fmt: skip


def _claim_records(db: sqlite_utils.Database, min_sources: int) -> Iterator[dict[str, Any]]:
    """One record per cluster with its members, cluster by cluster."""
    clusters = db.conn.execute(
        "SELECT id, sources, languages, score FROM clusters WHERE sources >= ? ORDER BY id",
        [min_sources],
    )
    for cluster_id, sources, languages, score in clusters:
        members = []
        for row in db.conn.execute(
            """
            SELECT m.segment_id, c.source, c.lang, s.text, c.english, m.repeat_of,
                   (SELECT group_concat(DISTINCT n.name || ' (' || mm.surface || ')')
                    FROM mentions mm JOIN names n ON n.id = mm.name_id
                    WHERE mm.segment_id = m.segment_id AND mm.translation_id IS NULL)
            FROM cluster_members m JOIN claims c ON c.segment_id = m.segment_id
            JOIN segments s ON s.id = m.segment_id
            WHERE m.cluster_id = ? ORDER BY c.source, m.segment_id
            """,
            [cluster_id],
        ):
            segment_id, outlet, lang, original, english, repeat_of, names = row
            members.append({"segment": segment_id, "outlet": outlet, "language": lang,
                            "original": original, "english": english,
                            "names": names.split(",") if names else [],
                            "repeat_of": repeat_of})  # fmt: skip
        yield {"claim": cluster_id, "sources": sources, "languages": languages.split(","),
               "score": score, "members": members}  # fmt: skip


def export_claims(
    db: sqlite_utils.Database, out: TextIO, fmt: str = "jsonl", min_sources: int = 2
) -> int:
    """Write claims as JSON lines (one cluster per line) or CSV (one member per row)."""
    count = 0
    writer = None
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CLAIM_CSV_COLUMNS)
    for record in _claim_records(db, min_sources):
        count += 1
        if writer is None:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            continue
        for m in record["members"]:
            writer.writerow([record["claim"], record["sources"], ",".join(record["languages"]),
                             record["score"], m["outlet"], m["language"], m["original"],
                             m["english"] or "", "; ".join(m["names"]), m["repeat_of"] or ""])  # fmt: skip
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
    rows = db.conn.execute(
        """
        SELECT sa.lang, sa.text, sb.lang, sb.text, l.score FROM alignments l
        JOIN segments sa ON sa.id = l.a_segment_id JOIN segments sb ON sb.id = l.b_segment_id
        WHERE l.accepted = 1 AND ((sa.lang = :s AND sb.lang = :t) OR (sa.lang = :t AND sb.lang = :s))
        ORDER BY l.id
        """,
        {"s": source, "t": target},
    )
    count = 0
    for lang_a, text_a, _, text_b, score in rows:
        src, tgt = (text_a, text_b) if lang_a == source else (text_b, text_a)
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
    documents = db.conn.execute(
        "SELECT id, source, title, published, lang, lang_prob, path, sha256, version, ingested_at "
        "FROM documents WHERE is_current = 1 ORDER BY id"
    )
    count = 0
    for doc_id, source, title, published, lang, prob, path, sha, version, ingested in documents:
        translations: dict[int, list[dict[str, Any]]] = {}
        for sid, target, text, model, backend in db.conn.execute(
            "SELECT t.segment_id, t.target_lang, t.text, t.model, t.backend FROM translations t "
            "JOIN segments s ON s.id = t.segment_id WHERE s.doc_id = ? ORDER BY t.id", [doc_id]
        ):  # fmt: skip
            translations.setdefault(sid, []).append(
                {"to": target, "text": text, "model": model, "backend": backend}
            )
        mentions: dict[int, list[dict[str, Any]]] = {}
        for sid, key, name, surface, start, end in db.conn.execute(
            'SELECT m.segment_id, e.key, n.name, m.surface, m.start, m."end" FROM mentions m '
            "JOIN entities e ON e.id = m.entity_id JOIN names n ON n.id = m.name_id "
            "WHERE m.segment_id IN (SELECT id FROM segments WHERE doc_id = ?) "
            "AND m.translation_id IS NULL ORDER BY m.segment_id, m.start", [doc_id]
        ):  # fmt: skip
            mentions.setdefault(sid, []).append(
                {"entity": key, "name": name, "surface": surface, "start": start, "end": end}
            )
        segments = [
            {"id": sid, "kind": kind, "text": text, "lang": slang, "lang_prob": sprob,
             "start": start, "end": end, "reason": reason,
             "translations": translations.get(sid, []), "mentions": mentions.get(sid, [])}
            for sid, kind, text, slang, sprob, start, end, reason in db.conn.execute(
                'SELECT id, kind, text, lang, lang_prob, start, "end", reason FROM segments '
                "WHERE doc_id = ? ORDER BY idx", [doc_id])
        ]  # fmt: skip
        out.write(json.dumps({"id": doc_id, "source": source, "title": title, "published": published,
                              "lang": lang, "lang_prob": prob, "path": path, "sha256": sha,
                              "version": version, "ingested_at": ingested, "segments": segments},
                             ensure_ascii=False) + "\n")  # fmt: skip
        count += 1
    return count
