"""Documents in the database: storing a parsed document, finding one, statistics, summaries."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlite_utils

from newsalign.corpus.errors import CorpusError
from newsalign.corpus.store.database import now
from newsalign.corpus.store.mentions import insert_mentions
from newsalign.corpus.store.metadata import reapply
from newsalign.corpus.store.records import (
    BoilerplateCount,
    Characters,
    CorpusStats,
    Document,
    DocumentDetail,
    DocumentSummary,
    KindCount,
    LanguageCount,
    Paragraph,
    Segment,
    SegmentLanguageCount,
    SourceCount,
    from_row,
)
from newsalign.glossary.match import Matcher
from newsalign.glossary.textnorm import fold

if TYPE_CHECKING:
    from newsalign.corpus.ingest.parse import ParsedDocument


@dataclass(frozen=True)
class DocumentMeta:
    """What is known of a document besides its text: from a manifest, or an option."""

    url: str | None = None
    published: str | None = None
    language: str | None = None
    outlet_from: str | None = None  # manifest, option, html, page, file
    # Set when ingest dated the document itself (dating.py); else the manifest's date, if any.
    published_from: str | None = None  # manifest, html, front matter, page, dateline, url
    published_inferred: str | None = None  # 'year' when the year was inferred
    undated_day: str | None = None  # '--MM-DD' read without a year


def find_by_hash(db: sqlite_utils.Database, sha256: str) -> tuple[int, str] | None:
    """(id, doc_key) of the document with these raw bytes, if any."""
    row = db.execute("SELECT id, doc_key FROM documents WHERE sha256 = ?", [sha256]).fetchone()
    return (row[0], row[1]) if row else None


def relocatable(db: sqlite_utils.Database, doc_id: int, key: str) -> str | None:
    """The key of document `doc_id` if its file may have moved to `key`: it is the current
    version of a file, and no document has `key` yet (else the two files are two documents)."""
    row = db.execute("SELECT doc_key, is_current FROM documents WHERE id = ?", [doc_id]).fetchone()
    if row is None or not row[1] or not row[0].startswith("file:"):
        return None
    taken = db.execute("SELECT 1 FROM documents WHERE doc_key = ? LIMIT 1", [key]).fetchone()
    return None if taken else row[0]


def move(db: sqlite_utils.Database, old_key: str, key: str, path: str) -> None:
    """A file renamed or moved: its versions, metadata corrections, alignment decisions and
    claim-review answers follow it to `key`, and its current version records `path`. The caller holds the
    transaction."""
    db.execute(
        "UPDATE documents SET path = ? WHERE doc_key = ? AND is_current = 1", [path, old_key]
    )
    db.execute("UPDATE documents SET doc_key = ? WHERE doc_key = ?", [key, old_key])
    db.execute("UPDATE document_corrections SET doc_key = ? WHERE doc_key = ?", [key, old_key])
    db.execute("UPDATE decision_pairs SET a_doc_key = ? WHERE a_doc_key = ?", [key, old_key])
    db.execute("UPDATE decision_pairs SET b_doc_key = ? WHERE b_doc_key = ?", [key, old_key])
    for table, column in (
        ("review_answers", "label_doc_key"),
        ("review_answers", "doc_key"),
        ("review_screens", "label_doc_key"),
    ):
        db.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", [key, old_key])


def insert_document(
    db: sqlite_utils.Database,
    doc: ParsedDocument,
    *,
    key: str,
    path: str | None,
    source: str,
    sha256: str,
    run_id: int,
    names: Matcher,
    glossary_version: int,
    meta: DocumentMeta | None = None,
) -> tuple[int, int | None]:
    """Store a parsed document as the current version of `key`, with its paragraphs, segments
    and glossary mentions; the caller holds the transaction. Returns (id, previous id).
    `meta` (from a manifest or an option) overrides what the page said of itself."""
    meta = meta or DocumentMeta()
    previous = db.execute(
        "SELECT id, version FROM documents WHERE doc_key = ? AND is_current = 1", [key]
    ).fetchone()
    if previous:
        db.execute("UPDATE documents SET is_current = 0 WHERE id = ?", [previous[0]])
    doc_id = (
        db["documents"]
        .insert(
            {
                "doc_key": key,
                "version": previous[1] + 1 if previous else 1,
                "previous_id": previous[0] if previous else None,
                "is_current": 1,
                "path": path,
                "source": source,
                "title": doc.title,
                "published": meta.published or doc.published,
                "lang": meta.language or doc.lang,
                "lang_prob": 1.0 if meta.language else doc.lang_prob,
                "format": doc.format,
                "encoding": doc.encoding,
                "encoding_warning": doc.encoding_warning,
                "encoding_confidence": doc.encoding_confidence,
                "sha256": sha256,
                "raw_chars": doc.raw_chars,
                "clean_chars": len(doc.text),
                "boilerplate_chars": doc.boilerplate_chars,
                "text": doc.text,
                "run_id": run_id,
                "ingested_at": now(),
                "url": meta.url,
                "outlet_from": meta.outlet_from,
                "published_from": meta.published_from
                or ("manifest" if meta.published else doc.published_from),
                "published_inferred": meta.published_inferred,
                "undated_day": meta.undated_day,
            }
        )
        .last_pk
    )
    para_ids = []
    for idx, (start, end, lang, prob, method) in enumerate(doc.paragraphs):
        cursor = db.execute(
            'INSERT INTO paragraphs (doc_id, idx, start, "end", lang, lang_prob, lang_method)'
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [doc_id, idx, start, end, lang, prob, method],
        )
        para_ids.append(cursor.lastrowid)
    _insert_segments(
        db,
        [
            (
                doc_id,
                idx,
                para_ids[s.paragraph] if s.paragraph is not None else None,
                s.kind,
                s.reason,
                s.sentence,
                s.start,
                s.end,
                s.line,
                s.text,
                fold(s.text),
                s.lang,
                s.lang_prob,
                s.lang_method,
            )
            for idx, s in enumerate(doc.segments)
        ],
    )
    if previous:  # the corrections a person made to the earlier version hold for this one
        given = {
            "outlet": source if meta.outlet_from in ("manifest", "option") else None,
            "url": meta.url,
            "language": meta.language,
            "date": meta.published if meta.published_from == "manifest" else None,
        }
        reapply(db, doc_id, key, {f: v for f, v in given.items() if v})
    kept = db.execute(
        "SELECT id, text FROM segments WHERE doc_id = ? AND kind != 'boilerplate'", [doc_id]
    )
    insert_mentions(db, names, kept, glossary_version)
    return doc_id, previous[0] if previous else None


_SEGMENT_COLUMNS = ("doc_id", "idx", "paragraph_id", "kind", "reason", "sentence", "start", "end",
                    "line", "text", "search_text", "lang", "lang_prob", "lang_method")  # fmt: skip
# Rows per INSERT, as sqlite-utils' insert_all wrote them (999 variables a statement): the
# full-text index writes a segment of its own at each statement, so the same rows written in
# other statements make other index bytes.
_SEGMENTS_PER_INSERT = 999 // len(_SEGMENT_COLUMNS)


def _insert_segments(db: sqlite_utils.Database, rows: list[tuple]) -> None:
    """Insert segment rows (values in _SEGMENT_COLUMNS' order; str, int, float or None) in
    the statements sqlite-utils' insert_all used, without its checks and conversions of every
    value (the 450 pages of bench/ingest.py: 0.12 s of CPU instead of 0.22 s)."""
    listed = ", ".join(f'"{c}"' for c in _SEGMENT_COLUMNS)
    one = "(" + ", ".join("?" * len(_SEGMENT_COLUMNS)) + ")"
    for start in range(0, len(rows), _SEGMENTS_PER_INSERT):
        chunk = rows[start : start + _SEGMENTS_PER_INSERT]
        db.conn.execute(
            f"INSERT INTO segments ({listed}) VALUES " + ", ".join([one] * len(chunk)),
            [v for row in chunk for v in row],
        )


def stats(db: sqlite_utils.Database) -> CorpusStats:
    """Counts over current documents: by language and source, segments by kind, boilerplate."""

    def rows(sql: str) -> list[dict]:
        return list(db.query(sql))

    current = "SELECT id FROM current_documents"
    raw, clean = db.execute(
        "SELECT coalesce(sum(raw_chars), 0), coalesce(sum(clean_chars), 0) FROM current_documents"
    ).fetchone()
    return CorpusStats(
        documents=db.execute("SELECT count(*) FROM current_documents").fetchone()[0],
        older_versions=db.execute("SELECT count(*) FROM documents WHERE is_current = 0").fetchone()[
            0
        ],
        by_language=tuple(
            from_row(LanguageCount, r)
            for r in rows(
                "SELECT coalesce(lang, 'unknown') AS lang, count(*) AS documents "
                "FROM current_documents GROUP BY 1 ORDER BY 2 DESC, 1"
            )
        ),
        by_source=tuple(
            from_row(SourceCount, r)
            for r in rows(
                "SELECT source, count(*) AS documents FROM current_documents "
                "GROUP BY 1 ORDER BY 2 DESC, 1"
            )
        ),
        segments=tuple(
            from_row(KindCount, r)
            for r in rows(
                "SELECT kind, count(*) AS segments, sum(length(text)) AS chars FROM segments "
                f"WHERE doc_id IN ({current}) GROUP BY 1 ORDER BY 1"
            )
        ),
        segment_languages=tuple(
            from_row(SegmentLanguageCount, r)
            for r in rows(
                "SELECT coalesce(lang, 'unknown') AS lang, count(*) AS segments "
                "FROM text_segments GROUP BY 1 ORDER BY 2 DESC, 1"
            )
        ),
        boilerplate_removed=tuple(
            from_row(BoilerplateCount, r)
            for r in rows(
                "SELECT reason, count(*) AS lines, sum(length(text)) AS chars FROM segments "
                f"WHERE kind = 'boilerplate' AND doc_id IN ({current}) "
                "GROUP BY 1 ORDER BY 2 DESC, 1"
            )
        ),
        characters=Characters(raw, clean),
    )


def find_document(db: sqlite_utils.Database, ref: str) -> Document:
    """A document by id, or by path (exact, or a unique suffix such as its file name)."""
    if ref.isdigit():
        found = list(db.query("SELECT * FROM documents WHERE id = ?", [int(ref)]))
    else:
        found = list(
            db.query(
                "SELECT * FROM current_documents WHERE path = ? OR path LIKE ?", [ref, f"%{ref}"]
            )
        )
    if not found:
        raise CorpusError(f"no document matches {ref!r}")
    if len(found) > 1:
        ids = ", ".join(str(d["id"]) for d in found)
        raise CorpusError(f"{ref!r} matches several documents ({ids}); give an id")
    return from_row(Document, found[0])


def show(db: sqlite_utils.Database, ref: str) -> DocumentDetail:
    """A document with its paragraphs and segments (boilerplate included), as stored (whom it
    cites and its date's precision are views/documents.py's)."""
    doc = find_document(db, ref)
    paragraphs = db.query(
        'SELECT idx, start, "end", lang, lang_prob, lang_method FROM paragraphs '
        "WHERE doc_id = ? ORDER BY idx",
        [doc.id],
    )
    segments = db.query(
        'SELECT id, idx, kind, reason, paragraph_id, sentence, start, "end", line, lang, '
        "lang_prob, lang_method, text FROM segments WHERE doc_id = ? ORDER BY idx",
        [doc.id],
    )
    return DocumentDetail(
        doc,
        tuple(from_row(Paragraph, p) for p in paragraphs),
        tuple(from_row(Segment, s) for s in segments),
    )


def summaries(db: sqlite_utils.Database) -> list[DocumentSummary]:
    """Every current document in one line each, in id order."""
    rows = db.query(
        """
        SELECT d.id, d.source, d.lang, d.title,
               sum(s.kind != 'boilerplate') AS segments,
               sum(s.kind = 'boilerplate') AS boilerplate
        FROM current_documents d JOIN segments s ON s.doc_id = d.id
        GROUP BY d.id ORDER BY d.id
        """
    )
    return [from_row(DocumentSummary, r) for r in rows]


def has_runs(db: sqlite_utils.Database) -> bool:
    """Whether any command has stored something (a run row is written with the first change);
    True when that cannot be read, so a database is never removed on a doubt."""
    try:
        return db.execute("SELECT 1 FROM runs LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        return True


def paths(db: sqlite_utils.Database) -> dict[int, str]:
    """Every document's path, by id."""
    return dict(db.execute("SELECT id, path FROM documents").fetchall())


def current_counts(db: sqlite_utils.Database) -> tuple[int, int]:
    """How many current documents, and from how many outlets."""
    return tuple(
        db.execute("SELECT count(*), count(DISTINCT source) FROM current_documents").fetchone()
    )


def current_outlets(db: sqlite_utils.Database) -> list[str]:
    """Every outlet of the current documents."""
    return [r[0] for r in db.execute("SELECT DISTINCT source FROM current_documents")]


def texts(db: sqlite_utils.Database, doc_ids: list[int]) -> list[tuple[int, str, str]]:
    """(id, outlet, cleaned text) of each of `doc_ids`."""
    marks = ",".join("?" * len(doc_ids))
    return db.execute(
        f"SELECT id, source, text FROM documents WHERE id IN ({marks})", list(doc_ids)
    ).fetchall()
